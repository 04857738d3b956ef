//! Comments on a postmortem's sections, timeline entries and follow-ups.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("comments")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("incident_id"))
                    // What it is about: "section:impact", "timeline_entry:12", "follow_up:5".
                    .col(string("anchor"))
                    // Kept when the account goes: the name says who wrote it.
                    .col(big_integer_null("author_id"))
                    .col(string("author_name"))
                    .col(text("body_md"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_comments_incident_id")
                            .from("comments", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_comments_incident_id")
                    .table("comments")
                    .col("incident_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("comments").to_owned())
            .await
    }
}
