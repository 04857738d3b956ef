//! Sharing: what a shared link shows (built from the published snapshot only, with what is
//! kept inside the team left out) and the share page's links and marks.

use crate::domain::change::ChangeKind;
use crate::domain::change::ChangeRelation;
use crate::domain::follow_up::ActionType;
use crate::domain::follow_up::FollowUpState;
use crate::domain::follow_up::Priority;
use crate::domain::incident::Severity;
use crate::domain::timeline::EntryKind;
use crate::domain::timeline::Marker;
use crate::dto::postmortem::LabelledValue;
use serde::{Deserialize, Serialize};

/// An impact figure as others read it: its sentence, not how it was estimated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedImpact {
    pub sentence: String,
    pub customer_visible: bool,
}

/// A change as others read it: what, where and why, and which parameters took a default;
/// not who ran or reviewed it, its plan, link or parameter values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedChange {
    pub summary: String,
    pub kind: ChangeKind,
    pub system: String,
    pub identifier: String,
    pub relation: ChangeRelation,
    /// The names of the parameters nobody set, so the system's default applied.
    pub defaulted: Vec<String>,
    pub rationale_html: String,
}

/// A timeline entry as others read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedEntry {
    pub time: String,
    pub t_offset: Option<String>,
    pub kind: EntryKind,
    pub marker: Option<Marker>,
    pub actor: String,
    pub body_html: String,
}

/// A follow-up as others see it: what, how urgent, and where it stood when published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedFollowUp {
    pub title: String,
    pub action_type: ActionType,
    pub priority: Priority,
    pub state: FollowUpState,
}

/// A contributing factor as shared: a blameless statement about the system, redacted; the
/// reason a factor was accepted with no action is left out, as other reasons are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedFactor {
    pub statement: String,
    pub category: String,
    pub role: crate::domain::factor::FactorRole,
}

/// The redacted postmortem: everything a stranger holding a link reads, and nothing else.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedView {
    pub zone: String,
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    pub summary_html: String,
    /// Time to detect, time to mitigate, impact duration.
    pub durations: Vec<LabelledValue>,
    /// The parts people played ("incident commander"), without their names.
    pub parts: Vec<String>,
    pub impact: Vec<SharedImpact>,
    pub changes: Vec<SharedChange>,
    pub timeline: Vec<SharedEntry>,
    pub went_well_html: String,
    pub went_wrong_html: String,
    pub lucky_html: String,
    pub follow_ups: Vec<SharedFollowUp>,
    /// The custom field values (label, value), redacted.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// The contributing factors as published.
    #[serde(default)]
    pub factors: Vec<SharedFactor>,
    /// Related incidents by relation only ("Earlier attempt at the same change: an earlier
    /// incident"): never which incident, whether or not it is shared.
    #[serde(default)]
    pub related: Vec<SharedRelation>,
    /// The mentor notes their writers chose for shared pages: redacted, without who wrote them.
    #[serde(default)]
    pub mentor_notes: Vec<crate::dto::mentor_notes::SharedMentorNote>,
}

/// A link to a related incident as others read it: the relation, and the note (redacted) when
/// the link was written on this postmortem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedRelation {
    pub wording: String,
    pub note: String,
}

/// One part of the published postmortem that its authors can keep inside the team, as they
/// see it on the sharing page (not redacted: they wrote it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareMark {
    /// A [`crate::domain::history::Part::as_str`]: timeline entry, impact figure, change or
    /// follow-up.
    pub part: String,
    pub id: i64,
    /// "Timeline entry".
    pub label: String,
    /// What it says, shortened.
    pub text: String,
    /// Marked with one click to stay inside the team.
    pub internal: bool,
    /// Its text starts with "Internal:", so it stays inside whatever the mark says.
    pub internal_by_text: bool,
}

/// One share link as its postmortem's authors see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareLinkRow {
    pub id: i64,
    pub created_by: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The sharing page: the preview and the links made so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sharing {
    pub incident_id: i64,
    pub title: String,
    /// "https://debrief.example.com", for showing a whole link to copy.
    pub origin: String,
    /// None until the postmortem is published.
    pub preview: Option<SharedView>,
    /// The parts of the published version that can be kept inside the team with one click.
    pub marks: Vec<ShareMark>,
    pub links: Vec<ShareLinkRow>,
}
