//! The search index's keys make room for sixteen kinds of document (a part's id times sixteen,
//! plus its kind's code): contributing factors, related incidents and custom field values made
//! nine kinds, one more than the eight the keys had room for. Every key changes, so this empties
//! the index, and the application rebuilds it from the stored postmortems when it starts
//! (`app::server::repo::search::build_if_empty`), as `…000022_search_index_keys` did.

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
        // The code before writes under keys of its own: empty again, for it to rebuild.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM search_index")
            .await?;
        Ok(())
    }
}
