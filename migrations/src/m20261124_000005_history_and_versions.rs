//! Safe editing by several people: a version number on every editable record (a save names the
//! version it started from; a stale one is a conflict), the revision of each postmortem (a
//! correction after publishing starts the next), and the history of every change: who, when,
//! and the record before and after.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each record a person edits through a form, with the column that counts its saves.
const VERSIONED: [(&str, &str); 7] = [
    ("incidents", "version"),
    ("incidents", "lessons_version"),
    ("timeline_entries", "version"),
    ("impact_figures", "version"),
    ("changes", "version"),
    ("change_parameters", "version"),
    ("follow_ups", "version"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for (table, column) in VERSIONED {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(big_integer(column).default(1))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("incidents")
                    .add_column(integer("revision").default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("history")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    // No foreign key: the history of a deleted incident is kept.
                    .col(big_integer("incident_id"))
                    .col(big_integer_null("user_id"))
                    .col(string("user_name"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("part"))
                    .col(big_integer("part_id"))
                    .col(string("action"))
                    .col(string("summary"))
                    .col(text_null("before"))
                    .col(text_null("after"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_history_incident_id")
                    .table("history")
                    .col("incident_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("history").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("incidents")
                    .drop_column("revision")
                    .to_owned(),
            )
            .await?;
        for (table, column) in VERSIONED.iter().rev() {
            manager
                .alter_table(Table::alter().table(*table).drop_column(*column).to_owned())
                .await?;
        }
        Ok(())
    }
}
