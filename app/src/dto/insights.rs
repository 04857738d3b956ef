//! Change insights: which changes and systems keep causing incidents.

use crate::domain::change::ChangeInsight;
use serde::{Deserialize, Serialize};

/// One job with its story and the link to the follow-ups that target its system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InsightRow {
    pub insight: ChangeInsight,
    pub sentence: String,
    pub follow_ups_href: String,
}

/// The changes view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangesOverview {
    pub rows: Vec<InsightRow>,
    /// Whether any change is recorded on a readable incident at all.
    pub any_changes: bool,
    /// The rank of the page's first job (1 on the first page).
    pub first_rank: u64,
    /// The pages of jobs before and after this one.
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
    /// What keeps hurting us: contributing factors by category and by system.
    #[serde(default)]
    pub factors: crate::dto::factors::FactorRollups,
}
