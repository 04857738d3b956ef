//! A contributing factor shows in several places, and templates keep their story:
//!
//! - `factor_links`: the changes (each optionally with one of its parameters) and timeline
//!   entries that show a factor, one row each, in the order they were picked. The single links
//!   `factors.change_id`, `parameter_id` and `timeline_entry_id` of m20261130_000120 are
//!   carried over and then emptied (the columns stay: SQLite cannot drop a column that has a
//!   foreign key); `down` puts each factor's first change and first entry back.
//!   A link goes with its factor, change or entry (ON DELETE CASCADE); a deleted parameter
//!   leaves the link to its change.
//! - `postmortem_templates.retired`: a retired template is not offered for new incidents and
//!   keeps working on the incidents that follow it.
//! - `template_history`: who changed a template, when, and its definition before and after, for
//!   admins to read (templates belong to no incident, so the incidents' `history` cannot hold
//!   them).
//!
//! `factor_links` moves the read generation as `factors` does (the changes view reads it).

use sea_orm_migration::sea_orm::{DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const LINKS: &str = "factor_links";
const HISTORY: &str = "template_history";
const TEMPLATES: &str = "postmortem_templates";

fn points_at(
    column: &'static str,
    table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_factor_links_{column}"))
        .from(LINKS, column)
        .to(table, "id")
        .on_delete(on_delete)
        .to_owned()
}

fn cascade(column: &'static str, table: &'static str) -> ForeignKeyCreateStatement {
    points_at(column, table, ForeignKeyAction::Cascade)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LINKS)
                    .if_not_exists()
                    .col(pk_auto("id").big_integer())
                    .col(big_integer("factor_id"))
                    // Either a change (with or without one of its parameters) or an entry.
                    .col(big_integer_null("change_id"))
                    .col(big_integer_null("parameter_id"))
                    .col(big_integer_null("timeline_entry_id"))
                    .foreign_key(&mut cascade("factor_id", "factors"))
                    .foreign_key(&mut cascade("change_id", "changes"))
                    // A deleted parameter leaves the link to its change.
                    .foreign_key(&mut points_at(
                        "parameter_id",
                        "change_parameters",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut cascade("timeline_entry_id", "timeline_entries"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factor_links_factor_id")
                    .table(LINKS)
                    .col("factor_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factor_links_change_id")
                    .table(LINKS)
                    .col("change_id")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO factor_links (factor_id, change_id, parameter_id) \
             SELECT id, change_id, parameter_id FROM factors WHERE change_id IS NOT NULL \
             ORDER BY id",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO factor_links (factor_id, timeline_entry_id) \
             SELECT id, timeline_entry_id FROM factors WHERE timeline_entry_id IS NOT NULL \
             ORDER BY id",
        )
        .await?;
        // Only when a factor has a link: on Postgres the factors' statement trigger would move
        // the read generation of a fresh database, whose value 0 says nothing was ever read.
        let linked = db
            .query_one_raw(Statement::from_string(
                manager.get_database_backend(),
                "SELECT COUNT(*) AS n FROM factors WHERE change_id IS NOT NULL \
                 OR parameter_id IS NOT NULL OR timeline_entry_id IS NOT NULL",
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if linked > 0 {
            db.execute_unprepared(
                "UPDATE factors SET change_id = NULL, parameter_id = NULL, timeline_entry_id = NULL \
                 WHERE change_id IS NOT NULL OR parameter_id IS NOT NULL \
                 OR timeline_entry_id IS NOT NULL",
            )
            .await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE TRIGGER factor_links_read_generation_all AFTER INSERT OR UPDATE OR DELETE \
                 ON factor_links FOR EACH STATEMENT EXECUTE FUNCTION debrief_bump_read_generation()",
            )
            .await?;
        } else {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER factor_links_read_generation_{} AFTER {event} ON factor_links \
                     BEGIN UPDATE read_generations SET value = value + 1 \
                     WHERE name = 'facts'; END",
                    event.to_lowercase()
                ))
                .await?;
            }
        }

        manager
            .alter_table(
                Table::alter()
                    .table(TEMPLATES)
                    .add_column(boolean("retired").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HISTORY)
                    .if_not_exists()
                    .col(pk_auto("id").big_integer())
                    // No foreign key: the story of a deleted template is kept.
                    .col(big_integer("template_id"))
                    .col(string("template_name"))
                    .col(big_integer_null("user_id"))
                    .col(string("user_name"))
                    .col(timestamp_with_time_zone("at"))
                    // created, updated, retired, restored, deleted
                    .col(string("action"))
                    .col(text_null("before"))
                    .col(text_null("after"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_template_history_template_id")
                    .table(HISTORY)
                    .col("template_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HISTORY).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TEMPLATES)
                    .drop_column("retired")
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE factors SET \
               change_id = (SELECT l.change_id FROM factor_links l WHERE l.factor_id = factors.id \
                 AND l.change_id IS NOT NULL ORDER BY l.id LIMIT 1), \
               parameter_id = (SELECT l.parameter_id FROM factor_links l \
                 WHERE l.factor_id = factors.id AND l.change_id IS NOT NULL ORDER BY l.id LIMIT 1), \
               timeline_entry_id = (SELECT l.timeline_entry_id FROM factor_links l \
                 WHERE l.factor_id = factors.id AND l.timeline_entry_id IS NOT NULL \
                 ORDER BY l.id LIMIT 1)",
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "DROP TRIGGER IF EXISTS factor_links_read_generation_all ON factor_links",
            )
            .await?;
        }
        manager
            .drop_table(Table::drop().table(LINKS).to_owned())
            .await
    }
}
