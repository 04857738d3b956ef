//! A postmortem as it was published. While a correction is written and reviewed again, readers
//! who do not write postmortems keep reading this, not the unreviewed draft.

use serde::{Deserialize, Serialize};

use super::change::Change;
use super::follow_up::FollowUp;
use super::impact::ImpactFigure;
use super::incident::Incident;
use super::timeline::TimelineEntry;

/// The reviewed parts of a postmortem, as published. Follow-ups live on after publishing and
/// comments discuss it, so the postmortem's readers see both live; the follow-ups as they were
/// published are kept too, for the version shared beyond the team, which says only what was
/// reviewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedPostmortem {
    pub incident: Incident,
    pub impact: Vec<ImpactFigure>,
    pub changes: Vec<Change>,
    pub timeline: Vec<TimelineEntry>,
    /// The follow-ups when it was published; None in a version kept before they were.
    #[serde(default)]
    pub follow_ups: Option<Vec<FollowUp>>,
    /// The contributing factors when it was published; None in a version kept before they were.
    #[serde(default)]
    pub factors: Option<Vec<super::factor::Factor>>,
}
