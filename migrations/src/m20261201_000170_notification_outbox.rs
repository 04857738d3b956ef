//! The notification outbox: one row per message to deliver (an email to one person, a payload to
//! one webhook destination), written in the same transaction as the event that causes it, so a
//! rolled-back edit sends nothing and a committed one is never forgotten. A worker delivers due
//! rows with retries and backoff and marks each sent or, after too many tries, dead.
//!
//! `idempotency_key` is unique: writing the same notification twice (a retried request, a
//! digest two instances both compute) leaves one row, and receivers can drop repeats by it.
//! `claimed_until` is a delivery lease: an instance takes a due row by setting it, and another
//! instance skips the row until the lease runs out (a crashed sender's rows are retried then).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("idempotency_key").unique_key())
                    .col(string("channel"))
                    .col(string("recipient"))
                    .col(string("event"))
                    .col(string("subject"))
                    .col(text("body"))
                    .col(string("link"))
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone_null("dead_at"))
                    .col(text_null("last_error"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table("outbox")
                    .col("sent_at")
                    .col("dead_at")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("outbox").to_owned())
            .await?;
        Ok(())
    }
}
