//! Shareable links to the redacted version of a published postmortem: an unguessable token
//! (only its digest is kept), who made the link and when, and when it was revoked.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("share_links")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("incident_id"))
                    // SHA-256 of the token, as hex: a leaked database does not leak the links.
                    .col(string("token_digest").unique_key())
                    .col(big_integer_null("created_by_id"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_share_links_incident_id")
                            .from("share_links", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("share_links").to_owned())
            .await?;
        Ok(())
    }
}
