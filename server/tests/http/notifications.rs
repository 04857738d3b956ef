//! Notifications queued for people (the outbox rows; sending them is the delivery worker's):
//! each event reaches the right person once, never the one who acted, never someone who may
//! not read what it is about, and never someone who turned that event off; the daily digest
//! and the not-submitted reminder are written once however many ticks compute them.

use app::api::comments::AddComment;
use app::api::follow_ups::{AddFollowUp, FollowUpForEdit, UpdateFollowUp};
use app::api::notices::{SaveEmailChoices, SaveNoticePolicy};
use app::api::review::{ApprovePostmortem, PublishPostmortem, RequestChanges, SubmitForReview};
use app::domain::account::Role;
use app::server::entities::{follow_ups, milestones, outbox, users};
use app::server::notify::scheduled::{Ticked, tick};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::common::{
    Browser, PASSWORD, TestApp, approval_fields, incident_of, on_server, spawn, text_of,
};

/// (event, recipient email, key) of every queued email, in the order queued.
async fn queued(app: &TestApp) -> Vec<(String, String, String)> {
    let db = app.db.clone();
    on_server(async move {
        outbox::Entity::find()
            .filter(outbox::Column::Channel.eq("email"))
            .order_by_asc(outbox::Column::Id)
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.event, r.recipient, r.idempotency_key))
            .collect()
    })
    .await
}

/// The recipients of the queued emails about `event`, in the order queued.
pub(crate) async fn told(app: &TestApp, event: &str) -> Vec<String> {
    queued(app)
        .await
        .into_iter()
        .filter(|(e, _, _)| e == event)
        .map(|(_, to, _)| to)
        .collect()
}

/// The queued emails' full rows about `event`.
pub(crate) async fn rows(app: &TestApp, event: &'static str) -> Vec<outbox::Model> {
    let db = app.db.clone();
    on_server(async move {
        outbox::Entity::find()
            .filter(outbox::Column::Event.eq(event))
            .order_by_asc(outbox::Column::Id)
            .all(&db)
            .await
            .unwrap()
    })
    .await
}

/// A new account with `role`, logged in.
pub(crate) async fn person(app: &TestApp, email: &str, name: &str, role: Role) -> (i64, Browser) {
    let id = app.add_user(email, name, role).await;
    let browser = app.anonymous();
    assert_eq!(
        browser.log_in(email, PASSWORD).await.0,
        302,
        "{email} logs in"
    );
    (id, browser)
}

pub(crate) async fn add_follow_up(
    browser: &Browser,
    incident: i64,
    title: &str,
    owner: &str,
) -> Result<i64, String> {
    let incident = incident.to_string();
    let (status, body) = browser
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", &incident),
                ("state", "proposed"),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[owner_id]", owner),
            ],
        )
        .await;
    if status == 200 {
        Ok(body.trim().parse().expect("an id"))
    } else {
        Err(format!("{status}: {body}"))
    }
}

async fn update_follow_up(browser: &Browser, id: i64, title: &str, owner: &str) {
    let id = id.to_string();
    let version = browser.version(FollowUpForEdit::PATH, &id).await;
    let (status, body) = browser
        .call(
            UpdateFollowUp::PATH,
            &[
                ("id", id.as_str()),
                ("version", &version),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[owner_id]", owner),
            ],
        )
        .await;
    assert_eq!(status, 200, "saved: {body}");
}

async fn comment(browser: &Browser, incident: i64, body: &str) -> (u16, String) {
    browser
        .call(
            AddComment::PATH,
            &[
                ("incident_id", &incident.to_string()),
                ("anchor", "section:summary"),
                ("form[body]", body),
            ],
        )
        .await
}

const ADMIN: &str = crate::common::ADMIN_EMAIL;

