//! On Postgres, the search index's documents are found by their incident: re-indexing a whole
//! postmortem (`search::replace_for`, when one is created, imported or rebuilt at start-up) and
//! the cascade when an incident is deleted both delete by `incident_id`, which scanned the whole
//! index without this (rebuilding 10,000 postmortems' index ran for over 14 minutes). SQLite's
//! FTS5 table cannot be indexed by a column; there a whole postmortem's re-index stays a scan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_search_index_incident_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {NAME} ON search_index (incident_id)"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP INDEX IF EXISTS {NAME}"))
            .await?;
        Ok(())
    }
}
