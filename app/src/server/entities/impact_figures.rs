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
    /// A share, rate or money estimated rather than measured.
    pub quantity_approximate: bool,
    /// Per what a rate counts (`minute`…); set only for a rate.
    pub rate_per: Option<String>,
    /// Money's three-letter code; set only for money.
    pub currency: Option<String>,
    /// Why a figure was not measured; set only then.
    pub not_measured_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
