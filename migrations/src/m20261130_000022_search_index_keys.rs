//! The search index stores each document under a key made of its part's id and kind (the FTS5
//! `rowid`, the Postgres `id`), so a write replaces one part's document by key instead of
//! re-indexing the whole postmortem. Documents written before carry arbitrary keys: this empties
//! the index, and the application rebuilds it from the stored postmortems when it starts
//! (`app::server::repo::search::build_if_empty`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM search_index")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Keyed documents are read as well as any others by the code before: nothing to undo,
        // and an index emptied by `up` is rebuilt when the application starts.
        let _ = manager;
        Ok(())
    }
}
