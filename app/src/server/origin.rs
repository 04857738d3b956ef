//! The site's address at the start of links that leave Debrief without a delivery (the feeds'
//! entries and links, the feed addresses the account page shows): `DEBRIEF_PUBLIC_URL` when it
//! is configured — behind a reverse proxy the request's Host header is the internal name — and
//! otherwise the address the request came to. The delivery worker links to the same configured
//! address (`server::delivery` in the binary).

use http::{HeaderMap, header};
use leptos::prelude::use_context;

/// The site's address for links: `public_url` when configured, else the request's origin
/// (its Host header, `https` when a proxy in front says so in `X-Forwarded-Proto`).
pub fn site_origin(public_url: Option<&str>, headers: &HeaderMap) -> String {
    match public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => request_origin(headers),
    }
}

/// [`site_origin`] for the request a server function is serving.
pub fn of_this_request() -> String {
    let public_url = use_context::<crate::server::AppState>().and_then(|s| s.public_url);
    let headers = use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    site_origin(public_url.as_deref(), &headers)
}

/// The address as the reader reached it ("http://debrief.internal:3000"); `localhost` when
/// the Host header is missing or holds anything but a host name and port.
fn request_origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("a header value"));
        }
        map
    }

    #[test]
    fn the_configured_public_url_wins_over_the_host_the_request_names() {
        let behind_a_proxy = headers(&[("host", "debrief-1.internal:3000")]);
        assert_eq!(
            site_origin(Some("https://debrief.example.com"), &behind_a_proxy),
            "https://debrief.example.com"
        );
    }

    #[test]
    fn without_a_public_url_links_start_where_the_request_came() {
        assert_eq!(
            site_origin(None, &headers(&[("host", "debrief.local:8080")])),
            "http://debrief.local:8080"
        );
        assert_eq!(
            site_origin(
                None,
                &headers(&[("host", "debrief.example"), ("x-forwarded-proto", "https")])
            ),
            "https://debrief.example"
        );
        assert_eq!(
            site_origin(None, &headers(&[("host", "evil.example/<script>")])),
            "http://localhost",
            "a Host that is not a host name is not echoed into links"
        );
        assert_eq!(site_origin(None, &HeaderMap::new()), "http://localhost");
    }
}
