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
/// system with all the others: two of three published, and the oldest and the newest published
/// and then under correction (back to a draft of revision 2, read as published by viewers, its
/// summary the best match for "concurrency"), each indexed for search. Returns the newest incident's id.
async fn seed(app: &TestApp, n: usize) -> i64 {
    use app::server::repo::{example, incidents, published, search};
    let db = app.db.clone();
    on_server(async move {
        let txn = app::server::db::begin_write(&db).await.expect("a write");
        let mut last = 0;
        for i in 0..n {
            last = example::load_in(&txn).await.expect("the example loads");
            let correcting = i == 0 || i + 1 == n;
            if i % 3 != 0 || correcting {
                incidents::set_review(&txn, last, IncidentStatus::Published, 1)
                    .await
                    .expect("published");
                published::keep(&txn, last).await.expect("kept");
            }
            if correcting {
                incidents::set_review(&txn, last, IncidentStatus::Draft, 2)
                    .await
                    .expect("under correction");
                // The best match for "concurrency" whatever else matches (search ranks only the
                // most recently indexed matches, and among equals the older first): a viewer's
                // search finds it and reads its published version at any size.
                use sea_orm::ConnectionTrait;
                txn.execute_unprepared(&format!(
                    "UPDATE incidents SET title = 'Concurrency', summary_md = 'Concurrency, \
                     concurrency.', services = '' WHERE id = {last}"
                ))
                .await
                .expect("summarised");
            }
            search::reindex(&txn, last).await.expect("indexed");
        }
        txn.commit().await.expect("committed");
        last
    })
    .await
}

/// The pages that read only the rows they show, for a postmortem `latest`.
fn paged(latest: i64) -> Vec<String> {
    vec![
        "/".to_owned(),
        "/?status=published&severity=sev1".to_owned(),
        format!("/incidents/{latest}"),
        "/search?q=concurrency".to_owned(),
    ]
}

/// The pages that count, group and chart what the reader may read (the dashboard, its
/// download, changes, metrics), and the reader's own pages (my work, the library, a
/// postmortem's history): their counts and groupings are asked of the database.
fn aggregated(latest: i64) -> Vec<String> {
    vec![
        "/follow-ups".to_owned(),
        "/follow-ups?view=all&system=jenkins".to_owned(),
        "/follow-ups/export.csv".to_owned(),
        "/changes".to_owned(),
        "/metrics".to_owned(),
        "/my-work".to_owned(),
        "/library".to_owned(),
        format!("/incidents/{latest}/history"),
    ]
}

/// The count once the server has stopped running statements: a page's response can be
/// complete while work it started (a resource no view waited for) still runs.
pub(crate) async fn settled(app: &TestApp) -> Counted {
    let mut last = app.statements.now();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let now = app.statements.now();
        if now == last {
            return now;
        }
        last = now;
    }
}

/// What each path cost `browser` (statements and bound values).
async fn costs(app: &TestApp, browser: &Browser, paths: &[String]) -> Vec<(String, Counted)> {
    let mut costs = Vec::new();
    for path in paths {
        let before = settled(app).await;
        let (status, body) = browser.page(path).await;
        let cost = settled(app).await - before;
        // A viewer may not read how a postmortem was written: refusing them costs the same too.
        let refused = status == 403 && path.ends_with("/history");
        assert!(status == 200 || refused, "{path}: {status} {body}");
        costs.push((path.clone(), cost));
    }
    costs
}

/// The most statements one page may cost. 25 until the postmortem page gained its contributing
/// factors (with their recurrences), related incidents, review group and template (with its
/// field values): each read in one statement, whatever the number of postmortems.
const MAX_STATEMENTS: u64 = 30;

