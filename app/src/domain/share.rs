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

/// "https://…", "www.…", "mailto:…", wherever the scheme starts in the word.
fn is_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("www.") || lower.starts_with("mailto:")
}

/// What an address-like word becomes, if it is one.
fn classify(core: &str) -> Option<&'static str> {
    if core.is_empty() {
        return None;
    }
    if is_url(core) {
        return Some("[link]");
    }
    if let Some((user, domain)) = core.split_once('@') {
        let domain = domain.split(['/', '?', '#']).next().unwrap_or_default();
        if !user.is_empty() && domain.contains('.') && domain.split('.').all(|l| !l.is_empty()) {
            return Some("[email]");
        }
    }
    if is_ticket_key(core) {
        return Some("[ticket]");
    }
    let with_port = core.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match with_port.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => with_port,
    };
    if is_host_name(host) || is_ipv4(host) || is_host_word(host) {
        return Some(if with_port.len() < core.len() {
            "[link]"
        } else {
            "[host]"
        });
    }
    None
}

/// Top-level names that make two labels a host ("tracker.internal", "example.com"), where a
/// pair such as "Node.js" or "config.yaml" is not one.
const HOST_ENDINGS: [&str; 32] = [
    "com",
    "net",
    "org",
    "io",
    "dev",
    "app",
    "cloud",
    "internal",
    "local",
    "lan",
    "corp",
    "intra",
    "intranet",
    "prod",
    "production",
    "staging",
    "stage",
    "test",
    "example",
    "svc",
    "cluster",
    "co",
    "uk",
    "de",
    "fr",
    "eu",
    "us",
    "ai",
    "info",
    "biz",
    "home",
    "localdomain",
];

/// "db-01.prod.example.com", "example.com", "tracker.internal", "db-01.prod".
fn is_host_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some((last, before)) = labels.split_last() else {
        return false;
    };
    if before.is_empty()
        || !labels.iter().all(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        || last.len() < 2
        || !last.chars().all(|c| c.is_ascii_alphabetic())
    {
        return false;
    }
    labels.len() >= 3
        || HOST_ENDINGS.contains(&last.to_ascii_lowercase().as_str())
        || before
            .iter()
            .any(|l| l.chars().any(|c| c.is_ascii_digit() || c == '-'))
}

/// "10.0.0.7".
fn is_ipv4(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() == 4
        && labels
            .iter()
            .all(|l| (1..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_digit()))
}

/// Prefixes of standards and versions that look like numbered hosts or tickets ("utf-8",
/// "SHA-256", "ISO-8601").
const NOT_A_HOST: [&str; 14] = [
    "utf", "sha", "iso", "rfc", "aes", "md", "ipv", "http", "tls", "ssl", "covid", "sev", "cve",
    "x",
];

/// A host named by a word and a number: "db-01", "web-prod-3".
fn is_host_word(host: &str) -> bool {
    let segments: Vec<&str> = host.split('-').collect();
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
        return false;
    };
    segments.len() >= 2
        && first.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && segments.iter().all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && last.chars().all(|c| c.is_ascii_digit())
        && (last.len() >= 2 || segments.len() >= 3)
        && !NOT_A_HOST.contains(first)
}

/// A tracker's ticket key: "OPS-1", "ABC-123".
fn is_ticket_key(word: &str) -> bool {
    let Some((key, number)) = word.split_once('-') else {
        return false;
    };
    (2..=10).contains(&key.len())
        && key.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
        && !NOT_A_HOST.contains(&key.to_ascii_lowercase().as_str())
}

/// Capitalised words that open sentences or name things, never a person: a pair starting
/// with or containing one is not taken for a name.
const COMMON_WORDS: [&str; 125] = [
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "we",
    "our",
    "us",
    "it",
    "its",
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "by",
    "with",
    "and",
    "but",
    "or",
    "if",
    "when",
    "after",
    "before",
    "during",
    "then",
    "once",
    "no",
    "not",
    "all",
    "some",
    "every",
    "each",
    "what",
    "why",
    "how",
    "who",
    "where",
    "while",
    "because",
    "so",
    "as",
    "my",
    "you",
    "your",
    "they",
    "their",
    "he",
    "she",
    "his",
    "her",
    "there",
    "here",
    "internal",
    "see",
    "ask",
    "asked",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "java",
    "python",
    "linux",
    "windows",
    "google",
    "amazon",
    "cloud",
    "web",
    "service",
    "services",
    "server",
    "team",
    "load",
    "time",
    "impact",
    "customer",
    "customers",
    // The words of the parts people play, so "Incident Commander" is not taken for a name.
    "incident",
    "commander",
    "engineer",
    "lead",
    "manager",
    "responder",
    "communications",
    "scribe",
    "owner",
    "reviewer",
    "director",
    "support",
    "operations",
    "security",
    "developer",
    "deputy",
    "liaison",
    "primary",
    "secondary",
    "technical",
    "subject",
    "matter",
    "expert",
    "call",
    "head",
    "chief",
    "officer",
    "product",
    "duty",
];

fn is_common_word(word: &str) -> bool {
    COMMON_WORDS.contains(&word.to_lowercase().as_str())
}

/// "Grace", not "GRACE", "grace" or "G".
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && chars.clone().all(char::is_alphabetic)
        && chars.any(char::is_lowercase)
}

