//! Comments on a postmortem: on one of its sections, a timeline entry or a follow-up, by anyone
//! who can read it. They discuss the postmortem; they are not part of it (and so are not in its
//! history, and can be added to a published postmortem).

use serde::{Deserialize, Serialize};

use super::form::{FieldErrors, MAX_MARKDOWN_CHARS, required_text};

labelled_enum! {
    /// The sections of a postmortem a comment can be about.
    pub enum Section {
        Summary = ("summary", "Summary"),
        Impact = ("impact", "Impact"),
        Changes = ("changes", "The change"),
        Timeline = ("timeline", "Timeline"),
        Lessons = ("lessons", "Lessons"),
        FollowUps = ("follow_ups", "Follow-ups"),
    }
}

/// What a comment is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Anchor {
    Section(Section),
    TimelineEntry(i64),
    FollowUp(i64),
}

impl Anchor {
    /// The stable name stored and posted: "section:impact", "timeline_entry:12", "follow_up:5".
    pub fn key(self) -> String {
        match self {
            Anchor::Section(s) => format!("section:{}", s.as_str()),
            Anchor::TimelineEntry(id) => format!("timeline_entry:{id}"),
            Anchor::FollowUp(id) => format!("follow_up:{id}"),
        }
    }

    /// Reads a name written by [`Anchor::key`]; `None` for anything else.
    pub fn parse(key: &str) -> Option<Self> {
        let (kind, rest) = key.trim().split_once(':')?;
        let id = || rest.parse::<i64>().ok().filter(|id| *id > 0);
        match kind {
            "section" => Section::parse(rest).map(Anchor::Section),
            "timeline_entry" => id().map(Anchor::TimelineEntry),
            "follow_up" => id().map(Anchor::FollowUp),
            _ => None,
        }
    }
}

/// The comment form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommentForm {
    /// Markdown; required.
    pub body: String,
}

impl CommentForm {
    /// The comment's text, trimmed.
    ///
    /// # Errors
    /// Under `body` when it is empty or too long.
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = errors.check(
            "body",
            required_text(&self.body, "A comment", MAX_MARKDOWN_CHARS),
        );
        errors.into_result(body.unwrap_or_default())
    }
}

/// Whether `user` may delete a comment written by `author` (None: an account since removed):
/// its author, or an admin.
pub fn may_delete(user: &super::account::User, author: Option<i64>) -> bool {
    author == Some(user.id) || user.role.includes(super::account::Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_read_back_from_their_keys() {
        for anchor in [
            Anchor::Section(Section::Lessons),
            Anchor::TimelineEntry(12),
            Anchor::FollowUp(5),
        ] {
            assert_eq!(Anchor::parse(&anchor.key()), Some(anchor));
        }
        assert_eq!(
            Anchor::Section(Section::FollowUps).key(),
            "section:follow_ups"
        );
    }

    #[test]
    fn unknown_anchors_are_refused() {
        for key in [
            "",
            "section:",
            "section:nope",
            "timeline_entry:x",
            "follow_up:-1",
            "change:3",
            "lessons",
        ] {
            assert_eq!(Anchor::parse(key), None, "{key:?}");
        }
    }

    #[test]
    fn a_comment_needs_words() {
        let errors = CommentForm { body: "  ".into() }.parse().unwrap_err();
        assert!(errors.get("body").unwrap().contains("required"));
        assert_eq!(
            CommentForm {
                body: " Why 500? ".into()
            }
            .parse()
            .unwrap(),
            "Why 500?"
        );
    }
}
