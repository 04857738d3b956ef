//! How a server brings the schema up to date (`migration::up_once`): two servers starting at the
//! same moment on one database run each migration once, and a migration that fails part-way
//! leaves the tables and `seaql_migrations` as they were. On a fresh SQLite file, or on a fresh
//! Postgres database when `DEBRIEF_TEST_POSTGRES` names a server
//! (`postgres://user:password@host:port`).
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use migration::{
    DbErr, MigrationName, MigrationTrait, Migrator, MigratorTrait, SchemaManager, async_trait,
    up_once,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
};

mod fresh;

/// The URL of a fresh, empty database (the directory holds it on SQLite).
async fn fresh_url() -> (tempfile::TempDir, String) {
    fresh::fresh_url("up_once").await
}

/// A pool of its own on `url`, as each server opens one: SQLite waits for the write lock as
/// long as the server does (`app::server::db::connect`).
async fn open(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::from_secs(10)));
    }
    Database::connect(options)
        .await
        .expect("the database opens")
}

/// The rows of `sql`, each as its columns' text joined by " | ".
async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (0..)
                .map_while(|i| row.try_get_by_index::<Option<String>>(i).ok())
                .map(Option::unwrap_or_default)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

/// Every table, column and index of the database, in a stable order.
async fn schema(db: &DatabaseConnection) -> Vec<String> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let mut all = rows(
                db,
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
                 FROM information_schema.columns WHERE table_schema = 'public' \
                 ORDER BY table_name, column_name",
            )
            .await;
            all.extend(
                rows(
                    db,
                    "SELECT indexname::text, indexdef FROM pg_indexes \
                     WHERE schemaname = 'public' ORDER BY indexname",
                )
                .await,
            );
            all
        }
        _ => {
            rows(
                db,
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name",
            )
            .await
        }
    }
}

/// The migrations `seaql_migrations` records as applied, in order; none without the table.
async fn applied(db: &DatabaseConnection) -> Vec<String> {
    let exists = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT tablename::text FROM pg_tables WHERE tablename = 'seaql_migrations'"
        }
        _ => "SELECT name FROM sqlite_master WHERE name = 'seaql_migrations'",
    };
    if rows(db, exists).await.is_empty() {
        return Vec::new();
    }
    rows(db, "SELECT version FROM seaql_migrations ORDER BY version").await
}

fn every_migration() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_at_the_same_moment_run_each_migration_once() {
    // A whole schema made by one server alone, to compare with.
    let (_alone_dir, alone_url) = fresh_url().await;
    let alone = open(&alone_url).await;
    up_once::<Migrator>(&alone).await.expect("one server alone");
    let whole = schema(&alone).await;

    for round in 0..3 {
        let (_dir, url) = fresh_url().await;
        let (first, second) = (open(&url).await, open(&url).await);
        let starts = [first.clone(), second.clone()]
            .map(|db| tokio::spawn(async move { up_once::<Migrator>(&db).await }));
        for (server, start) in starts.into_iter().enumerate() {
            start
                .await
                .expect("the start-up task finishes")
                .unwrap_or_else(|e| panic!("round {round}: server {server} failed to start: {e}"));
        }
        assert_eq!(
            applied(&first).await,
            every_migration(),
            "round {round}: each migration is recorded once"
        );
        assert_eq!(
            schema(&second).await,
            whole,
            "round {round}: the schema is whole"
        );
        let _ = first.close().await;
        let _ = second.close().await;
    }
}

/// Debrief's migrations and then one that creates a table and fails on its next statement.
struct FailingMigrator;

struct FailsPartWay;

impl MigrationName for FailsPartWay {
    fn name(&self) -> &str {
        "m29991231_000001_fails_part_way"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for FailsPartWay {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
            .await?;
        db.execute_unprepared("ALTER TABLE incidents ADD COLUMN half_done_flag INTEGER")
            .await?;
        db.execute_unprepared("INSERT INTO no_such_table (id) VALUES (1)")
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

#[async_trait::async_trait]
impl MigratorTrait for FailingMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = Migrator::migrations();
        all.push(Box::new(FailsPartWay));
        all
    }
}

#[tokio::test]
async fn a_migration_that_fails_part_way_leaves_the_schema_and_migrations_table_as_they_were() {
    let (_dir, url) = fresh_url().await;
    let db = open(&url).await;
    up_once::<Migrator>(&db).await.expect("the real migrations");
    let (schema_before, applied_before) = (schema(&db).await, applied(&db).await);

    let failed = up_once::<FailingMigrator>(&db).await;

    assert!(failed.is_err(), "the failing migration fails: {failed:?}");
    assert_eq!(
        applied(&db).await,
        applied_before,
        "no migration is recorded"
    );
    let schema_after = schema(&db).await;
    assert!(
        !schema_after.iter().any(|line| line.contains("half_done")),
        "what the failed migration made before its failure is gone: {schema_after:#?}"
    );
    assert_eq!(schema_after, schema_before, "the schema is as it was");
    up_once::<Migrator>(&db)
        .await
        .expect("the server starts as before");
}

#[tokio::test]
async fn a_failed_first_start_leaves_a_fresh_database_empty_not_half_migrated() {
    let (_dir, url) = fresh_url().await;
    let db = open(&url).await;

    let failed = up_once::<FailingMigrator>(&db).await;

    assert!(failed.is_err(), "the failing migration fails: {failed:?}");
    assert_eq!(applied(&db).await, Vec::<String>::new(), "nothing recorded");
    assert_eq!(
        schema(&db).await,
        Vec::<String>::new(),
        "none of the migrations before the failing one is left applied"
    );
    up_once::<Migrator>(&db)
        .await
        .expect("a later start migrates");
    assert_eq!(applied(&db).await, every_migration());
}
