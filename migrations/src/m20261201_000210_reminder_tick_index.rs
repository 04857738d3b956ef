//! The reminder tick (`server::notify::scheduled`) first asks which follow-up owners have
//! committed or in-progress follow-ups due by a date, grouped in SQL; without an index on the
//! state and the due date it read every open follow-up of the state index every minute.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_follow_ups_state_due_on";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table("follow_ups")
                    .col("state")
                    .col("due_on")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table("follow_ups").to_owned())
            .await
    }
}
