//! The `due_date_policies` table: weeks from committing a follow-up to its default due date,
//! per priority.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "due_date_policies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub priority: String,
    pub weeks: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
