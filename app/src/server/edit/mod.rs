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
mod version;

pub use integration::move_follow_up;
pub use part::{AddablePart, EditablePart, Stored};
pub use version::Version;

use std::sync::{Mutex, PoisonError};

use chrono::Utc;
use sea_orm::DatabaseTransaction;

use crate::domain::account::{Role, User};
use crate::domain::history::{Action, HistoryEntry, Part, Recorded, Snapshot, summary};
use crate::domain::incident::Incident;
use crate::domain::time::Zone;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::Turn;
use crate::server::repo::{history, incidents};
use crate::server::zone::NamedZone;

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

fn not_found<P: EditablePart>(id: i64) -> AppError {
    AppError::not_found(format!("{} {id}", <P::Value as Recorded>::PART.label()))
}

/// A write on one incident, its user, and the incident's lock for as long as it is open.
pub struct Edit {
    // Dropped before the turn: a write rolled back lets the next writer in only once it is.
    txn: DatabaseTransaction,
    pub user: User,
    incident_id: i64,
    touched: Mutex<Touched>,
    _turn: Turn,
}

/// What a write changed, as the search index sees it: every change is recorded in the history
/// ([`Edit::record`]), so what was recorded is what is re-indexed when the write commits.
#[derive(Default)]
struct Touched {
    /// A new postmortem (created, imported, the worked example): all of it, under keys still
    /// free.
    whole: bool,
    /// The parts recorded, each once, and whether the part was added in this write (its own
    /// document's key is then still free when the write commits).
    parts: Vec<(Part, i64, bool)>,
}

impl Edit {
    /// Opens a write on an incident: checks the login first, then, holding the incident's lock,
    /// that the user may read it (else NotFound) and may write within `scope` (else Forbidden).
    ///
    /// # Errors
    /// Unauthorized, NotFound, Forbidden, or a database failure.
    pub async fn begin(
        state: &AppState,
        incident_id: i64,
        scope: Scope,
    ) -> Result<(Self, Incident), AppError> {
        let user = crate::server::access::require(Role::Viewer)?;
        let (txn, turn) = state.writes.begin(&state.db).await?;
        incidents::lock(&txn, incident_id).await?;
        let incident = incidents::get(&txn, incident_id)
            .await?
            .filter(|i| crate::server::visibility::may_read(&user, i))
            .ok_or_else(|| AppError::not_found(format!("Incident {incident_id}")))?;
        crate::server::access::require(Role::Author)?;
        if scope == Scope::Postmortem {
            crate::server::access::check_editable(&incident)?;
        }
        let edit = Edit {
            txn,
            user,
            incident_id,
            touched: Mutex::default(),
            _turn: turn,
        };
        Ok((edit, incident))
    }

