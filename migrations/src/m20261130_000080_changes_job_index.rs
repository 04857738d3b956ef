//! "Earlier incidents of this job" on a postmortem page looks a job up by its system and its
//! key (the identifier, or the summary when it has none; trimmed and lowercased, as
//! `domain::change::job_key` compares them), below the incident, newest first. On
//! `ix_changes_job_system` alone it read every change of the system (10,000 incidents: ~1,900
//! rows, 6 ms a page); on this index it reads the job's rows only, and the relation from the
//! index. The expressions are the query's (`repo::changes::incidents_involving`), on SQLite and
//! Postgres: an expression index is used only by a query that spells the same expression.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_changes_job";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {NAME} ON changes (lower(trim(system)), \
                 (CASE WHEN (trim(identifier) = '') THEN lower(trim(summary)) \
                 ELSE lower(trim(identifier)) END), incident_id, relation)"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table("changes").to_owned())
            .await
    }
}
