//! Postmortem templates (`postmortem_templates`: a name and a definition — sections in order,
//! shown or hidden, required before review, prompts, and custom fields — as JSON written and
//! read by `app::domain::template::Definition`), each incident's template
//! (`incidents.template_id`, NULL for the default template; no foreign key, which SQLite cannot
//! add to an existing table: a template in use is never deleted), and the custom field values
//! of incidents (`incident_field_values`, by field key, with the label the field had when the
//! value was written so a value outlives its field).
//!
//! The default template ("Standard") is seeded here and reproduces the page as it was: every
//! section shown in its usual order, none required, no prompts, no fields.
//!
//! The list filter "field = value" reads `ix_incident_field_values_filter` (field key, the
//! value's first 100 characters, incident): a Postgres index entry is capped near 2.7 kB and a
//! text value may be longer, so the index holds the short `value_key` and the read compares the
//! whole value too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TEMPLATES: &str = "postmortem_templates";
const VALUES: &str = "incident_field_values";

/// `app::domain::template::Definition::standard()` as its JSON.
const STANDARD: &str = r#"{"sections":[{"key":"summary","shown":true,"required":false,"prompt":""},{"key":"impact","shown":true,"required":false,"prompt":""},{"key":"changes","shown":true,"required":false,"prompt":""},{"key":"timeline","shown":true,"required":false,"prompt":""},{"key":"lessons","shown":true,"required":false,"prompt":""},{"key":"follow_ups","shown":true,"required":false,"prompt":""},{"key":"custom_fields","shown":true,"required":false,"prompt":""}],"fields":[]}"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TEMPLATES)
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string_uniq("name"))
                    .col(text("definition"))
                    .col(boolean("is_default").default(false))
                    .col(big_integer("version").default(1))
                    .to_owned(),
            )
            .await?;
        let seed = Query::insert()
            .into_table(TEMPLATES)
            .columns(["name", "definition", "is_default", "version"])
            .values(["Standard".into(), STANDARD.into(), true.into(), 1i64.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(seed).await?;
        // SQLite: one ALTER per statement.
        for column in [
            ColumnDef::new("template_id")
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new("field_values_version")
                .big_integer()
                .not_null()
                .default(1)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("incidents")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(VALUES)
                    .if_not_exists()
                    .col(big_integer("incident_id"))
                    .col(string("field_key"))
                    .col(string("label"))
                    .col(text("value"))
                    .col(string("value_key"))
                    .primary_key(Index::create().col("incident_id").col("field_key"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_incident_field_values_incident_id")
                            .from(VALUES, "incident_id")
                            .to("incidents", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_incident_field_values_filter")
                    .table(VALUES)
                    .col("field_key")
                    .col("value_key")
                    .col("incident_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(VALUES).to_owned())
            .await?;
        for column in ["field_values_version", "template_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("incidents")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(TEMPLATES).to_owned())
            .await
    }
}
