//! What every form parser shares: errors keyed by form field, the checks for text, checkbox and
//! select fields, and the length limits.
//!
//! A parser reads the strings an HTML form sends and either builds a domain value or returns
//! every problem at once, each under the name of the field a person has to correct. Nothing
//! here knows about particular forms; they live beside their aggregate (`incident`, `change`, …).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest short text (an actor, a system, a unit, an owner…), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
/// Longest Markdown body or other free text, in characters.
pub const MAX_MARKDOWN_CHARS: usize = 20_000;

/// One problem with one form field, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, as in the HTML (`"title"`, `"detected_at"`).
    pub field: String,
    /// What is wrong and how to put it right.
    pub message: String,
}

/// Every problem a form parser found, in the order it found them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message recorded for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    /// `Ok(ok)` when no problem was recorded.
    ///
    /// # Errors
    /// Returns `self` when it holds at least one problem.
    pub fn into_result<T>(self, ok: T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(ok) } else { Err(self) }
    }

    /// Keeps the value of a field check, or records its message under `field` and returns `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", error.field, error.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

/// A value picked from a fixed list (an HTML `<select>`): implemented by every domain enum.
pub trait Choice: Sized + Copy + 'static {
    /// Every value, in the order a form lists them.
    fn all() -> &'static [Self];
    /// The stable form value.
    fn as_str(self) -> &'static str;
    /// What a person reads.
    fn label(self) -> &'static str;
    /// The inverse of [`Choice::as_str`].
    fn parse(value: &str) -> Option<Self>;
}

/// Trims `value`; it must not be empty nor longer than `max_chars` characters.
///
/// # Errors
/// A message naming `label` ("Title is required.") or the limit.
pub fn required_text(value: &str, label: &str, max_chars: usize) -> Result<String, String> {
    let text = optional_text(value, label, max_chars)?;
    if text.is_empty() {
        Err(format!("{label} is required."))
    } else {
        Ok(text)
    }
}

/// An id picked from a list: empty means none; anything but a positive whole number is an error
/// saying it is not `what` (e.g. "a change").
pub fn picked_id(value: &str, what: &str) -> Result<Option<i64>, String> {
    let text = value.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(Some(id)),
        _ => Err(format!("“{text}” is not {what}; pick one from the list.")),
    }
}

/// Trims `value`, which may be empty but not longer than `max_chars` characters.
///
/// # Errors
/// A message naming `label`, the limit and the length found.
pub fn optional_text(value: &str, label: &str, max_chars: usize) -> Result<String, String> {
    let text = value.trim();
    let chars = text.chars().count();
    if chars > max_chars {
        Err(format!(
            "{label} must be at most {} characters; it has {}.",
            thousands(max_chars as u64),
            thousands(chars as u64)
        ))
    } else {
        Ok(text.to_owned())
    }
}

/// Longest link, in characters.
const MAX_LINK_CHARS: usize = 2_000;

/// A link a page may show as a link: an absolute `http://` or `https://` address with no
/// spaces, or nothing. Every way a link enters Debrief (forms, the JSON import, the change API)
/// reads it here, so a `javascript:` or `data:` address never reaches an `href`.
///
/// # Errors
/// A message saying what is wrong with it.
pub fn parse_link(value: &str) -> Result<Option<String>, String> {
    let link = optional_text(value, "The link", MAX_LINK_CHARS)?;
    if link.is_empty() {
        return Ok(None);
    }
    let lower = link.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !link.contains(char::is_whitespace)
                && !link.chars().any(char::is_control) =>
        {
            Ok(Some(link))
        }
        Some(_) => {
            Err("That link is incomplete or contains spaces; paste the whole address.".into())
        }
        None => Err("A link must start with http:// or https://.".into()),
    }
}

/// Reads an HTML checkbox: browsers send `"on"` when ticked and nothing when not; `"true"` and
/// `"1"` are accepted from other clients.
pub fn checkbox(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "on" | "true" | "1"
    )
}

/// Reads a `<select>` that must have a value. `what` names it with its article ("a severity").
///
/// # Errors
/// "Choose …" when empty, or a message listing the options when the value is unknown.
pub fn required_choice<T: Choice>(value: &str, what: &str) -> Result<T, String> {
    optional_choice(value, what)?.ok_or_else(|| format!("Choose {what}."))
}

