//! The change API: tokens an admin makes for each integration (only their digest is kept), and
//! the changes integrations record through it, kept until a team links one to an incident.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("integration_tokens")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    // What the integration is ("Jenkins on build-01").
                    .col(string("name"))
                    .col(string("token_digest").unique_key())
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("recorded_changes")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("system"))
                    // The change and its parameters as JSON (domain::change::RecordedChange).
                    .col(text("data"))
                    // The integration's name as it was when it recorded the change.
                    .col(string("source"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    // Where a team copied it to, once linked.
                    .col(big_integer_null("linked_change_id"))
                    .col(big_integer_null("linked_incident_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("recorded_changes").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("integration_tokens").to_owned())
            .await?;
        Ok(())
    }
}
