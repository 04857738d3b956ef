//! What server functions read from the request: the shared state, the reader's time zone,
//! and how a failure of the server becomes an opaque, logged [`AppError::Internal`].

use leptos::prelude::*;
use sea_orm::DbErr;

use crate::error::AppError;
use crate::server::AppState;
use crate::server::session::cookie;
use crate::server::zone::NamedZone;

/// The cookie that holds the reader's chosen time zone.
pub const ZONE_COOKIE: &str = "debrief_tz";

/// The application state provided by the server.
pub(crate) fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| internal("AppState missing from the server function context"))
}

/// The reader's time zone: the one chosen on this browser, else their account's, else UTC.
pub(crate) fn zone() -> NamedZone {
    use_context::<http::request::Parts>()
        .and_then(|parts| cookie(&parts.headers, ZONE_COOKIE))
        .and_then(|name| NamedZone::parse(&name))
        .or_else(|| {
            crate::server::access::signed_in().and_then(|user| NamedZone::parse(&user.time_zone))
        })
        .unwrap_or_default()
}

/// A zone name checked against the zone database ("" means UTC), in its canonical spelling.
///
/// # Errors
/// Under `time_zone` when Debrief does not know the zone.
pub(crate) fn checked_zone(name: &str) -> Result<String, AppError> {
    use crate::domain::time::Zone;
    if name.trim().is_empty() {
        return Ok("UTC".to_owned());
    }
    NamedZone::parse(name.trim())
        .map(|zone| zone.name())
        .ok_or_else(|| {
            AppError::invalid(
                "time_zone",
                format!("{name:?} is not a time zone name Debrief knows, e.g. Europe/London."),
            )
        })
}

/// A page number from a query string: from 1 (to a million, so no offset overflows), empty
/// meaning the first.
///
/// # Errors
/// A bad request when it is not a whole number in that range.
pub(crate) fn page_number(given: &str) -> Result<u64, AppError> {
    match given.trim() {
        "" => Ok(1),
        given => given
            .parse::<u64>()
            .ok()
            .filter(|p| (1..=1_000_000).contains(p))
            .ok_or_else(|| AppError::BadRequest(format!("Unknown page {given:?}."))),
    }
}

/// The session token this request carries, if any.
pub(crate) fn session_token() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        cookie(&parts.headers, crate::server::session::SESSION_COOKIE).filter(|t| !t.is_empty())
    })
}

/// Sets the session cookie to `token`, or clears it.
pub(crate) fn set_session_cookie(token: Option<&str>) {
    use crate::server::session::{cleared_cookie, is_https, session_cookie};
    let secure = use_context::<http::request::Parts>().is_some_and(|parts| is_https(&parts));
    let value = match token {
        Some(token) => session_cookie(token, secure),
        None => cleared_cookie(secure),
    };
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The address the request came from, for rate limiting: the TCP peer, or, when the peer is a
/// trusted reverse proxy (`DEBRIEF_TRUSTED_PROXIES`), the client it forwarded for.
pub(crate) fn client_address() -> String {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return "unknown".to_owned();
    };
    let Some(peer) = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
    else {
        return "unknown".to_owned();
    };
    let proxies = use_context::<AppState>()
        .map(|state| state.trusted_proxies)
        .unwrap_or_default();
    proxies.client_address(peer, &parts.headers).to_string()
}

/// The zone a form's times were typed in: the one the form was shown in (its hidden `zone`
/// field), so a zone chosen meanwhile in another tab does not shift them; the reader's current
/// zone when the form did not say.
///
/// # Errors
/// BadRequest for a zone name nobody could have been shown.
pub(crate) fn form_zone(shown_in: &str) -> Result<NamedZone, AppError> {
    if shown_in.is_empty() {
        return Ok(zone());
    }
    NamedZone::parse(shown_in)
        .ok_or_else(|| AppError::BadRequest(format!("Unknown time zone {shown_in:?}.")))
}

