//! The notices the periodic task writes by itself, beyond the daily digest (see
//! `notifications.rs`): the weekly digest (once per person and ISO week, on Monday after 08:00
//! their time), the not-submitted reminder that repeats every N days until the postmortem is
//! submitted, and what a tick costs when everything is written already.

use app::api::review::{StartCorrection, SubmitForReview};
use app::domain::account::Role;
use app::server::entities::{follow_ups, outbox, published_postmortems};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::notifications::{
    add_follow_up, due_on, mitigated_at, person, rows, set_zone, ticked, told,
};
use crate::common::{TestApp, incident_of, on_server, spawn, text_of};

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
