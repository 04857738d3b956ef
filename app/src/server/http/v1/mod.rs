//! The read API (`/api/v1/…`) for integrations, authenticated by a bearer token with scopes
//! (see [`crate::domain::integration::TokenScope`]) instead of a session: lists of incidents,
//! follow-ups and changes with cursor pagination, one postmortem's export, moving a follow-up's
//! state, recording a change, and the OpenAPI document that describes them all.
//!
//! A token is not a person: every read runs as a viewer named after the integration, through
//! the same read models, access checks and `visibility::seen_by` as the pages, so it reads
//! published postmortems only (while a correction is under review, the published version) and
//! a draft is "not found". Errors are JSON (`{"error", "fields"}`, [`Format::Json`]): 401
//! without a live token, 403 naming a missing scope, 400 for a bad filter or cursor.

mod changes;
mod follow_ups;
mod incidents;
pub mod openapi;
pub mod schema;

use axum::Json;
use axum::Router;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::{HeaderMap, header};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use serde::Serialize;

use crate::domain::account::{Role, User};
use crate::domain::integration::TokenScope;
use crate::error::AppError;
use crate::error::response::Format;
use crate::server::AppState;
use crate::server::repo::integrations::Token;

/// How many items a list page holds unless `limit` says otherwise.
pub const DEFAULT_LIMIT: u64 = 50;
/// The most items a list page holds.
pub const MAX_LIMIT: u64 = 200;

/// The API's routes, for the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/incidents", get(incidents::list))
        .route("/api/v1/incidents/{id}", get(incidents::one))
        .route("/api/v1/follow-ups", get(follow_ups::list))
        .route(
            "/api/v1/follow-ups/{id}/state",
            post(follow_ups::move_state),
        )
        .route("/api/v1/changes", get(changes::list).post(changes::record))
        .with_state(state)
}

/// The live token `headers` carry, marked as used, if it has `scope`.
///
/// # Errors
/// `BadToken` (401) without a live token; `Forbidden` (403) naming the scope it lacks; on a
/// database failure.
pub(crate) async fn token(
    state: &AppState,
    headers: &HeaderMap,
    scope: TokenScope,
) -> Result<Token, AppError> {
    use crate::server::db::begin_write;
    use crate::server::password::token_digest;
    use crate::server::repo::integrations;
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            AppError::BadToken(
                "Send the integration's token as `Authorization: Bearer <token>`; an admin makes one under Integrations."
                    .to_owned(),
            )
        })?;
    // Each write in a transaction of its own: on SQLite an INSERT or UPDATE … RETURNING run
    // alone commits only after its row has been read, and the driver drops that commit's error
    // (a full disk): the write would be acknowledged and lost. A COMMIT reports it.
    let txn = begin_write(&state.db).await?;
    let used = integrations::use_token(&txn, &token_digest(token)).await?;
    txn.commit().await?;
    let used = used.ok_or_else(|| {
        AppError::BadToken("This token is unknown or has been revoked.".to_owned())
    })?;
    if !used.scopes.contains(&scope) {
        return Err(AppError::Forbidden(format!(
            "This token lacks the `{}` scope. An admin can make a token with it under Integrations.",
            scope.as_str()
        )));
    }
    Ok(used)
}

/// Who an integration is while it reads or writes: a viewer named after it, with no account
/// (id 0), in UTC.
pub(crate) fn as_viewer(token: &Token) -> User {
    User {
        id: 0,
        email: String::new(),
        display_name: format!("{} (integration)", token.name),
        role: Role::Viewer,
        time_zone: "UTC".to_owned(),
        active: true,
        team: String::new(),
    }
}

