//! Mentor notes: a teaching note ("notice the pause before killing the job") on a published
//! postmortem as a whole or on one of its timeline entries, Markdown like other stored text.
//! Shown in the library and reading lists with who wrote it; on shared pages only when its
//! writer chose so, and then without their name.

use serde::{Deserialize, Serialize};

use crate::domain::form::{FieldErrors, MAX_MARKDOWN_CHARS, checkbox, picked_id, required_text};

/// A note as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MentorNoteForm {
    /// The timeline entry's id, or empty for the lesson as a whole.
    pub timeline_entry: String,
    pub body: String,
    /// A checkbox: "on" when ticked.
    pub show_on_shared: String,
}

/// A valid note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMentorNote {
    pub timeline_entry_id: Option<i64>,
    pub body_md: String,
    pub show_on_shared: bool,
}

impl MentorNoteForm {
    /// Checks the form.
    ///
    /// # Errors
    /// Under `body` when it is empty or too long; under `timeline_entry` when it is not an id.
    pub fn parse(&self) -> Result<NewMentorNote, FieldErrors> {
        let mut errors = FieldErrors::new();
        let timeline_entry_id = errors
            .check(
                "timeline_entry",
                picked_id(&self.timeline_entry, "timeline entry"),
            )
            .flatten();
        let body = errors.check(
            "body",
            required_text(&self.body, "The note", MAX_MARKDOWN_CHARS),
        );
        match body {
            Some(body_md) if errors.is_empty() => Ok(NewMentorNote {
                timeline_entry_id,
                body_md,
                show_on_shared: checkbox(&self.show_on_shared),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_note_is_refused_under_its_field() {
        let errors = MentorNoteForm {
            body: "   ".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.0[0].field, "body");
    }

    #[test]
    fn a_note_on_an_entry_keeps_the_entry_and_the_shared_choice() {
        let note = MentorNoteForm {
            timeline_entry: "12".into(),
            body: "Notice the pause before killing the job.".into(),
            show_on_shared: "on".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(note.timeline_entry_id, Some(12));
        assert!(note.show_on_shared);
        let whole = MentorNoteForm {
            body: "Read the plan first.".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(whole.timeline_entry_id, None);
        assert!(!whole.show_on_shared);
    }
}
