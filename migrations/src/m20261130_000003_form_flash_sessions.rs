//! Form flashes belong to the session that left them: a `session_id` column (the session's
//! digest, as in `sessions.id`) and an index to find and trim one session's flashes. Flashes
//! stored before this were readable by anyone with their id; they are dropped (they last an
//! hour at most anyway).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table("form_flashes").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("form_flashes")
                    .add_column(string("session_id").default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_form_flashes_session_id")
                    .table("form_flashes")
                    .col("session_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_form_flashes_session_id")
                    .table("form_flashes")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("form_flashes")
                    .drop_column("session_id")
                    .to_owned(),
            )
            .await
    }
}
