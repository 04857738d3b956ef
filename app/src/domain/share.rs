//! The shareable version of a published postmortem: people's names replaced by the part they
//! played (or "a team member"), so another team can learn from it without anyone being named,
//! and every line marked internal (starting with "Internal:") left out. What is left out
//! altogether (owners, tracker links, evidence, comments, history) is decided where the shared
//! view is built; this module works on text.

/// A line of any text field that starts with this (ignoring case and leading spaces, list
/// markers and quotes) stays inside the team.
pub const INTERNAL_MARK: &str = "internal:";

/// `text` without its lines marked internal.
pub fn without_internal(text: &str) -> String {
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let start = line.trim_start_matches(|c: char| c.is_whitespace() || "-*>+".contains(c));
            !start.to_lowercase().starts_with(INTERNAL_MARK)
        })
        .collect();
    if kept.len() == text.lines().count() {
        return text.to_owned();
    }
    kept.join("\n")
}

/// Replaces people's names and email addresses in text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Redactor {
    /// (what to find, what to put instead), longest first so "Grace Hopper" goes before "Grace".
    pairs: Vec<(String, String)>,
}

/// The shortest part of a name replaced on its own ("Li" would hit too many words).
const MIN_NAME_PART: usize = 3;

impl Redactor {
    /// A redactor for these people: (display name, email, replacement). Each full name, each
    /// part of it of three letters or more (a first name said alone), and each email is replaced.
    pub fn new<'a>(people: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut add = |find: &str, put: &str| {
            let find = find.trim();
            if !find.is_empty() && !pairs.iter().any(|(f, _)| f.eq_ignore_ascii_case(find)) {
                pairs.push((find.to_owned(), put.to_owned()));
            }
        };
        for (name, email, replacement) in people {
            add(email, replacement);
            add(name, replacement);
            for part in name.split_whitespace() {
                if part.chars().count() >= MIN_NAME_PART {
                    add(part, replacement);
                }
            }
        }
        pairs.sort_by_key(|(find, _)| std::cmp::Reverse(find.chars().count()));
        Self { pairs }
    }

    /// `text` with every name and email replaced where it stands as a whole word (ignoring case).
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (find, put) in &self.pairs {
            out = replace_words(&out, find, put);
        }
        out
    }

    /// Redacts every string inside a JSON value, in place, leaving out lines marked internal.
    pub fn redact_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => *text = self.redact(&without_internal(text)),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.redact_json(v)),
            serde_json::Value::Object(fields) => {
                fields.values_mut().for_each(|v| self.redact_json(v));
            }
            _ => {}
        }
    }
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Replaces whole-word occurrences of `find` in `text`, ignoring case.
fn replace_words(text: &str, find: &str, put: &str) -> String {
    let lower_text = text.to_lowercase();
    let lower_find = find.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; match on the original then.
    if lower_text.len() != text.len() || lower_find.len() != find.len() {
        return replace_exact(text, find, put);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = lower_text[from..].find(&lower_find) {
        let start = from + found;
        let end = start + find.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !is_word_char(before) && !is_word_char(after) {
            out.push_str(&text[rest..start]);
            out.push_str(put);
            rest = end;
            from = end;
        } else {
            from = start + lower_find.chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[rest..]);
    out
}

fn replace_exact(text: &str, find: &str, put: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (start, _) in text.match_indices(find) {
        let end = start + find.len();
        if start < rest {
            continue;
        }
        if !is_word_char(text[..start].chars().next_back())
            && !is_word_char(text[end..].chars().next())
        {
            out.push_str(&text[rest..start]);
            out.push_str(put);
            rest = end;
        }
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new([
            (
                "Grace Hopper",
                "grace@example.com",
                "the incident commander",
            ),
            ("Li Wei", "li@example.com", "a team member"),
        ])
    }

    #[test]
    fn full_names_first_names_and_emails_become_roles() {
        let r = redactor();
        assert_eq!(
            r.redact(
                "Grace Hopper paged the on-call; grace said it was fine. Mail grace@example.com."
            ),
            "the incident commander paged the on-call; the incident commander said it was fine. \
             Mail the incident commander."
        );
        assert_eq!(
            r.redact("Li Wei restarted it"),
            "a team member restarted it"
        );
        assert_eq!(r.redact("Wei restarted it"), "a team member restarted it");
    }

    #[test]
    fn only_whole_words_are_replaced() {
        let r = redactor();
        assert_eq!(
            r.redact("Graceful restarts, Hopperton, Li"),
            "Graceful restarts, Hopperton, Li"
        );
        assert_eq!(r.redact("(Grace)"), "(the incident commander)");
    }

    #[test]
    fn every_string_in_json_is_redacted() {
        let mut value = serde_json::json!({
            "title": "Grace Hopper's restart",
            "items": [{"actor": "Li Wei"}, 3, true],
        });
        redactor().redact_json(&mut value);
        assert_eq!(
            value,
            serde_json::json!({
                "title": "the incident commander's restart",
                "items": [{"actor": "a team member"}, 3, true],
            })
        );
    }

    #[test]
    fn lines_marked_internal_are_left_out() {
        let text = "Restarted the app.\nInternal: see OPS-1 for the pager rota.\n- internal: the vendor's name\nDone.";
        assert_eq!(without_internal(text), "Restarted the app.\nDone.");
        assert_eq!(
            without_internal("Internal audit found nothing."),
            "Internal audit found nothing.",
            "only the marker counts"
        );
        let mut value = serde_json::json!({"body": "Paged.\nINTERNAL: Grace's phone"});
        redactor().redact_json(&mut value);
        assert_eq!(value, serde_json::json!({"body": "Paged."}));
    }

    #[test]
    fn names_outside_ascii_are_replaced_as_written() {
        let r = Redactor::new([("Zoë Ærø", "zoe@example.com", "the on-call engineer")]);
        assert_eq!(r.redact("Zoë Ærø paged"), "the on-call engineer paged");
    }
}
