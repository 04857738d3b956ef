//! Mentor notes: a teaching note ("notice the pause before killing the job") on a published
//! postmortem as a whole or on one of its timeline entries, Markdown like other stored text.
//! Shown in the library and reading lists with who wrote it; on shared pages only when its
//! writer chose so, and then without their name. Adding, editing and deleting one is recorded
//! in its postmortem's history ([`Recorded`]), though a mentor does not become one of the
//! postmortem's writers by it.

use serde::{Deserialize, Serialize};

use crate::domain::form::{FieldErrors, MAX_MARKDOWN_CHARS, checkbox, picked_id, required_text};
use crate::domain::history::{Part, Recorded, Snapshot, snapshot};
use crate::domain::time::Zone;

/// A note as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorNote {
    pub id: i64,
    pub incident_id: i64,
    /// None: a note on the lesson as a whole.
    pub timeline_entry_id: Option<i64>,
    pub body_md: String,
    pub show_on_shared: bool,
    /// None once the account is gone, or for a note restored from an export.
    pub author_id: Option<i64>,
    pub author_name: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl MentorNote {
    /// What it says, and where it may show.
    pub fn as_new(&self) -> NewMentorNote {
        NewMentorNote {
            timeline_entry_id: self.timeline_entry_id,
            body_md: self.body_md.clone(),
            show_on_shared: self.show_on_shared,
        }
    }
}

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
    /// The form of a note, as it was typed.
    pub fn from_note(note: &NewMentorNote) -> Self {
        MentorNoteForm {
            timeline_entry: note
                .timeline_entry_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            body: note.body_md.clone(),
            show_on_shared: if note.show_on_shared {
                "on".to_owned()
            } else {
                String::new()
            },
        }
    }

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

impl Recorded for NewMentorNote {
    const PART: Part = Part::MentorNote;
    fn title(&self) -> String {
        self.body_md.clone()
    }
    fn snapshot(&self, _: &dyn Zone) -> Snapshot {
        snapshot(&MentorNoteForm::from_note(self))
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

    #[test]
    fn a_note_is_recorded_as_its_form_shows_it_and_its_form_parses_back_to_it() {
        let note = NewMentorNote {
            timeline_entry_id: Some(7),
            body_md: "Notice the pause.\nThen read the graph.".into(),
            show_on_shared: true,
        };
        let form = MentorNoteForm::from_note(&note);
        assert_eq!(form.parse(), Ok(note.clone()));
        let recorded = note.snapshot(&chrono::Utc);
        assert_eq!(
            recorded.get("body").map(String::as_str),
            Some(note.body_md.as_str())
        );
        assert_eq!(
            recorded.get("timeline_entry").map(String::as_str),
            Some("7")
        );
        assert_eq!(
            recorded.get("show_on_shared").map(String::as_str),
            Some("on")
        );
        assert_eq!(
            crate::domain::history::summary(&note),
            "Mentor note “Notice the pause.…”"
        );
    }
}
