//! Impact figures that are not counts: a share or a rate or money may be an estimate
//! (`quantity_approximate`), a rate counts per a unit of time (`rate_per`), money has a
//! currency (`currency`), and a figure nobody measured says why (`not_measured_reason`; its
//! `quantity_low` stays 0 and is never read). Existing figures (exact, approximate, range) keep
//! their meaning: the new columns are empty or false for them.
//!
//! The metrics page now also shows what the impact figures come to, so a change to a figure
//! moves the read generation (see `m20261130_000060_read_generation`) as a change to a
//! follow-up does: triggers on every insert, update and delete of `impact_figures`.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "impact_figures";

/// The columns added, in order; dropped in reverse.
const COLUMNS: [&str; 4] = [
    "quantity_approximate",
    "rate_per",
    "currency",
    "not_measured_reason",
];

const BUMP: &str = "UPDATE read_generations SET value = value + 1 WHERE name = 'facts'";
/// The function `m20261130_000060_read_generation` made for Postgres' triggers.
const PG_FUNCTION: &str = "debrief_bump_read_generation";
const SQLITE_EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

fn trigger(event: &str) -> String {
    format!("{TABLE}_read_generation_{}", event.to_lowercase())
}

fn up_triggers(backend: DbBackend) -> Vec<String> {
    match backend {
        DbBackend::Postgres => vec![format!(
            "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {TABLE} \
             FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
            trigger("all")
        )],
        _ => SQLITE_EVENTS
            .iter()
            .map(|event| {
                format!(
                    "CREATE TRIGGER {} AFTER {event} ON {TABLE} BEGIN {BUMP}; END",
                    trigger(event)
                )
            })
            .collect(),
    }
}

fn down_triggers(backend: DbBackend) -> Vec<String> {
    match backend {
        DbBackend::Postgres => vec![format!("DROP TRIGGER {} ON {TABLE}", trigger("all"))],
        _ => SQLITE_EVENTS
            .iter()
            .map(|event| format!("DROP TRIGGER {}", trigger(event)))
            .collect(),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One ALTER per statement: SQLite adds one column at a time.
        let columns = [
            boolean(COLUMNS[0]).default(false).to_owned(),
            string_null(COLUMNS[1]),
            string_null(COLUMNS[2]),
            text_null(COLUMNS[3]),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(TABLE)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for statement in up_triggers(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in down_triggers(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        for column in COLUMNS.iter().rev() {
            manager
                .alter_table(Table::alter().table(TABLE).drop_column(*column).to_owned())
                .await?;
        }
        Ok(())
    }
}
