//! Feeds and lessons that travel: each person's private feed key (only its digest is kept; one
//! per person, replaced or revoked by them), mentors' teaching notes on published postmortems
//! and their timeline entries, and an index on when postmortems were published (the Atom feed
//! reads the newest, "on this day" reads one day per earlier year).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("feed_keys")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id").unique_key())
                    .col(string("key_digest").unique_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feed_keys_user_id")
                            .from("feed_keys", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_notes")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("incident_id"))
                    // NULL: a note on the lesson as a whole. Not a foreign key: the entry may
                    // live on only in the published version while a correction rewrites it.
                    .col(big_integer_null("timeline_entry_id"))
                    .col(text("body_md"))
                    .col(boolean("show_on_shared").default(false))
                    .col(big_integer_null("author_id"))
                    // The writer's name as it was when they wrote the note.
                    .col(string("author_name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mentor_notes_incident_id")
                            .from("mentor_notes", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mentor_notes_incident_id")
                    .table("mentor_notes")
                    .col("incident_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_published_postmortems_published_at")
                    .table("published_postmortems")
                    .col("published_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_published_postmortems_published_at")
                    .table("published_postmortems")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("mentor_notes").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("feed_keys").to_owned())
            .await?;
        Ok(())
    }
}
