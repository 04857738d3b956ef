//! A page read again while nothing it shows has changed is sent as it was rendered
//! (`server::kept_pages`): it costs the session and the counter, and any change to what it
//! shows — through the app or by SQL behind its back — shows on the next read.

use app::domain::account::Role;
use chrono::{NaiveDate, TimeZone, Utc};

use crate::common::{TestApp, incident_of, spawn, text_of};
use crate::kept_views::behind_its_back;
use crate::notifications::{add_follow_up, person};
use crate::scheduled::{due_on, ticked};
use crate::statements::{entry_cost, settled};

/// The statements reading `path` cost the admin, and the page.
async fn cost(app: &TestApp, path: &str) -> (u64, String) {
    let before = settled(app).await;
    let (status, body) = app.browser.page(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    ((settled(app).await - before).statements, body)
}

/// The nonces a page's scripts carry.
fn nonces(html: &str) -> Vec<&str> {
    html.split("nonce=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[tokio::test]
async fn a_postmortem_read_again_is_kept_costs_two_statements_and_has_a_fresh_nonce() {
    let app = spawn().await;
    let path = format!(
        "/incidents/{}",
        incident_of(&app.browser.load_example().await)
    );
    let (first, page) = cost(&app, &path).await;
    let (again, kept) = cost(&app, &path).await;
    eprintln!("the postmortem: {first} statements rendered, {again} kept");
    assert_eq!(text_of(&page), text_of(&kept), "the same page");
    // The session and its user, the counter.
    assert!(
        again <= 2 && again < first,
        "read again: {again} statements (rendered: {first})"
    );
    let (before, after) = (nonces(&page), nonces(&kept));
    assert!(!before.is_empty(), "the page has nonced scripts");
    assert!(
        after.iter().all(|nonce| !before.contains(nonce)),
        "each response its own nonce: {before:?} then {after:?}"
    );
}

#[tokio::test]
async fn a_kept_postmortem_shows_every_change_to_it_even_by_sql() {
    let app = spawn().await;
    let incident = incident_of(&app.browser.load_example().await);
    let path = format!("/incidents/{incident}");
    let read = async || text_of(&app.browser.page(&path).await.1);
    assert_eq!(read().await, read().await, "kept");

    entry_cost(&app, incident).await;
    assert!(
        read()
            .await
            .contains("Saw the error rate drop after the rollback."),
        "an entry added through the app"
    );

    behind_its_back(
        &app,
        "UPDATE timeline_entries SET body_md = 'Rolled back by hand.' WHERE body_md LIKE 'Saw%'",
    )
    .await;
    assert!(
        read().await.contains("Rolled back by hand."),
        "an entry changed by SQL"
    );

    behind_its_back(&app, "UPDATE changes SET system = 'Deploy pipeline'").await;
    assert!(
        read().await.contains("Deploy pipeline"),
        "a change's system"
    );

    behind_its_back(&app, "DELETE FROM follow_ups").await;
    let after = read().await;
    assert!(
        !after.contains("default concurrency safe"),
        "deleted follow-ups are gone: {after}"
    );
}

#[tokio::test]
async fn each_reader_is_kept_their_own_page() {
    let app = spawn().await;
    let path = format!(
        "/incidents/{}",
        incident_of(&app.browser.load_example().await)
    );
    let viewer = app.browser_as(Role::Viewer).await;
    let admins = text_of(&app.browser.page(&path).await.1);
    let viewers = text_of(&viewer.page(&path).await.1);
    // The signed-in reader, in the navigation.
    assert!(admins.contains("Ada Admin Log out"), "{admins}");
    assert!(viewers.contains("Viewer person Log out"), "{viewers}");
    assert!(admins.contains("Delete this incident"), "{admins}");
    assert!(!viewers.contains("Delete this incident"), "{viewers}");
}

/// Reminders are queued and delivered in tables no kept page reads (migration 000240): a tick
/// that writes notices does not make every reader wait for pages rendered again.
#[tokio::test]
async fn a_reminder_tick_that_queues_notices_leaves_the_pages_kept() {
    let app = spawn().await;
    let incident = incident_of(&app.browser.load_example().await);
    let (ann, _) = person(&app, "ann@example.com", "Ann Author", Role::Author).await;
    let overdue = add_follow_up(&app, incident, "Overdue one", &ann.to_string())
        .await
        .unwrap();
    let eighth = NaiveDate::from_ymd_opt(2026, 12, 8).expect("a date");
    due_on(&app, overdue, eighth, "committed").await;
    let path = format!("/incidents/{incident}");
    cost(&app, &path).await;
    let (kept, page) = cost(&app, &path).await;

    let morning = Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap();
    assert_eq!(
        ticked(&app, morning).await.digests,
        1,
        "Ann's digest is queued"
    );
    let (after, again) = cost(&app, &path).await;
    assert_eq!(text_of(&page), text_of(&again), "the same page");
    assert_eq!(
        after, kept,
        "read after the tick: still kept ({kept} statements)"
    );
}
