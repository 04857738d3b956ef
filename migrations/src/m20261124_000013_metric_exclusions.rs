//! Incidents left out of the metrics, each with the reason (a game day, a duplicate record) and
//! who left it out, so a figure never silently drops an incident.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("metric_exclusions")
                    .if_not_exists()
                    .col(big_integer("incident_id").primary_key())
                    .col(text("reason"))
                    .col(string("excluded_by"))
                    .col(timestamp_with_time_zone("excluded_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_metric_exclusions_incident_id")
                            .from("metric_exclusions", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("metric_exclusions").to_owned())
            .await?;
        Ok(())
    }
}
