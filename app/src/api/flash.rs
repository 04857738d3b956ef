//! Form flashes: how a form posted without JavaScript gets its values and errors back, and how
//! a new secret made by a plain form is shown once without ever travelling in an address.
//!
//! When a server function called by a plain HTML form fails, the server's form middleware keeps
//! what was typed with the error for this session and redirects back to the form's page with
//! `?flash=<id>` (or, for a visitor without a session or an oversized form, renders that page at
//! once with the flash). The page fetches the flash and its form fills itself from it, so
//! nothing typed is lost. A flash is read once: the first read deletes it.
//!
//! A server function that makes a secret (a share link, an integration token) returns it to a
//! caller asking for JSON (an island, an integration); for a plain form post it keeps it for
//! this session and sends the browser to `?secret=<id>`, and the page shows it once through
//! [`take_secret`].

use leptos::prelude::*;

use crate::dto::forms::FormFlash;
use crate::error::AppError;

/// The flash with this id, if this session left it and it is still there; reading it deletes
/// it. Unknown, expired or another session's ids give `None`, not an error: the page then
/// simply shows its form as usual.
#[server(endpoint = "forms/flash", prefix = "/api")]
pub async fn get_flash(id: String) -> Result<Option<FormFlash>, AppError> {
    use crate::server::flash::{InlineFlash, Stashed};
    if let Some(inline) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<InlineFlash>().cloned())
        .filter(|inline| inline.id == id)
    {
        return Ok(Some(inline.flash));
    }
    Ok(match taken(&id).await? {
        Some(Stashed::Form(flash)) => Some(flash),
        _ => None,
    })
}

/// The secret kept under this id for this session, shown once: reading it deletes it.
#[server(endpoint = "forms/secret", prefix = "/api")]
pub async fn take_secret(id: String) -> Result<Option<String>, AppError> {
    use crate::server::flash::Stashed;
    Ok(match taken(&id).await? {
        Some(Stashed::Secret(secret)) => Some(secret),
        _ => None,
    })
}

/// What this session left under `id`, taken (deleted) on its first read in this request.
#[cfg(feature = "ssr")]
async fn taken(id: &str) -> Result<Option<crate::server::flash::Stashed>, AppError> {
    use crate::server::flash::TakenThisRequest;
    use crate::server::session::SessionId;
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    let state = super::state()?;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    let Some(SessionId(session)) = parts.extensions.get::<SessionId>().cloned() else {
        return Ok(None);
    };
    let reads = parts
        .extensions
        .get::<TakenThisRequest>()
        .cloned()
        .unwrap_or_default();
    Ok(reads.take(&state.db, &session, id).await?)
}
