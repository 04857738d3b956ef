//! The `timeline_entries` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "timeline_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    pub kind: String,
    pub marker: Option<String>,
    pub actor: String,
    pub body_md: String,
    pub at: DateTimeUtc,
    pub until: Option<DateTimeUtc>,
    pub precision: String,
    pub offset_minutes: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
    /// Where the time comes from; empty when not given.
    pub time_source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
