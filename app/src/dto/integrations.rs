//! Integrations: their tokens and the changes they recorded.

use serde::{Deserialize, Serialize};

/// A token as the admin sees it (never the token itself, which is shown once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
    /// What it may do: `TokenScope::as_str` names.
    pub scopes: Vec<String>,
}

/// A recorded change, ready to be linked to an incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRow {
    pub id: i64,
    /// "Jenkins · generic run-command job".
    pub name: String,
    pub summary: String,
    pub kind: String,
    pub time: Option<String>,
    /// The parameters, "concurrency (default)" for one that took its default.
    pub parameters: Vec<String>,
    pub source: String,
    pub recorded: String,
    /// The incident it was linked to: (id, title).
    pub linked: Option<(i64, String)>,
}

/// The change log: recorded changes and the incidents the reader may link them to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeLog {
    pub rows: Vec<RecordedRow>,
    /// Incidents whose postmortem is being written (the ones a change can be linked to).
    pub incidents: Vec<(i64, String)>,
}

/// How many recorded changes the change log shows.
pub const CHANGE_LOG_LENGTH: u64 = 50;

/// How many postmortems being written a recorded change may be added to from the changes view:
/// the most recent.
pub const LINK_CHOICES: u64 = 20;
