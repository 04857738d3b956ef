//! Queuing and delivering notices no longer moves the page counter of migration 000230.
//!
//! `scheduled_notices` (which reminders have been written) and `outbox` (the notices waiting
//! for delivery, and what became of them) are read by the reminder tick, the delivery worker
//! and the webhook settings page, never by a page the server keeps. Their triggers made every
//! reminder tick and every delivery drop all kept pages, so readers waited for renders while
//! nothing they read had changed: at 10,000 incidents the first tick queued a digest per
//! follow-up owner, one transaction each, and the metrics page's p99 went from 54 ms to 159 ms
//! (`server/bench/results.md`, ninth round).

use sea_orm_migration::prelude::*;

use crate::m20261201_000230_page_generation::{create_triggers, drop_triggers};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose changes no kept page shows.
const NOT_SHOWN: [&str; 2] = ["outbox", "scheduled_notices"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in NOT_SHOWN {
            for statement in drop_triggers(manager.get_database_backend(), table) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in NOT_SHOWN {
            for statement in create_triggers(manager.get_database_backend(), table) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }
}
