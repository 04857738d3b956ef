//! Where each user last logged in from: an address with a recent successful login is the
//! owner's own, and the per-account slowdown that many strangers' failures cause does not
//! apply to it (see `app/src/domain/login_limit.rs`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("login_successes")
                    .if_not_exists()
                    .col(big_integer("user_id"))
                    // The client address as rate limiting sees it (after trusted proxies).
                    .col(string("address"))
                    .col(timestamp_with_time_zone("at"))
                    .primary_key(Index::create().col("user_id").col("address"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_login_successes_user_id")
                            .from("login_successes", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("login_successes").to_owned())
            .await?;
        Ok(())
    }
}
