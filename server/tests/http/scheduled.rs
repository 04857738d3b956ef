//! The notices the periodic task writes by itself (those people's acts cause are in
//! `notifications.rs`): the daily digest (once per owner and local day), the weekly digest (once
//! per person and ISO week, on Monday after 08:00 their time), and the not-submitted reminder
//! that repeats every N days until the postmortem is submitted; `tick_cost.rs` holds what a tick
//! costs when everything is written already.

use app::api::notices::SaveNoticePolicy;
use app::api::review::{StartCorrection, SubmitForReview};
use app::domain::account::Role;
use app::server::entities::{follow_ups, milestones, outbox, published_postmortems, users};
use app::server::notify::scheduled::{Ticked, tick};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::notifications::{add_follow_up, person, rows, told};
use crate::common::{
    ADMIN_EMAIL as ADMIN, PASSWORD, TestApp, incident_of, on_server, spawn, text_of,
};

/// Makes follow-up `id` in progress without a due date.
async fn undated(app: &TestApp, id: i64) {
    let db = app.db.clone();
    on_server(async move {
        follow_ups::Entity::update_many()
            .col_expr(
                follow_ups::Column::State,
                sea_orm::sea_query::Expr::value("in_progress"),
            )
            .col_expr(
                follow_ups::Column::DueOn,
                sea_orm::sea_query::Expr::value(Option::<NaiveDate>::None),
            )
            .filter(follow_ups::Column::Id.eq(id))
            .exec(&db)
            .await
            .unwrap();
    })
    .await;
}

/// Moves the publication of `incident` to `at`.
async fn published_on(app: &TestApp, incident: i64, at: DateTime<Utc>) {
    let db = app.db.clone();
    on_server(async move {
        published_postmortems::Entity::update_many()
            .col_expr(
                published_postmortems::Column::PublishedAt,
                sea_orm::sea_query::Expr::value(at),
            )
            .filter(published_postmortems::Column::IncidentId.eq(incident))
            .exec(&db)
            .await
            .unwrap();
    })
    .await;
}

/// The body of the one weekly digest queued for `email`.
async fn digest_of(app: &TestApp, email: &str) -> outbox::Model {
    let mut found: Vec<outbox::Model> = rows(app, "weekly_digest")
        .await
        .into_iter()
        .filter(|r| r.channel == "email" && r.recipient == email)
        .collect();
    assert_eq!(found.len(), 1, "one weekly digest for {email}");
    found.remove(0)
}