/// Replaces each pair of capitalised words standing alone (not in a run of three or more, as
/// in a Title Case heading, once the common words opening the run are set aside) by "[name]".
fn redact_name_pairs(text: &str) -> String {
    // Words as (start, end) byte ranges: maximal runs of letters.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphabetic() && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                words.push((from, i));
                start = None;
            }
            _ => {}
        }
    }
    // Runs of capitalised words, each separated from the next by one space.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        if is_capitalised(&text[words[i].0..words[i].1]) {
            while j + 1 < words.len()
                && &text[words[j].1..words[j + 1].0] == " "
                && is_capitalised(&text[words[j + 1].0..words[j + 1].1])
            {
                j += 1;
            }
        }
        // Words that open a sentence ("The", "Ask") are not part of the name after them.
        let mut first = i;
        while first <= j && is_common_word(&text[words[first].0..words[first].1]) {
            first += 1;
        }
        if j == first + 1 && !is_common_word(&text[words[j].0..words[j].1]) {
            runs.push((words[first].0, words[j].1));
        }
        i = j + 1;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (from, to) in runs {
        out.push_str(&text[rest..from]);
        out.push_str("[name]");
        rest = to;
    }
    out.push_str(&text[rest..]);
    out
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
    fn every_plain_text_field_is_redacted_the_same_way() {
        let r = redactor();
        assert_eq!(
            r.redact("Grace Hopper's restart"),
            "the incident commander's restart"
        );
        assert_eq!(r.redact("Li Wei"), "a team member");
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
        assert_eq!(
            redactor().redact(&without_internal("Paged.\nINTERNAL: Grace's phone")),
            "Paged."
        );
    }

    #[test]
    fn the_internal_mark_counts_behind_markers_and_emphasis() {
        for marked in [
            "Internal: x",
            "  internal: x",
            "**Internal:** x",
            "**Internal**: x",
            "_INTERNAL:_ x",
            "> - Internal: x",
            "## Internal: x",
        ] {
            assert!(is_internal(marked), "{marked}");
        }
        for not in ["Internal audit", "internally: x", "Not internal: x", ""] {
            assert!(!is_internal(not), "{not}");
        }
    }

    #[test]
    fn links_emails_hosts_and_ticket_keys_are_replaced() {
        let r = redactor();
        assert_eq!(
            r.redact("See https://tracker.internal/OPS-1, www.corp.com and mailto:x@y.com."),
            "See [link], [link] and [link]."
        );
        assert_eq!(
            r.redact("Mail ops@corp.example.com or grace@example.com."),
            "Mail [email] or the incident commander."
        );
        assert_eq!(
            r.redact("db-01.prod.example.com, example.com:8080, tracker.internal, ci.example.com/drills/7, 10.0.0.7 and web-prod-3 (db-01) failed"),
            "[host], [host], [host], [link], [host] and [host] ([host]) failed"
        );
        assert_eq!(
            r.redact("Filed OPS-123 and ABC-9."),
            "Filed [ticket] and [ticket]."
        );
    }

    #[test]
    fn ordinary_words_with_dots_and_numbers_are_kept() {
        let r = redactor();
        for kept in [
            "e.g. Node.js reads config.yaml in UTF-8 with SHA-256, version 1.2.3",
            "p99 latency rose to 1.5 s",
            "utf-8 and sha-256",
        ] {
            assert_eq!(r.redact(kept), kept);
        }
    }

    #[test]
    fn free_text_names_and_name_like_pairs_are_replaced() {
        let r = redactor().with_names(["Platform team", "Ada Lovelace"]);
        assert_eq!(
            r.redact("The Platform team and Ada asked Alan Turing"),
            "The a team member and a team member asked [name]"
        );
        assert_eq!(r.redact("Platform owns it"), "a team member owns it");
        assert_eq!(
            r.redact("the team restarted it"),
            "the team restarted it",
            "lower-case parts of a free-text name are ordinary words"
        );
    }

    #[test]
    fn title_case_runs_and_common_openings_are_not_taken_for_names() {
        let r = redactor();
        for kept in [
            "Customer Logins Failed Across All Products",
            "The Restart went wrong",
            "On Monday the JMX rollout began",
        ] {
            assert_eq!(r.redact(kept), kept);
        }
    }

    #[test]
    fn a_part_that_reads_like_a_title_is_not_taken_for_a_name() {
        let r = Redactor::new([(
            "Grace Hopper",
            "grace@example.com",
            "the Incident Commander",
        )]);
        assert_eq!(r.redact("Grace paged"), "the Incident Commander paged");
        assert_eq!(r.redact("Incident Commander"), "Incident Commander");
        assert_eq!(r.redact("On-Call Engineer"), "On-Call Engineer");
    }

    #[test]
    fn a_name_after_a_word_that_opens_a_sentence_is_still_found() {
        let r = redactor();
        assert_eq!(r.redact("Ask Alan Turing"), "Ask [name]");
        assert_eq!(r.redact("The Alan Turing award"), "The [name] award");
    }

    #[test]
    fn names_outside_ascii_are_replaced_as_written() {
        let r = Redactor::new([("Zoë Ærø", "zoe@example.com", "the on-call engineer")]);
        assert_eq!(r.redact("Zoë Ærø paged"), "the on-call engineer paged");
    }
}