/// Seeds 10 postmortems and then 1,000, reads `paths` as an admin and as a viewer each time,
/// and fails naming every path whose statements changed or whose values passed the bound.
async fn assert_costs_do_not_grow(paths: fn(i64) -> Vec<String>) {
    let app = spawn().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let mut measured = Vec::new();
    for n in [10, 990] {
        let latest = seed(&app, n).await;
        let mut all = costs(&app, &app.browser, &paths(latest)).await;
        all.extend(costs(&app, &viewer, &paths(latest)).await);
        measured.push(all);
    }
    // Shown with --nocapture, and with a failure.
    for ((path, at_10), (_, at_1000)) in measured[0].iter().zip(&measured[1]) {
        eprintln!(
            "{path}: {} statements, {} values at 10; {} statements, {} values at 1,000",
            at_10.statements, at_10.values, at_1000.statements, at_1000.values
        );
    }
    let grown: Vec<String> = measured[0]
        .iter()
        .zip(&measured[1])
        .filter(|((_, at_10), (_, at_1000))| {
            at_10.statements != at_1000.statements
                || at_1000.values > MAX_VALUES
                || at_1000.statements > MAX_STATEMENTS
        })
        .map(|((path, at_10), (_, at_1000))| {
            format!(
                "{path}: {} statements with {} values at 10, {} with {} at 1,000",
                at_10.statements, at_10.values, at_1000.statements, at_1000.values
            )
        })
        .collect();
    assert!(
        grown.is_empty(),
        "grew with the data (at most {MAX_STATEMENTS} statements and {MAX_VALUES} values):\n{}",
        grown.join("\n")
    );
}

#[tokio::test]
async fn the_list_the_postmortem_page_and_search_cost_the_same_for_10_and_for_1000_postmortems() {
    assert_costs_do_not_grow(paged).await;
}

#[tokio::test]
async fn the_dashboard_changes_and_metrics_cost_the_same_for_10_and_for_1000_postmortems() {
    assert_costs_do_not_grow(aggregated).await;
}

fn incident_cards(html: &str) -> usize {
    html.matches("class=\"incident-card\"").count()
}

