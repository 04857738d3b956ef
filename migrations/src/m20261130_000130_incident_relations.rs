//! Related incidents: one incident linked to another with a relation ("earlier attempt at the
//! same change", "caused by", …) worded from the incident it was added on, and a note. Each pair
//! is linked once (a second link between the same two incidents, either way round, is refused
//! by the application; one way round by the unique index). Deleting either incident deletes the
//! link.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "incident_relations";

fn belongs_to(column: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{TABLE}_{column}"))
        .from(TABLE, column)
        .to("incidents", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TABLE)
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    // The incident it was added on, whose postmortem holds it.
                    .col(big_integer("incident_id"))
                    .col(big_integer("related_incident_id"))
                    // Worded from `incident_id`'s side: "earlier_attempt" says the related
                    // incident is the earlier attempt.
                    .col(string("kind"))
                    .col(text("note"))
                    .col(big_integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut belongs_to("incident_id"))
                    .foreign_key(&mut belongs_to("related_incident_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_incident_relations_pair")
                    .table(TABLE)
                    .col("incident_id")
                    .col("related_incident_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The other side reads its links by the related incident.
        manager
            .create_index(
                Index::create()
                    .name("ix_incident_relations_related")
                    .table(TABLE)
                    .col("related_incident_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TABLE).to_owned())
            .await
    }
}
