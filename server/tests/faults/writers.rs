//! Concurrent writers: 64 writers, four to an incident, add timeline entries, save incidents'
//! fields and move follow-ups for a sustained period. No request may fail: no "database is
//! locked", no 5xx, no refusal, no request left unanswered; then the server is killed and every
//! acknowledged write must be in the database, which passes its integrity check and whose
//! history and search index agree with the records. Prints the throughput.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::check;
use crate::process::{ServerProcess, TestDatabase, create_admin};
use crate::report::{self, Row};
use crate::setting;
use crate::writes::{Tally, admin, run_tag, team};

const WRITERS: usize = 64;
const INCIDENTS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_writers_meet_no_lock_error_no_5xx_and_lose_no_write() {
    let seconds = setting("DEBRIEF_FAULT_WRITERS_SECS", 10);
    let database = TestDatabase::fresh("writers").await;
    create_admin(&database).await;
    let server = ServerProcess::start(&database).await;
    let browser = admin(&server.base).await;
    let mut writers = team(&browser, WRITERS, INCIDENTS, run_tag()).await;

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let writing: Vec<_> = writers
        .drain(..)
        .map(|w| w.spawn(browser.clone(), Arc::clone(&stop), false))
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writing {
        writers.push(w.await.expect("a writer finishes"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    let log = server.log();
    server.kill();

    let mut tally = Tally::default();
    for w in &writers {
        tally.add(&w.tally);
    }
    let db = database.open().await;
    let integrity = check::integrity(&db).await;
    let (count, mut problems) = check::ledgers(&db, &mut writers).await;
    problems.extend(check::consistency(&db).await);
    problems.extend(check::search_finds(&db, &writers).await);
    let _ = db.close().await;

    let throughput = tally.acknowledged as f64 / elapsed;
    report::print(&Row {
        fault: format!("{WRITERS} writers, {seconds} s"),
        rounds: "-".to_owned(),
        acknowledged: count.acknowledged,
        found: count.found,
        errors: tally.refused,
        unanswered: tally.cut,
        integrity: integrity.clone(),
        note: format!(
            "throughput {throughput:.0} acknowledged writes/s over {elapsed:.1} s; {} 5xx, {} \"database is locked\"; {} on {}",
            tally.server_errors,
            tally.locked,
            if database.is_postgres() {
                "Postgres"
            } else {
                "SQLite"
            },
            crate::process::server_binary().display(),
        ),
    });

    assert_eq!(tally.locked, 0, "database is locked: {:?}", tally.samples);
    assert_eq!(tally.server_errors, 0, "5xx answers: {:?}", tally.samples);
    assert_eq!(tally.refused, 0, "refused writes: {:?}", tally.samples);
    assert_eq!(tally.cut, 0, "unanswered requests: {:?}", tally.samples);
    assert!(
        !log.contains("database is locked"),
        "the server's log says the database was locked"
    );
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
    assert!(
        integrity.starts_with("ok"),
        "the integrity check: {integrity}"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(count.acknowledged > 0, "the writers wrote nothing");
    assert_eq!(count.found, count.acknowledged, "acknowledged writes lost");
}
