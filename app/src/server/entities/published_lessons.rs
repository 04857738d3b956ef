//! The `published_lessons` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "published_lessons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub incident_id: i64,
    /// A `domain::library::LessonKind`.
    pub kind: String,
    /// The kind's place on the page (its place in `LessonKind::ALL`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i16,
    /// The incident's title as published.
    pub incident_title: String,
    #[sea_orm(column_type = "Text")]
    pub lesson_md: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
