//! Reading lists have an owner: `owner_id`, the user who made the list (only they and admins
//! edit or delete it). Lists made before this get the one user whose display name made them,
//! when exactly one has it; the rest have no owner and only admins edit them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("reading_lists")
                    .add_column(big_integer_null("owner_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE reading_lists SET owner_id = \
                 (SELECT MIN(u.id) FROM users u WHERE u.display_name = reading_lists.created_by) \
                 WHERE (SELECT COUNT(*) FROM users u WHERE u.display_name = reading_lists.created_by) = 1",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("reading_lists")
                    .drop_column("owner_id")
                    .to_owned(),
            )
            .await
    }
}
