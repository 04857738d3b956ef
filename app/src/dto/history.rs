//! A postmortem's history as its page shows it.

use crate::domain::history::FieldChange;
use serde::{Deserialize, Serialize};

/// An incident's history page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    pub incident_id: i64,
    pub incident_title: String,
    pub zone: String,
    pub entries: Vec<HistoryItem>,
    /// The pages before and after this one, when there are.
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
}

/// How many entries a page of history shows.
pub const HISTORY_PAGE_SIZE: u64 = 50;

/// One recorded change, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub id: i64,
    pub who: String,
    /// When, in the reader's zone.
    pub at: String,
    /// "added", "edited", "deleted", "moved".
    pub action: String,
    pub summary: String,
    /// The fields that changed.
    pub changes: Vec<FieldChange>,
    /// The whole record as this change left it (or as it was, for a deletion): an earlier
    /// version, read back.
    pub record: Vec<(String, String)>,
}
