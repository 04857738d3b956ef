//! The migrations run up, down and up again on a fresh SQLite database, or on a fresh Postgres
//! database when `DEBRIEF_TEST_POSTGRES` names a server (`postgres://user:password@host:port`).
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};

mod fresh;

async fn fresh() -> (tempfile::TempDir, DatabaseConnection) {
    let (dir, url) = fresh::fresh_url("migrations").await;
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

/// How many migrations come before the one named `name`.
fn before(name: &str) -> usize {
    Migrator::migrations()
        .iter()
        .position(|m| m.name() == name)
        .unwrap_or_else(|| panic!("a migration {name}"))
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
        "published_lessons",
        "outbox",
        "webhook_destinations",
        "email_opt_outs",
        "notice_policies",
        "scheduled_notices",
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

#[tokio::test]
async fn incidents_recorded_before_the_list_order_column_are_ordered_by_their_impact_start() {
    let (_dir, db) = fresh().await;
    let before_list_order = before("m20261130_000020_list_order_and_read_indexes");
    Migrator::up(&db, Some(before_list_order as u32))
        .await
        .expect("up to the migration before");
    let backend = db.get_database_backend();
    let run = |sql: String| {
        let db = &db;
        async move {
            db.execute_raw(Statement::from_string(backend, sql))
                .await
                .expect("a seed row")
        }
    };
    let now = "'2020-03-23T12:00:00+00:00'";
    for id in 1..=4 {
        run(format!(
            "INSERT INTO incidents (id, title, summary_md, severity, status, services, \
             went_well_md, went_wrong_md, lucky_md, created_at, updated_at, version, \
             lessons_version, revision) VALUES ({id}, 'Incident {id}', '', 'sev2', 'draft', '', \
             '', '', '', {now}, {now}, 1, 1, 1)"
        ))
        .await;
    }
    // 1 at ten, 2 between nine and noon (half past ten), 3 none, 4 at eleven.
    for (incident, at, until, precision) in [
        (1, "'2020-03-23T10:00:00+00:00'", "NULL", "minute"),
        (
            2,
            "'2020-03-23T09:00:00+00:00'",
            "'2020-03-23T12:00:00+00:00'",
            "range",
        ),
        (4, "'2020-03-23T11:00:00+00:00'", "NULL", "exact"),
    ] {
        run(format!(
            "INSERT INTO milestones (incident_id, kind, at, until, precision, offset_minutes, \
             created_at, updated_at) VALUES ({incident}, 'impact_started', {at}, {until}, \
             '{precision}', 0, {now}, {now})"
        ))
        .await;
    }
    Migrator::up(&db, None).await.expect("up");
    let order = match backend {
        DatabaseBackend::Postgres => "impact_started_at DESC NULLS LAST, id DESC",
        _ => "impact_started_at DESC, id DESC",
    };
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT id FROM incidents ORDER BY {order}"),
        ))
        .await
        .expect("incidents");
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64>("", "id").expect("an id"))
        .collect();
    assert_eq!(ids, [4, 2, 1, 3]);
    if backend == DatabaseBackend::Sqlite {
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT impact_started_at AS at FROM incidents WHERE id = 2",
            ))
            .await
            .expect("read")
            .expect("a row");
        assert_eq!(
            row.try_get::<String>("", "at").expect("text"),
            "2020-03-23T10:30:00+00:00",
            "a range's midpoint is written as the application writes times, so they sort together"
        );
    }
}

#[tokio::test]
async fn lessons_published_before_the_library_table_are_in_it_and_empty_ones_are_not() {
    let (_dir, db) = fresh().await;
    let upto = before("m20261130_000030_published_lessons_and_read_indexes");
    Migrator::up(&db, Some(upto as u32))
        .await
        .expect("up to the migration before");
    let backend = db.get_database_backend();
    let now = "'2020-03-23T12:00:00+00:00'";
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO incidents (id, title, summary_md, severity, status, services, \
             went_well_md, went_wrong_md, lucky_md, created_at, updated_at, version, \
             lessons_version, revision) VALUES (7, 'Live title', '', 'sev2', 'draft', '', \
             '', '', '', {now}, {now}, 1, 1, 2)"
        ),
    ))
    .await
    .expect("an incident");
    let data = r#"{"incident":{"id":7,"title":"Checkout 'stalled'","lessons":{"went_well_md":"Paged fast.","went_wrong_md":"  ","lucky_md":"Low traffic."}}}"#;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        match backend {
            DatabaseBackend::Postgres => {
                "INSERT INTO published_postmortems (incident_id, revision, data, published_at) \
                 VALUES (7, 1, $1, '2020-03-23T12:00:00+00:00')"
            }
            _ => {
                "INSERT INTO published_postmortems (incident_id, revision, data, published_at) \
                 VALUES (7, 1, ?, '2020-03-23T12:00:00+00:00')"
            }
        },
        [data.into()],
    ))
    .await
    .expect("a published version");
    Migrator::up(&db, None).await.expect("up");
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT kind, incident_title, lesson_md FROM published_lessons \
             WHERE incident_id = 7 ORDER BY position",
        ))
        .await
        .expect("lessons");
    let lessons: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "kind").unwrap(),
                r.try_get("", "incident_title").unwrap(),
                r.try_get("", "lesson_md").unwrap(),
            )
        })
        .collect();
    let title = "Checkout 'stalled'".to_owned();
    assert_eq!(
        lessons,
        [
            (
                "went_well".to_owned(),
                title.clone(),
                "Paged fast.".to_owned()
            ),
            ("lucky".to_owned(), title, "Low traffic.".to_owned()),
        ],
        "as published (not the live title), the blank lesson left out"
    );
}