/// Reads a `<select>` whose empty value means `default`.
///
/// # Errors
/// A message listing the options when the value is unknown.
pub fn choice_or<T: Choice>(value: &str, what: &str, default: T) -> Result<T, String> {
    Ok(optional_choice(value, what)?.unwrap_or(default))
}

/// Reads a `<select>` whose empty value means "none".
///
/// # Errors
/// A message listing the options when the value is unknown.
pub fn optional_choice<T: Choice>(value: &str, what: &str) -> Result<Option<T>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    T::parse(value).map(Some).ok_or_else(|| {
        let options: Vec<&str> = T::all().iter().map(|option| option.label()).collect();
        format!(
            "“{value}” is not {what}; choose one of: {}.",
            options.join(", ")
        )
    })
}

/// Writes `n` with commas between thousands: 12000 → "12,000".
pub(crate) fn thousands(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// Puts commas between thousands in a string of digits: "12000" → "12,000".
pub(crate) fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::Severity;

    #[test]
    fn required_text_is_trimmed() {
        assert_eq!(
            required_text("  Logins failed \n", "Title", 200),
            Ok("Logins failed".into())
        );
    }

    #[test]
    fn blank_required_text_names_the_field() {
        assert_eq!(
            required_text("   ", "Title", 200),
            Err("Title is required.".into())
        );
    }

    #[test]
    fn text_over_the_limit_names_the_limit_and_the_length() {
        let long = "é".repeat(201);
        assert_eq!(
            required_text(&long, "Title", MAX_TITLE_CHARS),
            Err("Title must be at most 200 characters; it has 201.".into())
        );
        let body = "x".repeat(20_001);
        assert_eq!(
            optional_text(&body, "Summary", MAX_MARKDOWN_CHARS),
            Err("Summary must be at most 20,000 characters; it has 20,001.".into())
        );
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let title = "≈".repeat(200);
        assert_eq!(required_text(&title, "Title", 200), Ok(title.clone()));
    }

    #[test]
    fn optional_text_may_be_empty() {
        assert_eq!(optional_text("  ", "Plan", 200), Ok(String::new()));
    }

    #[test]
    fn checkbox_reads_what_browsers_send() {
        assert!(checkbox("on"));
        assert!(checkbox("true"));
        assert!(checkbox("1"));
        assert!(checkbox("ON"));
        assert!(!checkbox(""));
        assert!(!checkbox("off"));
        assert!(!checkbox("0"));
    }

    #[test]
    fn field_errors_are_found_by_field_name() {
        let mut errors = FieldErrors::new();
        assert!(errors.is_empty());
        errors.add("title", "Title is required.");
        errors.add("title", "a second message");
        errors.add("severity", "Choose a severity.");
        assert!(!errors.is_empty());
        assert_eq!(errors.get("title"), Some("Title is required."));
        assert_eq!(errors.get("severity"), Some("Choose a severity."));
        assert_eq!(errors.get("summary"), None);
        assert_eq!(
            errors.to_string(),
            "title: Title is required.; title: a second message; severity: Choose a severity."
        );
    }

    #[test]
    fn into_result_is_ok_only_without_errors() {
        assert_eq!(FieldErrors::new().into_result(7), Ok(7));
        let mut errors = FieldErrors::new();
        errors.add("title", "Title is required.");
        assert_eq!(errors.clone().into_result(7), Err(errors));
    }

    #[test]
    fn check_records_the_message_under_the_field() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check("a", Ok::<_, String>(1)), Some(1));
        assert_eq!(errors.check::<i32>("b", Err("bad".into())), None);
        assert_eq!(errors.get("b"), Some("bad"));
        assert_eq!(errors.0.len(), 1);
    }

    #[test]
    fn choices_are_read_by_their_stored_names() {
        assert_eq!(required_choice("sev2", "a severity"), Ok(Severity::Sev2));
        assert_eq!(
            required_choice::<Severity>("", "a severity"),
            Err("Choose a severity.".into())
        );
        assert_eq!(
            required_choice::<Severity>("SEV9", "a severity"),
            Err("“SEV9” is not a severity; choose one of: SEV1, SEV2, SEV3, SEV4.".into())
        );
        assert_eq!(
            choice_or("", "a severity", Severity::Sev4),
            Ok(Severity::Sev4)
        );
        assert_eq!(optional_choice::<Severity>(" ", "a severity"), Ok(None));
    }

    #[test]
    fn thousands_are_grouped_with_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(12_000), "12,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(
            group_thousands("1000000000000000000000"),
            "1,000,000,000,000,000,000,000"
        );
    }
}
