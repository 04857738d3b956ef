//! Who is asking, and what they may touch. Every server function starts here: it names the role
//! it needs and, for an incident's parts, the incident, and gets the user back or a 401/403/404.
//!
//! - Viewers read published postmortems only; anything else is "not found" to them, so they do
//!   not learn what drafts exist. While a correction is written they read the published
//!   version: what a reader sees of a postmortem is `server::visibility`'s to say.
//! - Authors (and the roles above) read everything and write postmortems that are being
//!   written: draft or with changes requested. A postmortem in review, approved or published is
//!   read-only until it goes back to draft (a correction starts a new revision).
//! - Follow-ups live on after publishing: their fields and states stay editable by authors.

use crate::domain::account::{Role, User};
use crate::domain::incident::{Incident, IncidentStatus};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::session::CurrentUser;
use crate::server::visibility::{self, Seen};

/// The logged-in user, or Unauthorized.
///
/// # Errors
/// Unauthorized when nobody is logged in.
pub(crate) fn user() -> Result<User, AppError> {
    signed_in().ok_or(AppError::Unauthorized)
}

/// The logged-in user, if any (the session middleware resolved it for this request).
pub(crate) fn signed_in() -> Option<User> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
        .and_then(|current| current.0)
}

/// The logged-in user if their role includes `role`.
///
/// # Errors
/// Unauthorized when nobody is logged in, Forbidden when the role is not enough.
pub(crate) fn require(role: Role) -> Result<User, AppError> {
    let user = user()?;
    if user.role.includes(role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden(format!(
            "This needs the {} role; you are {} {}. An admin can change your role.",
            role.label().to_lowercase(),
            article(user.role),
            user.role.label().to_lowercase()
        )))
    }
}

fn article(role: Role) -> &'static str {
    if matches!(role, Role::Admin | Role::Author) {
        "an"
    } else {
        "a"
    }
}

/// The incident, if the logged-in user may read it.
///
/// # Errors
/// Unauthorized, or NotFound when it does not exist or they may not see it.
pub(crate) async fn readable_incident(
    state: &AppState,
    id: i64,
) -> Result<(User, Incident), AppError> {
    let user = require(Role::Viewer)?;
    let incident = crate::server::repo::incidents::get(&state.db, id)
        .await?
        .filter(|i| visibility::may_read(&user, i))
        .ok_or_else(|| AppError::not_found(format!("Incident {id}")))?;
    Ok((user, incident))
}

/// The incident as the logged-in user sees it (as published, for a viewer while a correction
/// is written), if they may read it; see [`visibility::seen_by`].
///
/// # Errors
/// Unauthorized, or NotFound when it does not exist or they may not see it.
pub(crate) async fn seen_incident(state: &AppState, id: i64) -> Result<(User, Seen), AppError> {
    let (user, live) = readable_incident(state, id).await?;
    let seen = visibility::one_seen_by(&state.db, &user, live)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Incident {id}")))?;
    Ok((user, seen))
}

/// The incident, if the logged-in user may change its postmortem now.
///
/// # Errors
/// Unauthorized; NotFound; Forbidden for a viewer or a postmortem that is not being written.
pub(crate) async fn editable_incident(
    state: &AppState,
    id: i64,
) -> Result<(User, Incident), AppError> {
    let (user, incident) = readable_incident(state, id).await?;
    require(Role::Author)?;
    check_editable(&incident)?;
    Ok((user, incident))
}

/// Refuses changes to a postmortem that is in review, approved or published.
///
/// # Errors
/// Forbidden, saying what to do instead.
pub(crate) fn check_editable(incident: &Incident) -> Result<(), AppError> {
    match incident.status {
        IncidentStatus::Draft | IncidentStatus::ChangesRequested => Ok(()),
        IncidentStatus::InReview => Err(AppError::Forbidden(
            "This postmortem is in review and cannot be changed until the reviewer has decided."
                .to_owned(),
        )),
        IncidentStatus::Approved | IncidentStatus::Published => Err(AppError::Forbidden(format!(
            "This postmortem is {} and read-only. Start a correction to change it.",
            incident.status.label().to_lowercase()
        ))),
    }
}

/// The incident a follow-up may be written under: readable, and the user an author.
///
/// # Errors
/// Unauthorized; NotFound; Forbidden for a viewer.
pub(crate) async fn follow_up_incident(
    state: &AppState,
    id: i64,
) -> Result<(User, Incident), AppError> {
    let found = readable_incident(state, id).await?;
    require(Role::Author)?;
    Ok(found)
}
