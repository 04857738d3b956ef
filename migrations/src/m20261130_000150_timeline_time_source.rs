//! Where a timeline entry's time comes from ("Jenkins build log", "Slack message", "from
//! memory"): the note a reviewer needs beside an approximate time. Empty for every existing
//! entry; the timeline checks ask for it on approximate and range times.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("timeline_entries")
                    .add_column(string("time_source").default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("timeline_entries")
                    .drop_column("time_source")
                    .to_owned(),
            )
            .await
    }
}