#[tokio::test]
async fn the_incident_list_shows_one_page_at_a_time_with_a_link_to_the_next() {
    let app = spawn().await;
    seed(&app, 2 * PAGE + 5).await;
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

#[tokio::test]
async fn the_dashboard_shows_one_page_of_follow_ups_at_a_time_and_its_download_every_one() {
    let app = spawn().await;
    seed(&app, 30).await;
    let (_, csv) = app.page("/follow-ups/export.csv?view=all").await;
    let in_csv = csv.lines().count() - 1;
    assert!(in_csv > PAGE, "more follow-ups than a page: {in_csv}");

    let cards = |html: &str| html.matches(" id=\"follow-up-").count();
    let next_of = |html: &str| {
        html.split("<a rel=\"next\" href=\"")
            .nth(1)
            .and_then(|chunk| chunk.split('"').next())
            .map(|href| href.replace("&amp;", "&"))
    };
    let (status, first) = app.page("/follow-ups?view=all").await;
    assert_eq!(status, 200);
    assert_eq!(cards(&first), PAGE, "a full first page");
    let mut shown = cards(&first);
    let mut next = next_of(&first);
    let mut pages = 1;
    while let Some(href) = next {
        assert!(href.contains("view=all"), "the link keeps the view: {href}");
        let (_, page) = app.page(&href).await;
        assert!(cards(&page) <= PAGE);
        shown += cards(&page);
        next = next_of(&page);
        pages += 1;
        assert!(pages <= in_csv, "the pages end");
    }
    assert_eq!(
        shown, in_csv,
        "the pages together show what the download holds"
    );
    assert_eq!(pages, in_csv.div_ceil(PAGE));
}

/// The `href` of the link marked `rel` ("next", "prev") on a page, as a browser follows it.
fn link(html: &str, rel: &str) -> Option<String> {
    html.split(&format!("<a rel=\"{rel}\" href=\""))
        .nth(1)
        .and_then(|chunk| chunk.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
}

#[tokio::test]
async fn the_library_shows_one_page_of_lessons_at_a_time_with_links_that_keep_the_kind() {
    let app = spawn().await;
    // Two of three published: more lessons of one kind than a page holds.
    seed(&app, 90).await;
    let lessons = |html: &str| html.matches(" id=\"lesson-").count();
    let (status, first) = app.page("/library?kind=went_wrong").await;
    assert_eq!(status, 200);
    assert_eq!(lessons(&first), PAGE, "a full first page");
    let next = link(&first, "next").unwrap_or_else(|| panic!("a link to the next page"));
    assert!(
        next.contains("kind=went_wrong") && next.contains("page=2"),
        "the link keeps the kind: {next}"
    );
    let (_, second) = app.page(&next).await;
    let anchors = |html: &str| -> Vec<String> {
        html.split(" id=\"lesson-")
            .skip(1)
            .filter_map(|c| c.split('"').next().map(str::to_owned))
            .collect()
    };
    let (on_first, on_second) = (anchors(&first), anchors(&second));
    assert!(!on_second.is_empty(), "the rest are on the second page");
    assert!(on_second.iter().all(|a| a.ends_with("went_wrong")));
    assert!(
        on_second.iter().all(|a| !on_first.contains(a)),
        "no lesson on two pages"
    );
    assert!(link(&second, "prev").is_some_and(|href| href.contains("kind=went_wrong")));
}

#[tokio::test]
async fn a_history_shows_one_page_of_changes_at_a_time_newest_first() {
    use app::domain::history::{Action, HistoryEntry, Part};
    let app = spawn().await;
    let id = seed(&app, 1).await;
    let db = app.db.clone();
    on_server(async move {
        for n in 0..(PAGE + 7) {
            app::server::repo::history::record(
                &db,
                &HistoryEntry {
                    id: 0,
                    incident_id: id,
                    user_id: None,
                    user_name: "Ada".to_owned(),
                    at: chrono::Utc::now(),
                    part: Part::Incident,
                    part_id: id,
                    action: Action::Updated,
                    summary: format!("change number {n}."),
                    before: None,
                    after: None,
                },
            )
            .await
            .expect("recorded");
        }
    })
    .await;
    let entries = |html: &str| html.matches("class=\"history-entry\"").count();
    let (status, first) = app.page(&format!("/incidents/{id}/history")).await;
    assert_eq!(status, 200);
    assert_eq!(entries(&first), PAGE, "a full first page");
    assert!(
        first.contains(&format!("change number {}.", PAGE + 6)),
        "newest first"
    );
    let next = link(&first, "next").unwrap_or_else(|| panic!("a link to the next page"));
    let (_, second) = app.page(&next).await;
    assert_eq!(entries(&second), 7, "the rest");
    assert!(second.contains("change number 0."));
    assert!(!second.contains(&format!("change number {}.", PAGE + 6)));
    assert!(link(&second, "next").is_none(), "no link past the end");
}

#[tokio::test]
async fn the_metrics_table_shows_one_page_of_incidents_with_links_that_keep_the_filter_and_figures_that_count_them_all()
 {
    use app::api::metrics::IncidentMetrics;
    use app::dto::metrics::MetricsView;
    use leptos::server_fn::ServerFn;
    let app = spawn().await;
    seed(&app, PAGE + 12).await;
    let rows = |html: &str| {
        html.matches("<th scope=\"row\"><a href=\"/incidents/")
            .count()
    };
    let (status, first) = app.page("/metrics?severity=sev1").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), PAGE, "a full first page");
    let next = link(&first, "next").unwrap_or_else(|| panic!("a link to the next page"));
    assert_eq!(
        next, "/metrics?severity=sev1&page=2",
        "the link keeps the filter"
    );
    let (_, second) = app.page(&next).await;
    assert_eq!(rows(&second), 12, "the rest");
    assert!(link(&second, "next").is_none(), "no link past the end");
    let paged: MetricsView = app
        .json(
            IncidentMetrics::PATH,
            &[("severity", "sev1"), ("page", "2")],
        )
        .await;
    let whole: MetricsView = app
        .json(IncidentMetrics::PATH, &[("severity", "sev1")])
        .await;
    assert_eq!(
        paged.report, whole.report,
        "the figures count every incident"
    );
    assert_eq!(paged.rows.len(), 12);
}

