//! A write on one incident ([`Edit`]), and the write that creates one ([`Creation`]): what a
//! write recorded in the history is what the search index follows when it commits.

use std::sync::{Mutex, PoisonError};

use chrono::Utc;
use sea_orm::DatabaseTransaction;

use super::AddablePart;
use super::Scope;
use crate::domain::account::{Role, User};
use crate::domain::history::{Action, HistoryEntry, Part, Recorded, Snapshot, summary};
use crate::domain::incident::Incident;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::Turn;
use crate::server::repo::{history, incidents};

/// A write on one incident, its user, and the incident's lock for as long as it is open.
pub struct Edit {
    // Dropped before the turn: a write rolled back lets the next writer in only once it is.
    pub(super) txn: DatabaseTransaction,
    pub user: User,
    pub(super) incident_id: i64,
    pub(super) touched: Mutex<Touched>,
    pub(super) _turn: Turn,
}

/// What a write changed, as the search index sees it: every change is recorded in the history
/// ([`Edit::record`]), so what was recorded is what is re-indexed when the write commits.
#[derive(Default)]
pub(super) struct Touched {
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
        self.record_on(
            self.incident_id,
            part,
            part_id,
            action,
            summary,
            before,
            after,
        )
        .await
    }

    /// Records a change in the history of `incident_id`: this incident's (through
    /// [`Edit::record`]), or another's that shows a part of this one too (see
    /// `EditablePart::mirror`), whose search documents are not touched.
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
    pub(super) fn touch(&self, part: Part, part_id: i64, added: bool) {
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
