//! Opening the database as a server starts: two servers starting at the same moment on one new
//! database both open it, with each migration applied once; and every SQLite connection commits
//! to the disk before a write is acknowledged.

use super::*;
use migration::{Migrator, MigratorTrait};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_at_the_same_moment_on_a_new_database_both_start_with_each_migration_once()
 {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = fresh_url(dir.path()).await;
    let starts = [url.clone(), url].map(|url| tokio::spawn(async move { db::connect(&url).await }));
    let mut servers = Vec::new();
    for start in starts {
        servers.push(
            start
                .await
                .expect("the start-up task finishes")
                .expect("each server opens and migrates the database"),
        );
    }
    let versions: Vec<String> = servers[0]
        .query_all_raw(sea_orm::Statement::from_string(
            servers[0].get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .expect("the migrations table reads")
        .iter()
        .map(|row| row.try_get::<String>("", "version").expect("a version"))
        .collect();
    let every: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(versions, every, "each migration is recorded once");
    let id = plain_incident(&servers[1], "Opened by the second server").await;
    assert!(id > 0, "the second server writes");
}

/// SQLite only: `synchronous` is an SQLite setting (Postgres commits durably by default, and the
/// tests' server is configured by its operator, not by Debrief).
#[tokio::test]
async fn every_sqlite_connection_syncs_each_commit_to_the_disk() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let db = db::connect(&url).await.expect("the database opens");
    for _ in 0..3 {
        let txn = db::begin_write(&db).await.expect("a connection");
        let row = txn
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA synchronous",
            ))
            .await
            .expect("the pragma reads")
            .expect("a row");
        let level: i64 = row.try_get_by_index(0).expect("a number");
        txn.rollback().await.expect("rolled back");
        assert_eq!(level, 2, "synchronous = FULL (2), not NORMAL (1)");
    }
}
