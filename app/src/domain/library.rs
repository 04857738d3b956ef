//! The lessons library: each lesson section of a published postmortem (what went well, what
//! went wrong, where we got lucky) is a lesson others can find by tag, link to, and collect into
//! reading lists with a mentor's note ("read this before your first production change").

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_TITLE_CHARS, optional_text, required_text,
};
use crate::domain::incident::Lessons;

labelled_enum! {
    /// The kind of lesson: a section of a postmortem's lessons.
    pub enum LessonKind {
        WentWell = ("went_well", "What went well"),
        WentWrong = ("went_wrong", "What went wrong"),
        Lucky = ("lucky", "Where we got lucky"),
    }
}

impl LessonKind {
    /// This section's Markdown in `lessons`.
    pub fn of(self, lessons: &Lessons) -> &str {
        match self {
            Self::WentWell => &lessons.went_well_md,
            Self::WentWrong => &lessons.went_wrong_md,
            Self::Lucky => &lessons.lucky_md,
        }
    }
}

/// The longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 40;

/// Reads a tag as people type it: trimmed, lower-cased, inner spaces as hyphens ("Default
/// values" → "default-values"); letters, digits and hyphens only.
///
/// # Errors
/// A message when it is empty, too long or holds other characters.
pub fn parse_tag(text: &str) -> Result<String, String> {
    let tag = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase();
    if tag.is_empty() {
        return Err("Type a tag, like default-values.".to_owned());
    }
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(format!("A tag holds at most {MAX_TAG_CHARS} characters."));
    }
    if !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Err("A tag holds letters, digits and hyphens only.".to_owned());
    }
    Ok(tag)
}

/// The reading-list form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadingListForm {
    pub title: String,
    /// The mentor's note: why and when to read it.
    pub note: String,
}

/// A valid reading list, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReadingList {
    pub title: String,
    pub note_md: String,
}

impl ReadingListForm {
    /// Checks the form.
    ///
    /// # Errors
    /// Under `title` when it is empty or too long; under `note` when too long.
    pub fn parse(&self) -> Result<NewReadingList, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check(
            "title",
            required_text(&self.title, "Title", MAX_TITLE_CHARS),
        );
        let note_md = errors
            .check(
                "note",
                optional_text(&self.note, "Note", MAX_MARKDOWN_CHARS),
            )
            .unwrap_or_default();
        match title {
            Some(title) if errors.is_empty() => Ok(NewReadingList { title, note_md }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_as_people_type_them() {
        assert_eq!(parse_tag("  Default values "), Ok("default-values".into()));
        assert_eq!(parse_tag("jenkins"), Ok("jenkins".into()));
        assert!(parse_tag("   ").is_err());
        assert!(
            parse_tag("a/b")
                .unwrap_err()
                .contains("letters, digits and hyphens")
        );
        assert!(parse_tag(&"x".repeat(41)).is_err());
    }

    #[test]
    fn a_reading_list_needs_a_title() {
        let list = ReadingListForm {
            title: " Before your first production change ".into(),
            note: "Read these in order.".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(list.title, "Before your first production change");
        let errors = ReadingListForm::default().parse().unwrap_err();
        assert_eq!(errors.get("title"), Some("Title is required."));
    }

    #[test]
    fn each_kind_reads_its_own_section() {
        let lessons = Lessons {
            went_well_md: "owned up".into(),
            went_wrong_md: "default concurrency".into(),
            lucky_md: "quiet hour".into(),
        };
        assert_eq!(
            LessonKind::ALL.map(|k| k.of(&lessons)),
            ["owned up", "default concurrency", "quiet hour"]
        );
    }
}
