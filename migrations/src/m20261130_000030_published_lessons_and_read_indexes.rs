//! The lessons library reads one page of lessons: `published_lessons` holds each non-empty
//! lesson of each published postmortem as published (its incident's title beside it), kept by
//! the repository in the transaction that publishes, so the library pages, filters and counts
//! tags in SQL instead of reading every published postmortem. Backfilled here from the
//! published versions. Indexes for "my work" (history by author, follow-ups by owner).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, small_integer, string, text};
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Plain indexes: (name, table, columns).
const INDEXES: [(&str, &str, &[&str]); 2] = [
    ("ix_history_user_id", "history", &["user_id"]),
    ("ix_follow_ups_owner_id", "follow_ups", &["owner_id"]),
];

/// A lesson kind as stored (`domain::library::LessonKind`), its place on the page and its
/// field in a published postmortem's lessons.
const KINDS: [(&str, i16, &str); 3] = [
    ("went_well", 0, "went_well_md"),
    ("went_wrong", 1, "went_wrong_md"),
    ("lucky", 2, "lucky_md"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("published_lessons")
                    .if_not_exists()
                    .col(big_integer("incident_id"))
                    .col(string("kind"))
                    .col(small_integer("position"))
                    .col(string("incident_title"))
                    .col(text("lesson_md"))
                    .primary_key(Index::create().col("incident_id").col("position"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_published_lessons_incident_id")
                            .from("published_lessons", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let published = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT incident_id, data FROM published_postmortems",
            ))
            .await?;
        for row in published {
            let incident_id: i64 = row.try_get("", "incident_id")?;
            let data: String = row.try_get("", "data")?;
            let value: serde_json::Value = serde_json::from_str(&data).map_err(|e| {
                DbErr::Migration(format!("published postmortem {incident_id}: {e}"))
            })?;
            let incident = &value["incident"];
            let title = incident["title"].as_str().unwrap_or_default();
            for (kind, position, field) in KINDS {
                let lesson = incident["lessons"][field].as_str().unwrap_or_default();
                if lesson.trim().is_empty() {
                    continue;
                }
                let insert = Query::insert()
                    .into_table("published_lessons")
                    .columns([
                        "incident_id",
                        "kind",
                        "position",
                        "incident_title",
                        "lesson_md",
                    ])
                    .values_panic([
                        incident_id.into(),
                        kind.into(),
                        position.into(),
                        title.into(),
                        lesson.into(),
                    ])
                    .to_owned();
                db.execute(&insert).await?;
            }
        }
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES.iter().rev() {
            manager
                .drop_index(Index::drop().name(*name).table(*table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("published_lessons").to_owned())
            .await
    }
}
