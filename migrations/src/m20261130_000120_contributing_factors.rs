//! Contributing factors: the conditions (and the trigger) that let a change have impact, each a
//! short statement in a category admins keep (`factor_categories`, seeded with the usual ones;
//! a category is retired, never deleted, so no factor loses its category), optionally linked to
//! the change, parameter and timeline entry that show it, and an "accepted, no action" reason
//! for a factor the team decides not to act on. A follow-up may address a factor
//! (`follow_ups.factor_id`).
//!
//! Both tables move the read generation (the changes view is kept until they change).
//!
//! Indexes: `ix_factors_category_incident` answers "which other incidents had a factor of this
//! category" (the recurrence hint while writing, and the rollup by category on /changes) from
//! the index alone; `ix_follow_ups_factor_id` finds a factor's follow-ups.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The categories a new Debrief starts with, in the order forms list them.
const SEEDED: [&str; 7] = [
    "Risky default",
    "Missing safeguard",
    "Knowledge and training",
    "Plan and review",
    "Pressure and context",
    "Detection and alerting",
    "Recovery",
];

fn points_at(column: &'static str, table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_factors_{column}"))
        .from("factors", column)
        .to(table, "id")
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("factor_categories")
                    .if_not_exists()
                    .col(pk_auto("id").big_integer())
                    .col(string("name"))
                    .col(integer("position"))
                    // A retired category is offered no more; factors keep it.
                    .col(boolean("retired").default(false))
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert()
            .into_table("factor_categories")
            .columns(["name", "position", "retired"])
            .to_owned();
        for (n, name) in SEEDED.iter().enumerate() {
            seed.values_panic([(*name).into(), (n as i32 + 1).into(), false.into()]);
        }
        manager.exec_stmt(seed).await?;
        manager
            .create_table(
                Table::create()
                    .table("factors")
                    .if_not_exists()
                    .col(pk_auto("id").big_integer())
                    .col(big_integer("incident_id"))
                    .col(text("statement"))
                    .col(big_integer("category_id"))
                    // A domain::factor::FactorRole: trigger or condition.
                    .col(string("role"))
                    .col(big_integer_null("change_id"))
                    .col(big_integer_null("parameter_id"))
                    .col(big_integer_null("timeline_entry_id"))
                    // Why no follow-up addresses it, when the team accepts it as it is.
                    .col(text_null("accepted_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer("version").default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_factors_incident_id")
                            .from("factors", "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_factors_category_id")
                            .from("factors", "category_id")
                            .to("factor_categories", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(&mut points_at("change_id", "changes"))
                    .foreign_key(&mut points_at("parameter_id", "change_parameters"))
                    .foreign_key(&mut points_at("timeline_entry_id", "timeline_entries"))
                    .to_owned(),
            )
            .await?;
        // The changes view (kept until what it reads changes) reads factors and their
        // categories: they move the read generation, as the tables of
        // m20261130_000060_read_generation do.
        let db = manager.get_connection();
        for table in ["factors", "factor_categories"] {
            if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_read_generation_all AFTER INSERT OR UPDATE OR DELETE \
                     ON {table} FOR EACH STATEMENT EXECUTE FUNCTION debrief_bump_read_generation()"
                ))
                .await?;
            } else {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_read_generation_{} AFTER {event} ON {table} \
                         BEGIN UPDATE read_generations SET value = value + 1 \
                         WHERE name = 'facts'; END",
                        event.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_factors_category_incident")
                    .table("factors")
                    .col("category_id")
                    .col("incident_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_factors_incident_id")
                    .table("factors")
                    .col("incident_id")
                    .to_owned(),
            )
            .await?;
        // No foreign key: SQLite adds none to an existing table. Deleting a factor clears it
        // (repo::factors).
        manager
            .alter_table(
                Table::alter()
                    .table("follow_ups")
                    .add_column(big_integer_null("factor_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_follow_ups_factor_id")
                    .table("follow_ups")
                    .col("factor_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_follow_ups_factor_id")
                    .table("follow_ups")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("follow_ups")
                    .drop_column("factor_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("factors").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("factor_categories").to_owned())
            .await
    }
}