/// The index definitions of `table` on Postgres (none are read on SQLite).
async fn postgres_indexes(db: &DatabaseConnection, table: &str) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1",
            [table.into()],
        ))
        .await
        .expect("pg_indexes is readable");
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("a definition"))
        .collect()
}

#[tokio::test]
async fn on_postgres_the_search_index_is_found_by_incident_and_changes_by_job() {
    let (_dir, db) = fresh().await;
    Migrator::up(&db, None).await.expect("up");
    if db.get_database_backend() != DatabaseBackend::Postgres {
        eprintln!("skipped: Postgres indexes (DEBRIEF_TEST_POSTGRES is not set)");
        return;
    }
    let search = postgres_indexes(&db, "search_index").await;
    assert!(
        search
            .iter()
            .any(|d| d.ends_with("USING btree (incident_id)")),
        "{search:?}"
    );
    let changes = postgres_indexes(&db, "changes").await;
    assert!(
        changes.iter().any(|d| d.contains("ix_changes_job ")),
        "{changes:?}"
    );
}

#[tokio::test]
async fn a_factors_single_change_parameter_and_entry_become_its_links_and_come_back_down() {
    let (_dir, db) = fresh().await;
    let upto = before("m20261201_000200_factor_links_and_template_history");
    Migrator::up(&db, Some(upto as u32))
        .await
        .expect("up to the migration before");
    let backend = db.get_database_backend();
    let now = "'2020-03-23T12:00:00+00:00'";
    for sql in [
        format!(
            "INSERT INTO incidents (id, title, summary_md, severity, status, services, \
             went_well_md, went_wrong_md, lucky_md, created_at, updated_at, version, \
             lessons_version, revision) VALUES (7, 'Logins failed', '', 'sev2', 'draft', '', \
             '', '', '', {now}, {now}, 1, 1, 1)"
        ),
        format!(
            "INSERT INTO changes (id, incident_id, summary, kind, system, identifier, started_by, \
             plan, reviewer, relation, rationale_md, created_at, updated_at, version) VALUES \
             (11, 7, 'Restart', 'job_run', 'Jenkins', '', '', '', '', 'confirmed', '', {now}, \
             {now}, 1)"
        ),
        format!(
            "INSERT INTO change_parameters (id, change_id, name, value, is_default, created_at, \
             updated_at, version) VALUES (21, 11, 'concurrency', '', true, {now}, {now}, 1)"
        ),
        format!(
            "INSERT INTO timeline_entries (id, incident_id, kind, actor, body_md, at, precision, \
             offset_minutes, created_at, updated_at, version, time_source) VALUES \
             (31, 7, 'action', 'Jenkins', 'Restarted', {now}, 'minute', 0, {now}, {now}, 1, '')"
        ),
        format!(
            "INSERT INTO factors (id, incident_id, statement, category_id, role, change_id, \
             parameter_id, timeline_entry_id, created_at, updated_at, version) VALUES \
             (41, 7, 'High default', 1, 'trigger', 11, 21, 31, {now}, {now}, 1), \
             (42, 7, 'No confirmation', 2, 'condition', NULL, NULL, NULL, {now}, {now}, 1)"
        ),
    ] {
        db.execute_raw(Statement::from_string(backend, sql))
            .await
            .expect("a seed row");
    }
    Migrator::up(&db, None).await.expect("up");
    let links = |db: &DatabaseConnection| {
        let db = db.clone();
        async move {
            db.query_all_raw(Statement::from_string(
                backend,
                "SELECT factor_id, change_id, parameter_id, timeline_entry_id FROM factor_links \
                 ORDER BY id",
            ))
            .await
            .expect("links")
            .iter()
            .map(|r| {
                (
                    r.try_get::<i64>("", "factor_id").unwrap(),
                    r.try_get::<Option<i64>>("", "change_id").unwrap(),
                    r.try_get::<Option<i64>>("", "parameter_id").unwrap(),
                    r.try_get::<Option<i64>>("", "timeline_entry_id").unwrap(),
                )
            })
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        links(&db).await,
        [(41, Some(11), Some(21), None), (41, None, None, Some(31))]
    );
    // Down (to before this migration) puts the first change and entry back into the factor's
    // columns.
    let applied = Migrator::get_applied_migrations(&db)
        .await
        .expect("applied")
        .len();
    Migrator::down(&db, Some((applied - upto) as u32))
        .await
        .expect("down to before the migration");
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT change_id, parameter_id, timeline_entry_id FROM factors WHERE id = 41",
        ))
        .await
        .expect("read")
        .expect("a row");
    assert_eq!(
        row.try_get::<Option<i64>>("", "change_id").unwrap(),
        Some(11)
    );
    assert_eq!(
        row.try_get::<Option<i64>>("", "parameter_id").unwrap(),
        Some(21)
    );
    assert_eq!(
        row.try_get::<Option<i64>>("", "timeline_entry_id").unwrap(),
        Some(31)
    );
}

