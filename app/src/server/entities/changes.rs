//! The `changes` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    pub summary: String,
    pub kind: String,
    pub system: String,
    pub identifier: String,
    pub link: Option<String>,
    pub started_by: String,
    pub plan: String,
    pub reviewer: String,
    pub relation: String,
    pub rationale_md: String,
    pub at: Option<DateTimeUtc>,
    pub until: Option<DateTimeUtc>,
    pub precision: Option<String>,
    pub offset_minutes: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
