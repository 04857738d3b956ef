//! Review decisions: who approved a postmortem's revision (with the checklist they ticked) or
//! sent it back (with their comments), and when.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("reviews")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("incident_id"))
                    .col(integer("revision"))
                    // Kept when the account goes: the name says who it was.
                    .col(big_integer_null("reviewer_id"))
                    .col(string("reviewer_name"))
                    // "approve" or "request_changes".
                    .col(string("step"))
                    // The checklist items ticked, one `as_str` per line.
                    .col(text("checked"))
                    .col(text("comments"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reviews_incident_id")
                            .from("reviews", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reviews_incident_id")
                    .table("reviews")
                    .col("incident_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("reviews").to_owned())
            .await
    }
}
