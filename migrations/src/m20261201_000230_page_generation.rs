//! A second counter in `read_generations`, `('pages', n)`, that triggers move in every
//! transaction that changes anything a page shows: every table but the bookkeeping of sign-ins
//! and form flashes, which no kept page reads.
//!
//! The server keeps a rendered page (the postmortem, the list, the dashboard, changes, metrics,
//! search, the library) for the counter value it read before rendering, and serves it again
//! while the counter has not moved. Like the `facts` counter (migration 000060) the triggers
//! move it in the same transaction as the change, whichever code path, instance or operator's
//! SQL writes it, so a page is never kept past a change it does not show.
//!
//! A statement that changes nothing (the delivery worker's claim of due notices every few
//! seconds, a clean-up with nothing to clean) moves nothing. SQLite's triggers fire per row.
//! Postgres' fire once per statement and look at the statement's rows (a transition table):
//! per-row triggers there made a bulk copy quadratic, since every update of the one counter row
//! in a long transaction walks all its earlier versions (10,000 rows inserted in 2.4 s, 40,000
//! in 34.5 s; per statement, 0.07 s and 0.17 s).
//!
//! A table added later gets its triggers in its own migration; the `up_down` test fails for a
//! table that has none and is not one of the bookkeeping tables.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table a page may read, when this migration was written.
const SHOWN: [&str; 38] = [
    "change_parameters",
    "changes",
    "comments",
    "due_date_policies",
    "email_opt_outs",
    "factor_categories",
    "factor_links",
    "factors",
    "feed_keys",
    "follow_ups",
    "history",
    "impact_figures",
    "incident_field_values",
    "incident_participants",
    "incident_relations",
    "incidents",
    "integration_tokens",
    "lesson_tags",
    "mentor_notes",
    "metric_exclusions",
    "milestones",
    "notice_policies",
    "outbox",
    "postmortem_templates",
    "published_lessons",
    "published_postmortems",
    "reading_list_items",
    "reading_lists",
    "recorded_changes",
    "review_group_members",
    "review_groups",
    "reviews",
    "scheduled_notices",
    "share_links",
    "template_history",
    "timeline_entries",
    "users",
    "webhook_destinations",
];

const BUMP: &str = "UPDATE read_generations SET value = value + 1 WHERE name = 'pages'";
const PG_FUNCTION: &str = "debrief_bump_page_generation";
/// Each event, and on Postgres the transition table that holds the rows it changed.
const EVENTS: [(&str, &str); 3] = [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")];

fn trigger(table: &str, event: &str) -> String {
    format!("{table}_page_generation_{}", event.to_lowercase())
}

/// The statements that make every change to `table` move the counter (the function they call on
/// Postgres must exist).
pub(crate) fn create_triggers(backend: DbBackend, table: &str) -> Vec<String> {
    EVENTS
        .iter()
        .map(|(event, rows)| match backend {
            DbBackend::Postgres => format!(
                "CREATE TRIGGER {} AFTER {event} ON {table} \
                 REFERENCING {rows} TABLE AS changed \
                 FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
                trigger(table, event)
            ),
            _ => format!(
                "CREATE TRIGGER {} AFTER {event} ON {table} BEGIN {BUMP}; END",
                trigger(table, event)
            ),
        })
        .collect()
}

/// The statements that undo [`create_triggers`] for `table`.
pub(crate) fn drop_triggers(backend: DbBackend, table: &str) -> Vec<String> {
    EVENTS
        .iter()
        .map(|(event, _)| match backend {
            DbBackend::Postgres => format!("DROP TRIGGER {} ON {table}", trigger(table, event)),
            _ => format!("DROP TRIGGER {}", trigger(table, event)),
        })
        .collect()
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut sql = vec!["INSERT INTO read_generations (name, value) VALUES ('pages', 0)".to_owned()];
    if backend == DbBackend::Postgres {
        sql.push(format!(
            "CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF EXISTS (SELECT 1 FROM changed) THEN {BUMP}; END IF; \
             RETURN NULL; END $$"
        ));
    }
    for table in SHOWN {
        sql.extend(create_triggers(backend, table));
    }
    sql
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut sql = Vec::new();
    for table in SHOWN {
        sql.extend(drop_triggers(backend, table));
    }
    if backend == DbBackend::Postgres {
        sql.push(format!("DROP FUNCTION {PG_FUNCTION}()"));
    }
    sql.push("DELETE FROM read_generations WHERE name = 'pages'".to_owned());
    sql
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in up_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in down_statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
