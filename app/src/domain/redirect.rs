//! Where Debrief may send a browser: only a path on this site. A `next` parameter, a Referer or
//! a server function's redirect passes through [`same_origin_path`] before it becomes a
//! `Location` header, so no address anyone can craft sends a reader to another site or makes
//! the header unbuildable.

/// `candidate` if it is a path on this site, as a browser would read it; `None` otherwise.
///
/// Accepted: a `/` followed by visible ASCII only. That refuses `//host` and `/\host` (which
/// browsers read as another host), any tab, line break or other control character (browsers
/// drop tabs and line breaks from an address, so `/\t/host` becomes `//host`; a line break
/// cannot be put in a header at all), any backslash (browsers read it as `/`), spaces and
/// non-ASCII text (a real address carries them percent-encoded).
pub fn same_origin_path(candidate: &str) -> Option<&str> {
    let bytes = candidate.as_bytes();
    let visible = bytes
        .iter()
        .all(|b| (0x21..=0x7e).contains(b) && *b != b'\\');
    (visible && bytes.first() == Some(&b'/') && bytes.get(1) != Some(&b'/')).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::same_origin_path;

    #[test]
    fn paths_on_this_site_are_kept_whole() {
        for path in [
            "/",
            "/incidents/3?x=1",
            "/incidents/3%3Fedit%3Dtimeline-1",
            "/incidents/3#timeline",
            "/%09/evil.example",
        ] {
            assert_eq!(same_origin_path(path), Some(path), "{path:?}");
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_is_refused() {
        for path in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/a\\b",
            "/ evil",
            "/x\u{7f}",
            "/zürich",
            "evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(same_origin_path(path), None, "{path:?}");
        }
    }
}
