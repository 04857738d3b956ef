//! Follow-through for managers: who verified a follow-up and when, when it was closed (for the
//! backlog over time), the team each person works in (the dashboard groups owners by it), and
//! the due-date policy per priority that sets a committed follow-up's default due date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns added to `follow_ups`, one ALTER each (SQLite allows no more).
const FOLLOW_UP_COLUMNS: [&str; 4] = ["verified_by_id", "verified_by", "verified_at", "closed_at"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = |column: ColumnDef| {
            Table::alter()
                .table("follow_ups")
                .add_column(column)
                .to_owned()
        };
        manager
            .alter_table(add(big_integer_null("verified_by_id")))
            .await?;
        // The verifier's name as it was when they verified.
        manager
            .alter_table(add(string("verified_by").default("").to_owned()))
            .await?;
        manager
            .alter_table(add(timestamp_with_time_zone_null("verified_at")))
            .await?;
        // When it last moved from open to done, verified or won't do; empty while open.
        manager
            .alter_table(add(timestamp_with_time_zone_null("closed_at")))
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE follow_ups SET closed_at = updated_at \
                 WHERE state IN ('done', 'verified', 'wont_do')",
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string("team").default("").to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("due_date_policies")
                    .if_not_exists()
                    // A follow-up priority ("p1").
                    .col(string("priority").primary_key())
                    // Weeks from committing to the default due date.
                    .col(integer("weeks"))
                    .to_owned(),
            )
            .await?;
        // The policy most teams start from: the highest priority within 4 weeks, the next
        // within 8. Admins change or remove these.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("due_date_policies")
                    .columns(["priority", "weeks"])
                    .values_panic(["p1".into(), 4.into()])
                    .values_panic(["p2".into(), 8.into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("due_date_policies").to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table("users").drop_column("team").to_owned())
            .await?;
        for column in FOLLOW_UP_COLUMNS.into_iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table("follow_ups")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
