//! Search results.

use crate::domain::search::DocumentKind;
use serde::{Deserialize, Serialize};

/// One result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub incident_id: i64,
    pub incident_title: String,
    pub kind: DocumentKind,
    pub href: String,
    /// The title and a passage, as (text, is_match) pieces.
    pub title: Vec<(String, bool)>,
    pub snippet: Vec<(String, bool)>,
}

/// The results page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// The most results shown.
pub const MAX_RESULTS: usize = 50;
