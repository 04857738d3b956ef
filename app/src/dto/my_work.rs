//! A person's own follow-ups, reviews and drafts.

use crate::domain::incident::IncidentStatus;
use crate::dto::postmortem::FollowUpRow;
use serde::{Deserialize, Serialize};

/// A postmortem that waits for the user, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    pub incident_id: i64,
    pub title: String,
    pub status: IncidentStatus,
    pub revision: i32,
    /// What to do: "Address the reviewer's comments", "Review it", …
    pub todo: String,
}

/// Everything on the "my work" page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyWorkView {
    /// Postmortems the user wrote part of that are not done: being written, sent back,
    /// approved and waiting to be published.
    pub writing: Vec<WorkItem>,
    /// Postmortems in review that the user may review (they wrote no part of them).
    pub reviewing: Vec<WorkItem>,
    /// Open follow-ups the user owns (picked as owner, or named before accounts existed).
    pub follow_ups: Vec<FollowUpRow>,
    /// Whether the user may review at all.
    pub reviewer: bool,
}
