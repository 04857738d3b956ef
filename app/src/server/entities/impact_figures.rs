//! The `impact_figures` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "impact_figures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_id: i64,
    pub affected: String,
    pub quantity_kind: String,
    pub quantity_low: f64,
    pub quantity_high: Option<f64>,
    pub unit: String,
    pub window_seconds: Option<i64>,
    pub window_approximate: bool,
    pub estimation: String,
    pub customer_visible: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
