//! The postmortem page and the incident list: what they show of an incident.

use serde::{Deserialize, Serialize};

use crate::domain::change::{ChangeKind, ChangeRelation};
use crate::domain::follow_up::{ActionType, FollowUpState, Priority};
use crate::domain::incident::{IncidentStatus, Severity};
use crate::domain::timeline::{EntryKind, Marker};

/// A labelled value of the incident header (a milestone or a derived duration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelledValue {
    pub label: String,
    pub value: Option<String>,
}

/// One incident in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentRow {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub started: Option<String>,
    pub impact_headline: Option<String>,
    pub time_to_detect: Option<String>,
    pub open_follow_ups: usize,
}

/// The header of a postmortem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentHeader {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub services: Vec<String>,
    pub summary_html: String,
    pub milestones: Vec<LabelledValue>,
    pub durations: Vec<LabelledValue>,
}

/// One impact figure, as a sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactRow {
    pub id: i64,
    pub sentence: String,
    pub estimation: String,
    pub customer_visible: bool,
}

/// One parameter a change ran with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterRow {
    pub id: i64,
    /// The version its edit form saves against.
    pub version: i64,
    pub name: String,
    pub value: String,
    pub is_default: bool,
}

/// A change linked to the incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: i64,
    pub summary: String,
    pub kind: ChangeKind,
    pub system: String,
    pub identifier: String,
    pub link: Option<String>,
    pub time: Option<String>,
    pub started_by: String,
    pub plan: String,
    pub reviewer: String,
    pub relation: ChangeRelation,
    pub rationale_html: String,
    pub parameters: Vec<ParameterRow>,
    /// Earlier incidents the same system and job were involved in (filled in by the postmortem).
    pub earlier: Vec<crate::domain::change::EarlierIncident>,
}

/// One timeline entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    pub id: i64,
    pub time: String,
    pub t_offset: Option<String>,
    pub kind: EntryKind,
    pub marker: Option<Marker>,
    pub actor: String,
    pub body_html: String,
    /// Where the time comes from; empty when not given. Not on the shared page: a note for the
    /// reviewer, not the reader.
    pub time_source: String,
}

/// The three lessons sections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonsView {
    pub went_well_html: String,
    pub went_wrong_html: String,
    pub lucky_html: String,
}

/// One follow-up action, on a postmortem or in the cross-incident list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRow {
    pub id: i64,
    pub incident_id: i64,
    pub incident_title: String,
    pub title: String,
    pub description_html: String,
    pub action_type: ActionType,
    pub priority: Priority,
    pub owner: String,
    pub due: Option<String>,
    pub state: FollowUpState,
    pub overdue: bool,
    /// What it addresses, e.g. "Jenkins · generic run-command job — parameter concurrency".
    pub target: Option<String>,
    pub change_id: Option<i64>,
    pub wont_do_reason: Option<String>,
    pub evidence: Option<String>,
    /// Who verified it and when: "Grace Hopper, 3 May 2020, 10:12".
    pub verified: Option<String>,
    /// The contributing factor it addresses: its id and statement (filled in by the
    /// postmortem page).
    #[serde(default)]
    pub factor: Option<(i64, String)>,
}

/// Everything the postmortem page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostmortemView {
    pub zone: String,
    /// The revision shown: 1 until a correction after publishing starts the next.
    pub revision: i32,
    /// The revision being written, when the reader is shown the published one meanwhile.
    pub correcting: Option<i32>,
    /// Whether the reader may change the postmortem now (an author, while it is being written).
    pub can_edit: bool,
    /// Whether the reader may add, edit and move follow-ups (an author, at any time).
    pub can_edit_follow_ups: bool,
    pub header: IncidentHeader,
    pub impact: Vec<ImpactRow>,
    pub changes: Vec<ChangeView>,
    pub timeline: Vec<TimelineRow>,
    pub lessons: LessonsView,
    pub follow_ups: Vec<FollowUpRow>,
    /// The people who took part, with the part they played.
    pub participants: Vec<super::people::ParticipantView>,
    /// The people who can be added as participants (for a reader who may edit; else empty).
    pub people: Vec<super::people::Person>,
    /// Comments on its sections, timeline entries and follow-ups, oldest first.
    pub comments: Vec<super::comment::CommentView>,
    /// Its template: the sections shown in order with their prompts, and the custom fields.
    pub template: super::template::TemplateView,
    /// Its contributing factors, the trigger first.
    pub factors: Vec<super::factors::FactorRow>,
    /// The review group it is reviewed in, as (id, name), for a reader who may read groups.
    #[serde(default)]
    pub review_group: Option<(i64, String)>,
    /// Related incidents the reader may read, with the relation from this incident's side.
    #[serde(default)]
    pub related: Vec<super::relation::RelatedView>,
}

/// How many incidents a page of the list shows.
pub const INCIDENT_PAGE_SIZE: u64 = 50;

/// One page of the incident list and the zone its times are shown in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentList {
    pub zone: String,
    pub rows: Vec<IncidentRow>,
    /// Whether any incident exists at all (to tell "none yet" from "none match the filter").
    pub any: bool,
    /// The page before and the page after, with the same filters (None at either end).
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
    /// The custom fields the list can be filtered by: (key, label), of every template.
    pub filter_fields: Vec<(String, String)>,
}