    /// The transaction to write in.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Adds a part to this incident (or under one of its records) and records it.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn add<P: AddablePart>(&self, parent_id: i64, new: &P::New) -> Result<i64, AppError> {
        self.add_with::<P>(parent_id, new, Into::into).await
    }

    /// [`Edit::add`], with `refused` saying what a write refused by the database (a unique
    /// index) means to the person.
    ///
    /// # Errors
    /// What `refused` makes of a refused write; a database failure.
    pub async fn add_with<P: AddablePart>(
        &self,
        parent_id: i64,
        new: &P::New,
        refused: impl FnOnce(sea_orm::DbErr) -> AppError,
    ) -> Result<i64, AppError> {
        let id = P::insert(&self.txn, parent_id, new)
            .await
            .map_err(refused)?;
        let value = P::value_of(new);
        self.record(
            P::Value::PART,
            id,
            Action::Created,
            summary(value),
            None,
            Some(value.snapshot(&Utc)),
        )
        .await?;
        if let Some((other, mirrored)) = P::mirror(self.incident_id, value) {
            self.record_on(
                other,
                P::Value::PART,
                id,
                Action::Created,
                summary(&mirrored),
                None,
                Some(mirrored.snapshot(&Utc)),
            )
            .await?;
        }
        Ok(id)
    }

    /// Records any change to the incident's history.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn record(
        &self,
        part: Part,
        part_id: i64,
        action: Action,
        summary: String,
        before: Option<Snapshot>,
        after: Option<Snapshot>,
    ) -> Result<(), AppError> {
        self.touch(part, part_id, action == Action::Created);
        let entry = HistoryEntry {
            id: 0,
            incident_id: self.incident_id,
            // An integration (the read API) writes as no account: id 0.
            user_id: Some(self.user.id).filter(|id| *id > 0),
            user_name: self.user.display_name.clone(),
            at: Utc::now(),
            part,
            part_id,
            action,
            summary,
            before,
            after,
        };
        history::record(&self.txn, &entry).await?;
        Ok(())
    }

    /// Records a change of a part of this incident in another incident's history too (see
    /// `EditablePart::mirror`); that incident's search documents are not touched.
    ///
    /// # Errors
    /// On a database failure.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_on(
        &self,
        incident_id: i64,
        part: Part,
        part_id: i64,
        action: Action,
        summary: String,
        before: Option<Snapshot>,
        after: Option<Snapshot>,
    ) -> Result<(), AppError> {
        let entry = HistoryEntry {
            id: 0,
            incident_id,
            // An integration (the read API) writes as no account: id 0.
            user_id: Some(self.user.id).filter(|id| *id > 0),
            user_name: self.user.display_name.clone(),
            at: Utc::now(),
            part,
            part_id,
            action,
            summary,
            before,
            after,
        };
        history::record(&self.txn, &entry).await?;
        Ok(())
    }

    /// Notes that the search index must follow a change of `part` when the write commits.
    fn touch(&self, part: Part, part_id: i64, added: bool) {
        let mut touched = self.touched.lock().unwrap_or_else(PoisonError::into_inner);
        // The index is written when the write commits: a part added earlier in it is still new
        // then, whatever else was recorded of it since.
        if !touched
            .parts
            .iter()
            .any(|(p, id, _)| (*p, *id) == (part, part_id))
        {
            touched.parts.push((part, part_id, added));
        }
    }

    /// Keeps everything written.
    ///
    /// # Errors
    /// On a database failure; nothing is kept then.
    pub async fn commit(self) -> Result<(), AppError> {
        use crate::server::repo::search;
        // The search index follows every write, in the same transaction, one changed part at a
        // time: what a write costs does not grow with the postmortem.
        let touched = self
            .touched
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if touched.whole {
            search::index_new(&self.txn, self.incident_id).await?;
        } else {
            for (part, part_id, added) in touched.parts {
                if added {
                    search::index_added(&self.txn, self.incident_id, part, part_id).await?;
                } else {
                    search::reindex_part(&self.txn, self.incident_id, part, part_id).await?;
                }
            }
        }
        self.txn.commit().await?;
        Ok(())
    }
}

/// The write that creates an incident; it becomes an [`Edit`] once the incident has an id.
pub struct Creation {
    txn: DatabaseTransaction,
    user: User,
    turn: Turn,
}

impl Creation {
    /// Opens it, for authors.
    ///
    /// # Errors
    /// Unauthorized or Forbidden for anyone but an author, or a database failure.
    pub async fn begin(state: &AppState) -> Result<Self, AppError> {
        let user = crate::server::access::require(Role::Author)?;
        let (txn, turn) = state.writes.begin(&state.db).await?;
        Ok(Creation { txn, user, turn })
    }

    /// The transaction to write the incident in.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Records the incident written as `id` and goes on as a write on it.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn created<T: Recorded>(self, id: i64, incident: &T) -> Result<Edit, AppError> {
        let edit = Edit {
            txn: self.txn,
            user: self.user,
            incident_id: id,
            touched: Mutex::new(Touched {
                whole: true,
                parts: Vec::new(),
            }),
            _turn: self.turn,
        };
        edit.record(
            T::PART,
            id,
            Action::Created,
            summary(incident),
            None,
            Some(incident.snapshot(&Utc)),
        )
        .await?;
        Ok(edit)
    }
}

/// A write opened on one stored part: it is saved or deleted, and committed, in one call.
pub struct PartEdit<P: EditablePart> {
    edit: Edit,
    incident: Incident,
    stored: Stored<P::Value>,
}

impl<P: EditablePart> PartEdit<P> {
    /// Finds the part, opens a write on its incident within the part's save scope, and reads
    /// the part again inside it (it may have gone meanwhile).
    ///
    /// # Errors
    /// Unauthorized first (an unknown id must not answer differently from a known one);
    /// NotFound; Forbidden; or a database failure.
    pub async fn open(state: &AppState, id: i64) -> Result<Self, AppError> {
        Self::open_within(state, id, P::SAVE_SCOPE).await
    }

