//! A counter of the facts the organisation-wide views read: `read_generations` holds one row,
//! `('facts', n)`, and triggers add one to `n` in every transaction that changes a follow-up, a
//! change or its parameters, a published version, a metric exclusion, a user's display name or team,
//! or what the views read of an incident (its title, status, revision, severity, services,
//! impact start and measures — not its text, so writing a postmortem's timeline or summary
//! leaves the counter alone unless a milestone moves a measure).
//!
//! The dashboard, the changes view and the metrics aggregate thousands of rows; the application
//! keeps what it computed for a counter value and serves it again while the counter has not
//! moved. The triggers make the counter move in the same transaction as the change, whichever
//! code path (or instance, or operator's SQL) writes it, so a read of the counter and then of
//! the facts never pairs an old counter with newer facts it has not seen.
//!
//! SQLite triggers fire once per row and need one per event; Postgres ones once per statement
//! where no column condition applies, through one function.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose every insert, update and delete moves the counter.
const WHOLE: [&str; 5] = [
    "follow_ups",
    "changes",
    "change_parameters",
    "published_postmortems",
    "metric_exclusions",
];

/// Tables whose rows are counted when inserted or deleted, and updated only when one of these
/// columns changes.
const PARTIAL: [(&str, &[&str]); 2] = [
    ("users", &["display_name", "team"]),
    (
        "incidents",
        &[
            "title",
            "status",
            "revision",
            "severity",
            "services",
            "impact_started_at",
            "time_to_detect_seconds",
            "time_to_detect_approximate",
            "time_to_mitigate_seconds",
            "time_to_mitigate_approximate",
            "impact_duration_seconds",
            "impact_duration_approximate",
            "measured",
        ],
    ),
];

const BUMP: &str = "UPDATE read_generations SET value = value + 1 WHERE name = 'facts'";
const PG_FUNCTION: &str = "debrief_bump_read_generation";

fn trigger(table: &str, event: &str) -> String {
    format!("{table}_read_generation_{}", event.to_lowercase())
}

fn changed(columns: &[&str], distinct: &str) -> String {
    columns
        .iter()
        .map(|c| format!("OLD.{c} {distinct} NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut sql = vec![
        "CREATE TABLE read_generations (name VARCHAR(32) NOT NULL PRIMARY KEY, value BIGINT NOT NULL)"
            .to_owned(),
        "INSERT INTO read_generations (name, value) VALUES ('facts', 0)".to_owned(),
    ];
    match backend {
        DbBackend::Postgres => {
            sql.push(format!(
                "CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN {BUMP}; RETURN NULL; END $$"
            ));
            for table in WHOLE {
                sql.push(format!(
                    "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {table} \
                     FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
                    trigger(table, "all")
                ));
            }
            for (table, columns) in PARTIAL {
                sql.push(format!(
                    "CREATE TRIGGER {} AFTER INSERT OR DELETE ON {table} \
                     FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
                    trigger(table, "rows")
                ));
                sql.push(format!(
                    "CREATE TRIGGER {} AFTER UPDATE ON {table} FOR EACH ROW WHEN ({}) \
                     EXECUTE FUNCTION {PG_FUNCTION}()",
                    trigger(table, "update"),
                    changed(columns, "IS DISTINCT FROM")
                ));
            }
        }
        _ => {
            for table in WHOLE {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    sql.push(format!(
                        "CREATE TRIGGER {} AFTER {event} ON {table} BEGIN {BUMP}; END",
                        trigger(table, event)
                    ));
                }
            }
            for (table, columns) in PARTIAL {
                for event in ["INSERT", "DELETE"] {
                    sql.push(format!(
                        "CREATE TRIGGER {} AFTER {event} ON {table} BEGIN {BUMP}; END",
                        trigger(table, event)
                    ));
                }
                sql.push(format!(
                    "CREATE TRIGGER {} AFTER UPDATE ON {table} WHEN {} BEGIN {BUMP}; END",
                    trigger(table, "update"),
                    changed(columns, "IS NOT")
                ));
            }
        }
    }
    sql
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut sql = Vec::new();
    match backend {
        DbBackend::Postgres => {
            for table in WHOLE {
                sql.push(format!("DROP TRIGGER {} ON {table}", trigger(table, "all")));
            }
            for (table, _) in PARTIAL {
                for event in ["rows", "update"] {
                    sql.push(format!("DROP TRIGGER {} ON {table}", trigger(table, event)));
                }
            }
            sql.push(format!("DROP FUNCTION {PG_FUNCTION}()"));
        }
        _ => {
            for table in WHOLE {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    sql.push(format!("DROP TRIGGER {}", trigger(table, event)));
                }
            }
            for (table, _) in PARTIAL {
                for event in ["INSERT", "DELETE", "update"] {
                    sql.push(format!("DROP TRIGGER {}", trigger(table, event)));
                }
            }
        }
    }
    sql.push("DROP TABLE read_generations".to_owned());
    sql
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in up_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in down_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
