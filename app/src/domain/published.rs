//! A postmortem as it was published. While a correction is written and reviewed again, readers
//! who do not write postmortems keep reading this, not the unreviewed draft.

use serde::{Deserialize, Serialize};

use super::change::Change;
use super::impact::ImpactFigure;
use super::incident::Incident;
use super::timeline::TimelineEntry;

/// The reviewed parts of a postmortem, as published. Follow-ups live on after publishing and
/// comments discuss it, so neither is frozen here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedPostmortem {
    pub incident: Incident,
    pub impact: Vec<ImpactFigure>,
    pub changes: Vec<Change>,
    pub timeline: Vec<TimelineEntry>,
}
