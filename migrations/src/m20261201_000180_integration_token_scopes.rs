//! What each integration token may do: its scopes, space-separated (`read`, `write:changes`,
//! `write:follow-ups`). Every existing token keeps exactly what it could do before scopes
//! existed, recording changes: `write:changes`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("integration_tokens")
                    .add_column(string("scopes").default("write:changes"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("integration_tokens")
                    .drop_column("scopes")
                    .to_owned(),
            )
            .await
    }
}
