//! The postmortem itself: incidents with their milestones, timeline, impact figures, the changes
//! behind them (with parameters) and the follow-up actions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order; dropped in reverse.
const TABLES: [&str; 7] = [
    "incidents",
    "milestones",
    "timeline_entries",
    "impact_figures",
    "changes",
    "change_parameters",
    "follow_ups",
];

/// A new table with `created_at` and `updated_at` stored as UTC instants. (sea-orm-migration's
/// `table_auto` makes them zone-less `TIMESTAMP`s, which Postgres will not read as UTC times.)
fn table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .if_not_exists()
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .to_owned()
}

fn belongs_to(
    table: &'static str,
    column: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(parent, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn points_at(
    table: &'static str,
    column: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(parent, "id")
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

/// The columns of a time with a precision: `<prefix>at`, `<prefix>until` (end of a range),
/// `<prefix>precision` and the UTC offset the author entered it in.
fn recorded_time(table: &mut TableCreateStatement, nullable: bool) {
    if nullable {
        table.col(timestamp_with_time_zone_null("at"));
        table.col(string_null("precision"));
        table.col(integer_null("offset_minutes"));
    } else {
        table.col(timestamp_with_time_zone("at"));
        table.col(string("precision"));
        table.col(integer("offset_minutes"));
    }
    table.col(timestamp_with_time_zone_null("until"));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("incidents")
                    .col(big_pk_auto("id"))
                    .col(string("title"))
                    .col(text("summary_md"))
                    .col(string("severity"))
                    .col(string("status"))
                    .col(text("services"))
                    .col(text("went_well_md"))
                    .col(text("went_wrong_md"))
                    .col(text("lucky_md"))
                    .to_owned(),
            )
            .await?;

        let mut milestones = table("milestones");
        milestones
            .col(big_pk_auto("id"))
            .col(big_integer("incident_id"))
            .col(string("kind"))
            .foreign_key(&mut belongs_to("milestones", "incident_id", "incidents"));
        recorded_time(&mut milestones, false);
        manager.create_table(milestones).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_milestones_incident_kind")
                    .table("milestones")
                    .col("incident_id")
                    .col("kind")
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut timeline = table("timeline_entries");
        timeline
            .col(big_pk_auto("id"))
            .col(big_integer("incident_id"))
            .col(string("kind"))
            .col(string_null("marker"))
            .col(string("actor"))
            .col(text("body_md"))
            .foreign_key(&mut belongs_to(
                "timeline_entries",
                "incident_id",
                "incidents",
            ));
        recorded_time(&mut timeline, false);
        manager.create_table(timeline).await?;

        manager
            .create_table(
                table("impact_figures")
                    .col(big_pk_auto("id"))
                    .col(big_integer("incident_id"))
                    .col(text("affected"))
                    .col(string("quantity_kind"))
                    .col(double("quantity_low"))
                    .col(double_null("quantity_high"))
                    .col(string("unit"))
                    .col(big_integer_null("window_seconds"))
                    .col(boolean("window_approximate"))
                    .col(text("estimation"))
                    .col(boolean("customer_visible"))
                    .foreign_key(&mut belongs_to(
                        "impact_figures",
                        "incident_id",
                        "incidents",
                    ))
                    .to_owned(),
            )
            .await?;

        let mut changes = table("changes");
        changes
            .col(big_pk_auto("id"))
            .col(big_integer("incident_id"))
            .col(text("summary"))
            .col(string("kind"))
            .col(string("system"))
            .col(string("identifier"))
            .col(text_null("link"))
            .col(string("started_by"))
            .col(text("plan"))
            .col(string("reviewer"))
            .col(string("relation"))
            .col(text("rationale_md"))
            .foreign_key(&mut belongs_to("changes", "incident_id", "incidents"));
        recorded_time(&mut changes, true);
        manager.create_table(changes).await?;

        manager
            .create_table(
                table("change_parameters")
                    .col(big_pk_auto("id"))
                    .col(big_integer("change_id"))
                    .col(string("name"))
                    .col(text("value"))
                    .col(boolean("is_default"))
                    .foreign_key(&mut belongs_to("change_parameters", "change_id", "changes"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                table("follow_ups")
                    .col(big_pk_auto("id"))
                    .col(big_integer("incident_id"))
                    .col(string("title"))
                    .col(text("description_md"))
                    .col(string("action_type"))
                    .col(string("priority"))
                    .col(string("owner"))
                    .col(date_null("due_on"))
                    .col(string("state"))
                    .col(text_null("wont_do_reason"))
                    .col(text_null("evidence"))
                    .col(big_integer_null("change_id"))
                    .col(big_integer_null("parameter_id"))
                    .foreign_key(&mut belongs_to("follow_ups", "incident_id", "incidents"))
                    .foreign_key(&mut points_at("follow_ups", "change_id", "changes"))
                    .foreign_key(&mut points_at(
                        "follow_ups",
                        "parameter_id",
                        "change_parameters",
                    ))
                    .to_owned(),
            )
            .await?;

        for (table, column) in [
            ("timeline_entries", "incident_id"),
            ("impact_figures", "incident_id"),
            ("changes", "incident_id"),
            ("change_parameters", "change_id"),
            ("follow_ups", "incident_id"),
            ("follow_ups", "change_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_{table}_{column}"))
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).to_owned())
                .await?;
        }
        Ok(())
    }
}