    async fn open_within(state: &AppState, id: i64, scope: Scope) -> Result<Self, AppError> {
        crate::server::access::user()?;
        let incident_id = P::load(&state.db, id)
            .await?
            .ok_or_else(|| not_found::<P>(id))?
            .incident_id;
        let (edit, incident) = Edit::begin(state, incident_id, scope).await?;
        let stored = P::load(edit.txn(), id)
            .await?
            .ok_or_else(|| not_found::<P>(id))?;
        Ok(PartEdit {
            edit,
            incident,
            stored,
        })
    }

    /// The part as it is inside the write.
    pub fn stored(&self) -> &Stored<P::Value> {
        &self.stored
    }

    /// The incident it belongs to, as it is inside the write.
    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    /// The transaction, for checks a part makes before it is saved.
    pub fn txn(&self) -> &DatabaseTransaction {
        self.edit.txn()
    }

    /// Saves `new` over the part if nobody saved it since `version`: records the change (when
    /// there is one), writes it and commits. Returns the part as it was.
    ///
    /// # Errors
    /// Conflict when someone else saved it since, with their values; or a database failure.
    pub async fn save(
        self,
        version: Version,
        new: &P::Value,
        zone: &NamedZone,
    ) -> Result<Stored<P::Value>, AppError> {
        self.save_with(version, new, zone, Into::into).await
    }

    /// [`PartEdit::save`], with `refused` saying what a write refused by the database (a unique
    /// index) means to the person.
    ///
    /// # Errors
    /// As [`PartEdit::save`], and what `refused` makes of a refused write.
    pub async fn save_with(
        self,
        version: Version,
        new: &P::Value,
        zone: &NamedZone,
        refused: impl FnOnce(sea_orm::DbErr) -> AppError,
    ) -> Result<Stored<P::Value>, AppError> {
        let (edit, stored) = self.save_open(version, new, zone, refused).await?;
        edit.commit().await?;
        Ok(stored)
    }

    /// [`PartEdit::save_with`] without the commit: the write stays open for what belongs in the
    /// same transaction (a notice about it), and the caller commits it with [`Edit::commit`].
    ///
    /// # Errors
    /// As [`PartEdit::save_with`].
    pub async fn save_open(
        self,
        version: Version,
        new: &P::Value,
        zone: &NamedZone,
        refused: impl FnOnce(sea_orm::DbErr) -> AppError,
    ) -> Result<(Edit, Stored<P::Value>), AppError> {
        let PartEdit { edit, stored, .. } = self;
        if stored.version != version.get() {
            return Err(conflict::<P>(&edit, &stored, new, zone).await);
        }
        let (before, after) = (stored.value.snapshot(&Utc), new.snapshot(&Utc));
        if before != after {
            edit.record(
                P::Value::PART,
                stored.id,
                Action::Updated,
                summary(new),
                Some(before),
                Some(after),
            )
            .await?;
            if let (Some((other, was)), Some((_, now))) = (
                P::mirror(stored.incident_id, &stored.value),
                P::mirror(stored.incident_id, new),
            ) {
                edit.record_on(
                    other,
                    P::Value::PART,
                    stored.id,
                    Action::Updated,
                    summary(&now),
                    Some(was.snapshot(&Utc)),
                    Some(now.snapshot(&Utc)),
                )
                .await?;
            }
        }
        P::save(edit.txn(), stored.id, new).await.map_err(refused)?;
        Ok((edit, stored))
    }
}

impl<P: AddablePart> PartEdit<P> {
    /// Opens a write that deletes the part, within the part's delete scope.
    ///
    /// # Errors
    /// As [`PartEdit::open`].
    pub async fn open_to_delete(state: &AppState, id: i64) -> Result<Self, AppError> {
        Self::open_within(state, id, P::DELETE_SCOPE).await
    }

