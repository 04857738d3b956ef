//! The lessons library: tags on the lessons of published postmortems (a lesson is one section:
//! what went well, what went wrong, where we got lucky), and reading lists of lessons that
//! mentors curate, each with a note.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn incident_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_incident_id"))
        .from(table, "incident_id")
        .to("incidents", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("lesson_tags")
                    .if_not_exists()
                    .col(big_integer("incident_id"))
                    // A domain::library::LessonKind.
                    .col(string("kind"))
                    .col(string("tag"))
                    .primary_key(Index::create().col("incident_id").col("kind").col("tag"))
                    .foreign_key(&mut incident_fk("lesson_tags"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("reading_lists")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("title"))
                    .col(text("note_md"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("reading_list_items")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("list_id"))
                    .col(big_integer("incident_id"))
                    .col(string("kind"))
                    // Why this lesson is on the list.
                    .col(text("note"))
                    .col(timestamp_with_time_zone("added_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reading_list_items_list_id")
                            .from("reading_list_items", "list_id")
                            .to("reading_lists", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut incident_fk("reading_list_items"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_reading_list_items_lesson")
                    .table("reading_list_items")
                    .col("list_id")
                    .col("incident_id")
                    .col("kind")
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["reading_list_items", "reading_lists", "lesson_tags"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
