//! The lessons of a postmortem: what went well, what went wrong, where the team got lucky.

use serde::{Deserialize, Serialize};

use crate::domain::form::{FieldErrors, MAX_MARKDOWN_CHARS, optional_text};

/// What the team learned, in Markdown: the blameless heart of a postmortem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lessons {
    /// What went well: owning up, pausing before acting, asking for help.
    pub went_well_md: String,
    /// What went wrong, told as what the system let happen.
    pub went_wrong_md: String,
    /// Where the team got lucky.
    pub lucky_md: String,
}

/// The lessons form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonsForm {
    /// Markdown, may be empty.
    pub went_well: String,
    /// Markdown, may be empty.
    pub went_wrong: String,
    /// Markdown, may be empty.
    pub lucky: String,
}

impl LessonsForm {
    /// Checks the form; every section may be empty.
    ///
    /// # Errors
    /// A section longer than 20,000 characters, under its field.
    pub fn parse(&self) -> Result<Lessons, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut section = |field: &str, value: &str, label: &str| {
            errors
                .check(field, optional_text(value, label, MAX_MARKDOWN_CHARS))
                .unwrap_or_default()
        };
        let lessons = Lessons {
            went_well_md: section("went_well", &self.went_well, "What went well"),
            went_wrong_md: section("went_wrong", &self.went_wrong, "What went wrong"),
            lucky_md: section("lucky", &self.lucky, "Where we got lucky"),
        };
        errors.into_result(lessons)
    }

    /// The form for editing `lessons`.
    pub fn from_lessons(lessons: &Lessons) -> Self {
        Self {
            went_well: lessons.went_well_md.clone(),
            went_wrong: lessons.went_wrong_md.clone(),
            lucky: lessons.lucky_md.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_are_trimmed_and_may_be_empty() {
        let form = LessonsForm {
            went_well: "  Owned up at once.\n".into(),
            went_wrong: String::new(),
            lucky: "The apps came back cleanly.".into(),
        };
        assert_eq!(
            form.parse(),
            Ok(Lessons {
                went_well_md: "Owned up at once.".into(),
                went_wrong_md: String::new(),
                lucky_md: "The apps came back cleanly.".into(),
            })
        );
    }

    #[test]
    fn an_overlong_section_is_reported_under_its_field() {
        let form = LessonsForm {
            went_wrong: "x".repeat(MAX_MARKDOWN_CHARS + 1),
            lucky: "y".repeat(MAX_MARKDOWN_CHARS + 1),
            ..LessonsForm::default()
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(
            errors.get("went_wrong"),
            Some("What went wrong must be at most 20,000 characters; it has 20,001.")
        );
        assert!(errors.get("lucky").is_some());
        assert_eq!(errors.get("went_well"), None);
    }

    #[test]
    fn the_edit_form_reads_back_the_same_lessons() {
        let lessons = Lessons {
            went_well_md: "Paused before killing the job.".into(),
            went_wrong_md: "The default concurrency was high.".into(),
            lucky_md: String::new(),
        };
        assert_eq!(LessonsForm::from_lessons(&lessons).parse(), Ok(lessons));
    }
}
