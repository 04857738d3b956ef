//! Each incident's three measures (time to detect, time to mitigate, impact duration: whole
//! seconds and whether approximate, NULL when a milestone is missing) kept as columns of
//! `incidents`, written with the milestones, so the metrics page reads those narrow columns
//! instead of every incident's milestones. `measured` says the columns are filled: they are
//! computed by the domain (a range's midpoint, truncation to whole seconds, "≈0" for
//! overlapping ranges), which SQL cannot repeat exactly on both databases, so the rows recorded
//! before this migration are measured once by the application when it starts
//! (`repo::incidents::measure_unmeasured`), not here.
//!
//! The metrics read those columns of every incident a filter matches: `ix_incidents_metrics`
//! holds all of them (severity first, for the severity filter), so the read scans the index, not
//! the table's wide rows (10,000 incidents on SQLite: 20 → 8 ms for every incident, 5 → 1 ms for
//! a month). On SQLite `ix_incidents_services` holds `services` and the same columns, so the
//! services offered (grouped by `services`) and a read filtered by service scan it instead of
//! the table too (9 → 2 ms and 12 → 3 ms a statement); Postgres caps an index entry near
//! 2.7 kB and a service list has no such bound, so there it reads the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The measures' columns: (seconds, approximate) each.
const MEASURES: [(&str, &str); 3] = [
    ("time_to_detect_seconds", "time_to_detect_approximate"),
    ("time_to_mitigate_seconds", "time_to_mitigate_approximate"),
    ("impact_duration_seconds", "impact_duration_approximate"),
];

const METRICS_INDEX: &str = "ix_incidents_metrics";
const SERVICES_INDEX: &str = "ix_incidents_services";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite: one ALTER per statement.
        for (seconds, approximate) in MEASURES {
            for column in [
                ColumnDef::new(seconds).big_integer().null().to_owned(),
                ColumnDef::new(approximate).boolean().null().to_owned(),
            ] {
                manager
                    .alter_table(
                        Table::alter()
                            .table("incidents")
                            .add_column(column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        manager
            .alter_table(
                Table::alter()
                    .table("incidents")
                    .add_column(
                        ColumnDef::new("measured")
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        // Every column the narrow read takes, after those an index is searched by.
        let mut read: Vec<&str> = vec!["impact_started_at", "created_at", "status", "revision"];
        for (seconds, approximate) in MEASURES {
            read.push(seconds);
            read.push(approximate);
        }
        let mut index = Index::create();
        index.name(METRICS_INDEX).table("incidents").col("severity");
        for column in &read {
            index.col(*column);
        }
        manager.create_index(index).await?;
        if manager.get_database_backend() == DbBackend::Sqlite {
            let mut index = Index::create();
            index
                .name(SERVICES_INDEX)
                .table("incidents")
                .col("services")
                .col("severity");
            for column in &read {
                index.col(*column);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager
                .drop_index(
                    Index::drop()
                        .name(SERVICES_INDEX)
                        .table("incidents")
                        .to_owned(),
                )
                .await?;
        }
        // Before its columns: SQLite drops no indexed column.
        manager
            .drop_index(
                Index::drop()
                    .name(METRICS_INDEX)
                    .table("incidents")
                    .to_owned(),
            )
            .await?;
        let mut columns = vec!["measured"];
        for (seconds, approximate) in MEASURES.iter().rev() {
            columns.push(approximate);
            columns.push(seconds);
        }
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table("incidents")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
