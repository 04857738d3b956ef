//! Comments as pages show them.

use serde::{Deserialize, Serialize};

/// A comment as the postmortem page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    /// What it is about (`Anchor::key`).
    pub anchor: String,
    pub author: String,
    /// When, in the reader's zone.
    pub at: String,
    pub body_html: String,
    /// Whether the reader may delete it (its author, or an admin).
    pub deletable: bool,
}

/// The id HTML gives a thread of comments, for links back to it.
pub fn thread_id(anchor: &str) -> String {
    format!("comments-{}", anchor.replace([':', '_'], "-"))
}
