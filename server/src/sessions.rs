//! The middleware that resolves the session cookie once per request and keeps pages behind a
//! login.
//!
//! The site's files are routed around this middleware (`crate::assets`), so they never cost a
//! session lookup. Every other request gets a [`CurrentUser`] extension (server functions check
//! roles against it). A page requested without a valid session is redirected to `/login?next=…`,
//! or to `/setup` while Debrief has no account at all. Server functions are not redirected: they
//! answer 401 themselves, so a form keeps what was typed.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};

use crate::forms::see_other;

use app::server::AppState;
use app::server::repo::accounts;
use app::server::session::{CurrentUser, SESSION_COOKIE, SessionId, cookie};

/// Pages anyone may open.
const PUBLIC_PAGES: [&str; 2] = ["/login", "/setup"];
/// Where shared postmortems are served: the unguessable link is the permission.
const SHARED_PREFIX: &str = "/shared/";
/// Where feeds are served: the feed key in the address is the permission (a calendar or feed
/// reader sends no cookie), checked by the feed itself.
const FEEDS_PREFIX: &str = "/feeds/";

/// See the module documentation.
pub async fn sessions(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let token = cookie(request.headers(), SESSION_COOKIE).filter(|t| !t.is_empty());
    let user = match &token {
        Some(token) => match accounts::session_user(&state.db, token, chrono::Utc::now()).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!("reading a session: {e}");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
        None => None,
    };
    let is_page = matches!(*request.method(), Method::GET | Method::HEAD)
        && !path.starts_with("/api/")
        && !PUBLIC_PAGES.contains(&path.as_str())
        && !path.starts_with(SHARED_PREFIX)
        && !path.starts_with(FEEDS_PREFIX);
    if is_page && user.is_none() {
        let target = match accounts::any_user(&state.db).await {
            Ok(false) => "/setup".to_owned(),
            _ => {
                let wanted = request
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                format!("/login?next={}", encode(&wanted))
            }
        };
        return see_other(&target);
    }
    if let (Some(token), Some(_)) = (&token, &user) {
        request
            .extensions_mut()
            .insert(SessionId(app::server::password::token_digest(token)));
    }
    request.extensions_mut().insert(CurrentUser(user));
    next.run(request).await
}

/// Percent-encodes a path and query for use as a query parameter value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_to_return_to_is_one_query_value() {
        assert_eq!(
            encode("/incidents/3?flash=ab&x=1"),
            "/incidents/3%3Fflash%3Dab%26x%3D1"
        );
    }
}
