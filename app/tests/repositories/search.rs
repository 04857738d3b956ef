//! The search index: what `reindex` puts in and takes out, how a query matches (every word,
//! the last as a prefix, matches marked, title matches first), and that the index is built for
//! postmortems written before it existed.

use super::*;
use app::domain::history::Part;
use app::domain::search::{DocumentKind, MATCH_END, MATCH_START};
use app::server::repo::search::{self, Hit};

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

fn marked(word: &str) -> String {
    format!("{MATCH_START}{word}{MATCH_END}")
}

async fn written(db: &DatabaseConnection, title: &str, summary: &str) -> i64 {
    let new = NewIncident {
        summary_md: summary.to_owned(),
        services: vec!["Edge".into()],
        ..incident(title, Severity::Sev2, IncidentStatus::Draft)
    };
    incidents::create(db, &new).await.expect("created")
}

async fn hits(db: &DatabaseConnection, text: &str) -> Vec<Hit> {
    search::query(db, &words(text), 20, search::CANDIDATES)
        .await
        .expect("searched")
}

fn found(hits: &[Hit]) -> Vec<(i64, DocumentKind, &str)> {
    let mut found: Vec<_> = hits
        .iter()
        .map(|h| (h.incident_id, h.kind, h.anchor.as_str()))
        .collect();
    found.sort_by_key(|(id, kind, anchor)| (*id, kind.as_str(), anchor.to_string()));
    found
}

#[tokio::test]
async fn a_reindexed_postmortem_is_found_by_its_title_and_its_timeline_with_matches_marked() {
    let t = fresh_db().await;
    let login = written(&t.db, "Login outage", "Sessions were dropped.").await;
    let entry_id = timeline::add(
        &t.db,
        login,
        &entry(
            at(utc(1, 9, 5, 0), Precision::Minute, 0),
            "Rolled back the login service",
        ),
    )
    .await
    .expect("entry added");
    let other = written(&t.db, "Disk full", "The volume filled up.").await;
    assert!(hits(&t.db, "login").await.is_empty(), "not indexed yet");

    search::reindex(&t.db, login).await.expect("indexed");
    search::reindex(&t.db, other).await.expect("indexed");

    let results = hits(&t.db, "login").await;
    let anchor = format!("entry-{entry_id}");
    assert_eq!(
        found(&results),
        [
            (login, DocumentKind::Incident, ""),
            (login, DocumentKind::Timeline, anchor.as_str())
        ]
    );
    assert_eq!(
        results[0].kind,
        DocumentKind::Incident,
        "a title match ranks first"
    );
    assert_eq!(results[0].title, format!("{} outage", marked("Login")));
    assert!(
        results[1].snippet.contains(&marked("login")),
        "the snippet marks the match: {:?}",
        results[1].snippet
    );
    assert_eq!(
        found(&hits(&t.db, "volume").await),
        [(other, DocumentKind::Incident, "")]
    );
}

