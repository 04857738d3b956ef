//! Mentions in a comment: `@[Display Name]` or `@[email@example.com]`, typed as they are in
//! the plain comment form (no script needed). The server resolves each to an account (by
//! email, or by a display name only one active account has) and tells that person; the
//! rendered comment shows each mention as a highlighted name.

/// One `@[…]` in a text: where it starts and ends (byte offsets, the whole `@[…]`) and the
/// name inside, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// The longest name inside `@[…]`, in characters; longer brackets are not mentions.
pub const MAX_MENTION_CHARS: usize = 120;

/// Every mention in `text`, in order. A mention has a non-empty name without brackets or line
/// breaks, of at most [`MAX_MENTION_CHARS`] characters.
pub fn find(text: &str) -> Vec<Mention> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("@[") {
        let start = from + at;
        let inner_start = start + 2;
        let rest = &text[inner_start..];
        let close = rest.find([']', '[', '\n', '\r']);
        match close {
            Some(len) if rest[len..].starts_with(']') => {
                let name = rest[..len].trim();
                if !name.is_empty() && name.chars().count() <= MAX_MENTION_CHARS {
                    found.push(Mention {
                        start,
                        end: inner_start + len + 1,
                        name: name.to_owned(),
                    });
                }
                from = inner_start + len + 1;
            }
            _ => from = inner_start,
        }
    }
    found
}

/// The distinct names mentioned in `text`, lower-cased (as emails are stored), in order of
/// first mention.
pub fn names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for mention in find(text) {
        let name = mention.name.to_lowercase();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_or_an_email_in_brackets_after_an_at_sign_is_a_mention() {
        assert_eq!(
            names("Thanks @[Ada Lovelace], and @[bo@example.com] please check."),
            ["ada lovelace", "bo@example.com"]
        );
    }

    #[test]
    fn a_mention_knows_where_it_is_in_the_text() {
        let text = "hi @[Ada]!";
        let m = &find(text)[0];
        assert_eq!(&text[m.start..m.end], "@[Ada]");
        assert_eq!(m.name, "Ada");
    }

    #[test]
    fn an_email_address_alone_an_empty_bracket_or_an_unclosed_one_is_no_mention() {
        assert!(find("mail ada@example.com or @[] or @[Ada").is_empty());
        assert!(find("@[Ada\nLovelace]").is_empty());
    }

    #[test]
    fn the_same_person_mentioned_twice_is_one_name() {
        assert_eq!(names("@[Ada] and @[ada] again"), ["ada"]);
    }

    #[test]
    fn a_bracket_too_long_for_a_name_is_no_mention() {
        let long = format!("@[{}]", "x".repeat(MAX_MENTION_CHARS + 1));
        assert!(find(&long).is_empty());
    }
}
