//! What an edit page opens with: the form's starting values, the version it was opened at, the
//! zone its times are written in, and what the form picks from (targets, people).

use crate::domain::change::ChangeForm;
use crate::domain::follow_up::FollowUpForm;
use crate::domain::follow_up::FollowUpState;
use crate::dto::postmortem::ParameterRow;
use serde::{Deserialize, Serialize};

/// An edit form's starting values and the zone its times are written in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Editing<F> {
    /// The version of the record the form was opened at (0 for a new one).
    pub version: i64,
    pub zone: String,
    /// The incident this belongs to, for the page heading and links back.
    pub incident_id: i64,
    pub incident_title: String,
    pub form: F,
}

/// A change's edit form with the parameters recorded so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeEditing {
    pub form: ChangeForm,
    pub parameters: Vec<ParameterRow>,
}

/// Something a follow-up can address: a change, or one parameter of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetOption {
    pub change_id: i64,
    pub parameter_id: Option<i64>,
    pub label: String,
}

/// A follow-up form with the changes and parameters of its incident it may target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpEditing {
    pub form: FollowUpForm,
    /// The current state, for an existing follow-up.
    pub state: Option<FollowUpState>,
    pub targets: Vec<TargetOption>,
    /// The people an owner is picked from.
    pub people: Vec<super::people::Person>,
    /// The due-date policy in words ("P1 — highest: 4 weeks · …"); empty without one.
    pub due_policy: String,
    /// The contributing factors of its incident it may address (value, label).
    #[serde(default)]
    pub factors: Vec<(String, String)>,
}

impl Editing<()> {
    /// The incident a new part will belong to, opening the part's form at `form`.
    pub fn with_form<F>(self, form: F) -> Editing<F> {
        Editing {
            version: self.version,
            zone: self.zone,
            incident_id: self.incident_id,
            incident_title: self.incident_title,
            form,
        }
    }
}

impl<F> Editing<F> {
    /// A form for a new incident: no version, no incident yet, times written in `zone`.
    pub fn new_incident(zone: String, form: F) -> Self {
        Editing {
            version: 0,
            zone,
            incident_id: 0,
            incident_title: String::new(),
            form,
        }
    }
}

impl ChangeEditing {
    /// A new change: the blank form, no parameters yet.
    pub fn blank() -> Self {
        ChangeEditing {
            form: ChangeForm::blank(),
            parameters: Vec::new(),
        }
    }
}
