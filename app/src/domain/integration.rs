//! What an integration token may do: its scopes. A token is not a person: with `read` it reads
//! what a viewer reads (published postmortems only), with `write:changes` it records changes,
//! with `write:follow-ups` it moves follow-ups along (never to verified or won't do, which are
//! people's decisions).

labelled_enum! {
    /// One thing an integration token may do.
    pub enum TokenScope {
        /// Reads the API's lists and exports, as a viewer would.
        Read = ("read", "Read postmortems, follow-ups and changes"),
        /// Records changes (`POST /api/v1/changes`).
        WriteChanges = ("write:changes", "Record changes"),
        /// Moves follow-ups between committed, in progress and done.
        WriteFollowUps = ("write:follow-ups", "Move follow-ups"),
    }
}

/// What tokens made before scopes existed could do, and still do.
pub const LEGACY_SCOPES: [TokenScope; 1] = [TokenScope::WriteChanges];

/// Scopes as stored: their names separated by spaces, in [`TokenScope::ALL`]'s order.
pub fn scopes_text(scopes: &[TokenScope]) -> String {
    TokenScope::ALL
        .iter()
        .filter(|s| scopes.contains(s))
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scopes read back from [`scopes_text`]; names this Debrief does not know are left out.
pub fn parse_scopes(text: &str) -> Vec<TokenScope> {
    let named: Vec<TokenScope> = text
        .split_whitespace()
        .filter_map(TokenScope::parse)
        .collect();
    TokenScope::ALL
        .into_iter()
        .filter(|s| named.contains(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_as_written_in_a_stable_order() {
        let text = scopes_text(&[TokenScope::WriteFollowUps, TokenScope::Read]);
        assert_eq!(text, "read write:follow-ups");
        assert_eq!(
            parse_scopes(&text),
            vec![TokenScope::Read, TokenScope::WriteFollowUps]
        );
    }

    #[test]
    fn unknown_scope_names_are_ignored() {
        assert_eq!(
            parse_scopes("admin write:changes  nonsense"),
            vec![TokenScope::WriteChanges]
        );
        assert!(parse_scopes("").is_empty());
    }
}
