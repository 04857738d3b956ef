//! The lessons library and reading lists.

use crate::domain::library::LessonKind;
use serde::{Deserialize, Serialize};

/// One lesson: a section of a published postmortem's lessons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonCard {
    pub incident_id: i64,
    pub incident_title: String,
    pub kind: LessonKind,
    pub html: String,
    pub tags: Vec<String>,
    /// Mentors' teaching notes on its postmortem (on the first of its lessons shown).
    #[serde(default)]
    pub notes: Vec<crate::dto::mentor_notes::MentorNoteView>,
}

/// The library page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Library {
    pub lessons: Vec<LessonCard>,
    /// Every tag with how many lessons carry it.
    pub tags: Vec<(String, usize)>,
    /// The tag and kind shown ("" for any).
    pub tag: String,
    pub kind: Option<LessonKind>,
    /// The reading lists a lesson can be put on: (id, title).
    pub lists: Vec<(i64, String)>,
    /// Whether the reader may tag lessons and curate lists.
    pub can_curate: bool,
    /// Whether anything has been published at all.
    pub any_published: bool,
    /// The pages before and after this one (keeping the tag and kind), when there are.
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
    /// Postmortems published on this month and day in earlier years (the reader's zone).
    #[serde(default)]
    pub on_this_day: Vec<crate::dto::feeds::OnThisDayItem>,
}

/// How many lessons a page of the library shows.
pub const LIBRARY_PAGE_SIZE: u64 = 50;

/// A lesson on a reading list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    pub id: i64,
    pub lesson: LessonCard,
    pub note: String,
}

/// A reading list with its lessons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadingListView {
    pub id: i64,
    pub title: String,
    pub note_html: String,
    pub created_by: String,
    pub items: Vec<ListItem>,
    /// Whether the reader may edit and delete it: its owner or an admin.
    pub can_edit: bool,
}

/// The reading lists page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadingLists {
    pub lists: Vec<ReadingListView>,
    pub can_curate: bool,
}
