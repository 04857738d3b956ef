//! Form flashes: what a person typed into a form that failed validation without JavaScript,
//! kept for a short while so the page they are sent back to can show it with the errors.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("form_flashes")
                    .if_not_exists()
                    .col(string("id").primary_key())
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_form_flashes_created_at")
                    .table("form_flashes")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("form_flashes").to_owned())
            .await
    }
}
