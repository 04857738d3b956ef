//! The organisation-wide views are kept between requests while the facts they read stay the
//! same (`app::server::read_cache`): reading one again costs a handful of statements, and any
//! change to what it reads — through the app or by SQL behind its back — shows on the next read.

use sea_orm::ConnectionTrait;

use app::domain::account::Role;

use crate::common::{Browser, TestApp, incident_of, on_server, spawn, text_of};
use crate::statements::{entry_cost, settled};

/// The statements `path` cost the admin, read once the server has stopped running any.
async fn cost(app: &TestApp, path: &str) -> (u64, String) {
    cost_to(app, &app.browser, path).await
}

/// The statements `path` cost `browser`, read once the server has stopped running any.
async fn cost_to(app: &TestApp, browser: &Browser, path: &str) -> (u64, String) {
    let before = settled(app).await;
    let (status, body) = browser.page(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    let spent = settled(app).await - before;
    (spent.statements, body)
}

/// Runs `sql` on the app's database as an operator would, behind the app's back.
pub(crate) async fn behind_its_back(app: &TestApp, sql: &str) {
    let db = app.db.clone();
    let sql = sql.to_owned();
    on_server(async move { db.execute_unprepared(&sql).await.expect("the SQL runs") }).await;
}

async fn generation(app: &TestApp) -> i64 {
    let db = app.db.clone();
    on_server(async move {
        app::server::read_cache::generation(&db)
            .await
            .expect("the counter")
    })
    .await
}

#[tokio::test]
async fn the_dashboard_read_again_is_kept_and_costs_a_few_statements() {
    let app = spawn().await;
    app.browser.load_example().await;
    let (first, page) = cost(&app, "/follow-ups?view=all").await;
    let (again, kept) = cost(&app, "/follow-ups?view=all").await;
    assert_eq!(text_of(&page), text_of(&kept), "the same page");
    eprintln!("the dashboard: {first} statements computed, {again} kept");
    // The session and its user, the counter: the aggregates are not asked again.
    assert!(
        again <= 3 && again < first,
        "read again: {again} statements (computed: {first})"
    );
    // Another filter is another view.
    let (other, _) = cost(&app, "/follow-ups?view=open").await;
    assert_eq!(other, first, "another filter is computed");
}

#[tokio::test]
async fn a_kept_dashboard_shows_every_change_to_what_it_reads_even_by_sql() {
    let app = spawn().await;
    let incident = incident_of(&app.browser.load_example().await);
    let read = async || text_of(&app.browser.page("/follow-ups?view=all").await.1);
    let before = read().await;
    assert!(before.contains("Jenkins"), "the example's system: {before}");

    behind_its_back(&app, "UPDATE follow_ups SET owner = 'Zanele Okafor'").await;
    assert!(
        read().await.contains("Zanele Okafor"),
        "a follow-up's owner"
    );

    behind_its_back(
        &app,
        &format!("UPDATE incidents SET title = 'Logins failed for a minute' WHERE id = {incident}"),
    )
    .await;
    assert!(
        read().await.contains("Logins failed for a minute"),
        "an incident's title"
    );

    behind_its_back(&app, "UPDATE changes SET system = 'Deploy pipeline'").await;
    let after = read().await;
    assert!(after.contains("Deploy pipeline"), "a change's system");

    behind_its_back(&app, "DELETE FROM follow_ups").await;
    assert!(
        !read().await.contains("Zanele Okafor"),
        "deleted follow-ups are gone"
    );
}

#[tokio::test]
async fn writing_a_postmortems_text_leaves_the_kept_views_alone_and_a_team_or_a_parameter_moves_them()
 {
    let app = spawn().await;
    let incident = incident_of(&app.browser.load_example().await);
    let at_start = generation(&app).await;

    // An observation added to the timeline.
    entry_cost(&app, incident).await;
    behind_its_back(
        &app,
        &format!("UPDATE incidents SET summary_md = 'Shorter.', version = version + 1 WHERE id = {incident}"),
    )
    .await;
    assert_eq!(
        generation(&app).await,
        at_start,
        "an observation and the summary are not what the views read"
    );

    behind_its_back(&app, "UPDATE users SET team = 'Identity'").await;
    let after_team = generation(&app).await;
    assert!(
        after_team > at_start,
        "a user's team is read by the dashboard"
    );
    behind_its_back(&app, "UPDATE users SET team = 'Identity'").await;
    assert_eq!(
        generation(&app).await,
        after_team,
        "an update that changes nothing moves nothing"
    );
    behind_its_back(&app, "UPDATE change_parameters SET name = name").await;
    assert!(generation(&app).await > after_team, "a change's parameters");
}

#[tokio::test]
async fn the_changes_view_and_the_metrics_are_kept_until_what_they_read_changes() {
    let app = spawn().await;
    let incident = incident_of(&app.browser.load_example().await);
    app.publish(incident).await;
    // A viewer: an author's changes page also lists what integrations recorded, a few
    // statements that are not kept.
    let viewer = app.browser_as(Role::Viewer).await;
    for path in ["/changes", "/metrics"] {
        let (first, page) = cost_to(&app, &viewer, path).await;
        let (again, kept) = cost_to(&app, &viewer, path).await;
        assert_eq!(text_of(&page), text_of(&kept), "{path}: the same page");
        assert!(
            again <= 3 && again < first,
            "{path} read again: {again} statements (computed: {first})"
        );
    }
    behind_its_back(&app, "UPDATE changes SET system = 'Deploy pipeline'").await;
    assert!(
        text_of(&app.browser.page("/changes").await.1).contains("Deploy pipeline"),
        "a change's system"
    );
    behind_its_back(
        &app,
        &format!("UPDATE incidents SET title = 'Logins failed for a minute' WHERE id = {incident}"),
    )
    .await;
    assert!(
        text_of(&app.browser.page("/metrics").await.1).contains("Logins failed for a minute"),
        "an incident's title"
    );
}
