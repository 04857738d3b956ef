//! The one way a postmortem is written.
//!
//! A save opens a write transaction, takes the incident's lock, checks inside it who may write
//! what, refuses a save that started from an older version of the record (a conflict that
//! hands back the other person's values), records the change in the history, keeps the search
//! index in step (re-indexing only the parts it recorded a change of), and commits all of it at
//! once. Two saves of the same record cannot both win, and no change goes unrecorded. Writers
//! take turns in the order they arrive ([`crate::server::db::WriteTurns`]).
//!
//! The types leave no other way out:
//! - [`PartEdit`] opens a write on one stored part ([`EditablePart`]); it ends only by
//!   [`PartEdit::save`] (version check, history, write, commit) or [`PartEdit::delete`].
//! - [`NewPart`] opens a write that adds one part ([`AddablePart`]); it ends only by
//!   [`NewPart::add`].
//! - [`Creation`] opens the write that creates an incident; [`Creation::created`] turns it into
//!   an [`Edit`] on that incident, so an `Edit` always knows its incident.
//! - [`Edit`] is a write on one incident for everything else (review steps, participants,
//!   follow-up moves): it records with [`Edit::record`] and ends with [`Edit::commit`].
//!
//! Dropped without committing, nothing is kept.

mod integration;
mod part;
mod part_write;
mod version;
mod write;

pub use integration::move_follow_up;
pub use part::{AddablePart, EditablePart, Stored};
pub use part_write::{NewPart, PartEdit};
pub use version::Version;
pub use write::{Creation, Edit};

use crate::domain::account::Role;
use crate::domain::history::Recorded;
use crate::domain::incident::Incident;
use crate::error::AppError;
use crate::server::AppState;

/// What a write may touch once a postmortem has left draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The postmortem itself: only while it is being written.
    Postmortem,
    /// Its follow-ups, which live on after publishing.
    FollowUps,
    /// Its review status: each review step says itself when it applies.
    Review,
    /// What is kept inside the team when it is shared: a decision about the published
    /// postmortem, not an edit of what was reviewed.
    Sharing,
    /// Mentors' notes on the published postmortem: teaching beside what was reviewed, not an
    /// edit of it.
    Teaching,
}

/// A stored part and the version its edit form opens at, for a reader who may write it now.
///
/// # Errors
/// Unauthorized, or Forbidden for anyone but an author, before anything is looked up (a viewer
/// learns nothing about which ids exist); NotFound; Forbidden when the postmortem is not being
/// written (for parts saved within [`Scope::Postmortem`]).
pub async fn for_edit<P: EditablePart>(
    state: &AppState,
    id: i64,
) -> Result<(Stored<P::Value>, Incident), AppError> {
    crate::server::access::require(Role::Author)?;
    let stored = P::load(&state.db, id)
        .await?
        .ok_or_else(|| not_found::<P>(id))?;
    let (_, incident) = if P::SAVE_SCOPE == Scope::Postmortem {
        crate::server::access::editable_incident(state, stored.incident_id).await?
    } else {
        crate::server::access::follow_up_incident(state, stored.incident_id).await?
    };
    Ok((stored, incident))
}

pub(super) fn not_found<P: EditablePart>(id: i64) -> AppError {
    AppError::not_found(format!("{} {id}", <P::Value as Recorded>::PART.label()))
}
