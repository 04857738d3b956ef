//! Corrections against the real server: while a published postmortem is corrected, viewers keep
//! reading what was published everywhere it shows — metrics, the follow-up dashboard and its
//! downloads, change insights, "my work", and the earlier incidents of a job on another
//! postmortem — while those who write postmortems read the correction as it is written.

use crate::common::{Browser, PASSWORD, TestApp, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::changes::{AddChange, ChangeForEdit, UpdateChange};
use app::api::dashboard::FollowUpDashboard;
use app::api::follow_ups::{AddFollowUp, FollowUpForEdit, UpdateFollowUp};
use app::api::incidents::{CreateIncident, GetPostmortem, IncidentForEdit, UpdateIncident};
use app::api::insights::ChangeOverview;
use app::api::metrics::IncidentMetrics;
use app::api::my_work::MyWork;
use app::api::review::StartCorrection;
use app::domain::account::Role;
use app::dto::dashboard::Dashboard;
use app::dto::insights::ChangesOverview;
use app::dto::metrics::MetricsView;
use app::dto::my_work::MyWorkView;
use app::dto::postmortem::PostmortemView;

const PUBLISHED_TITLE: &str = "Checkout stalled for shoppers";
const CORRECTED_TITLE: &str = "Zanzibar retitled checkout outage";
const PUBLISHED_SERVICE: &str = "Checkout";
const CORRECTED_SERVICE: &str = "Wombatpay";
const PUBLISHED_SYSTEM: &str = "Jenkins";
const CORRECTED_SYSTEM: &str = "Quokkaform";
const JOB: &str = "deploy-checkout";

/// Every string the correction introduces; none may reach a viewer.
const CORRECTED: [&str; 3] = [CORRECTED_TITLE, CORRECTED_SERVICE, CORRECTED_SYSTEM];

fn incident_fields(title: &str, service: &str, detected: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[title]", title.to_owned()),
        ("form[summary]", "Shoppers could not pay.".to_owned()),
        ("form[severity]", "sev2".to_owned()),
        ("form[services]", service.to_owned()),
        ("form[impact_started_at]", "2020-03-23T10:27".to_owned()),
        ("form[impact_started_precision]", "minute".to_owned()),
        ("form[detected_at]", detected.to_owned()),
        ("form[detected_precision]", "minute".to_owned()),
        ("zone", "UTC".to_owned()),
    ]
}

fn change_fields(system: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[summary]", "Ran the checkout deploy job".to_owned()),
        ("form[kind]", "job_run".to_owned()),
        ("form[system]", system.to_owned()),
        ("form[identifier]", JOB.to_owned()),
        ("form[relation]", "confirmed_trigger".to_owned()),
        ("zone", "UTC".to_owned()),
    ]
}

fn follow_up_fields(title: &str, owner_id: i64, change_id: i64) -> Vec<(&'static str, String)> {
    vec![
        ("form[title]", title.to_owned()),
        ("form[action_type]", "prevent".to_owned()),
        ("form[priority]", "p2".to_owned()),
        ("form[owner_id]", owner_id.to_string()),
        ("form[due]", "2030-01-31".to_owned()),
        ("form[change_id]", change_id.to_string()),
    ]
}

