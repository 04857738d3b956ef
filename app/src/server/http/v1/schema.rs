//! What the API answers with and accepts: the JSON types, from which the OpenAPI document is
//! generated (`utoipa`), so the document and the answers cannot drift apart unnoticed (the
//! read API's test checks real answers against the document).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An error: what went wrong, and for a body with fields at fault each field's message.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// What went wrong, in a sentence a person can act on.
    pub error: String,
    /// The fields at fault (empty unless the error names fields).
    pub fields: Vec<ApiFieldError>,
}

/// One field at fault.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiFieldError {
    pub field: String,
    pub message: String,
}

/// An incident as the incident list shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IncidentSummary {
    pub id: i64,
    pub title: String,
    /// draft, in_review, changes_requested, approved or published (as the reader sees it:
    /// during a correction, the published version).
    pub status: String,
    /// sev1 … sev4.
    pub severity: String,
    pub services: Vec<String>,
    /// When the impact started (RFC 3339, UTC), if recorded.
    pub impact_started_at: Option<String>,
    /// Its revision: 1 until a correction after publishing starts the next.
    pub revision: i32,
    /// Its page.
    pub url: String,
}

/// A page of incidents, newest first.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IncidentPage {
    pub items: Vec<IncidentSummary>,
    /// The cursor of the next page; null on the last.
    pub next: Option<String>,
}

/// A follow-up as the dashboard lists it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FollowUpSummary {
    pub id: i64,
    pub incident_id: i64,
    /// Its postmortem's title as the reader sees it.
    pub incident_title: String,
    pub title: String,
    /// prevent, mitigate, detect, process or educate.
    pub action_type: String,
    /// p1 … p4.
    pub priority: String,
    /// proposed, committed, in_progress, done, verified or wont_do.
    pub state: String,
    /// Past its due date (UTC) and still open.
    pub overdue: bool,
    pub owner: String,
    /// Its due date (YYYY-MM-DD), if any.
    pub due: Option<String>,
    /// The change (or parameter) it addresses, by name.
    pub addresses: Option<String>,
    pub evidence: Option<String>,
    pub wont_do_reason: Option<String>,
}

/// A page of follow-ups, by id.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FollowUpPage {
    pub items: Vec<FollowUpSummary>,
    /// The cursor of the next page; null on the last.
    pub next: Option<String>,
}

/// A parameter a change ran with.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangeParameter {
    pub name: String,
    pub value: String,
    /// Left unset: the system's default applied.
    pub is_default: bool,
}

/// A change: on a published postmortem (`source` "postmortem"), or recorded by an integration
/// and still waiting to be linked to one (`source` "recorded").
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangeSummary {
    pub id: i64,
    /// postmortem or recorded.
    pub source: String,
    /// Its incident (null for a recorded change waiting).
    pub incident_id: Option<i64>,
    /// deploy, configuration, job_run, feature_flag, infrastructure, database or
    /// manual_operation.
    pub kind: String,
    pub system: String,
    pub identifier: String,
    pub summary: String,
    pub link: Option<String>,
    /// When it was made (RFC 3339, UTC; the middle of a range), if known.
    pub at: Option<String>,
    pub started_by: String,
    pub parameters: Vec<ChangeParameter>,
    /// The integration that recorded it (recorded changes only).
    pub recorded_by: Option<String>,
}

/// A page of changes: those on postmortems by id, then those waiting by id.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangePage {
    pub items: Vec<ChangeSummary>,
    /// The cursor of the next page; null on the last.
    pub next: Option<String>,
}

/// A postmortem's export: the JSON `/incidents/{id}/export.json` downloads and another
/// Debrief imports (format `debrief-postmortem`; its parts are described in the README).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PostmortemExport {
    /// Always "debrief-postmortem".
    pub format: String,
    pub version: u32,
    #[schema(value_type = Object)]
    pub incident: serde_json::Value,
    #[schema(value_type = Object)]
    pub lessons: serde_json::Value,
    #[schema(value_type = Vec<Object>)]
    pub timeline: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub impact: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub follow_ups: Vec<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub template: Option<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub factors: Vec<serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub related: Vec<serde_json::Value>,
    /// Mentors' notes on the published postmortem: `body_md`, `show_on_shared`, `author` (a
    /// name) and `timeline_entry` (a position in `timeline`, null for the lesson as a whole).
    #[schema(value_type = Vec<Object>)]
    pub mentor_notes: Vec<serde_json::Value>,
}

/// Moves a follow-up (`POST /api/v1/follow-ups/{id}/state`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateChange {
    /// committed, in_progress or done.
    pub state: String,
    /// A link (http or https) to what shows it: the ticket, the merged change. Kept with the
    /// follow-up as its evidence when it is done; always recorded in its history.
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A follow-up after a move.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MovedFollowUp {
    pub id: i64,
    /// The state it is in now.
    pub state: String,
    pub evidence: Option<String>,
}

/// A change to record (`POST /api/v1/changes`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NewRecordedChange {
    /// deploy, configuration, job_run, feature_flag, infrastructure, database or
    /// manual_operation.
    pub kind: String,
    pub system: String,
    #[schema(required = false)]
    pub identifier: String,
    pub summary: String,
    /// An http(s) link to it.
    #[schema(required = false)]
    pub link: String,
    /// When, as RFC 3339 ("2020-03-23T10:27:00Z").
    #[schema(required = false)]
    pub at: String,
    /// Who or what started it, by role.
    #[schema(required = false)]
    pub started_by: String,
    #[schema(required = false)]
    pub parameters: Vec<ChangeParameter>,
}

/// The id of a recorded change.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RecordedId {
    pub id: i64,
}

/// The incident list's parameters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentParams {
    /// draft, in_review, changes_requested, approved or published (a token reads published
    /// postmortems only).
    pub status: String,
    /// sev1 … sev4.
    pub severity: String,
    /// Items per page, 1 to 200 (default 50).
    pub limit: String,
    /// The `next` of the previous page.
    pub cursor: String,
}

/// The follow-up list's parameters: the dashboard's filters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpParams {
    /// open (default), overdue, due_soon, awaiting_verification, closed or all: the
    /// dashboard's views.
    pub view: String,
    /// The owner's name, exactly (ignoring case).
    pub owner: String,
    /// The owner's team.
    pub team: String,
    /// p1 … p4.
    pub priority: String,
    /// An incident id.
    pub incident: String,
    /// The system of the change it addresses.
    pub system: String,
    /// Items per page, 1 to 200 (default 50).
    pub limit: String,
    /// The `next` of the previous page.
    pub cursor: String,
}

/// The change list's parameters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct ChangeParams {
    /// postmortem (changes on published postmortems), recorded (recorded by integrations and
    /// waiting to be linked) or empty for both.
    pub source: String,
    /// The system that made it (ignoring case).
    pub system: String,
    /// Items per page, 1 to 200 (default 50).
    pub limit: String,
    /// The `next` of the previous page.
    pub cursor: String,
}
