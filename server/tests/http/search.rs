//! Search against the real server (on SQLite with FTS5, and on Postgres in the PostgreSQL leg):
//! ranked, highlighted, kept in step with every edit, and only over what the reader may read.

use crate::common::{incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::follow_ups::AddFollowUp;
use app::api::incidents::DeleteIncident;
use app::api::search::Search;
use app::api::timeline::AddTimelineEntry;
use app::domain::account::Role;
use app::domain::search::DocumentKind;
use app::dto::search::SearchResults;

async fn find(browser: &crate::common::Browser, q: &str) -> SearchResults {
    browser.json(Search::PATH, &[("q", q)]).await
}

async fn add_entry(app: &crate::common::TestApp, incident: i64, body: &str) {
    let (status, text) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &incident.to_string()),
                ("form[at]", "2020-03-23T10:40"),
                ("form[precision]", "minute"),
                ("form[kind]", "observation"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", body),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn results_are_ranked_highlighted_and_follow_every_edit() {
    let app = spawn().await;
    let first = incident_of(&app.load_example().await);
    let second = incident_of(&app.load_example().await);

    // The example is indexed as it is loaded: its changed parameter, by a word's start.
    let results = find(&app, "concurr").await;
    assert!(
        results.hits.iter().any(|h| h.kind == DocumentKind::Change),
        "{results:?}"
    );
    let matched: Vec<&str> = results.hits[0]
        .snippet
        .iter()
        .chain(results.hits[0].title.iter())
        .filter(|(_, m)| *m)
        .map(|(t, _)| t.as_str())
        .collect();
    assert!(
        matched
            .iter()
            .any(|t| t.to_lowercase().starts_with("concurr")),
        "{matched:?}"
    );

    // A title match outranks a passing mention.
    add_entry(
        &app,
        first,
        "Someone suggested a canary, in passing, among many other ideas for later.",
    )
    .await;
    let _: i64 = app
        .json(
            AddFollowUp::PATH,
            &[
                ("incident_id", &second.to_string()),
                ("state", "proposed"),
                (
                    "form[title]",
                    "Canary stage before every fleet-wide restart",
                ),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[owner_id]", "none"),
            ],
        )
        .await;
    let canary = find(&app, "canary").await;
    assert_eq!(canary.hits.len(), 2, "{canary:?}");
    assert_eq!(
        canary.hits[0].kind,
        DocumentKind::FollowUp,
        "the title match first"
    );
    assert_eq!(canary.hits[0].incident_id, second);
    assert!(
        canary.hits[0]
            .href
            .starts_with(&format!("/incidents/{second}#follow-up-"))
    );
    assert_eq!(canary.hits[1].kind, DocumentKind::Timeline);

    let (_, html) = app.page("/search?q=canary").await;
    assert!(
        html.contains("<mark>Canary</mark>"),
        "highlighted on the page"
    );
    assert!(text_of(&html).contains("2 results for “canary”"));

    // Deleting a postmortem takes it out of the index.
    let (status, body) = app
        .call(DeleteIncident::PATH, &[("id", &second.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(find(&app, "canary").await.hits.len(), 1);

    // Words that are operators elsewhere are only words here.
    for q in ["\"", "NEAR(", "a OR", "*", ""] {
        let results = find(&app, q).await;
        assert!(results.hits.len() <= 50, "{q}");
    }
}

#[tokio::test]
async fn a_viewer_finds_only_published_postmortems() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    add_entry(
        &app,
        incident,
        "The zebrafish dashboard stayed green throughout.",
    )
    .await;
    let viewer = app.browser_as(Role::Viewer).await;
    assert!(
        find(&viewer, "zebrafish").await.hits.is_empty(),
        "a draft is not found"
    );
    assert_eq!(
        find(&app, "zebrafish").await.hits.len(),
        1,
        "an author finds it"
    );
    app.publish(incident).await;
    assert_eq!(find(&viewer, "zebrafish").await.hits.len(), 1);
}
