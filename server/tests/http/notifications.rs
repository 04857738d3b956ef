//! Notifications queued for people (the outbox rows; sending them is the delivery worker's):
//! each event reaches the right person once, never the one who acted, never someone who may
//! not read what it is about, and never someone who turned that event off; the daily digest
//! and the not-submitted reminder are written once however many ticks compute them.

use app::api::comments::AddComment;
use app::api::follow_ups::{AddFollowUp, FollowUpForEdit, UpdateFollowUp};
use app::api::notices::SaveEmailChoices;
use app::api::review::{ApprovePostmortem, PublishPostmortem, RequestChanges, SubmitForReview};
use app::domain::account::Role;
use app::server::entities::outbox;
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