fn with(
    mut fields: Vec<(&'static str, String)>,
    more: &[(&'static str, String)],
) -> Vec<(&'static str, String)> {
    fields.extend_from_slice(more);
    fields
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A published incident with one change by `PUBLISHED_SYSTEM` running `JOB`; returns the ids
/// of the incident and the change.
async fn published_incident(app: &TestApp, title: &str) -> (i64, i64) {
    let incident: i64 = app
        .json(
            CreateIncident::PATH,
            &pairs(&incident_fields(
                title,
                PUBLISHED_SERVICE,
                "2020-03-23T10:37",
            )),
        )
        .await;
    let change: i64 = app
        .json(
            AddChange::PATH,
            &pairs(&with(
                change_fields(PUBLISHED_SYSTEM),
                &[("incident_id", incident.to_string())],
            )),
        )
        .await;
    (incident, change)
}

/// Everything a reader's pages show across incidents, as their server functions answer.
struct Seen {
    metrics: MetricsView,
    dashboard: Dashboard,
    changes: ChangesOverview,
    my_work: MyWorkView,
    /// The later postmortem, with the earlier incidents of its job.
    later: PostmortemView,
}

async fn seen(browser: &Browser, later: i64) -> Seen {
    Seen {
        metrics: browser.json(IncidentMetrics::PATH, &[]).await,
        dashboard: browser.json(FollowUpDashboard::PATH, &[]).await,
        changes: browser.json(ChangeOverview::PATH, &[]).await,
        my_work: browser.json(MyWork::PATH, &[]).await,
        later: browser
            .json(GetPostmortem::PATH, &[("id", &later.to_string())])
            .await,
    }
}

/// The pages and downloads a viewer reads across incidents, with their bodies.
async fn pages(browser: &Browser, later: i64) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for path in [
        "/metrics".to_owned(),
        "/follow-ups".to_owned(),
        "/changes".to_owned(),
        "/my-work".to_owned(),
        format!("/incidents/{later}"),
    ] {
        let (status, html) = browser.page(&path).await;
        assert_eq!(status, 200, "{path}");
        found.push((path, text_of(&html)));
    }
    for path in ["/follow-ups/export.csv", "/follow-ups/backlog.csv"] {
        let (status, _, body) = browser.download(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        found.push((path.to_owned(), body));
    }
    found
}

#[tokio::test]
async fn while_a_postmortem_is_corrected_viewers_see_it_as_published_everywhere_and_authors_see_the_correction()
 {
    let app = spawn().await;
    let viewer_id = app
        .add_user("vera@example.com", "Vera Viewer", Role::Viewer)
        .await;
    let viewer = Browser::new(&app.base);
    assert_eq!(viewer.log_in("vera@example.com", PASSWORD).await.0, 302);

    // An incident set off by the checkout deploy job, with a follow-up the viewer owns on it;
    // and a later one the same job set off.
    let (corrected, change) = published_incident_with_follow_up(&app, viewer_id).await;
    let (later, _) = published_incident(&app, "Checkout stalled again").await;
    app.publish(later).await;

    let before = seen(&viewer, later).await;
    let row = before
        .metrics
        .rows
        .iter()
        .find(|r| r.id == corrected)
        .expect("the viewer counts the published incident");
    assert_eq!(row.title, PUBLISHED_TITLE);
    assert!(
        before
            .dashboard
            .rows
            .iter()
            .any(|r| r.incident_title == PUBLISHED_TITLE
                && r.target
                    .as_deref()
                    .is_some_and(|t| t.contains(PUBLISHED_SYSTEM))),
        "{:?}",
        before.dashboard.rows
    );
    assert_eq!(before.my_work.follow_ups.len(), 1, "{:?}", before.my_work);
    assert_eq!(before.my_work.follow_ups[0].incident_title, PUBLISHED_TITLE);
    let earlier = &before.later.changes[0].earlier;
    assert_eq!(earlier.len(), 1, "{earlier:?}");
    assert_eq!(earlier[0].incident.title, PUBLISHED_TITLE);
    assert!(!before.changes.rows.is_empty());
    let pages_before = pages(&viewer, later).await;

    // The correction renames the incident, moves it to another service, detects it later, and
    // says another system ran the job.
    let id = corrected.to_string();
    let (status, body) = app.call(StartCorrection::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call(
            UpdateIncident::PATH,
            &pairs(&with(
                incident_fields(CORRECTED_TITLE, CORRECTED_SERVICE, "2020-03-23T11:57"),
                &[
                    ("id", id.clone()),
                    ("version", app.version(IncidentForEdit::PATH, &id).await),
                ],
            )),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call(
            UpdateChange::PATH,
            &pairs(&with(
                change_fields(CORRECTED_SYSTEM),
                &[
                    ("id", change.to_string()),
                    (
                        "version",
                        app.version(ChangeForEdit::PATH, &change.to_string()).await,
                    ),
                ],
            )),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The viewer sees exactly what they saw before the correction began.
    let after = seen(&viewer, later).await;
    assert_eq!(
        after.metrics, before.metrics,
        "metrics count it as published"
    );
    assert_eq!(after.dashboard, before.dashboard, "the follow-up dashboard");
    assert_eq!(after.changes, before.changes, "change insights");
    assert_eq!(after.my_work, before.my_work, "my work");
    assert_eq!(
        after.later, before.later,
        "the earlier incidents of the job"
    );
    for (path, body) in pages(&viewer, later).await {
        for corrected in CORRECTED {
            assert!(
                !body.contains(corrected),
                "{path} shows the viewer the correction's {corrected:?}: {body}"
            );
        }
        let (_, old) = pages_before
            .iter()
            .find(|(p, _)| *p == path)
            .expect("read before");
        if old.contains(PUBLISHED_TITLE) {
            assert!(
                body.contains(PUBLISHED_TITLE),
                "{path} still names it: {body}"
            );
        }
    }
    for path in [
        "/metrics",
        "/follow-ups",
        "/my-work",
        "/follow-ups/export.csv",
    ] {
        let (_, old) = pages_before
            .iter()
            .find(|(p, _)| *p == path)
            .expect("read before");
        assert!(
            old.contains(PUBLISHED_TITLE),
            "{path} names the incident: {old}"
        );
    }

    // Those who write postmortems read the correction as it is being written.
    let author = app.browser_as(Role::Author).await;
    for writer in [&app.browser, &author] {
        let now = seen(writer, later).await;
        let row = now
            .metrics
            .rows
            .iter()
            .find(|r| r.id == corrected)
            .expect("counted");
        assert_eq!(row.title, CORRECTED_TITLE);
        assert!(now.metrics.services.iter().any(|s| s == CORRECTED_SERVICE));
        assert_ne!(
            Some(row),
            before.metrics.rows.iter().find(|r| r.id == corrected)
        );
        assert!(
            now.dashboard
                .rows
                .iter()
                .any(|r| r.incident_title == CORRECTED_TITLE
                    && r.target
                        .as_deref()
                        .is_some_and(|t| t.contains(CORRECTED_SYSTEM))),
            "{:?}",
            now.dashboard.rows
        );
        assert!(now.dashboard.systems.iter().any(|s| s == CORRECTED_SYSTEM));
        assert!(
            now.later.changes[0].earlier.is_empty(),
            "the job ran on another system in the correction: {:?}",
            now.later.changes[0].earlier
        );
        for path in ["/changes", "/follow-ups/export.csv"] {
            let body = if path.ends_with(".csv") {
                writer.download(path).await.2
            } else {
                text_of(&writer.page(path).await.1)
            };
            assert!(body.contains(CORRECTED_SYSTEM), "{path}: {body}");
        }
    }
}

/// A published incident with a change and a follow-up on it owned by `owner`; returns the
/// ids of the incident and the change.
async fn published_incident_with_follow_up(app: &TestApp, owner: i64) -> (i64, i64) {
    let (incident, change) = published_incident(app, PUBLISHED_TITLE).await;
    let _: i64 = app
        .json(
            AddFollowUp::PATH,
            &pairs(&with(
                follow_up_fields("Add a canary to the checkout deploy", owner, change),
                &[
                    ("incident_id", incident.to_string()),
                    ("state", "committed".to_owned()),
                ],
            )),
        )
        .await;
    app.publish(incident).await;
    (incident, change)
}

#[tokio::test]
async fn a_follow_up_renamed_during_a_correction_reads_the_same_to_a_viewer_on_the_postmortem_and_the_dashboard()
 {
    let app = spawn().await;
    let viewer_id = app
        .add_user("vera@example.com", "Vera Viewer", Role::Viewer)
        .await;
    let viewer = Browser::new(&app.base);
    assert_eq!(viewer.log_in("vera@example.com", PASSWORD).await.0, 302);
    let (incident, change) = published_incident_with_follow_up(&app, viewer_id).await;
    let id = incident.to_string();
    assert_eq!(app.call(StartCorrection::PATH, &[("id", &id)]).await.0, 200);
    let page: PostmortemView = app.json(GetPostmortem::PATH, &[("id", &id)]).await;
    let follow_up = page.follow_ups[0].id;
    let (status, body) = app
        .call(
            UpdateFollowUp::PATH,
            &pairs(&with(
                follow_up_fields("Gate the checkout deploy on a canary", viewer_id, change),
                &[
                    ("id", follow_up.to_string()),
                    (
                        "version",
                        app.version(FollowUpForEdit::PATH, &follow_up.to_string())
                            .await,
                    ),
                ],
            )),
        )
        .await;
    assert_eq!(status, 200, "follow-ups stay open to change: {body}");

    // Follow-ups live on after publishing and are not frozen; whatever a viewer reads of one,
    // every page shows them the same, under the postmortem's published title.
    let page: PostmortemView = viewer.json(GetPostmortem::PATH, &[("id", &id)]).await;
    let dashboard: Dashboard = viewer.json(FollowUpDashboard::PATH, &[]).await;
    let my_work: MyWorkView = viewer.json(MyWork::PATH, &[]).await;
    for (row, place) in [
        (&dashboard.rows[0], "the dashboard"),
        (&my_work.follow_ups[0], "my work"),
    ] {
        assert_eq!(row.title, page.follow_ups[0].title, "{place}");
        assert_eq!(row.target, page.follow_ups[0].target, "{place}");
        assert_eq!(row.incident_title, PUBLISHED_TITLE, "{place}");
    }
}
