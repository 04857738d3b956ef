//! Related incidents as the postmortem page and the link's form show them.

use serde::{Deserialize, Serialize};

use crate::domain::relation::{RelationForm, RelationKind};

/// A link to a related incident, read from the incident whose page shows it, for a reader who
/// may read the other incident (links to incidents they may not read are not shown at all).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedView {
    /// The link's id.
    pub id: i64,
    /// Whether it was added on this incident (and so is edited and removed here).
    pub added_here: bool,
    /// The relation from this incident's side.
    pub kind: RelationKind,
    pub other_id: i64,
    /// The other incident's title as the reader sees it.
    pub other_title: String,
    pub note: String,
}

/// An incident a new link may point at, for the form's picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentOption {
    pub id: i64,
    pub title: String,
}

/// A link's form with the incidents it may pick from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationEditing {
    pub form: RelationForm,
    /// The newest incidents other than this one, newest first (a new link's picker).
    pub recent: Vec<IncidentOption>,
    /// For an existing link: the other incident as the page names it ("#12 Metrics stopped").
    pub other: Option<String>,
}
