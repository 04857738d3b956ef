//! Writes on one part of a postmortem: [`PartEdit`] saves or deletes a stored part, [`NewPart`]
//! adds one; a save that started from an older version gets the conflict.

use chrono::Utc;
use sea_orm::DatabaseTransaction;

use super::{AddablePart, Edit, EditablePart, Scope, Stored, Version, not_found};
use crate::domain::history::{Action, Part, Recorded, summary};
use crate::domain::incident::Incident;
use crate::domain::time::Zone;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::history;
use crate::server::zone::NamedZone;

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
