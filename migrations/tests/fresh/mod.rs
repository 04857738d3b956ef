//! A fresh, empty database for a migration test: an SQLite file in a temporary directory, or,
//! when `DEBRIEF_TEST_POSTGRES` names a server (`postgres://user:password@host:port`), a new
//! database on it (named `debrief_test_…`, which `scripts/postgres.sh` drops later).

use sea_orm::{ConnectionTrait, Database};

/// The URL of a fresh database, and the directory that holds it on SQLite (kept as long as the
/// test needs it). `label` names the test binary in a Postgres database's name.
pub async fn fresh_url(label: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let Ok(server) = std::env::var("DEBRIEF_TEST_POSTGRES") else {
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
        return (dir, url);
    };
    let server = server.trim_end_matches('/').to_owned();
    let admin = Database::connect(format!("{server}/postgres"))
        .await
        .expect("the Postgres server answers");
    // Unique per test: the tests of one binary run at once, in one process.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "debrief_test_{label}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a test database");
    let _ = admin.close().await;
    (dir, format!("{server}/{name}"))
}
