//! How fast search is on 10,000 incidents (SQLite with FTS5): seeds a temporary database with
//! 10,000 incidents' documents, then prints how long typical searches and indexing a new
//! postmortem take. A benchmark that prints figures, not a test:
//!
//! `cargo run --release -p app --features ssr --example search_bench [incidents]`
// A measuring tool, not a request path: it may stop at the first failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use app::domain::search::{Document, DocumentKind, query_words};
use app::server::repo::search;

const WORDS: [&str; 24] = [
    "login",
    "checkout",
    "deploy",
    "restart",
    "jenkins",
    "chef",
    "database",
    "timeout",
    "queue",
    "cache",
    "certificate",
    "dns",
    "latency",
    "errors",
    "customers",
    "rollback",
    "canary",
    "alert",
    "pager",
    "migration",
    "config",
    "flag",
    "disk",
    "memory",
];

/// `words` words picked pseudo-randomly (the same for the same seed).
fn text(seed: usize, words: usize) -> String {
    let mut state =
        (seed as u64).wrapping_mul(6_364_136_223_846_793_005) ^ 1_442_695_040_888_963_407;
    (0..words)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            WORDS[(state >> 33) as usize % WORDS.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::main]
async fn main() {
    let incidents: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let db = app::server::db::connect(&url)
        .await
        .expect("the database opens");

    let started = Instant::now();
    let txn = app::server::db::begin_write(&db)
        .await
        .expect("a transaction");
    for i in 0..incidents {
        let id = i as i64 + 1;
        let docs: Vec<Document> = [
            DocumentKind::Incident,
            DocumentKind::Lessons,
            DocumentKind::Timeline,
            DocumentKind::Timeline,
            DocumentKind::Timeline,
            DocumentKind::Impact,
            DocumentKind::Change,
            DocumentKind::FollowUp,
        ]
        .into_iter()
        .enumerate()
        .map(|(k, kind)| Document {
            incident_id: id,
            kind,
            // Unique within a kind, as a part's id is.
            part_id: id * 8 + k as i64,
            anchor: format!("part-{k}"),
            title: text(i + k, 6),
            body: text(i * 3 + k, 60),
        })
        .collect();
        search::insert_many(&txn, &docs).await.expect("indexed");
    }
    txn.commit().await.expect("committed");
    let documents = search::count(&db).await.expect("counted");
    println!(
        "indexed {incidents} incidents ({documents} documents) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    for q in [
        "login",
        "jenkins restart",
        "canary roll",
        "certificate dns latency",
        "nothingmatches",
    ] {
        let words = query_words(q).expect("words");
        let runs = 20;
        let started = Instant::now();
        let mut found = 0;
        for _ in 0..runs {
            found = search::query(&db, &words, 200, search::CANDIDATES)
                .await
                .expect("searched")
                .len();
        }
        let each = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        println!("search {q:<28} {found:>4} results  {each:>8.2} ms per search");
    }

    let txn = app::server::db::begin_write(&db)
        .await
        .expect("a transaction");
    let started = Instant::now();
    // A new postmortem's documents, under keys no other part holds: what creating or importing
    // one adds to the index (`search::index_new`), whatever the index already holds.
    let new = i64::try_from(incidents).expect("a count") + 1;
    let docs = vec![Document {
        incident_id: new,
        kind: DocumentKind::Incident,
        part_id: new,
        anchor: String::new(),
        title: "indexed".into(),
        body: text(1, 60),
    }];
    search::insert_many(&txn, &docs).await.expect("indexed");
    txn.commit().await.expect("committed");
    println!(
        "index one new postmortem: {:.2} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
