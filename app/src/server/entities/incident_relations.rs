//! The `incident_relations` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "incident_relations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The incident it was added on.
    pub incident_id: i64,
    pub related_incident_id: i64,
    /// Worded from `incident_id`'s side (`domain::relation::RelationKind`).
    pub kind: String,
    pub note: String,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
