//! A small Atom (RFC 4287) writer: text constructs as plain text, every value XML-escaped, and
//! characters XML 1.0 may not hold left out, so no stored text can add markup to a feed.

use chrono::{DateTime, Utc};

/// A feed.
#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    /// A permanent, unique IRI for the feed.
    pub id: String,
    pub title: String,
    /// The page it mirrors (absolute).
    pub link: String,
    /// When anything in it last changed (the newest entry, or now when empty).
    pub updated: DateTime<Utc>,
    pub entries: Vec<Entry>,
}

/// An entry of a feed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub updated: DateTime<Utc>,
    /// Plain text.
    pub summary: String,
}

impl Feed {
    /// The feed as an XML document.
    pub fn to_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        element(&mut out, 1, "id", &self.id);
        element(&mut out, 1, "title", &self.title);
        link(&mut out, 1, &self.link);
        element(&mut out, 1, "updated", &timestamp(self.updated));
        out.push_str("  <author><name>Debrief</name></author>\n");
        out.push_str("  <generator>Debrief</generator>\n");
        for entry in &self.entries {
            out.push_str("  <entry>\n");
            element(&mut out, 2, "id", &entry.id);
            element(&mut out, 2, "title", &entry.title);
            link(&mut out, 2, &entry.link);
            element(&mut out, 2, "updated", &timestamp(entry.updated));
            element(&mut out, 2, "summary", &entry.summary);
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }
}

fn element(out: &mut String, depth: usize, name: &str, text: &str) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&format!("<{name}>{}</{name}>\n", escape(text)));
}

fn link(out: &mut String, depth: usize, href: &str) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(href)
    ));
}

/// RFC 3339, as Atom's date constructs want.
fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Text for XML content or an attribute value: `& < > " '` escaped; characters XML 1.0 does not
/// allow (control characters other than tab and line breaks, U+FFFE, U+FFFF) left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn markup_ampersands_and_quotes_are_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"
        );
    }

    #[test]
    fn characters_xml_may_not_hold_are_left_out() {
        assert_eq!(
            escape("a\u{0}b\u{1b}c\u{7f}d\u{FFFF}e\tf\ng"),
            "abcde\tf\ng"
        );
    }

    #[test]
    fn a_feed_has_its_entries_in_order_with_escaped_text() {
        let feed = Feed {
            id: "urn:debrief:published".into(),
            title: "Published postmortems".into(),
            link: "http://debrief.example/library?a=1&b=2".into(),
            updated: at("2026-12-01T10:00:00Z"),
            entries: vec![
                Entry {
                    id: "urn:debrief:incident:2".into(),
                    title: "<script>alert(1)</script>".into(),
                    link: "http://debrief.example/incidents/2".into(),
                    updated: at("2026-12-01T10:00:00Z"),
                    summary: "Logins & \"sessions\"\u{0}".into(),
                },
                Entry {
                    id: "urn:debrief:incident:1".into(),
                    title: "Older".into(),
                    link: "http://debrief.example/incidents/1".into(),
                    updated: at("2020-03-23T10:27:00Z"),
                    summary: String::new(),
                },
            ],
        };
        let xml = feed.to_xml();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert!(xml.trim_end().ends_with("</feed>"));
        assert!(!xml.contains("<script>"));
        assert!(xml.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
        assert!(xml.contains("<summary>Logins &amp; &quot;sessions&quot;</summary>"));
        assert!(xml.contains("href=\"http://debrief.example/library?a=1&amp;b=2\""));
        assert!(xml.contains("<updated>2020-03-23T10:27:00Z</updated>"));
        assert_eq!(xml.matches("<entry>").count(), 2);
        assert!(xml.find("incident:2").unwrap() < xml.find("incident:1").unwrap());
    }
}
