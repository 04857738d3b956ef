//! Review groups: one review covering several incidents. A group has a name and says who
//! created it and who changed it last, and when; each incident is in at most one group (its id
//! is the members' primary key). Deleting an incident or a group removes the membership.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("review_groups")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("review_group_members")
                    .if_not_exists()
                    .col(big_integer("incident_id").primary_key())
                    .col(big_integer("review_group_id"))
                    .col(string("added_by"))
                    .col(timestamp_with_time_zone("added_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_group_members_incident_id")
                            .from("review_group_members", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_group_members_review_group_id")
                            .from("review_group_members", "review_group_id")
                            .to("review_groups", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_review_group_members_review_group_id")
                    .table("review_group_members")
                    .col("review_group_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("review_group_members").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("review_groups").to_owned())
            .await?;
        Ok(())
    }
}
