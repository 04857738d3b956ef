//! The `factor_links` table: what shows a contributing factor, one change (with or without one of
//! its parameters) or one timeline entry per row.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "factor_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub factor_id: i64,
    pub change_id: Option<i64>,
    pub parameter_id: Option<i64>,
    pub timeline_entry_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
