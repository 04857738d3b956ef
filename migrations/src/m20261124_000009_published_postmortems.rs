//! The last published version of each postmortem, which readers keep reading while a
//! correction is written and reviewed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("published_postmortems")
                    .if_not_exists()
                    .col(big_integer("incident_id").primary_key())
                    .col(integer("revision"))
                    // The reviewed parts as JSON (`domain::published::PublishedPostmortem`).
                    .col(text("data"))
                    .col(timestamp_with_time_zone("published_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_published_postmortems_incident_id")
                            .from("published_postmortems", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("published_postmortems").to_owned())
            .await
    }
}
