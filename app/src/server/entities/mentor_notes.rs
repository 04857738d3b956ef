//! The `mentor_notes` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mentor_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    /// None: a note on the lesson as a whole.
    pub timeline_entry_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub body_md: String,
    pub show_on_shared: bool,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
