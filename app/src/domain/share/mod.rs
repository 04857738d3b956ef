//! What a postmortem shared beyond the team may say, as text rules: which text is marked
//! internal, and how a piece of text is redacted so that nobody is named and no internal address
//! travels. This module works on plain text; the Markdown structure (blocks, links) is walked in
//! `server::markdown`, which calls [`Redactor::redact`] on every text node. Which fields are
//! shared at all is an allow-list decided where the shared view is built.
//!
//! What [`Redactor::redact`] catches:
//! - people with an account: their full name, each part of it of three letters or more, and
//!   their email become the part they played ("the incident commander") or "a team member";
//! - names typed as free text that the postmortem knows are names (follow-up owners, who
//!   started or reviewed a change, who verified a follow-up): the full name and each
//!   capitalised part of it become "a team member";
//! - any other pair of capitalised words standing alone ("Ada Lovelace", but not a run of
//!   three or more such as a Title Case heading, nor a pair opening with a common word such as
//!   "The") becomes "[name]";
//! - URLs (`scheme://…`, `www.…`, `mailto:…`) become "[link]", other email addresses
//!   "[email]", host names (`db-01.prod.example.com`, `example.com`, `tracker.internal`,
//!   `10.0.0.7`, `db-01`, `web-prod-3`) "[host]", ticket keys (`OPS-123`) "[ticket]".
//!
//! What it does not catch: a single name that belongs to no account and no name field
//! ("ask Bob"), names written in lower case, a host name with neither a dot nor a trailing
//! number (`prod-db`), file names with a known top-level domain as extension, and anything
//! secret that is not a name or an address (a phone number, a password): such text must be
//! marked internal by its author.

mod patterns;
use patterns::*;

/// Text that starts with this (ignoring case, and leading spaces, list markers, quotes and
/// emphasis) stays inside the team: a plain field, or a paragraph, list item, heading or quote
/// of Markdown.
pub const INTERNAL_MARK: &str = "internal:";

/// Whether `text` starts with the internal mark.
pub fn is_internal(text: &str) -> bool {
    // Emphasis around the mark ("**Internal:**", "_Internal_:") still marks it.
    let plain: String = text
        .chars()
        .filter(|c| !"*_`~".contains(*c))
        .take(INTERNAL_MARK.len() + 64)
        .collect();
    let start = plain.trim_start_matches(|c: char| c.is_whitespace() || "->+#".contains(c));
    start
        .get(..INTERNAL_MARK.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(INTERNAL_MARK))
}

/// `text` without its lines marked internal (for plain text; Markdown is redacted on its
/// structure by `server::markdown`).
pub fn without_internal(text: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|line| !is_internal(line)).collect();
    if kept.len() == text.lines().count() {
        return text.to_owned();
    }
    kept.join("\n")
}

/// What a free-text name becomes, and a person with an account who played no named part.
pub const SOMEONE: &str = "a team member";

/// Replaces people's names, email addresses, links, host names and ticket keys in text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Redactor {
    /// (what to find, what to put instead), longest first so "Grace Hopper" goes before "Grace".
    pairs: Vec<(String, String)>,
}

/// Around a placeholder for a known name while the rest of a text is redacted: private-use
/// characters, taken out of the text first.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The shortest part of a name replaced on its own ("Li" would hit too many words).
const MIN_NAME_PART: usize = 3;

impl Redactor {
    /// A redactor for these people: (display name, email, replacement). Each full name, each
    /// part of it of three letters or more (a first name said alone), and each email is replaced.
    pub fn new<'a>(people: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let mut redactor = Self::default();
        for (name, email, replacement) in people {
            redactor.add(email, replacement);
            redactor.add(name, replacement);
            for part in name.split_whitespace() {
                if part.chars().count() >= MIN_NAME_PART {
                    redactor.add(part, replacement);
                }
            }
        }
        redactor.sort();
        redactor
    }

    /// Adds names typed as free text (a follow-up's owner, who started or reviewed a change):
    /// each becomes "a team member", and so does each capitalised part of it of three letters
    /// or more ("Platform team": "Platform", not "team"). A person with an account keeps the
    /// replacement given to [`Redactor::new`].
    #[must_use]
    pub fn with_names<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        for name in names {
            self.add(name, SOMEONE);
            for part in name.split_whitespace() {
                if part.chars().count() >= MIN_NAME_PART
                    && part.chars().next().is_some_and(char::is_uppercase)
                    && !is_common_word(part)
                {
                    self.add(part, SOMEONE);
                }
            }
        }
        self.sort();
        self
    }

    fn add(&mut self, find: &str, put: &str) {
        let find = find.trim();
        if !find.is_empty() && !self.pairs.iter().any(|(f, _)| f.eq_ignore_ascii_case(find)) {
            self.pairs.push((find.to_owned(), put.to_owned()));
        }
    }

    fn sort(&mut self) {
        self.pairs
            .sort_by_key(|(find, _)| std::cmp::Reverse(find.chars().count()));
    }

    /// `text` with links, email addresses, host names and ticket keys replaced, then every
    /// known name and email where it stands as a whole word (ignoring case), then any other
    /// pair of capitalised words that looks like a name (see the module's documentation).
    pub fn redact(&self, text: &str) -> String {
        // Known names go to placeholders first, so that what they are replaced by (a part
        // such as "the Incident Commander") is not taken for a name itself.
        let mut out = self.redact_addresses(&text.replace([OPEN, CLOSE], ""));
        for (k, (find, _)) in self.pairs.iter().enumerate() {
            out = replace_words(&out, find, &format!("{OPEN}{k}{CLOSE}"));
        }
        out = redact_name_pairs(&out);
        for (k, (_, put)) in self.pairs.iter().enumerate() {
            out = out.replace(&format!("{OPEN}{k}{CLOSE}"), put);
        }
        out
    }

    fn knows(&self, word: &str) -> bool {
        self.pairs
            .iter()
            .any(|(find, _)| find.eq_ignore_ascii_case(word))
    }

    fn redact_addresses(&self, text: &str) -> String {
        let delimits = |c: char| c.is_whitespace() || "\"'`()[]{}<>|,;=".contains(c);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| !delimits(c)) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            // A URL runs to the next space or quote, through the "=" and "," of its query.
            let word_end = rest
                .find(|c: char| c.is_whitespace() || "\"'<>`".contains(c))
                .unwrap_or(rest.len());
            let end = if is_url(&rest[..word_end]) {
                let url = rest[..word_end].trim_end_matches(|c: char| ".,;:!?)]}".contains(c));
                url.len()
            } else {
                rest.find(delimits).unwrap_or(rest.len())
            };
            out.push_str(&self.redact_token(&rest[..end]));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    fn redact_token(&self, token: &str) -> String {
        let core = token.trim_end_matches(|c: char| ".:!?".contains(c));
        let rest = &token[core.len()..];
        let put = classify(core).filter(|_| !self.knows(core));
        match put {
            Some(put) => format!("{put}{rest}"),
            None => token.to_owned(),
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
mod tests;
