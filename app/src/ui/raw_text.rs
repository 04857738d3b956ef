//! Text for the elements whose content Leptos writes out as it is when it renders on the server:
//! `<title>` (leptos_meta pastes the title into the head) and `<textarea>` (tachys marks its
//! children "raw text" and skips escaping). Stored text that reaches either must go through
//! [`raw_text`], or a title such as `x</title><img src=x onerror=…>` becomes markup.
//!
//! In the browser both are set as text (`document.title`, a text node), never parsed as HTML,
//! so the text is passed through unchanged there.

/// `text` made safe to write inside a `<title>` or `<textarea>` on the server.
#[must_use]
pub fn raw_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        escape(text)
    } else {
        text.to_owned()
    }
}

/// `&`, `<` and `>` as character references: inside an escapable raw text element they are
/// decoded back to the characters typed, and no tag can start or end.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_tag_in_stored_text_cannot_end_the_element() {
        assert_eq!(
            escape("x</title><img src=x onerror=alert(1)>"),
            "x&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape("</textarea>&amp;"), "&lt;/textarea&gt;&amp;amp;");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(
            escape("Logins failed — ≈500 over ≈1 min"),
            "Logins failed — ≈500 over ≈1 min"
        );
    }
}
