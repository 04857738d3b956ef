//! What people choose to hear and when Debrief reminds them:
//! - `email_opt_outs`: one row per person and event they turned off for email (every event is
//!   on until turned off, so a new event reaches everyone without a backfill);
//! - `notice_policies`: the admin's one row of reminder settings (days before a follow-up's
//!   due date it enters its owner's digest; days after mitigation a draft postmortem is brought
//!   to its authors); no row means the defaults;
//! - `scheduled_notices`: the key of every notice the periodic task wrote (a digest, a
//!   reminder), taken before writing it, so two instances ticking at once write it once and
//!   later ticks skip it without recomputing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("email_opt_outs")
                    .if_not_exists()
                    .col(big_integer("user_id"))
                    .col(string("event"))
                    .primary_key(Index::create().col("user_id").col("event"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_opt_outs_user_id")
                            .from("email_opt_outs", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notice_policies")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(integer("due_soon_days"))
                    .col(integer("not_submitted_days"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("scheduled_notices")
                    .if_not_exists()
                    .col(string("key").primary_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["scheduled_notices", "notice_policies", "email_opt_outs"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
