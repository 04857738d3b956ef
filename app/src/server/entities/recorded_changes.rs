//! The `recorded_changes` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "recorded_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub system: String,
    #[sea_orm(column_type = "Text")]
    pub data: String,
    pub source: String,
    pub recorded_at: DateTimeUtc,
    pub linked_change_id: Option<i64>,
    pub linked_incident_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
