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
    let db = app.db.clone();
    let left = crate::common::on_server(async move {
        use sea_orm::ConnectionTrait;
        db.query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM search_index WHERE incident_id = {second}"),
        ))
        .await
        .expect("counted")
        .expect("a row")
        .try_get::<i64>("", "n")
        .expect("a count")
    })
    .await;
    assert_eq!(left, 0, "none of its documents is left in the index");

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

/// The href of the one hit of `q` (it fails unless there is exactly one).
async fn only_hit(app: &crate::common::TestApp, q: &str) -> String {
    let results = find(app, q).await;
    assert_eq!(results.hits.len(), 1, "{q}: {results:?}");
    results.hits[0].href.clone()
}

#[tokio::test]
async fn an_added_edited_or_deleted_part_is_found_by_its_new_words_only_as_a_whole_reindex_finds_it()
 {
    use app::api::changes::{AddParameter, DeleteParameter, UpdateParameter};
    use app::api::timeline::{DeleteTimelineEntry, TimelineEntryForEdit, UpdateTimelineEntry};

    let app = spawn().await;
    let id = incident_of(&app.load_example().await);
    let incident = id.to_string();
    let entry = |body: &'static str| {
        vec![
            ("form[at]", "2020-03-23T10:41"),
            ("form[precision]", "minute"),
            ("form[kind]", "observation"),
            ("form[actor]", "on-call engineer"),
            ("form[body]", body),
            ("zone", "UTC"),
        ]
    };

    // Added: found by its words.
    let mut fields = entry("The numbat queue drained.");
    fields.push(("incident_id", &incident));
    let added: i64 = app.json(AddTimelineEntry::PATH, &fields).await;
    let anchor = format!("#entry-{added}");
    assert!(only_hit(&app, "numbat").await.ends_with(&anchor));

    // Edited: found by the new words, not the old.
    let added = added.to_string();
    let version = app.version(TimelineEntryForEdit::PATH, &added).await;
    let mut fields = entry("The platypus queue drained.");
    fields.extend([("id", added.as_str()), ("version", version.as_str())]);
    let (status, body) = app.call(UpdateTimelineEntry::PATH, &fields).await;
    assert_eq!(status, 200, "{body}");
    assert!(only_hit(&app, "platypus").await.ends_with(&anchor));
    assert!(find(&app, "numbat").await.hits.is_empty(), "the old words");

    // A parameter added and edited is found on its change; deleted, it is gone from it.
    let db = app.db.clone();
    let change = crate::common::on_server(async move {
        app::server::repo::changes::list_for(&db, id)
            .await
            .expect("the example's changes")[0]
            .id
    })
    .await
    .to_string();
    let parameter: i64 = app
        .json(
            AddParameter::PATH,
            &[
                ("change_id", change.as_str()),
                ("form[name]", "wombat"),
                ("form[value]", "7"),
                ("form[is_default]", ""),
            ],
        )
        .await;
    assert!(
        only_hit(&app, "wombat")
            .await
            .ends_with(&format!("#change-{change}")),
        "the parameter is found on its change"
    );
    let parameter = parameter.to_string();
    let version = "1"; // A parameter starts at version 1.
    let (status, body) = app
        .call(
            UpdateParameter::PATH,
            &[
                ("id", parameter.as_str()),
                ("version", version),
                ("form[name]", "echidna"),
                ("form[value]", "8"),
                ("form[is_default]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(find(&app, "wombat").await.hits.is_empty());
    only_hit(&app, "echidna").await;
    let (status, body) = app
        .call(DeleteParameter::PATH, &[("id", parameter.as_str())])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(find(&app, "echidna").await.hits.is_empty());

    // Deleted: no longer found.
    let (status, body) = app
        .call(DeleteTimelineEntry::PATH, &[("id", added.as_str())])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(find(&app, "platypus").await.hits.is_empty());

    // What each write left in the index is what a whole reindex makes of the postmortem.
    let words = [
        "concurrency",
        "login",
        "rollback",
        "jenkins",
        "canary",
        "restart",
    ];
    let mut incremental = Vec::new();
    for q in words {
        incremental.push(find(&app, q).await);
    }
    let db = app.db.clone();
    crate::common::on_server(async move {
        app::server::repo::search::reindex(&db, id)
            .await
            .expect("reindexed");
    })
    .await;
    assert!(
        incremental.iter().filter(|r| !r.hits.is_empty()).count() >= 2,
        "the words find the example: {incremental:?}"
    );
    for (q, before) in words.into_iter().zip(incremental) {
        assert_eq!(find(&app, q).await, before, "{q}");
    }
}

#[tokio::test]
async fn a_writer_gets_a_full_page_of_matches_and_a_viewer_finds_the_published_one_below_many_drafts()
 {
    use app::domain::incident::{IncidentStatus, NewIncident, Severity};
    use app::server::repo::{incidents, published, search};
    let app = spawn().await;
    let db = app.db.clone();
    let published_id = crate::common::on_server(async move {
        let write = async |title: &str, summary: &str| {
            let new = NewIncident {
                title: title.to_owned(),
                summary_md: summary.to_owned(),
                severity: Severity::Sev3,
                status: IncidentStatus::Draft,
                services: vec!["Edge".into()],
                milestones: Default::default(),
            };
            let id = incidents::create(&db, &new).await.expect("created");
            search::reindex(&db, id).await.expect("indexed");
            id
        };
        // Indexed first and mentioning the word once: ranked below every draft.
        let id = write("Quiet outage", "A zebra crossing sign fell.").await;
        let txn = app::server::db::begin_write(&db).await.expect("a write");
        incidents::set_review(&txn, id, IncidentStatus::Published, 1)
            .await
            .expect("published");
        published::keep(&txn, id).await.expect("kept");
        txn.commit().await.expect("committed");
        for n in 0..60 {
            write(&format!("Zebra draft {n}"), "Zebra zebra zebra zebra.").await;
        }
        id
    })
    .await;
    let shown = app::dto::search::MAX_RESULTS;
    assert_eq!(find(&app.browser, "zebra").await.hits.len(), shown);
    let viewer = app.browser_as(Role::Viewer).await;
    let hits = find(&viewer, "zebra").await.hits;
    assert_eq!(
        hits.iter().map(|h| h.incident_id).collect::<Vec<_>>(),
        [published_id],
        "{hits:?}"
    );
}
