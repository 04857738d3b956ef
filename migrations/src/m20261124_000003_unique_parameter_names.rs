//! A change records each parameter once: names are unique per change, ignoring (ASCII) case,
//! so two people adding "concurrency" at the same moment cannot both succeed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // An expression index: sea-query's builder has none, and this SQL is the same on SQLite
        // and Postgres.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_change_parameters_name \
                 ON change_parameters (change_id, lower(name))",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_change_parameters_name")
                    .table("change_parameters")
                    .to_owned(),
            )
            .await
    }
}
