//! A webhook destination can be paused (`paused`): while it is, no new notice is queued for it
//! (what was queued before is still delivered). Every existing destination stays active.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_destinations")
                    .add_column(boolean("paused").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("webhook_destinations")
                    .drop_column("paused")
                    .to_owned(),
            )
            .await
    }
}