/// The id the server gave the request being served: in the response's `x-request-id` header, on
/// its log line, and in the opaque error a caller sees for an internal failure, so an operator
/// can find one from the other. The server's request middleware puts it in the request's
/// extensions (where a page render or a server function finds it through the request's
/// `Parts`) and in [`CURRENT_REQUEST`] (where a plain HTTP handler finds it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// A fresh id: 16 hex characters. Never taken from the request, so a caller cannot make
    /// its lines look like another's.
    pub fn new() -> Self {
        RequestId(uuid::Uuid::new_v4().simple().to_string()[..16].to_owned())
    }
}

impl Default for RequestId {
    fn default() -> Self {
        Self::new()
    }
}

tokio::task_local! {
    /// The request being served by the code polled inside the server's request middleware.
    /// Work Leptos spawns onto other tasks does not see it; it reads the request's `Parts`.
    pub static CURRENT_REQUEST: RequestId;
}

/// The id of the request being served, if this code is serving one.
pub fn current_request_id() -> Option<String> {
    CURRENT_REQUEST
        .try_with(|id| id.0.clone())
        .ok()
        .or_else(|| {
            use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<RequestId>().map(|id| id.0.clone()))
        })
}

/// Logs a server-side failure under the request's id (a fresh one outside a request) and
/// returns the opaque error for the caller.
pub fn internal(detail: impl std::fmt::Display) -> AppError {
    let request_id = current_request_id().unwrap_or_else(|| RequestId::new().0);
    tracing::error!(request_id, "{detail}");
    AppError::Internal { request_id }
}

impl From<DbErr> for AppError {
    /// A database that refuses every write (a full disk, a read-only database) is said so, and
    /// logged for the operator; any other failure is opaque.
    fn from(err: DbErr) -> Self {
        let Some(refusal) = crate::server::db::WriteRefusal::of(&err) else {
            return internal(format!("database: {err}"));
        };
        let request_id = current_request_id().unwrap_or_else(|| RequestId::new().0);
        tracing::error!(
            request_id,
            "the database refuses writes ({refusal:?}): {err}"
        );
        AppError::CannotSave(refusal.reason().to_owned())
    }
}

/// A write refused by a unique index becomes `taken` (what the person should change); any other
/// database failure stays an internal error. Two people saving at once cannot both pass a check
/// made before the write, so the index has the last word.
pub(crate) fn unless_taken(err: DbErr, taken: impl FnOnce() -> AppError) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => taken(),
        _ => err.into(),
    }
}

/// Sends the caller to `path` after the server function returns: a 302 for a plain form post;
/// a caller asking for JSON (an island, an integration) gets its answer with `path` in the
/// `Location` header instead. Anything but a path on this site goes home instead (leptos panics
/// on a value that cannot be a header).
pub(crate) fn redirect(path: &str) {
    leptos_axum::redirect(crate::domain::redirect::same_origin_path(path).unwrap_or("/"));
}

/// Shows a new secret (a share link's token, an integration token) once on `page`, never in an
/// address. A caller asking for JSON (an island, an integration) gets the secret as the server
/// function's return value; a plain form post has it kept for this session and is redirected to
/// `page?secret=<id>`, which reads it once.
///
/// # Errors
/// Unauthorized without a session; on a database failure.
pub(crate) async fn show_once(page: &str, secret: &str) -> Result<(), AppError> {
    use crate::server::session::SessionId;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(());
    };
    let plain_form = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !plain_form {
        return Ok(());
    }
    let SessionId(session) = parts
        .extensions
        .get::<SessionId>()
        .cloned()
        .ok_or(AppError::Unauthorized)?;
    let id = crate::server::flash::store_secret(&state()?.db, &session, secret).await?;
    redirect(&format!("{page}?{}={id}", crate::dto::forms::SECRET_PARAM));
    Ok(())
}

/// Today's date where the reader is: a follow-up due today is not overdue until their day ends.
pub(crate) fn today(zone: &NamedZone) -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&zone.0).date_naive()
}
