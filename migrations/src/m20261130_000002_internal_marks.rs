//! The one-click "keep inside the team" mark on the parts of a postmortem that can be left out
//! of its shared version: timeline entries, impact figures, changes and follow-ups. A sharing
//! decision, not part of the reviewed text, so it can be set on a published postmortem too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that gain the mark.
const MARKED: [&str; 4] = [
    "timeline_entries",
    "impact_figures",
    "changes",
    "follow_ups",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One ALTER per statement: SQLite adds one column at a time.
        for table in MARKED {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(boolean("internal").default(false))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in MARKED.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .drop_column("internal")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
