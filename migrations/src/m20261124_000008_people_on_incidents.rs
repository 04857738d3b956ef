//! People become real users on a postmortem: a follow-up's owner picked from the accounts
//! (free-text owners from before stay, with no id), and the people who took part in the
//! incident, each with the part they played.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("follow_ups")
                    .add_column(big_integer_null("owner_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("incident_participants")
                    .if_not_exists()
                    .col(big_integer("incident_id"))
                    .col(big_integer("user_id"))
                    // The part they played, as a role: "incident commander", "on-call".
                    .col(string("part"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("incident_id").col("user_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_participants_incident_id")
                            .from("incident_participants", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_participants_user_id")
                            .from("incident_participants", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("incident_participants").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("follow_ups")
                    .drop_column("owner_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
