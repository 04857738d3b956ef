//! The migrations run up, down and up again on a fresh SQLite database.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

async fn fresh() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
    let db = Database::connect(&url).await.expect("sqlite opens");
    (dir, db)
}

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name",
        ))
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
