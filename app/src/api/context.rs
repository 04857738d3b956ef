//! What server functions read from the request: the shared state, the reader's time zone,
//! and how a failure of the server becomes an opaque, logged [`AppError::Internal`].

use leptos::prelude::*;
use sea_orm::DbErr;

use crate::error::AppError;
use crate::server::AppState;
use crate::server::zone::NamedZone;

/// The cookie that holds the reader's chosen time zone.
pub const ZONE_COOKIE: &str = "debrief_tz";

/// The application state provided by the server.
pub(crate) fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| internal("AppState missing from the server function context"))
}

/// The reader's chosen time zone (UTC until they choose one).
pub(crate) fn zone() -> NamedZone {
    use_context::<http::request::Parts>()
        .and_then(|parts| cookie(&parts.headers, ZONE_COOKIE))
        .and_then(|name| NamedZone::parse(&name))
        .unwrap_or_default()
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

/// A cookie's value from request headers.
pub(crate) fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Logs a server-side failure under a fresh request id and returns the opaque error for the caller.
pub(crate) fn internal(detail: impl std::fmt::Display) -> AppError {
    let request_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    tracing::error!(request_id, "{detail}");
    AppError::Internal { request_id }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        internal(format!("database: {err}"))
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

/// Sends the caller to `path` after the server function returns: a 302 for a plain form,
/// a client-side navigation when called from the hydrated app.
pub(crate) fn redirect(path: &str) {
    leptos_axum::redirect(path);
}

/// The title of an existing incident, or NotFound.
pub(crate) async fn incident_title(state: &AppState, id: i64) -> Result<String, AppError> {
    crate::server::repo::incidents::get(&state.db, id)
        .await?
        .map(|i| i.title)
        .ok_or_else(|| AppError::not_found(format!("Incident {id}")))
}

/// Today's date where the reader is: a follow-up due today is not overdue until their day ends.
pub(crate) fn today(zone: &NamedZone) -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&zone.0).date_naive()
}