/// Answers with `answer`'s value as JSON (`status`), or its error as JSON: checks the token's
/// `scope` first, then runs `answer` with the request's context provided as server functions
/// have it, the signed-in user being the integration as a viewer (whatever session cookie the
/// request carries). A `headline`, when given, heads an error that names fields.
pub(crate) async fn answer<T, Fut>(
    state: AppState,
    request: Request,
    scope: TokenScope,
    (status, headline): (http::StatusCode, Option<&'static str>),
    answer: impl FnOnce(Token) -> Fut,
) -> Response
where
    T: Serialize,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let (mut parts, _body) = request.into_parts();
    let token = match token(&state, &parts.headers, scope).await {
        Ok(token) => token,
        Err(error) => return error.into_response_for(Format::Json).into_response(),
    };
    parts
        .extensions
        .insert(crate::server::session::CurrentUser(Some(as_viewer(&token))));
    // The reader's zone comes from the session's zone cookie first: an integration reads UTC.
    parts.headers.remove(header::COOKIE);
    let owner = Owner::new();
    let result = owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(state);
                answer(token).await
            })
        })
        .await;
    match result {
        Ok(value) => (status, Json(value)).into_response(),
        Err(error) => {
            let names_fields = matches!(error, AppError::Validation { .. });
            let response = error.into_response_for(Format::Json);
            match headline {
                Some(headline) if names_fields => response.headed(headline).into_response(),
                _ => response.into_response(),
            }
        }
    }
}

/// A page's size and where it starts, from the query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PageAt {
    pub limit: u64,
    /// The cursor's key ("p", "r", "i", "f") and id; None for the first page.
    pub after: Option<(String, i64)>,
}

/// Reads `limit` (1 to [`MAX_LIMIT`], empty = [`DEFAULT_LIMIT`]) and `cursor` (a `next` this
/// API gave).
///
/// # Errors
/// `BadRequest` naming the parameter at fault.
pub(crate) fn page_at(limit: &str, cursor: &str) -> Result<PageAt, AppError> {
    let limit = match limit.trim() {
        "" => DEFAULT_LIMIT,
        given => given
            .parse::<u64>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}, not {given:?}."
                ))
            })?,
    };
    let after = match cursor.trim() {
        "" => None,
        given => Some(decode_cursor(given).ok_or_else(|| {
            AppError::BadRequest(format!(
                "cursor {given:?} is not one this API gave: pass the `next` of the previous page unchanged, or leave it out for the first page."
            ))
        })?),
    };
    Ok(PageAt { limit, after })
}

/// An opaque cursor for the item with `id` in the list part `key`.
pub(crate) fn encode_cursor(key: &str, id: i64) -> String {
    format!("{key}:{id}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(cursor: &str) -> Option<(String, i64)> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 64 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let (key, id) = text.split_once(':')?;
    let id: i64 = id.parse().ok().filter(|id| *id >= 0)?;
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase())).then(|| (key.to_owned(), id))
}

/// The query string read into `T` (its fields strings, each defaulting to empty).
///
/// # Errors
/// `BadRequest` for an unknown parameter or a query string that cannot be read.
pub(crate) fn query<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, AppError> {
    serde_urlencoded::from_str(request.uri().query().unwrap_or_default())
        .map_err(|e| AppError::BadRequest(format!("The query string cannot be read: {e}.")))
}

/// Keeps `limit` of `found` (fetched one more than `limit`), with the cursor of the page after
/// when there was more.
pub(crate) fn paged<T>(
    mut found: Vec<T>,
    limit: u64,
    key: &str,
    id: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<String>) {
    let more = found.len() as u64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more {
        found.last().map(|last| encode_cursor(key, id(last)))
    } else {
        None
    };
    (found, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_written() {
        let cursor = encode_cursor("p", 42);
        assert_eq!(decode_cursor(&cursor), Some(("p".to_owned(), 42)));
    }

    #[test]
    fn a_cursor_not_given_by_the_api_is_refused() {
        for bad in ["", "zz", "7", "p:42", "703a", "703a2d31", "3a3432"] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
        assert!(matches!(
            page_at("", "nonsense"),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn a_limit_outside_one_to_two_hundred_is_refused() {
        assert_eq!(page_at("", "").map(|p| p.limit), Ok(DEFAULT_LIMIT));
        assert_eq!(page_at("200", "").map(|p| p.limit), Ok(200));
        for bad in ["0", "201", "-1", "ten"] {
            assert!(
                matches!(page_at(bad, ""), Err(AppError::BadRequest(_))),
                "{bad}"
            );
        }
    }
}
