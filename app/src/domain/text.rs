//! Short forms of longer text, for labels and one-line summaries.

/// The first line of `text`, at most `max_chars` characters, ending in "…" when anything was
/// left out (the rest of the line, or further lines).
pub fn first_line(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(max_chars).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::first_line;

    #[test]
    fn a_short_single_line_is_kept_whole() {
        assert_eq!(first_line("Paged the on-call", 80), "Paged the on-call");
        assert_eq!(first_line("  padded  ", 80), "padded");
    }

    #[test]
    fn a_long_line_is_cut_at_a_character_with_an_ellipsis() {
        assert_eq!(first_line("Ünïcödé text", 5), "Ünïcö…");
    }

    #[test]
    fn further_lines_are_left_out_and_marked() {
        assert_eq!(first_line("First line\nsecond line", 80), "First line…");
    }
}