#[tokio::test]
async fn integration_tokens_made_before_scopes_keep_recording_changes_and_nothing_more() {
    let (_dir, db) = fresh().await;
    let upto = before("m20261201_000180_integration_token_scopes");
    Migrator::up(&db, Some(upto as u32))
        .await
        .expect("up to the migration before");
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        "INSERT INTO integration_tokens (name, token_digest, created_by, created_at) \
         VALUES ('Jenkins', 'a-digest', 'Ada Admin', '2020-03-23T12:00:00+00:00')",
    ))
    .await
    .expect("a token");
    Migrator::up(&db, None).await.expect("up");
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT scopes FROM integration_tokens WHERE name = 'Jenkins'",
        ))
        .await
        .expect("read")
        .expect("the token is there");
    assert_eq!(
        row.try_get::<String>("", "scopes").expect("scopes"),
        "write:changes"
    );
}

/// Tables no kept page reads: sign-ins, form flashes, the counters themselves, the search
/// index (written in the same transaction as the rows it is made from), and the notices queued
/// and delivered (migration 000240).
const NOT_SHOWN: [&str; 9] = [
    "form_flashes",
    "login_failures",
    "login_successes",
    "outbox",
    "read_generations",
    "scheduled_notices",
    "search_index",
    "sessions",
    "setup_tokens",
];

#[tokio::test]
async fn every_table_a_page_shows_moves_the_page_generation() {
    let (_dir, db) = fresh().await;
    Migrator::up(&db, None).await.expect("up");
    let backend = db.get_database_backend();
    let (mut missing, mut needless) = (Vec::new(), Vec::new());
    for table in tables(&db).await {
        // SQLite's full-text index keeps its rows in tables of its own.
        let shown = !(NOT_SHOWN.contains(&table.as_str()) || table.starts_with("search_index_"));
        let sql = match backend {
            DatabaseBackend::Postgres => format!(
                "SELECT COUNT(*) AS n FROM information_schema.triggers WHERE event_object_table = \
                 '{table}' AND trigger_name LIKE '%page_generation%'"
            ),
            _ => format!(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND tbl_name = \
                 '{table}' AND name LIKE '%page_generation%'"
            ),
        };
        let row = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .expect("the triggers are listed")
            .expect("a count");
        // One trigger per event (insert, update, delete), and none where no kept page looks.
        match (shown, row.try_get::<i64>("", "n").expect("a number")) {
            (true, 3) | (false, 0) => {}
            (true, _) => missing.push(table),
            (false, _) => needless.push(table),
        }
    }
    let pages = async || {
        db.query_one_raw(Statement::from_string(
            backend,
            "SELECT value FROM read_generations WHERE name = 'pages'",
        ))
        .await
        .expect("the counter is read")
        .expect("a 'pages' row")
        .try_get_by_index::<i64>(0)
        .expect("a number")
    };
    let before = pages().await;
    db.execute_unprepared("UPDATE incidents SET title = title WHERE id < 0")
        .await
        .expect("an update of no row");
    assert_eq!(pages().await, before, "a statement that changes nothing");
    // The migrations wrote two policies.
    db.execute_unprepared("DELETE FROM due_date_policies")
        .await
        .expect("the policies are deleted");
    assert!(pages().await > before, "a statement that changes rows");
    assert!(
        missing.is_empty(),
        "no page-generation triggers on {missing:?}: a page showing them would be kept past a \
         change (add them in the table's migration, as m20261201_000230_page_generation does)"
    );
    assert!(
        needless.is_empty(),
        "page-generation triggers on {needless:?}, which no kept page reads: each change there \
         drops every kept page"
    );
}