#[tokio::test]
async fn each_review_step_tells_the_right_people_once_and_never_the_one_who_acted() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let id = incident.to_string();
    // Ann writes a part of it, so she is one of its authors.
    let (_, ann) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    add_follow_up(
        &ann,
        incident,
        "A confirmation step for every-server runs",
        "",
    )
    .await
    .unwrap();
    let (_, rex) = person(&app, "rex@example.com", "Rex Reviewer", Role::Reviewer).await;
    person(&app, "rita@example.com", "Rita Reviewer", Role::Reviewer).await;
    person(&app, "vera@example.com", "Vera Viewer", Role::Viewer).await;

    // First round: nobody chosen yet, so every reviewer who wrote none of it.
    assert_eq!(app.call(SubmitForReview::PATH, &[("id", &id)]).await.0, 200);
    assert_eq!(
        told(&app, "review_requested").await,
        ["rex@example.com", "rita@example.com"]
    );
    // A repeated submit is refused and queues nothing more.
    assert_ne!(app.call(SubmitForReview::PATH, &[("id", &id)]).await.0, 200);
    assert_eq!(told(&app, "review_requested").await.len(), 2);

    let (status, body) = rex
        .call(
            RequestChanges::PATH,
            &[
                ("id", &id),
                ("form[comments]", "Say how the impact was counted."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        told(&app, "changes_requested").await,
        [ADMIN, "ann@example.com"]
    );
    let changes = rows(&app, "changes_requested").await;
    assert!(changes[0].body.contains("Say how the impact was counted."));
    assert_eq!(changes[0].link, format!("/incidents/{incident}/review"));

    // The second round goes back to the reviewer who asked for the changes, and is a new
    // occurrence: it is queued although the first round's request was.
    assert_eq!(app.call(SubmitForReview::PATH, &[("id", &id)]).await.0, 200);
    let requested = rows(&app, "review_requested").await;
    assert_eq!(requested.len(), 3);
    assert_eq!(requested[2].recipient, "rex@example.com");
    assert!(
        requested[2].idempotency_key.starts_with(&format!(
            "review_requested:incident:{incident}:rev:1:review:2:"
        )),
        "{}",
        requested[2].idempotency_key
    );

    let (status, body) = rex
        .call(ApprovePostmortem::PATH, &approval_fields(&id))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(told(&app, "approved").await, [ADMIN, "ann@example.com"]);

    // Ann publishes: the other author and the reviewer hear, she does not.
    assert_eq!(
        ann.call(PublishPostmortem::PATH, &[("id", &id)]).await.0,
        200
    );
    assert_eq!(told(&app, "published").await, [ADMIN, "rex@example.com"]);
    let published = rows(&app, "published").await;
    assert_eq!(
        published[0].subject,
        format!(
            "Published: {}",
            "Customer logins failed across all products for about a minute"
        )
    );

    // Nobody heard about their own step, and the viewer heard nothing of the draft's review.
    for (event, to, _) in queued(&app).await {
        assert_ne!(to, "vera@example.com", "{event}");
        if event == "review_requested" || event == "published" {
            assert_ne!(to, "ann@example.com", "{event}");
        }
        if event == "changes_requested" || event == "approved" {
            assert_ne!(to, "rex@example.com", "{event}");
        }
    }
}

#[tokio::test]
async fn a_follow_ups_new_owner_hears_once_but_not_who_assigned_themselves_nor_a_viewer_of_a_draft()
{
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (ann_id, ann) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    let (bo_id, _) = person(&app, "bo@example.com", "Bo Author", Role::Author).await;
    let (vera_id, _) = person(&app, "vera@example.com", "Vera Viewer", Role::Viewer).await;

    let f = add_follow_up(
        &app,
        incident,
        "Safe default concurrency",
        &ann_id.to_string(),
    )
    .await
    .unwrap();
    assert_eq!(told(&app, "follow_up_assigned").await, ["ann@example.com"]);
    let row = &rows(&app, "follow_up_assigned").await[0];
    assert!(
        row.subject.contains("Safe default concurrency"),
        "{}",
        row.subject
    );
    assert_eq!(row.link, format!("/incidents/{incident}#follow-ups"));

    // Saved again with the same owner: nothing new. Given to Bo: Bo hears.
    update_follow_up(
        &app,
        f,
        "Safe default concurrency (10)",
        &ann_id.to_string(),
    )
    .await;
    assert_eq!(told(&app, "follow_up_assigned").await.len(), 1);
    update_follow_up(&app, f, "Safe default concurrency (10)", &bo_id.to_string()).await;
    assert_eq!(
        told(&app, "follow_up_assigned").await,
        ["ann@example.com", "bo@example.com"]
    );

    // Ann takes one herself: nobody is told.
    add_follow_up(&ann, incident, "Teach the restart job", &ann_id.to_string())
        .await
        .unwrap();
    // A viewer made owner of a follow-up of a draft may not read it: nothing for them.
    add_follow_up(
        &app,
        incident,
        "Review the generic job",
        &vera_id.to_string(),
    )
    .await
    .unwrap();
    assert_eq!(told(&app, "follow_up_assigned").await.len(), 2);

    // Once published, the viewer may read it, and hears of the next one.
    app.publish(incident).await;
    add_follow_up(
        &app,
        incident,
        "Alert on mass restarts",
        &vera_id.to_string(),
    )
    .await
    .unwrap();
    assert_eq!(
        told(&app, "follow_up_assigned").await,
        ["ann@example.com", "bo@example.com", "vera@example.com"]
    );
    assert!(
        rows(&app, "follow_up_assigned").await[2]
            .payload
            .contains("Alert on mass restarts")
    );
}

#[tokio::test]
async fn a_mention_reaches_who_may_read_it_once_and_shows_as_a_highlighted_name() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (_, ann) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    person(&app, "vera@example.com", "Vera Viewer", Role::Viewer).await;

    let (status, body) = comment(
        &app,
        incident,
        "@[Ann Author] and @[VERA@example.com], could you check the figure? @[Nobody Here]",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Vera is a viewer and the postmortem a draft: she is not told.
    assert_eq!(told(&app, "mentioned").await, ["ann@example.com"]);
    let row = &rows(&app, "mentioned").await[0];
    assert!(
        row.body.contains("could you check the figure?"),
        "{}",
        row.body
    );
    assert_eq!(
        row.link,
        format!("/incidents/{incident}#comments-section-summary")
    );

    let (_, page) = app.page(&format!("/incidents/{incident}")).await;
    assert!(
        page.contains(r#"<span class="mention">@Ann Author</span>"#),
        "the mention is highlighted"
    );

    // Mentioning oneself tells nobody.
    assert_eq!(
        comment(&ann, incident, "Done, @[Ann Author] checked.")
            .await
            .0,
        200
    );
    assert_eq!(told(&app, "mentioned").await.len(), 1);

    app.publish(incident).await;
    assert_eq!(
        comment(&ann, incident, "@[vera@example.com] this one is for you")
            .await
            .0,
        200
    );
    assert_eq!(
        told(&app, "mentioned").await,
        ["ann@example.com", "vera@example.com"]
    );
}

#[tokio::test]
async fn an_event_a_person_turned_off_on_their_account_page_is_not_emailed_to_them() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (ann_id, ann) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    person(&app, "bo@example.com", "Bo Author", Role::Author).await;

    let (_, page) = ann.page("/account").await;
    assert!(text_of(&page).contains("Email me about"));
    assert!(
        page.contains(r#"name="form[mentioned]" checked"#),
        "on by default"
    );

    // Every box but "mentioned" ticked, as the plain form posts it.
    let (status, location) = ann
        .submit(
            SaveEmailChoices::PATH,
            "/account",
            &[
                ("form[review_requested]", "on"),
                ("form[changes_requested]", "on"),
                ("form[approved]", "on"),
                ("form[published]", "on"),
                ("form[follow_up_assigned]", "on"),
                ("form[follow_ups_due]", "on"),
                ("form[postmortem_not_submitted]", "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some("/account?saved=email"));
    let (_, page) = ann.page("/account?saved=email").await;
    assert!(
        !page.contains(r#"name="form[mentioned]" checked"#),
        "{}",
        text_of(&page)
    );
    assert!(page.contains(r#"name="form[approved]" checked"#));

    comment(&app, incident, "@[Ann Author] @[Bo Author] have a look").await;
    assert_eq!(told(&app, "mentioned").await, ["bo@example.com"]);
    // Other events still reach her.
    add_follow_up(
        &app,
        incident,
        "Safe default concurrency",
        &ann_id.to_string(),
    )
    .await
    .unwrap();
    assert_eq!(told(&app, "follow_up_assigned").await, ["ann@example.com"]);
}

/// Makes follow-up `id` committed, due on `due`.
pub(crate) async fn due_on(app: &TestApp, id: i64, due: NaiveDate, state: &'static str) {
    let db = app.db.clone();
    on_server(async move {
        let mut row: follow_ups::ActiveModel = follow_ups::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .into();
        row.due_on = sea_orm::Set(Some(due));
        row.state = sea_orm::Set(state.to_owned());
        sea_orm::ActiveModelTrait::update(row, &db).await.unwrap();
    })
    .await;
}

pub(crate) async fn set_zone(app: &TestApp, user: i64, zone: &'static str) {
    let db = app.db.clone();
    on_server(async move {
        users::Entity::update_many()
            .col_expr(
                users::Column::TimeZone,
                sea_orm::sea_query::Expr::value(zone),
            )
            .filter(users::Column::Id.eq(user))
            .exec(&db)
            .await
            .unwrap();
    })
    .await;
}

pub(crate) async fn ticked(app: &TestApp, now: DateTime<Utc>) -> Ticked {
    let db = app.db.clone();
    on_server(async move { tick(&db, now).await.unwrap() }).await
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

#[tokio::test]
async fn the_daily_digest_is_one_notice_per_owner_and_local_day_however_many_ticks() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (ann_id, _) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    let (bo_id, _) = person(&app, "bo@example.com", "Bo Author", Role::Author).await;
    set_zone(&app, ann_id, "Asia/Tokyo").await;
    let ann = ann_id.to_string();
    let mut ids = Vec::new();
    for title in ["Overdue one", "Due soon one", "Due later one", "Done one"] {
        ids.push(add_follow_up(&app, incident, title, &ann).await.unwrap());
    }
    due_on(&app, ids[0], day(8), "committed").await;
    due_on(&app, ids[1], day(12), "in_progress").await;
    due_on(&app, ids[2], day(20), "committed").await;
    due_on(&app, ids[3], day(9), "done").await;
    let bos = add_follow_up(&app, incident, "Bo's overdue one", &bo_id.to_string())
        .await
        .unwrap();
    due_on(&app, bos, day(1), "committed").await;

    // 00:30 UTC on the 10th: 09:30 in Tokyo (Ann's digest is due), 00:30 for Bo (not yet).
    let morning = Utc.with_ymd_and_hms(2026, 12, 10, 0, 30, 0).unwrap();
    let (first, second) = tokio::join!(ticked(&app, morning), ticked(&app, morning));
    assert_eq!(first.digests + second.digests, 1, "two instances write one");
    assert_eq!(ticked(&app, morning).await.digests, 0);
    let digests = rows(&app, "follow_ups_due").await;
    assert_eq!(digests.len(), 1);
    let digest = &digests[0];
    assert_eq!(digest.recipient, "ann@example.com");
    assert_eq!(
        digest.idempotency_key,
        format!("follow_ups_due:user:{ann_id}:2026-12-10:email:{ann_id}")
    );
    assert_eq!(digest.subject, "1 follow-up overdue, 1 due soon");
    assert!(
        digest.body.contains("Overdue one (due 2026-12-08)"),
        "{}",
        digest.body
    );
    assert!(digest.body.contains("Due soon one (due 2026-12-12)"));
    assert!(!digest.body.contains("Due later one"));
    assert!(!digest.body.contains("Done one"));

    // Bo's turn comes after 08:00 his time (UTC), once; Ann's next digest the next day.
    let later = Utc.with_ymd_and_hms(2026, 12, 10, 8, 5, 0).unwrap();
    assert_eq!(ticked(&app, later).await.digests, 1);
    assert_eq!(
        told(&app, "follow_ups_due").await,
        ["ann@example.com", "bo@example.com"]
    );
    let next_day = morning.checked_add_days(Days::new(1)).unwrap();
    assert_eq!(ticked(&app, next_day).await.digests, 1);
}

#[tokio::test]
async fn a_viewer_owners_digest_leaves_out_follow_ups_of_drafts() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (vera_id, _) = person(&app, "vera@example.com", "Vera Viewer", Role::Viewer).await;
    let f = add_follow_up(&app, incident, "Hidden draft action", &vera_id.to_string())
        .await
        .unwrap();
    due_on(&app, f, day(9), "committed").await;
    let noon = Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap();
    assert_eq!(ticked(&app, noon).await.digests, 0);
    assert!(told(&app, "follow_ups_due").await.is_empty());
}

/// When the incident was mitigated.
pub(crate) async fn mitigated_at(app: &TestApp, incident: i64) -> DateTime<Utc> {
    let db = app.db.clone();
    on_server(async move {
        milestones::Entity::find()
            .filter(milestones::Column::IncidentId.eq(incident))
            .filter(milestones::Column::Kind.eq("mitigated"))
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .at
    })
    .await
}

#[tokio::test]
async fn a_postmortem_still_a_draft_n_days_after_mitigation_reminds_its_authors_once() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (_, ann) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    add_follow_up(&ann, incident, "Safe default concurrency", "")
        .await
        .unwrap();
    let viewer = app.browser_as(Role::Viewer).await;

    // The admin sets N on the policies page; a wrong value is refused beside its field.
    let (_, page) = app.page("/admin/policies").await;
    assert!(text_of(&page).contains("Not submitted: days after mitigation"));
    let fields = |due: &'static str, late: &'static str| {
        vec![
            ("form[due_soon_days]", due),
            ("form[not_submitted_days]", late),
        ]
    };
    let (status, body) = app.call(SaveNoticePolicy::PATH, &fields("3", "0")).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("not_submitted_days"), "{body}");
    // Without JavaScript: back to the page, the message beside the field, the value kept.
    let (status, location) = app
        .submit(SaveNoticePolicy::PATH, "/admin/policies", &fields("4", "0"))
        .await;
    assert_eq!(status, 303, "{location:?}");
    let (_, page) = app.page(&location.unwrap()).await;
    assert!(page.contains("Enter a whole number of days from 1 to 90."));
    assert!(page.contains(r#"value="4""#), "what was typed is kept");
    assert_eq!(
        viewer
            .call(SaveNoticePolicy::PATH, &fields("3", "30"))
            .await
            .0,
        403
    );
    let (status, location) = app
        .submit(
            SaveNoticePolicy::PATH,
            "/admin/policies",
            &fields("3", "30"),
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (302, Some("/admin/policies?saved=notices"))
    );
    let (_, page) = app.page("/admin/policies?saved=notices").await;
    assert!(page.contains(r#"value="30""#), "the saved value is shown");

    let mitigated = mitigated_at(&app, incident).await;
    let early = mitigated.checked_add_days(Days::new(29)).unwrap();
    assert_eq!(ticked(&app, early).await.reminders, 0);
    let due = mitigated.checked_add_days(Days::new(30)).unwrap();
    let (a, b) = tokio::join!(ticked(&app, due), ticked(&app, due));
    assert_eq!(a.reminders + b.reminders, 1, "two instances write one");
    assert_eq!(ticked(&app, due).await.reminders, 0);
    assert_eq!(
        told(&app, "postmortem_not_submitted").await,
        [ADMIN, "ann@example.com"]
    );
    let row = &rows(&app, "postmortem_not_submitted").await[0];
    assert!(row.body.contains("still a draft"), "{}", row.body);
    assert_eq!(row.link, format!("/incidents/{incident}"));

    // Submitted postmortems are not reminded of.
    let other = incident_of(&app.load_example().await);
    assert_eq!(
        app.call(SubmitForReview::PATH, &[("id", &other.to_string())])
            .await
            .0,
        200
    );
    assert_eq!(ticked(&app, due).await.reminders, 0);
}

#[tokio::test]
async fn the_server_writes_reminders_by_itself_every_interval() {
    let app = crate::common::spawn_empty_configured(|config| {
        config.reminder_interval = std::time::Duration::from_secs(1);
    })
    .await;
    app.add_user(ADMIN, crate::common::ADMIN_NAME, Role::Admin)
        .await;
    assert_eq!(app.log_in(ADMIN, PASSWORD).await.0, 302);
    // The worked example was mitigated in 2020: long past the default 7 days.
    app.load_example().await;
    let mut waited = 0;
    while told(&app, "postmortem_not_submitted").await.is_empty() {
        assert!(waited < 100, "no reminder after 10 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(told(&app, "postmortem_not_submitted").await, [ADMIN]);
}
