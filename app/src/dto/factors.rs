//! What pages show of contributing factors: the section of the postmortem page, the factor's
//! edit form with what it picks from, and the rollup on /changes.

use serde::{Deserialize, Serialize};

use crate::domain::change::IncidentRef;
use crate::domain::factor::{FactorForm, FactorRole, FactorRollup};
use crate::dto::editing::TargetOption;

/// Other incidents that had a factor of the same category, told to the author while writing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurrenceView {
    /// "Missing safeguard has contributed to 2 other incidents of Jenkins:"
    pub sentence: String,
    /// The most recent of them.
    pub incidents: Vec<IncidentRef>,
    /// How many more there are than listed.
    pub more: usize,
}

/// One factor on the postmortem page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactorRow {
    pub id: i64,
    pub statement: String,
    pub category: String,
    pub role: FactorRole,
    pub accepted_reason: Option<String>,
    /// The follow-ups that address it (their ids: the page names them from its follow-ups).
    pub follow_ups: Vec<i64>,
    /// Other incidents of its category (for those who write postmortems).
    pub recurrence: Option<RecurrenceView>,
    /// The changes that show it: each change's id (the page names it from its changes) and the
    /// name of the parameter of it that shows it, if one does.
    pub changes: Vec<(i64, Option<String>)>,
    /// The timeline entries that show it: each one's id and its time, in time order.
    pub timeline_entries: Vec<(i64, String)>,
}

/// A factor's form with what it picks from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FactorEditing {
    pub form: FactorForm,
    /// The categories offered (value, label): those in use, and the factor's own if retired.
    pub categories: Vec<(String, String)>,
    /// The changes and parameters of its incident.
    pub targets: Vec<TargetOption>,
    /// The timeline entries of its incident (value, label).
    pub entries: Vec<(String, String)>,
}

/// What keeps hurting us: factors across incidents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FactorRollups {
    pub by_category: Vec<FactorRollup>,
    pub by_system: Vec<FactorRollup>,
}