    /// Deletes the part, records what it held, and commits. Returns it as it was.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn delete(self) -> Result<Stored<P::Value>, AppError> {
        let PartEdit { edit, stored, .. } = self;
        P::delete(edit.txn(), stored.id).await?;
        if P::Value::PART == Part::Parameter {
            // Its change's document lists it; once it is gone, only this knows which change.
            edit.touch(Part::Change, stored.parent_id, false);
        }
        edit.record(
            P::Value::PART,
            stored.id,
            Action::Deleted,
            summary(&stored.value),
            Some(stored.value.snapshot(&Utc)),
            None,
        )
        .await?;
        if let Some((other, was)) = P::mirror(stored.incident_id, &stored.value) {
            edit.record_on(
                other,
                P::Value::PART,
                stored.id,
                Action::Deleted,
                summary(&was),
                Some(was.snapshot(&Utc)),
                None,
            )
            .await?;
        }
        edit.commit().await?;
        Ok(stored)
    }
}

/// A write opened to add one part under a record (an incident, or a change for a parameter).
pub struct NewPart<P: AddablePart> {
    edit: Edit,
    incident: Incident,
    parent_id: i64,
    part: std::marker::PhantomData<P>,
}

impl<P: AddablePart> NewPart<P> {
    /// Opens a write on the incident of `parent_id`, within the part's add scope.
    ///
    /// # Errors
    /// Unauthorized; NotFound for a parent that does not exist or cannot be read; Forbidden; or
    /// a database failure.
    pub async fn open(state: &AppState, parent_id: i64) -> Result<Self, AppError> {
        crate::server::access::user()?;
        let incident_id = P::incident_of(&state.db, parent_id)
            .await?
            .ok_or_else(|| AppError::not_found(P::parent_label(parent_id)))?;
        let (edit, incident) = Edit::begin(state, incident_id, P::ADD_SCOPE).await?;
        Ok(NewPart {
            edit,
            incident,
            parent_id,
            part: std::marker::PhantomData,
        })
    }

    /// The incident it is added to, as it is inside the write.
    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    /// The transaction, for checks a part makes before it is added.
    pub fn txn(&self) -> &DatabaseTransaction {
        self.edit.txn()
    }

    /// Adds it, records it, and commits; returns its id.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn add(self, new: &P::New) -> Result<i64, AppError> {
        self.add_with(new, Into::into).await
    }

    /// [`NewPart::add`], with `refused` saying what a write refused by the database means.
    ///
    /// # Errors
    /// As [`NewPart::add`], and what `refused` makes of a refused write.
    pub async fn add_with(
        self,
        new: &P::New,
        refused: impl FnOnce(sea_orm::DbErr) -> AppError,
    ) -> Result<i64, AppError> {
        let id = self
            .edit
            .add_with::<P>(self.parent_id, new, refused)
            .await?;
        self.edit.commit().await?;
        Ok(id)
    }

    /// [`NewPart::add`] without the commit: returns the open write and the new part's id, for
    /// what belongs in the same transaction (a notice about it); the caller commits it with
    /// [`Edit::commit`].
    ///
    /// # Errors
    /// As [`NewPart::add`].
    pub async fn add_open(self, new: &P::New) -> Result<(Edit, i64), AppError> {
        let id = self
            .edit
            .add_with::<P>(self.parent_id, new, Into::into)
            .await?;
        Ok((self.edit, id))
    }
}

/// The conflict of a save that started from an older version: who saved it when, and their
/// value of each field that differs from `new`.
async fn conflict<P: EditablePart>(
    edit: &Edit,
    stored: &Stored<P::Value>,
    new: &P::Value,
    zone: &NamedZone,
) -> AppError {
    let part = P::Value::PART;
    let mine = new.snapshot(zone);
    let theirs: Vec<(String, String)> = stored
        .value
        .snapshot(zone)
        .into_iter()
        .filter(|(field, value)| mine.get(field) != Some(value))
        .collect();
    let who = match history::last_change(edit.txn(), part, stored.id).await {
        Ok(Some(last)) => format!(
            "{} saved {} at {} ({})",
            last.user_name,
            part.this(),
            last.at
                .with_timezone(&zone.offset_at(last.at))
                .format("%H:%M on %-d %b"),
            zone.name()
        ),
        Ok(None) => format!("Someone else saved {}", part.this()),
        Err(e) => return e.into(),
    };
    AppError::Conflict {
        message: format!(
            "{who} while you were editing it, so yours was not saved. What you typed is still \
             in the form; their version is shown under each field where it differs. Save again \
             to replace theirs with yours."
        ),
        version: stored.version,
        theirs,
    }
}
