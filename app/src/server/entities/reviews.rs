//! The `reviews` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    pub revision: i32,
    pub reviewer_id: Option<i64>,
    pub reviewer_name: String,
    pub step: String,
    #[sea_orm(column_type = "Text")]
    pub checked: String,
    #[sea_orm(column_type = "Text")]
    pub comments: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
