//! A review group as its pages show it: the member incidents, their timelines merged in the
//! order things happened, and their follow-ups by state.

use serde::{Deserialize, Serialize};

use crate::domain::incident::{IncidentStatus, Severity};
use crate::dto::postmortem::TimelineRow;

/// One incident of a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub incident_id: i64,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
}

/// An entry of the merged timeline, labelled with its incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupEntryRow {
    pub incident_id: i64,
    /// "#12 Logins failed".
    pub label: String,
    pub row: TimelineRow,
}

/// A member's follow-ups, grouped by state (in the order of the states' lives).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberFollowUps {
    pub incident_id: i64,
    pub title: String,
    /// (state label, [(follow-up id, title)]); states without follow-ups are left out.
    pub by_state: Vec<(String, Vec<(i64, String)>)>,
    /// Its contributing factors, the trigger first: (factor id, "Trigger (Risky default): …").
    #[serde(default)]
    pub factors: Vec<(i64, String)>,
}

/// The group page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewGroupView {
    pub id: i64,
    pub name: String,
    /// "Created by Ada on 23 Mar 2020 10:27", in the reader's zone.
    pub created: String,
    /// "Last changed by Ada on …".
    pub changed: String,
    pub members: Vec<MemberView>,
    pub timeline: Vec<GroupEntryRow>,
    pub follow_ups: Vec<MemberFollowUps>,
    /// Incidents in no group that may be added, as (id, "#id title"); empty when the reader may
    /// not change the group.
    pub candidates: Vec<(String, String)>,
    pub can_change: bool,
    pub zone: String,
}

/// A group in the list of groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewGroupRow {
    pub id: i64,
    pub name: String,
    /// (incident id, title).
    pub members: Vec<(i64, String)>,
}

/// The page starting a group from an incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewReviewGroupView {
    pub incident_id: i64,
    pub title: String,
    /// The group it is in already, as (id, name).
    pub group: Option<(i64, String)>,
    /// Other incidents in no group, as (id, "#id title").
    pub candidates: Vec<(String, String)>,
}
