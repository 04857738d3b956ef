//! What the text redactor recognises as something to hide: addresses (URLs, emails, host
//! names, IP addresses), ticket keys, and pairs of capitalised words that read as a name.

/// "https://…", "www.…", "mailto:…", wherever the scheme starts in the word.
pub(super) fn is_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("www.") || lower.starts_with("mailto:")
}

/// What an address-like word becomes, if it is one.
pub(super) fn classify(core: &str) -> Option<&'static str> {
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
pub(super) fn is_host_name(host: &str) -> bool {
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
pub(super) fn is_ipv4(host: &str) -> bool {
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
pub(super) fn is_host_word(host: &str) -> bool {
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
pub(super) fn is_ticket_key(word: &str) -> bool {
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

pub(super) fn is_common_word(word: &str) -> bool {
    COMMON_WORDS.contains(&word.to_lowercase().as_str())
}

/// "Grace", not "GRACE", "grace" or "G".
pub(super) fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && chars.clone().all(char::is_alphabetic)
        && chars.any(char::is_lowercase)
}

/// Replaces each pair of capitalised words standing alone (not in a run of three or more, as
/// in a Title Case heading, once the common words opening the run are set aside) by "[name]".
pub(super) fn redact_name_pairs(text: &str) -> String {
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