fn december(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

#[tokio::test]
async fn the_weekly_digest_tells_each_person_what_waits_for_them_and_a_lesson_once_a_week() {
    let app = spawn().await;
    // A lesson: published in ISO week 50 of 2024 (9–15 December), as 2026-12-07 is in week 50.
    let lesson = incident_of(&app.load_example().await);
    app.publish(lesson).await;
    published_on(
        &app,
        lesson,
        Utc.with_ymd_and_hms(2024, 12, 10, 12, 0, 0).unwrap(),
    )
    .await;
    let (ann_id, ann) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    let (rita_id, _) = person(&app, "rita@example.com", "Rita Reviewer", Role::Reviewer).await;
    let (vera_id, _) = person(&app, "vera@example.com", "Vera Viewer", Role::Viewer).await;
    let (bo_id, _) = person(&app, "bo@example.com", "Bo Author", Role::Author).await;
    set_zone(&app, bo_id, "America/Los_Angeles").await;
    // In review for the first time: waiting for every reviewer who wrote none of it.
    let reviewed = incident_of(&app.load_example().await);
    let (status, body) = app
        .call(SubmitForReview::PATH, &[("id", &reviewed.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    let draft = incident_of(&app.load_example().await);
    let ann_s = ann_id.to_string();
    let mut ids = Vec::new();
    for title in ["Overdue one", "Later one", "Undated one", "Done one"] {
        ids.push(add_follow_up(&app, draft, title, &ann_s).await.unwrap());
    }
    due_on(&app, ids[0], day(1), "committed").await;
    due_on(&app, ids[1], day(20), "in_progress").await;
    undated(&app, ids[2]).await;
    due_on(&app, ids[3], day(2), "done").await;
    // A viewer does not hear of a draft's follow-ups, even their own.
    let hidden = add_follow_up(&app, draft, "Hidden draft action", &vera_id.to_string())
        .await
        .unwrap();
    due_on(&app, hidden, day(1), "committed").await;

    // Everyone can turn it off on their account page, like every other event.
    let (_, page) = ann.page("/account").await;
    assert!(text_of(&page).contains("Weekly digest"));
    assert!(page.contains(r#"name="form[weekly_digest]" checked"#));

    // Sunday, and Monday before 08:00 UTC: not yet.
    assert_eq!(ticked(&app, december(6, 20, 0)).await.weekly, 0);
    assert_eq!(ticked(&app, december(7, 7, 59)).await.weekly, 0);
    // Monday 09:00 UTC: everyone in UTC once, however many instances tick; Bo (01:00) not yet.
    let monday = december(7, 9, 0);
    let (a, b) = tokio::join!(ticked(&app, monday), ticked(&app, monday));
    let people = told(&app, "weekly_digest").await;
    assert_eq!(
        a.weekly + b.weekly,
        people.len(),
        "two instances write each once"
    );
    assert!(!people.contains(&"bo@example.com".to_owned()), "{people:?}");
    for who in ["ann@example.com", "rita@example.com", "vera@example.com"] {
        assert!(people.contains(&who.to_owned()), "{who} in {people:?}");
    }
    assert_eq!(ticked(&app, monday).await.weekly, 0);

    let ann_digest = digest_of(&app, "ann@example.com").await;
    assert_eq!(
        ann_digest.idempotency_key,
        format!("weekly_digest:user:{ann_id}:week:2026-W50:email:{ann_id}")
    );
    assert_eq!(
        ann_digest.subject,
        "Your week: 3 follow-ups open (1 overdue)"
    );
    let body = &ann_digest.body;
    assert!(body.contains("3 open, 1 overdue"), "{body}");
    assert!(
        body.contains("- Overdue one (due 2026-12-01, overdue) — from “"),
        "{body}"
    );
    assert!(
        body.contains(&format!("/incidents/{draft}/follow-ups/{}", ids[0])),
        "{body}"
    );
    assert!(body.contains("Later one (due 2026-12-20)"), "{body}");
    assert!(!body.contains("Done one"), "{body}");
    assert!(!body.contains("Reviews waiting"), "{body}");
    assert!(body.contains("From this week in 2024"), "{body}");
    assert!(body.contains(&format!("/incidents/{lesson}")), "{body}");
    assert_eq!(ann_digest.link, "/my-work");

    let rita_digest = digest_of(&app, "rita@example.com").await;
    assert!(
        rita_digest
            .body
            .contains(&format!("/incidents/{reviewed}/review")),
        "{}",
        rita_digest.body
    );
    assert_eq!(rita_digest.subject, "Your week: 1 review waiting");
    let _ = rita_id;

    let vera_digest = digest_of(&app, "vera@example.com").await;
    assert_eq!(vera_digest.subject, "Your week: a lesson from 2024");
    assert!(!vera_digest.body.contains("Hidden"), "{}", vera_digest.body);
    assert_eq!(vera_digest.link, format!("/incidents/{lesson}"));

    // Bo's comes after 08:00 his time, once; the next Monday brings the next week's.
    assert_eq!(ticked(&app, december(7, 16, 5)).await.weekly, 1);
    digest_of(&app, "bo@example.com").await;
    assert_eq!(ticked(&app, december(8, 16, 5)).await.weekly, 0);
    // Week 51 has no lesson: only those with something waiting hear again.
    let before = told(&app, "weekly_digest").await.len();
    let next = ticked(&app, december(14, 9, 0)).await;
    let week51: Vec<String> = told(&app, "weekly_digest").await[before..].to_vec();
    assert_eq!(next.weekly, week51.len());
    for who in ["ann@example.com", "rita@example.com"] {
        assert!(week51.contains(&who.to_owned()), "{who} in {week51:?}");
    }
    assert!(
        !week51.contains(&"vera@example.com".to_owned()),
        "{week51:?}"
    );
}

#[tokio::test]
async fn a_week_with_nothing_to_say_sends_no_digest() {
    let app = spawn().await;
    person(&app, "vera@example.com", "Vera Viewer", Role::Viewer).await;
    // No follow-ups, no reviews, nothing ever published.
    assert_eq!(ticked(&app, december(7, 9, 0)).await.weekly, 0);
    assert!(told(&app, "weekly_digest").await.is_empty());
    assert_eq!(ticked(&app, december(7, 10, 0)).await.weekly, 0);
}

#[tokio::test]
async fn the_not_submitted_reminder_repeats_every_n_days_until_submitted_and_never_for_a_correction()
 {
    let app = spawn().await;
    let draft = incident_of(&app.load_example().await);
    let corrected = incident_of(&app.load_example().await);
    app.publish(corrected).await;
    let (status, body) = app
        .call(StartCorrection::PATH, &[("id", &corrected.to_string())])
        .await;
    assert_eq!(status, 200, "a correction starts: {body}");
    let mitigated = mitigated_at(&app, draft).await;
    assert_eq!(mitigated, mitigated_at(&app, corrected).await);
    let after = |days: u64| mitigated.checked_add_days(Days::new(days)).unwrap();

    // The default: every 7 days.
    assert_eq!(ticked(&app, after(6)).await.reminders, 0);
    assert_eq!(ticked(&app, after(7)).await.reminders, 1);
    assert_eq!(ticked(&app, after(13)).await.reminders, 0);
    let (a, b) = tokio::join!(ticked(&app, after(14)), ticked(&app, after(14)));
    assert_eq!(a.reminders + b.reminders, 1, "two instances write one");
    assert_eq!(ticked(&app, after(20)).await.reminders, 0);
    let keys: Vec<String> = {
        let db = app.db.clone();
        on_server(async move {
            outbox::Entity::find()
                .filter(outbox::Column::Event.eq("postmortem_not_submitted"))
                .order_by_asc(outbox::Column::Id)
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.idempotency_key)
                .collect()
        })
        .await
    };
    let admin_id = keys[0].rsplit(':').next().unwrap().to_owned();
    assert_eq!(
        keys,
        [
            format!("postmortem_not_submitted:incident:{draft}:n:1:email:{admin_id}"),
            format!("postmortem_not_submitted:incident:{draft}:n:2:email:{admin_id}"),
        ],
        "the draft twice, the correction never"
    );
    let second = &rows(&app, "postmortem_not_submitted").await[1];
    assert!(second.body.contains("14 days or more"), "{}", second.body);

    // Submitted: no more reminders.
    assert_eq!(
        app.call(SubmitForReview::PATH, &[("id", &draft.to_string())])
            .await
            .0,
        200
    );
    assert_eq!(ticked(&app, after(21)).await.reminders, 0);
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