/// What adding one timeline entry to `incident` through its server function costs.
pub(crate) async fn entry_cost(app: &TestApp, incident: i64) -> Counted {
    use app::api::timeline::AddTimelineEntry;
    use leptos::server_fn::ServerFn;
    let before = settled(app).await;
    let (status, body) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &incident.to_string()),
                ("form[at]", "2020-03-23T10:40"),
                ("form[precision]", "minute"),
                ("form[kind]", "observation"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", "Saw the error rate drop after the rollback."),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    settled(app).await - before
}

/// Gives the postmortem `incident` `n` more timeline entries (copies of its first), indexed.
async fn lengthen(app: &TestApp, incident: i64, n: usize) -> usize {
    use app::server::repo::{search, timeline};
    let db = app.db.clone();
    on_server(async move {
        let txn = app::server::db::begin_write(&db).await.expect("a write");
        let first = timeline::list_for(&txn, incident).await.expect("listed")[0]
            .entry
            .clone();
        for _ in 0..n {
            timeline::add(&txn, incident, &first).await.expect("added");
        }
        search::reindex(&txn, incident).await.expect("indexed");
        txn.commit().await.expect("committed");
        timeline::list_for(&db, incident)
            .await
            .expect("listed")
            .len()
    })
    .await
}

#[tokio::test]
async fn adding_a_timeline_entry_costs_the_same_to_a_short_postmortem_as_to_one_of_50_entries() {
    use crate::common::incident_of;
    let app = spawn().await;
    let short = incident_of(&app.load_example().await);
    let long = incident_of(&app.load_example().await);
    let entries = lengthen(&app, long, 0).await;
    assert!(entries >= 5, "the example has {entries} entries");
    assert_eq!(lengthen(&app, long, 50 - entries).await, 50);

    let to_short = entry_cost(&app, short).await;
    let to_long = entry_cost(&app, long).await;
    eprintln!("adding an entry: {to_short:?} to {entries} entries, {to_long:?} to 50");
    assert_eq!(
        to_short, to_long,
        "a write re-indexes the entry it adds, not the whole postmortem"
    );
    assert!(to_long.statements <= 16, "{to_long:?}");
}

#[tokio::test]
async fn the_dashboards_incident_filter_offers_the_most_recent_incidents_and_the_one_chosen() {
    use app::api::dashboard::FollowUpDashboard;
    use app::dto::dashboard::{Dashboard, INCIDENT_CHOICES};
    use leptos::server_fn::ServerFn;
    let app = spawn().await;
    let n = INCIDENT_CHOICES as usize + 5;
    let newest = seed(&app, n).await;
    // Each worked example is two incidents, its earlier attempt written first: the oldest
    // login outage is 2 (n - 1) below the newest.
    let oldest = newest - 2 * (n as i64 - 1);
    let all: Dashboard = app.json(FollowUpDashboard::PATH, &[("view", "all")]).await;
    assert_eq!(all.incidents.len(), INCIDENT_CHOICES as usize);
    assert_eq!(all.incidents[0].0, newest, "newest first");
    assert!(!all.incidents.iter().any(|(id, _)| *id == oldest));

    // Filtered by an older one, the choice shows it, and its rows carry its title.
    let one: Dashboard = app
        .json(
            FollowUpDashboard::PATH,
            &[("view", "all"), ("incident", &oldest.to_string())],
        )
        .await;
    let chosen = one.incidents.iter().find(|(id, _)| *id == oldest);
    assert!(
        chosen.is_some_and(|(_, title)| !title.is_empty()),
        "{:?}",
        one.incidents
    );
    assert!(!one.rows.is_empty());
    assert!(
        one.rows
            .iter()
            .all(|r| r.incident_id == oldest && !r.incident_title.is_empty())
    );
}
