//! Debrief's database schema, as sea-orm migrations.
//!
//! Every migration runs on SQLite and Postgres alike (one ALTER per statement, foreign keys only
//! at table creation) and has a working `down`. A migration that has landed is never edited:
//! change the schema with a new one.
//!
//! A server brings the schema up to date with [`up_once`], not `Migrator::up`: the pending
//! migrations run as one transaction under a lock, so two servers starting at the same moment
//! on one database run them once, and a migration that fails leaves the database as it was.

pub use sea_orm_migration::prelude::*;

use sea_orm_migration::sea_orm::{
    DatabaseConnection, DbBackend, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

mod m20261124_000001_postmortems;
mod m20261124_000002_form_flashes;
mod m20261124_000003_unique_parameter_names;
mod m20261124_000004_accounts;
mod m20261124_000005_history_and_versions;
mod m20261124_000006_reviews;
mod m20261124_000007_comments;
mod m20261124_000008_people_on_incidents;
mod m20261124_000009_published_postmortems;
mod m20261124_000010_follow_through;
mod m20261124_000011_share_links;
mod m20261124_000012_change_api;
mod m20261124_000013_metric_exclusions;
mod m20261124_000014_lessons_library;
mod m20261124_000015_search;
mod m20261130_000001_login_successes;
mod m20261130_000002_internal_marks;
mod m20261130_000003_form_flash_sessions;
mod m20261130_000004_reading_list_owners;
mod m20261130_000020_list_order_and_read_indexes;
mod m20261130_000022_search_index_keys;
mod m20261130_000030_published_lessons_and_read_indexes;
mod m20261130_000040_follow_up_owner_name_index;
mod m20261130_000050_incident_measures;
mod m20261130_000060_read_generation;
mod m20261130_000070_setup_token;
mod m20261130_000080_changes_job_index;
mod m20261130_000090_search_words_split_at_punctuation;
mod m20261130_000100_search_index_incident;
mod m20261130_000110_impact_kinds;
mod m20261130_000115_review_groups;
mod m20261130_000120_contributing_factors;
mod m20261130_000130_incident_relations;
mod m20261130_000140_postmortem_templates;
mod m20261130_000150_timeline_time_source;
mod m20261130_000160_search_keys_for_sixteen_kinds;
mod m20261201_000170_notification_outbox;
mod m20261201_000172_webhook_destinations;
mod m20261201_000175_notification_choices;
mod m20261201_000180_integration_token_scopes;
mod m20261201_000190_feeds_and_mentor_notes;
mod m20261201_000200_factor_links_and_template_history;
mod m20261201_000210_reminder_tick_index;
mod m20261201_000220_webhook_pause;
mod m20261201_000230_page_generation;
mod m20261202_000240_notices_leave_pages_kept;

/// Runs Debrief's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_postmortems::Migration),
            Box::new(m20261124_000002_form_flashes::Migration),
            Box::new(m20261124_000003_unique_parameter_names::Migration),
            Box::new(m20261124_000004_accounts::Migration),
            Box::new(m20261124_000005_history_and_versions::Migration),
            Box::new(m20261124_000006_reviews::Migration),
            Box::new(m20261124_000007_comments::Migration),
            Box::new(m20261124_000008_people_on_incidents::Migration),
            Box::new(m20261124_000009_published_postmortems::Migration),
            Box::new(m20261124_000010_follow_through::Migration),
            Box::new(m20261124_000011_share_links::Migration),
            Box::new(m20261124_000012_change_api::Migration),
            Box::new(m20261124_000013_metric_exclusions::Migration),
            Box::new(m20261124_000014_lessons_library::Migration),
            Box::new(m20261124_000015_search::Migration),
            Box::new(m20261130_000001_login_successes::Migration),
            Box::new(m20261130_000002_internal_marks::Migration),
            Box::new(m20261130_000003_form_flash_sessions::Migration),
            Box::new(m20261130_000004_reading_list_owners::Migration),
            Box::new(m20261130_000020_list_order_and_read_indexes::Migration),
            Box::new(m20261130_000022_search_index_keys::Migration),
            Box::new(m20261130_000030_published_lessons_and_read_indexes::Migration),
            Box::new(m20261130_000040_follow_up_owner_name_index::Migration),
            Box::new(m20261130_000050_incident_measures::Migration),
            Box::new(m20261130_000060_read_generation::Migration),
            Box::new(m20261130_000070_setup_token::Migration),
            Box::new(m20261130_000080_changes_job_index::Migration),
            Box::new(m20261130_000090_search_words_split_at_punctuation::Migration),
            Box::new(m20261130_000100_search_index_incident::Migration),
            Box::new(m20261130_000110_impact_kinds::Migration),
            Box::new(m20261130_000115_review_groups::Migration),
            Box::new(m20261130_000120_contributing_factors::Migration),
            Box::new(m20261130_000130_incident_relations::Migration),
            Box::new(m20261130_000140_postmortem_templates::Migration),
            Box::new(m20261130_000150_timeline_time_source::Migration),
            Box::new(m20261130_000160_search_keys_for_sixteen_kinds::Migration),
            Box::new(m20261201_000170_notification_outbox::Migration),
            Box::new(m20261201_000172_webhook_destinations::Migration),
            Box::new(m20261201_000175_notification_choices::Migration),
            Box::new(m20261201_000180_integration_token_scopes::Migration),
            Box::new(m20261201_000190_feeds_and_mentor_notes::Migration),
            Box::new(m20261201_000200_factor_links_and_template_history::Migration),
            Box::new(m20261201_000210_reminder_tick_index::Migration),
            Box::new(m20261201_000220_webhook_pause::Migration),
            Box::new(m20261201_000230_page_generation::Migration),
            Box::new(m20261202_000240_notices_leave_pages_kept::Migration),
        ]
    }
}

/// The Postgres advisory lock [`up_once`] holds: Debrief's lock space (the first key of the
/// application's advisory locks, see `app::server::db::Lock`) and 0, which no `Lock` uses.
pub const MIGRATION_LOCK: (i32, i32) = (0x0de6_b1ef, 0);

/// Runs `M`'s pending migrations, all of them or none, once however many servers start at the
/// same moment on `db`.
///
/// Everything happens in one transaction: on SQLite one that takes the write lock at once
/// (`BEGIN IMMEDIATE`), on Postgres one that first takes the advisory lock [`MIGRATION_LOCK`].
/// A second server waits for the first to commit and then finds nothing pending (on SQLite
/// within its busy timeout: a slow migration past it fails that server's start-up, which a
/// restart repeats harmlessly). SQLite and Postgres both roll back DDL with the transaction, so
/// a migration that fails part-way leaves the tables and `seaql_migrations` as they were,
/// including the migrations before it in the same run. sea-orm-migration alone runs each
/// migration on its own (on SQLite outside any transaction) and takes no lock.
///
/// # Errors
/// When the transaction or the lock cannot be had, or a migration fails (nothing is applied).
pub async fn up_once<M: MigratorTrait>(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        let (space, key) = MIGRATION_LOCK;
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [space.into(), key.into()],
        ))
        .await?;
    }
    M::up(&txn, None).await?;
    txn.commit().await
}
