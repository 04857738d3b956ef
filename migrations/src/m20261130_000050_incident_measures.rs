//! Each incident's three measures (time to detect, time to mitigate, impact duration: whole
//! seconds and whether approximate, NULL when a milestone is missing) kept as columns of
//! `incidents`, written with the milestones, so the metrics page reads those narrow columns
//! instead of every incident's milestones. `measured` says the columns are filled: they are
//! computed by the domain (a range's midpoint, truncation to whole seconds, "≈0" for
//! overlapping ranges), which SQL cannot repeat exactly on both databases, so the rows recorded
//! before this migration are measured once by the application when it starts
//! (`repo::incidents::measure_unmeasured`), not here.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The measures' columns: (seconds, approximate) each.
const MEASURES: [(&str, &str); 3] = [
    ("time_to_detect_seconds", "time_to_detect_approximate"),
    ("time_to_mitigate_seconds", "time_to_mitigate_approximate"),
    ("impact_duration_seconds", "impact_duration_approximate"),
];

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
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
