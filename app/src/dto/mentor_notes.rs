//! Mentor notes as the library, reading lists, the notes page and shared pages show them.

use serde::{Deserialize, Serialize};

/// A note as the library and reading lists show it: with who wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentorNoteView {
    pub id: i64,
    /// What it is on: "The lesson as a whole" or the timeline entry ("10:27 · on-call: …").
    pub on: String,
    pub timeline_entry_id: Option<i64>,
    pub html: String,
    pub author: String,
    pub show_on_shared: bool,
    /// Whether the reader may edit and delete it: its writer or an admin.
    pub can_edit: bool,
    /// Its Markdown, for the edit form (only when the reader may edit it).
    pub body_md: String,
}

/// The mentor notes page of a published postmortem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentorNotes {
    pub incident_id: i64,
    pub title: String,
    /// The published timeline's entries a note can be on: (id, label).
    pub entries: Vec<(i64, String)>,
    pub notes: Vec<MentorNoteView>,
    /// Whether the reader may write notes (authors and above).
    pub can_write: bool,
}

/// A note on a shared page: chosen by its writer for shared pages, redacted, without a name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedMentorNote {
    pub on: String,
    pub html: String,
}
