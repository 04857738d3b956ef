//! Read paths ask for one page of rows. `incidents.impact_started_at` holds the instant the
//! incident list orders by (the impact start's point: a range's midpoint, else its time), kept
//! by the repository whenever milestones are written, so a page is `ORDER BY … LIMIT` on an
//! index instead of every incident sorted in memory. Indexes for the grouped counts and
//! filters the list, the dashboard and "earlier incidents of this job" run.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Plain indexes: (name, table, columns).
const INDEXES: [(&str, &str, &[&str]); 3] = [
    (
        "ix_follow_ups_state_incident_id",
        "follow_ups",
        &["state", "incident_id"],
    ),
    (
        "ix_incidents_status_severity",
        "incidents",
        &["status", "severity"],
    ),
    (
        "ix_changes_incident_id_id",
        "changes",
        &["incident_id", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("incidents")
                    .add_column(
                        ColumnDef::new("impact_started_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        // A range's midpoint in each database's own time arithmetic; other times as stored, so
        // new rows (written by the application in the same format) sort among them.
        let midpoint = if postgres {
            "m.at + (m.until - m.at) / 2"
        } else {
            "strftime('%Y-%m-%dT%H:%M:%S', (julianday(m.at) + julianday(m.until)) / 2) || '+00:00'"
        };
        db.execute_unprepared(&format!(
            "UPDATE incidents SET impact_started_at = \
             (SELECT CASE WHEN m.precision = 'range' AND m.until IS NOT NULL THEN {midpoint} \
             ELSE m.at END FROM milestones m \
             WHERE m.incident_id = incidents.id AND m.kind = 'impact_started')"
        ))
        .await?;
        // The list's order, newest impact first and those without one last: SQLite sorts NULL
        // lowest, so a backward scan of a plain index serves it; Postgres needs it spelt out.
        db.execute_unprepared(if postgres {
            "CREATE INDEX ix_incidents_list_order ON incidents \
             (impact_started_at DESC NULLS LAST, id DESC)"
        } else {
            "CREATE INDEX ix_incidents_list_order ON incidents (impact_started_at, id)"
        })
        .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_changes_job_system ON changes (lower(trim(system)))",
        )
        .await?;
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
        for (name, table) in [
            ("ix_changes_job_system", "changes"),
            ("ix_incidents_list_order", "incidents"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("incidents")
                    .drop_column("impact_started_at")
                    .to_owned(),
            )
            .await
    }
}
