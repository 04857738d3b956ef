//! A postmortem's review page: its checklist, steps, language notes and timeline checks.

use crate::domain::incident::IncidentStatus;
use crate::domain::review::ReviewRecord;
use crate::domain::review::ReviewStep;
use serde::{Deserialize, Serialize};

/// An incident's review page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub incident_id: i64,
    pub title: String,
    pub status: IncidentStatus,
    pub revision: i32,
    /// Who wrote it, by name, in the order they started.
    pub authors: Vec<String>,
    /// Whether the reader wrote part of it (and so may not review it).
    pub you_wrote_it: bool,
    /// The steps the reader may take now.
    pub steps: Vec<ReviewStep>,
    /// Every decision so far, newest first.
    pub reviews: Vec<ReviewRecord>,
    /// Wording that blames people, wherever it is in the postmortem (advisory; empty once
    /// it is published).
    pub language: Vec<LanguageNote>,
    /// What a careful reviewer would ask of its milestones, timeline and impact windows
    /// (advisory; empty once it is published).
    pub timeline_checks: Vec<crate::domain::timeline_checks::Finding>,
    /// What the postmortem's template requires before review that is not there yet (empty
    /// unless the reader may submit it).
    pub missing: Vec<crate::domain::template::Missing>,
    /// The computed checklist item: does a follow-up address each contributing factor (or is it
    /// accepted with a reason)?
    #[serde(default)]
    pub factor_check: crate::domain::factor::FactorCheck,
}

/// A blaming phrase and where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageNote {
    /// "Summary", "Timeline entry 3", "Follow-up “…”".
    pub place: String,
    pub finding: crate::domain::blameless::Finding,
}
