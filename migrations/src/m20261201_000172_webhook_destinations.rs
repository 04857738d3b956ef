//! Outbound webhook destinations an admin adds: where to send notices (a Slack-compatible
//! incoming webhook, or a generic JSON endpoint that checks an HMAC-SHA256 signature made with
//! `secret`), which events (`events`, a comma-separated list of event names), and whether the
//! destination reaches postmortem writers only (otherwise it gets only notices every viewer may
//! read). Outbox rows of the `webhook` channel name a destination by its id.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("webhook_destinations")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(text("url"))
                    .col(string("kind"))
                    .col(string_null("secret"))
                    .col(text("events"))
                    .col(boolean("writers_only").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string("created_by"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("webhook_destinations").to_owned())
            .await?;
        Ok(())
    }
}
