//! The migrations run up, down and up again on a fresh SQLite database, or on a fresh Postgres
//! database when `DEBRIEF_TEST_POSTGRES` names a server (`postgres://user:password@host:port`).
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};

async fn fresh() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = match std::env::var("DEBRIEF_TEST_POSTGRES") {
        Err(_) => format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display()),
        Ok(server) => {
            let server = server.trim_end_matches('/').to_owned();
            let admin = Database::connect(format!("{server}/postgres"))
                .await
                .expect("the Postgres server answers");
            let name = format!("debrief_test_migrations_{}", std::process::id());
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("a test database");
            format!("{server}/{name}")
        }
    };
    let db = Database::connect(&url).await.expect("the database opens");
    (dir, db)
}

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations' ORDER BY tablename"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("sqlite_master is readable");
    rows.iter()
        .map(|r| r.try_get::<String>("", "name").expect("a name"))
        .collect()
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let (_dir, db) = fresh().await;
    Migrator::up(&db, None).await.expect("up");
    let created = tables(&db).await;
    for table in [
        "incidents",
        "milestones",
        "timeline_entries",
        "impact_figures",
        "changes",
        "change_parameters",
        "follow_ups",
        "form_flashes",
        "users",
        "sessions",
        "login_failures",
        "history",
        "reviews",
        "comments",
        "incident_participants",
        "published_postmortems",
        "due_date_policies",
        "share_links",
        "integration_tokens",
        "recorded_changes",
        "metric_exclusions",
        "lesson_tags",
        "reading_lists",
        "reading_list_items",
        "search_index",
    ] {
        assert!(
            created.contains(&table.to_owned()),
            "{table} missing from {created:?}"
        );
    }
    Migrator::down(&db, None).await.expect("down");
    assert!(tables(&db).await.is_empty(), "down leaves no table behind");
    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(tables(&db).await, created);
}
