//! The `follow_ups` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_ups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    pub title: String,
    pub description_md: String,
    pub action_type: String,
    pub priority: String,
    pub owner_id: Option<i64>,
    pub owner: String,
    pub due_on: Option<Date>,
    pub state: String,
    pub wont_do_reason: Option<String>,
    pub evidence: Option<String>,
    pub change_id: Option<i64>,
    pub parameter_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
    pub verified_by_id: Option<i64>,
    /// The verifier's name as it was when they verified; empty until verified.
    pub verified_by: String,
    pub verified_at: Option<DateTimeUtc>,
    /// When it last moved from open to done, verified or won't do; empty while open.
    pub closed_at: Option<DateTimeUtc>,
    /// The contributing factor it addresses.
    pub factor_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
