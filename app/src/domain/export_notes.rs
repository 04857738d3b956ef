//! Mentors' notes in a postmortem's export: each with what it says, whether it shows on shared
//! pages, who wrote it (by name: an account id means nothing in another Debrief) and the
//! timeline entry it is on, by position. An import restores them with the writer's name and no
//! account (so an admin, not the writer, may change one there). A note on a timeline entry the
//! export does not hold (deleted by a correction still being written) is exported as a note on
//! the lesson as a whole, its words kept.

use serde::{Deserialize, Serialize};

use super::PostmortemExport;
use crate::domain::form::{FieldErrors, MAX_SHORT_TEXT_CHARS, optional_text};
use crate::domain::mentor_note::{MentorNote, MentorNoteForm, NewMentorNote};
use crate::domain::search::Parts;

/// A mentor's note, as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedMentorNote {
    /// Markdown.
    pub body_md: String,
    #[serde(default)]
    pub show_on_shared: bool,
    /// Who wrote it, by name.
    #[serde(default)]
    pub author: String,
    /// The timeline entry it is on, by position in `timeline`; none: the lesson as a whole.
    #[serde(default)]
    pub timeline_entry: Option<usize>,
}

impl ExportedMentorNote {
    /// The note to store, on the timeline entry with id `entry` (None: the lesson as a whole).
    pub fn to_new(&self, entry: Option<i64>) -> NewMentorNote {
        NewMentorNote {
            timeline_entry_id: entry,
            body_md: self.body_md.clone(),
            show_on_shared: self.show_on_shared,
        }
    }
}

/// The notes of a stored postmortem, their entries by position in its timeline.
pub(super) fn exported(parts: &Parts<'_>) -> Vec<ExportedMentorNote> {
    parts
        .mentor_notes
        .iter()
        .map(|n: &MentorNote| ExportedMentorNote {
            body_md: n.body_md.clone(),
            show_on_shared: n.show_on_shared,
            author: n.author_name.clone(),
            timeline_entry: n
                .timeline_entry_id
                .and_then(|id| parts.timeline.iter().position(|e| e.id == id)),
        })
        .collect()
}

/// Each note must be what the note form would save, by a writer with a name of a name's
/// length, on an entry the export holds.
pub(super) fn check(export: &PostmortemExport, errors: &mut FieldErrors) {
    for (i, n) in export.mentor_notes.iter().enumerate() {
        let at = |field: &str| format!("mentor_notes[{i}].{field}");
        let form = MentorNoteForm::from_note(&n.to_new(None));
        match form.parse() {
            Ok(saved) if saved.body_md == n.body_md => {}
            Ok(_) => errors.add(
                &at("body_md"),
                "It is not as Debrief saves it (spaces around the text); export it again, or correct it.",
            ),
            Err(found) => {
                for e in found.0 {
                    errors.add(&at("body_md"), e.message);
                }
            }
        }
        if let Err(e) = optional_text(&n.author, "The writer's name", MAX_SHORT_TEXT_CHARS) {
            errors.add(&at("author"), e);
        }
        if n.timeline_entry.is_some_and(|p| p >= export.timeline.len()) {
            errors.add(
                &at("timeline_entry"),
                "It is on a timeline entry that is not in the export.",
            );
        }
    }
}

/// The notes as a Markdown section (none without notes).
pub(super) fn markdown(export: &PostmortemExport) -> String {
    if export.mentor_notes.is_empty() {
        return String::new();
    }
    let mut md = "\n## Mentor notes\n\n".to_owned();
    for n in &export.mentor_notes {
        let on = n
            .timeline_entry
            .and_then(|p| export.timeline.get(p))
            .map_or_else(
                || "the lesson as a whole".to_owned(),
                |e| format!("“{}”", crate::domain::text::first_line(&e.body_md, 60)),
            );
        let by = if n.author.is_empty() {
            String::new()
        } else {
            format!(" by {}", n.author)
        };
        md.push_str(&format!(
            "- On {on}{by}: {}\n",
            n.body_md.trim().replace('\n', " ")
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: i64, entry: Option<i64>, body: &str) -> MentorNote {
        MentorNote {
            id,
            incident_id: 1,
            timeline_entry_id: entry,
            body_md: body.to_owned(),
            show_on_shared: id == 2,
            author_id: Some(5),
            author_name: "Grace".to_owned(),
            updated_at: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
        }
    }

    /// The worked example with a note on its lesson, one on its second entry and one on an
    /// entry it no longer holds.
    fn export() -> PostmortemExport {
        let (incident, timeline, impact, changes, follow_ups) = super::super::tests::stored();
        let notes = [
            note(1, None, "Read the plan first."),
            note(
                2,
                Some(timeline[1].id),
                "Notice the pause before killing the job.",
            ),
            note(3, Some(999_999), "On an entry since deleted."),
        ];
        PostmortemExport::of(&Parts {
            incident: &incident,
            timeline: &timeline,
            impact: &impact,
            changes: &changes,
            follow_ups: &follow_ups,
            field_values: &[],
            factors: &[],
            mentor_notes: &notes,
        })
    }

    #[test]
    fn notes_export_with_their_writer_by_name_and_their_entry_by_position_and_read_back() {
        let exported = export();
        let notes = &exported.mentor_notes;
        assert_eq!(notes.len(), 3);
        assert_eq!(notes[0].timeline_entry, None);
        assert_eq!(notes[1].timeline_entry, Some(1));
        assert!(notes[1].show_on_shared && !notes[0].show_on_shared);
        assert_eq!(notes[1].author, "Grace");
        assert_eq!(
            notes[2].timeline_entry, None,
            "kept, on the lesson as a whole"
        );
        assert_eq!(notes[2].body_md, "On an entry since deleted.");
        let json = serde_json::to_string(&exported).expect("serialises");
        let back: PostmortemExport = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, exported);
        assert_eq!(back.check(), Ok(()));
        let md = exported.to_markdown(&chrono::Utc);
        assert!(md.contains("## Mentor notes"), "{md}");
        assert!(
            md.contains("by Grace: Notice the pause before killing the job."),
            "{md}"
        );
    }

    #[test]
    fn an_export_without_notes_reads_with_none() {
        let mut json = serde_json::to_value(export()).expect("serialises");
        json.as_object_mut()
            .expect("an object")
            .remove("mentor_notes");
        let back: PostmortemExport = serde_json::from_value(json).expect("reads");
        assert!(back.mentor_notes.is_empty());
        assert!(!back.to_markdown(&chrono::Utc).contains("Mentor notes"));
    }

    #[test]
    fn a_note_no_form_would_save_is_refused_by_place() {
        let mut bad = export();
        bad.mentor_notes[0].body_md = "   ".to_owned();
        bad.mentor_notes[1].timeline_entry = Some(bad.timeline.len());
        bad.mentor_notes[2].author = "x".repeat(MAX_SHORT_TEXT_CHARS + 1);
        let errors = bad.check().expect_err("refused");
        for place in [
            "mentor_notes[0].body_md",
            "mentor_notes[1].timeline_entry",
            "mentor_notes[2].author",
        ] {
            assert!(errors.get(place).is_some(), "{place}: {errors:?}");
        }
    }
}
