//! Each instance's database pool is as large as configured, and start-up work runs once however many servers start together: migrations
//! (`migration::up_once`, tested on its own in `migrations/tests/up_once.rs`) and building a
//! missing search index (`app::server::db::connect`).
//!
//! The two servers are made to reach that work at the same moment: the test holds the lock
//! start-up migrations wait for (Postgres: the advisory lock `migration::MIGRATION_LOCK`;
//! SQLite: the write lock) while both start, and lets go once both wait for it.

use std::time::{Duration, Instant};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

use crate::common::Browser;
use crate::pair::start_both;
use crate::process::{ServerProcess, TestDatabase, create_admin};

/// How many worked examples the database holds: enough that building their index takes the
/// first server long enough for the second to start on it too, were it not kept out.
const POSTMORTEMS: usize = 20;

async fn one(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("the query runs")
        .expect("a row");
    row.try_get_by_index(0).expect("a number")
}

/// How many servers wait for the migration lock on Postgres.
async fn waiting_for_migrations(db: &DatabaseConnection) -> i64 {
    let (space, key) = migration::MIGRATION_LOCK;
    one(
        db,
        &format!(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND classid = {space} AND objid = {key}"
        ),
    )
    .await
}

#[tokio::test]
async fn two_servers_started_together_on_a_database_without_its_search_index_both_start_and_build_it_once()
 {
    let database = TestDatabase::fresh("startup").await;
    create_admin(&database).await;
    let server = ServerProcess::start(&database).await;
    let browser = Browser::new(&server.base);
    let (status, _) = browser
        .log_in(crate::common::ADMIN_EMAIL, crate::common::PASSWORD)
        .await;
    assert_eq!(status, 302);
    for _ in 0..POSTMORTEMS {
        browser.load_example().await;
    }
    server.kill();

    let db = database.open().await;
    let indexed = one(&db, "SELECT COUNT(*) FROM search_index").await;
    assert!(indexed > 0, "the examples were indexed as they were loaded");
    // As a database from before search, or one restored without its index, comes.
    db.execute_unprepared("DELETE FROM search_index")
        .await
        .expect("the index is emptied");

    let holder = database.open().await;
    let held = holder
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
        .expect("a transaction");
    let postgres = database.is_postgres();
    if postgres {
        let (space, key) = migration::MIGRATION_LOCK;
        held.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [space.into(), key.into()],
        ))
        .await
        .expect("the migration lock");
    }
    let let_go = async {
        if postgres {
            let asked = Instant::now();
            while waiting_for_migrations(&db).await < 2 {
                assert!(
                    asked.elapsed() < Duration::from_secs(60),
                    "both servers should come to wait for the migration lock"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        } else {
            // SQLite shows no waiters: time to start and reach the lock (the busy timeout is
            // 10 s).
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        held.rollback().await.expect("the lock is let go");
    };
    let ((a, b), ()) = tokio::join!(start_both(&database), let_go);

    assert_eq!(
        one(&db, "SELECT COUNT(*) FROM search_index").await,
        indexed,
        "the index is whole again, each document once"
    );
    if postgres {
        // Every row written by one transaction: built once, not built and then built again.
        assert_eq!(
            one(&db, "SELECT COUNT(DISTINCT xmin::text) FROM search_index").await,
            1,
            "one server built the index"
        );
    }
    for server in [&a, &b] {
        let browser = Browser::new(&server.base);
        let (status, _) = browser
            .log_in(crate::common::ADMIN_EMAIL, crate::common::PASSWORD)
            .await;
        assert_eq!(status, 302);
        let found: app::dto::search::SearchResults = browser
            .json(
                <app::api::search::Search as leptos::server_fn::ServerFn>::PATH,
                &[("q", "Jenkins")],
            )
            .await;
        assert!(
            !found.hits.is_empty(),
            "{} finds through the index",
            server.base
        );
    }
}

#[tokio::test]
async fn each_instance_opens_at_most_the_pool_it_is_configured_with() {
    let database = TestDatabase::fresh("pool").await;
    let token = "0123456789abcdef0123456789abcdef";
    let mut server = ServerProcess::launch_with(
        &database,
        "server.log",
        &[
            ("DEBRIEF_DB_MAX_CONNECTIONS", "3"),
            ("DEBRIEF_OPS_TOKEN", token),
        ],
    );
    server.ready().await.expect("the server starts");
    let metrics = reqwest::Client::new()
        .get(format!("{}/ops/metrics", server.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("the metrics answer")
        .text()
        .await
        .expect("a body");
    assert!(
        metrics
            .lines()
            .any(|l| l == "debrief_db_pool_connections_max 3"),
        "{metrics}"
    );
}
