//! The `factors` table. Its old single links (`change_id`, `parameter_id`, `timeline_entry_id`)
//! are left out: they stay NULL since m20261201_000200, which moved them to `factor_links`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "factors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    pub statement: String,
    pub category_id: i64,
    pub role: String,
    pub accepted_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
