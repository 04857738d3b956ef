//! The one-time token that lets the operator create the first admin, kept in the database
//! while no account exists, so every instance on the database prints and accepts the same one
//! (a setup link printed by one instance works through a load balancer that sends its form to
//! another). One row at most (`id` 1); creating the first admin deletes it. Kept in clear,
//! unlike session and integration tokens, because instances print it; it opens nothing once an
//! account exists.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("setup_tokens")
                    .if_not_exists()
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("token").string().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("setup_tokens").to_owned())
            .await
    }
}
