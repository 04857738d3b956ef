//! Incident metrics as their page shows them.

use crate::domain::incident::Severity;
use crate::domain::metrics::MetricsFilter;
use crate::domain::metrics::Report;
use serde::{Deserialize, Serialize};

/// One incident's row in the metrics table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub day: String,
    pub time_to_detect: Option<String>,
    pub time_to_mitigate: Option<String>,
    pub impact_duration: Option<String>,
    /// Why it is left out, and who left it out.
    pub excluded: Option<String>,
}

/// Everything the metrics page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsView {
    pub filter: MetricsFilter,
    /// What in the query was ignored, and why.
    pub ignored: Vec<String>,
    pub report: Report,
    pub rows: Vec<MetricRow>,
    /// The services named on any readable incident, for the filter.
    pub services: Vec<String>,
    /// Whether the reader may leave incidents out (authors).
    pub can_exclude: bool,
    /// The pages of rows before and after this one (keeping the filter), when there are.
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
    /// What the counted incidents' impact figures come to, like with like.
    #[serde(default)]
    pub impact: Vec<crate::domain::impact::totals::ImpactTotal>,
}

/// How many incidents a page of the metrics table shows (the figures count every one).
pub const METRICS_PAGE_SIZE: usize = 50;
