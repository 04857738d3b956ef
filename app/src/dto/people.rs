//! People: accounts to pick from and the participants of an incident.

use serde::{Deserialize, Serialize};

/// A participant as the postmortem shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    pub user_id: i64,
    pub name: String,
    pub part: String,
}

/// Someone to pick as an owner or participant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub display_name: String,
}
