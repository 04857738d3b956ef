//! What a page costs the database does not grow with the database: each read path runs the
//! same number of SQL statements whether Debrief holds 10 postmortems or 1,000 (no query per
//! row), binds a bounded number of values (no `IN` list of every row), and a list shows one
//! page of rows. Counted through the hook on the server's connection (`StatementCount`).

use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::server::db::Counted;

use crate::common::{Browser, TestApp, on_server, spawn};

/// The incident list's page size.
const PAGE: usize = 50;

/// The most values a page may bind, whatever the data holds: a page of ids and a few filters,
/// or search's bounded set of candidates; half what an `IN` list of every incident would bind
/// at 1,000.
const MAX_VALUES: u64 = 500;

/// Adds `n` copies of the worked example in one transaction, every one sharing its change's
/// system with all the others: two of three published (and the newest), and with `correcting` the second of
/// them under correction (published, then back to a draft of revision 2), each indexed for
/// search. Returns the newest incident's id.
async fn seed(app: &TestApp, n: usize, correcting: bool) -> i64 {
    use app::server::repo::{example, incidents, published, search};
    let db = app.db.clone();
    on_server(async move {
        let txn = app::server::db::begin_write(&db).await.expect("a write");
        let mut last = 0;
        for i in 0..n {
            last = example::load_in(&txn).await.expect("the example loads");
            if i % 3 != 0 || i + 1 == n {
                incidents::set_review(&txn, last, IncidentStatus::Published, 1)
                    .await
                    .expect("published");
                published::keep(&txn, last).await.expect("kept");
                if correcting && i == 1 {
                    incidents::set_review(&txn, last, IncidentStatus::Draft, 2)
                        .await
                        .expect("under correction");
                }
            }
            search::reindex(&txn, last).await.expect("indexed");
        }
        txn.commit().await.expect("committed");
        last
    })
    .await
}

/// The pages and downloads whose cost must not grow, for a postmortem `latest`.
fn paths(latest: i64) -> Vec<String> {
    vec![
        "/".to_owned(),
        "/?status=published&severity=sev1".to_owned(),
        format!("/incidents/{latest}"),
        "/follow-ups".to_owned(),
        "/follow-ups?view=all&system=jenkins".to_owned(),
        "/follow-ups/export.csv".to_owned(),
        "/changes".to_owned(),
        "/metrics".to_owned(),
        "/search?q=concurrency".to_owned(),
    ]
}

/// What each path cost `browser` (statements and bound values), with what it answered.
async fn costs(app: &TestApp, browser: &Browser, latest: i64) -> Vec<(String, Counted, String)> {
    let mut costs = Vec::new();
    for path in paths(latest) {
        let before = app.statements.now();
        let (status, body) = browser.page(&path).await;
        let cost = app.statements.now() - before;
        assert_eq!(status, 200, "{path}: {body}");
        costs.push((path, cost, body));
    }
    costs
}

fn incident_cards(html: &str) -> usize {
    html.matches("class=\"incident-card\"").count()
}

#[tokio::test]
async fn every_read_path_runs_the_same_statements_for_10_and_for_1000_postmortems() {
    let app = spawn().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let latest = seed(&app, 10, true).await;
    let mut small = costs(&app, &app.browser, latest).await;
    small.extend(costs(&app, &viewer, latest).await);
    let latest = seed(&app, 990, false).await;
    let mut large = costs(&app, &app.browser, latest).await;
    large.extend(costs(&app, &viewer, latest).await);

    let grown: Vec<String> = small
        .iter()
        .zip(&large)
        .filter(|((_, at_10, _), (_, at_1000, _))| {
            at_10.statements != at_1000.statements || at_1000.values > MAX_VALUES
        })
        .map(|((path, at_10, _), (_, at_1000, _))| {
            format!(
                "{path}: {} statements with {} values at 10, {} with {} at 1,000",
                at_10.statements, at_10.values, at_1000.statements, at_1000.values
            )
        })
        .collect();
    assert!(
        grown.is_empty(),
        "grew with the data (at most {MAX_VALUES} values):\n{}",
        grown.join("\n")
    );
    for (path, cost, _) in &large {
        assert!(
            cost.statements <= 25,
            "{path} runs a small number of statements: {cost:?}"
        );
    }
}

#[tokio::test]
async fn the_incident_list_shows_one_page_at_a_time_with_a_link_to_the_next() {
    let app = spawn().await;
    seed(&app, 2 * PAGE + 5, false).await;
    let (_, first) = app.page("/?severity=sev1").await;
    assert_eq!(incident_cards(&first), PAGE, "a full first page");
    let next = first
        .split("href=\"")
        .skip(1)
        .filter_map(|chunk| chunk.split('"').next())
        .find(|href| href.contains("page=2"))
        .unwrap_or_else(|| panic!("a link to the second page"))
        .replace("&amp;", "&");
    assert!(
        next.contains("severity=sev1"),
        "the link keeps the filter: {next}"
    );
    let (_, second) = app.page(&next).await;
    assert_eq!(incident_cards(&second), PAGE, "a full second page");
    let (_, third) = app.page(&next.replace("page=2", "page=3")).await;
    assert_eq!(incident_cards(&third), 5, "the rest");
    assert!(!third.contains("page=4"), "no link past the end");
    let ids = |html: &str| -> Vec<String> {
        html.split("class=\"card-title\" href=\"/incidents/")
            .skip(1)
            .filter_map(|c| c.split('"').next().map(str::to_owned))
            .collect()
    };
    let mut all: Vec<String> = [ids(&first), ids(&second), ids(&third)].concat();
    let shown = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), shown, "no incident on two pages");
}
