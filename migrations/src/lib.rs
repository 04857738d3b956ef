//! Debrief's database schema, as sea-orm migrations.
//!
//! Every migration runs on SQLite and Postgres alike (one ALTER per statement, foreign keys only
//! at table creation) and has a working `down`. A migration that has landed is never edited:
//! change the schema with a new one.

pub use sea_orm_migration::prelude::*;

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
        ]
    }
}
