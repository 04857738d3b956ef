//! The `incidents` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub summary_md: String,
    pub severity: String,
    pub status: String,
    /// One service per line.
    pub services: String,
    pub went_well_md: String,
    pub went_wrong_md: String,
    pub lucky_md: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Counts saves; a save must name the version it started from.
    pub version: i64,
    /// Counts saves of the lessons, edited apart from the rest.
    pub lessons_version: i64,
    /// The postmortem's revision: a correction after publishing starts the next.
    pub revision: i32,
    /// The instant the list orders by: the impact start's point, kept with the milestones.
    pub impact_started_at: Option<DateTimeUtc>,
    /// The measures the metrics read, kept with the milestones: whole seconds (NULL when a
    /// milestone is missing) and whether approximate.
    pub time_to_detect_seconds: Option<i64>,
    pub time_to_detect_approximate: Option<bool>,
    pub time_to_mitigate_seconds: Option<i64>,
    pub time_to_mitigate_approximate: Option<bool>,
    pub impact_duration_seconds: Option<i64>,
    pub impact_duration_approximate: Option<bool>,
    /// Whether the measures are filled (false only for rows from before they were kept, until
    /// start-up measures them).
    pub measured: bool,
    /// The incident's postmortem template (NULL: the default template).
    pub template_id: Option<i64>,
    /// Counts saves of the custom field values.
    pub field_values_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
