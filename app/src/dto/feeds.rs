//! A person's feeds as their account page shows them, and "on this day" in the library.

use serde::{Deserialize, Serialize};

/// Whether the reader has a feed key, and the reading lists they can subscribe to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedKeyStatus {
    /// When the key was made, in the reader's zone; None without one.
    pub made: Option<String>,
    /// Every reading list: (id, title).
    pub lists: Vec<(i64, String)>,
    /// What the feed addresses start with ("https://debrief.example.com"): the configured
    /// public address, else the one this page was reached at (`server::origin`).
    pub origin: String,
}

/// A postmortem published on this day in an earlier year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnThisDayItem {
    pub incident_id: i64,
    pub title: String,
    pub year: i32,
    /// "3 years ago".
    pub ago: String,
}
