//! The one way a postmortem is written: [`Edit`].
//!
//! A save opens a write transaction, takes the incident's lock, checks inside it who may write
//! what, refuses a save that started from an older version of the record (a conflict that
//! hands back the other person's values), records the change in the history, and commits all of
//! it at once. Two saves of the same record cannot both win, and no change goes unrecorded.

use chrono::Utc;
use sea_orm::DatabaseTransaction;

use crate::domain::account::{Role, User};
use crate::domain::history::{Action, HistoryEntry, Part, Recorded, Snapshot, summary};
use crate::domain::incident::Incident;
use crate::domain::time::Zone;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::{history, incidents};
use crate::server::zone::NamedZone;

/// The version a record has reached, for its edit form. Read it before the record's fields:
/// a save in between then shows up as a conflict, never as new fields under an old version.
///
/// # Errors
/// Unauthorized before anything is looked up; NotFound when there is no such record.
pub(crate) async fn version_of(state: &AppState, part: Part, id: i64) -> Result<i64, AppError> {
    crate::server::access::user()?;
    history::version(&state.db, part, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("{} {id}", part.label())))
}

/// What a write may touch once a postmortem has left draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The postmortem itself: only while it is being written.
    Postmortem,
    /// Its follow-ups, which live on after publishing.
    FollowUps,
    /// Its review status: each review step says itself when it applies.
    Review,
    /// What is kept inside the team when it is shared: a decision about the published
    /// postmortem, not an edit of what was reviewed.
    Sharing,
}

/// A write in progress on one incident; dropped without [`Edit::commit`], nothing is kept.
pub(crate) struct Edit {
    txn: DatabaseTransaction,
    pub user: User,
    incident_id: i64,
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
        let txn = crate::server::db::begin_write(&state.db).await?;
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
        };
        Ok((edit, incident))
    }

    /// Opens the write that creates an incident; call [`Edit::created_incident`] once it has
    /// its id.
    ///
    /// # Errors
    /// Unauthorized or Forbidden for anyone but an author, or a database failure.
    pub async fn begin_new(state: &AppState) -> Result<Self, AppError> {
        let user = crate::server::access::require(Role::Author)?;
        let txn = crate::server::db::begin_write(&state.db).await?;
        Ok(Edit {
            txn,
            user,
            incident_id: 0,
        })
    }

    /// The transaction to write in.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Records the incident this write created.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn created_incident<T: Recorded>(
        &mut self,
        id: i64,
        incident: &T,
    ) -> Result<(), AppError> {
        self.incident_id = id;
        self.created(id, incident).await
    }

    /// Records a part that was added.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn created<T: Recorded>(&self, id: i64, value: &T) -> Result<(), AppError> {
        let after = value.snapshot(&Utc);
        self.record(
            T::PART,
            id,
            Action::Created,
            summary(value),
            None,
            Some(after),
        )
        .await
    }

    /// Checks that `stored` is still at the version the form was opened at (`version`; empty
    /// skips the check), then records its change to `new`. Call it before writing `new`.
    ///
    /// # Errors
    /// Conflict when someone else saved it since; BadRequest for a version that is not a
    /// number; NotFound when it is gone; or a database failure.
    pub async fn updated<T: Recorded>(
        &self,
        id: i64,
        version: &str,
        stored: &T,
        new: &T,
        zone: &NamedZone,
    ) -> Result<(), AppError> {
        self.check_version(id, version, stored, new, zone).await?;
        let (before, after) = (stored.snapshot(&Utc), new.snapshot(&Utc));
        if before == after {
            return Ok(());
        }
        self.record(
            T::PART,
            id,
            Action::Updated,
            summary(new),
            Some(before),
            Some(after),
        )
        .await
    }

    /// Records a part that was deleted, with what it held.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn deleted<T: Recorded>(&self, id: i64, stored: &T) -> Result<(), AppError> {
        let before = stored.snapshot(&Utc);
        self.record(
            T::PART,
            id,
            Action::Deleted,
            summary(stored),
            Some(before),
            None,
        )
        .await
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
        let entry = HistoryEntry {
            id: 0,
            incident_id: self.incident_id,
            user_id: Some(self.user.id),
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

    /// Keeps everything written.
    ///
    /// # Errors
    /// On a database failure; nothing is kept then.
    pub async fn commit(self) -> Result<(), AppError> {
        // The search index follows every write, in the same transaction.
        crate::server::repo::search::reindex(&self.txn, self.incident_id).await?;
        self.txn.commit().await?;
        Ok(())
    }

    async fn check_version<T: Recorded>(
        &self,
        id: i64,
        version: &str,
        stored: &T,
        new: &T,
        zone: &NamedZone,
    ) -> Result<(), AppError> {
        let part = T::PART;
        if version.trim().is_empty() {
            return Ok(());
        }
        let opened_at: i64 = version
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest(format!("{version:?} is not a version number.")))?;
        let current = history::version(&self.txn, part, id)
            .await?
            .ok_or_else(|| AppError::not_found(format!("{} {id}", part.label())))?;
        if current == opened_at {
            return Ok(());
        }
        let mine = new.snapshot(zone);
        let theirs: Vec<(String, String)> = stored
            .snapshot(zone)
            .into_iter()
            .filter(|(field, value)| mine.get(field) != Some(value))
            .collect();
        let who = match history::last_change(&self.txn, part, id).await? {
            Some(last) => format!(
                "{} saved {} at {} ({})",
                last.user_name,
                part.this(),
                last.at
                    .with_timezone(&zone.offset_at(last.at))
                    .format("%H:%M on %-d %b"),
                zone.name()
            ),
            None => format!("Someone else saved {}", part.this()),
        };
        Err(AppError::Conflict {
            message: format!(
                "{who} while you were editing it, so yours was not saved. What you typed is \
                 still in the form; their version is shown under each field where it differs. \
                 Save again to replace theirs with yours."
            ),
            version: current,
            theirs,
        })
    }
}