#[tokio::test]
async fn every_word_must_match_and_the_last_also_as_a_prefix() {
    let t = fresh_db().await;
    let login = written(&t.db, "Login outage", "Sessions were dropped.").await;
    let disk = written(
        &t.db,
        "Disk full",
        "Login was slow while the volume filled.",
    )
    .await;
    search::reindex(&t.db, login).await.expect("indexed");
    search::reindex(&t.db, disk).await.expect("indexed");

    let ids = |hits: Vec<Hit>| {
        let mut ids: Vec<i64> = hits.into_iter().map(|h| h.incident_id).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(ids(hits(&t.db, "login").await), [login, disk]);
    assert_eq!(ids(hits(&t.db, "login volume").await), [disk]);
    assert_eq!(ids(hits(&t.db, "login vol").await), [disk], "prefix");
    assert!(
        hits(&t.db, "vol login").await.is_empty(),
        "only the last word is a prefix"
    );
    assert_eq!(ids(hits(&t.db, "sessions drop").await), [login]);
    assert_eq!(
        search::query(&t.db, &words("login"), 1, search::CANDIDATES)
            .await
            .expect("searched")
            .len(),
        1,
        "the limit is kept"
    );
}

/// Words are split at punctuation on both databases, as a search splits what is typed: a word
/// inside HTML-like markup, a dotted name, a file path or a host name is found.
#[tokio::test]
async fn words_inside_markup_file_paths_and_host_names_are_found() {
    let t = fresh_db().await;
    let id = written(
        &t.db,
        "Proxy config <b>rollback</b>",
        "A `<img src=x onerror=report()>` tag set window.__retry_flag; \
         /etc/nginx/nginx.conf on api.example.com was reverted.",
    )
    .await;
    search::reindex(&t.db, id).await.expect("indexed");
    for word in [
        "rollback", "onerror", "retry", "flag", "nginx", "conf", "example", "api",
    ] {
        assert_eq!(
            found(&hits(&t.db, word).await),
            [(id, DocumentKind::Incident, "")],
            "{word} is found"
        );
    }
}

#[tokio::test]
async fn a_search_matching_more_than_its_candidates_ranks_the_most_recently_indexed() {
    let t = fresh_db().await;
    let mut written_in_order = Vec::new();
    for title in [
        "Login outage",
        "Login latency",
        "Login errors",
        "Login loop",
    ] {
        let id = written(&t.db, title, "Nothing else in common.").await;
        search::reindex(&t.db, id).await.expect("indexed");
        written_in_order.push(id);
    }
    let ids = |hits: Vec<Hit>| {
        let mut ids: Vec<i64> = hits.into_iter().map(|h| h.incident_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let among = |candidates: u64| {
        let db = t.db.clone();
        async move {
            search::query(&db, &words("login"), 20, candidates)
                .await
                .expect("searched")
        }
    };
    // Each postmortem is one document here (the title and summary): two candidates are the
    // last two indexed.
    assert_eq!(ids(among(2).await), written_in_order[2..]);
    assert_eq!(ids(among(1).await), written_in_order[3..]);
    assert_eq!(ids(among(4).await), written_in_order, "as many as match");
    assert_eq!(ids(among(100).await), written_in_order, "more than match");
}

#[tokio::test]
async fn reindexing_follows_edits_and_a_deleted_postmortem_leaves_the_index() {
    let t = fresh_db().await;
    let id = written(&t.db, "Login outage", "Sessions were dropped.").await;
    let kept = written(&t.db, "Login slow", "Nothing was dropped.").await;
    search::reindex(&t.db, id).await.expect("indexed");
    search::reindex(&t.db, kept).await.expect("indexed");
    let before = search::count(&t.db).await.expect("counted");

    incidents::update(
        &t.db,
        id,
        &NewIncident {
            summary_md: "Tokens expired early.".into(),
            ..incident("Token outage", Severity::Sev2, IncidentStatus::Draft)
        },
    )
    .await
    .expect("updated");
    search::reindex(&t.db, id).await.expect("reindexed");
    assert_eq!(
        search::count(&t.db).await.expect("counted"),
        before,
        "replaced, not added"
    );
    assert_eq!(
        found(&hits(&t.db, "login").await),
        [(kept, DocumentKind::Incident, "")]
    );
    assert_eq!(
        found(&hits(&t.db, "tokens").await),
        [(id, DocumentKind::Incident, "")]
    );

    assert!(incidents::delete(&t.db, id).await.expect("deleted"));
    search::reindex(&t.db, id).await.expect("reindexed");
    assert!(hits(&t.db, "tokens").await.is_empty());
    assert_eq!(
        found(&hits(&t.db, "login").await),
        [(kept, DocumentKind::Incident, "")]
    );
}

#[tokio::test]
async fn reindexing_a_postmortem_touches_only_its_documents() {
    let t = fresh_db().await;
    let first = written(&t.db, "First", "Alpha").await;
    let second = written(&t.db, "Second", "Beta").await;
    let said = |body: &str| entry(at(utc(1, 9, 5, 0), Precision::Minute, 0), body);
    let gamma = timeline::add(&t.db, first, &said("gamma"))
        .await
        .expect("added");
    let delta = timeline::add(&t.db, first, &said("delta"))
        .await
        .expect("added");
    let other = timeline::add(&t.db, second, &said("gamma"))
        .await
        .expect("added");
    search::reindex(&t.db, first).await.expect("indexed");
    search::reindex(&t.db, second).await.expect("indexed");
    assert_eq!(search::count(&t.db).await.expect("counted"), 5);

    // The first's gamma becomes epsilon, and its delta goes (a deleted part's document goes
    // with its part's re-index: afterwards nothing says which part it was).
    timeline::update(&t.db, gamma, &said("epsilon"))
        .await
        .expect("updated");
    timeline::delete(&t.db, delta).await.expect("deleted");
    search::reindex_part(&t.db, first, Part::TimelineEntry, delta)
        .await
        .expect("removed");
    search::reindex(&t.db, first).await.expect("re-indexed");

    assert_eq!(search::count(&t.db).await.expect("counted"), 4);
    let other = format!("entry-{other}");
    assert_eq!(
        found(&hits(&t.db, "gamma").await),
        [(second, DocumentKind::Timeline, other.as_str())]
    );
    assert!(hits(&t.db, "delta").await.is_empty());
    assert_eq!(hits(&t.db, "epsilon").await[0].incident_id, first);
}

#[tokio::test]
async fn an_empty_index_is_built_from_the_stored_postmortems_but_a_built_one_is_left_alone() {
    let t = fresh_db().await;
    search::build_if_empty(&t.db)
        .await
        .expect("nothing to build");
    assert_eq!(search::count(&t.db).await.expect("counted"), 0);
    let first = written(&t.db, "Login outage", "Sessions were dropped.").await;
    let second = written(&t.db, "Disk full", "The volume filled up.").await;
    timeline::add(
        &t.db,
        second,
        &entry(at(utc(1, 9, 5, 0), Precision::Minute, 0), "Freed space"),
    )
    .await
    .expect("entry added");

    search::build_if_empty(&t.db).await.expect("built");

    assert_eq!(search::count(&t.db).await.expect("counted"), 3);
    assert_eq!(hits(&t.db, "login").await[0].incident_id, first);
    assert_eq!(hits(&t.db, "freed").await[0].incident_id, second);

    let later = written(&t.db, "Later", "Written after the build.").await;
    search::build_if_empty(&t.db).await.expect("left alone");
    assert_eq!(search::count(&t.db).await.expect("counted"), 3);
    assert!(
        hits(&t.db, "later").await.is_empty(),
        "a built index is kept in step by reindex, not rebuilt ({later})"
    );
}

/// Every row of the index, in key order: (key, incident, kind, anchor, title, body).
async fn index_rows(db: &DatabaseConnection) -> Vec<(i64, i64, String, String, String, String)> {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = db.get_database_backend();
    // The key is FTS5's `rowid` on SQLite, a column of its own on Postgres.
    let key = if backend == sea_orm::DbBackend::Postgres {
        "id"
    } else {
        "rowid"
    };
    db.query_all_raw(Statement::from_string(
        backend,
        format!(
            "SELECT {key} AS k, CAST(incident_id AS BIGINT) AS i, kind, anchor, title, body \
             FROM search_index ORDER BY {key}"
        ),
    ))
    .await
    .expect("the index read")
    .iter()
    .map(|r| {
        let get = |c: &str| r.try_get::<String>("", c).expect("a text column");
        (
            r.try_get("", "k").expect("a key"),
            r.try_get("", "i").expect("an incident"),
            get("kind"),
            get("anchor"),
            get("title"),
            get("body"),
        )
    })
    .collect()
}

#[tokio::test]
async fn re_indexing_only_the_changed_parts_gives_the_index_a_whole_reindex_gives() {
    let t = fresh_db().await;
    let id = example::load(&t.db).await.expect("the worked example");
    let other = written(&t.db, "Disk full", "The volume filled up.").await;
    search::reindex(&t.db, id).await.expect("indexed");
    search::reindex(&t.db, other).await.expect("indexed");
    let loaded = app::server::repo::postmortem::load(&t.db, id)
        .await
        .expect("loaded")
        .expect("there");
    let (edited, deleted) = (loaded.timeline[0].id, loaded.timeline[1].id);
    let change = &loaded.changes[0];
    let parameter_id = change.parameters[0].id;
    let figure_id = loaded.impact[0].id;
    let follow = loaded.follow_ups[0].id;
    let part = |part: Part, part_id: i64| {
        let db = t.db.clone();
        async move {
            search::reindex_part(&db, id, part, part_id)
                .await
                .expect("re-indexed");
        }
    };

    // Each part changes, and only it is re-indexed.
    timeline::update(
        &t.db,
        edited,
        &entry(
            at(utc(1, 9, 5, 0), Precision::Minute, 0),
            "Paged the platypus",
        ),
    )
    .await
    .expect("edited");
    part(Part::TimelineEntry, edited).await;
    timeline::delete(&t.db, deleted).await.expect("deleted");
    part(Part::TimelineEntry, deleted).await;
    let added = timeline::add(
        &t.db,
        id,
        &entry(
            at(utc(1, 9, 6, 0), Precision::Minute, 0),
            "Drained the numbat queue",
        ),
    )
    .await
    .expect("added");
    part(Part::TimelineEntry, added).await;
    impact::update(
        &t.db,
        figure_id,
        &figure("wombat logins", Quantity::Exact(12.0)),
    )
    .await
    .expect("edited");
    part(Part::ImpactFigure, figure_id).await;
    changes::update_parameter(&t.db, parameter_id, &parameter("quokka", "9", false))
        .await
        .expect("edited");
    part(Part::Parameter, parameter_id).await;
    follow_ups::update(&t.db, follow, &follow_up("Teach the echidna", "Ana"))
        .await
        .expect("edited");
    part(Part::FollowUp, follow).await;
    let mut lessons = loaded.incident.lessons.clone();
    lessons.lucky_md = "A bilby was awake.".into();
    incidents::update_lessons(&t.db, id, &lessons)
        .await
        .expect("edited");
    part(Part::Lessons, id).await;
    incidents::update(
        &t.db,
        id,
        &NewIncident {
            title: "Kiwi outage".into(),
            ..loaded.incident.as_new()
        },
    )
    .await
    .expect("edited");
    part(Part::Incident, id).await;

    let anchor = |prefix: &str, id: i64| format!("{prefix}-{id}");
    assert_eq!(
        found(&hits(&t.db, "platypus").await),
        [(id, DocumentKind::Timeline, anchor("entry", edited).as_str())]
    );
    assert_eq!(
        found(&hits(&t.db, "numbat").await),
        [(id, DocumentKind::Timeline, anchor("entry", added).as_str())]
    );
    let old_words = |entry: &app::domain::timeline::TimelineEntry| {
        entry
            .entry
            .body_md
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let still = |hits: Vec<Hit>, anchor: String| hits.iter().any(|h| h.anchor == anchor);
    for (old, gone) in [
        (&loaded.timeline[0], edited),
        (&loaded.timeline[1], deleted),
    ] {
        let words = old_words(old);
        assert!(
            !still(
                search::query(&t.db, &words, 20, search::CANDIDATES)
                    .await
                    .expect("searched"),
                anchor("entry", gone)
            ),
            "the old words {words:?} no longer find entry {gone}"
        );
    }
    assert_eq!(
        found(&hits(&t.db, "wombat").await)[0].1,
        DocumentKind::Impact
    );
    assert_eq!(
        found(&hits(&t.db, "quokka").await),
        [(
            id,
            DocumentKind::Change,
            anchor("change", change.id).as_str()
        )]
    );
    assert_eq!(
        found(&hits(&t.db, "echidna").await)[0].1,
        DocumentKind::FollowUp
    );
    assert_eq!(
        found(&hits(&t.db, "kiwi").await),
        [
            (id, DocumentKind::Incident, ""),
            (id, DocumentKind::Lessons, "lessons")
        ],
        "the lessons are titled after the incident"
    );
    assert_eq!(
        found(&hits(&t.db, "bilby").await)[0].1,
        DocumentKind::Lessons
    );

    // The link to the earlier attempt: its note is found under the incident it was added on.
    {
        use app::server::edit::EditablePart;
        use app::server::repo::relations;
        let link = relations::added_on(&t.db, id).await.expect("read")[0].clone();
        let note = app::domain::relation::NewRelation {
            note: "A kakapo saw it first.".into(),
            ..link.relation.clone()
        };
        relations::RelationPart::save(&t.db, link.id, &note)
            .await
            .expect("edited");
        part(Part::Relation, link.id).await;
        assert_eq!(
            found(&hits(&t.db, "kakapo").await),
            [(id, DocumentKind::Relation, "related")]
        );
    }

    // A parameter deleted: its change is re-indexed by who knows it (the edit), by key.
    changes::delete_parameter(&t.db, parameter_id)
        .await
        .expect("deleted");
    part(Part::Change, change.id).await;
    assert!(hits(&t.db, "quokka").await.is_empty());

    let incremental = index_rows(&t.db).await;
    search::reindex(&t.db, id).await.expect("reindexed");
    assert_eq!(
        incremental,
        index_rows(&t.db).await,
        "the same rows, under the same keys, as a whole reindex"
    );
}
