//! The session cookie and the user it resolves to for one request.
//!
//! The server's session middleware reads the cookie once per request and stores the result as a
//! [`CurrentUser`] request extension; server functions and pages read it from there.

use crate::domain::account::User;
use crate::server::repo::accounts::SESSION_DAYS;

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "debrief_session";

/// The user logged in for this request, if any.
#[derive(Clone, Debug, Default)]
pub struct CurrentUser(pub Option<User>);

/// The session of this request when it is a valid one, as its digest (`sessions.id`): what
/// session-bound records such as form flashes are keyed by. A request extension set by the
/// session middleware beside [`CurrentUser`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionId(pub String);

/// A cookie's value from request headers.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Whether the request reached us over HTTPS (directly, or through a proxy that says so).
pub fn is_https(parts: &http::request::Parts) -> bool {
    parts.uri.scheme_str() == Some("https")
        || parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value that starts a session: HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        SESSION_DAYS * 24 * 60 * 60,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_over_https() {
        let plain = session_cookie("abc", false);
        assert!(plain.starts_with("debrief_session=abc; Path=/;"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(session_cookie("abc", true).ends_with("; Secure"));
        assert!(cleared_cookie(false).contains("Max-Age=0"));
    }
}
