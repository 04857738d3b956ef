//! The parts of a postmortem that are edited on their own forms, as one abstraction: how a part
//! is found, written and named in the history. A repository implements [`EditablePart`] (and
//! [`AddablePart`] for parts that are added and deleted one by one); [`super::PartEdit`] and
//! [`super::NewPart`] do the rest — access, locking, the version check, the history record and
//! the search index — the same way for every part.

use std::future::Future;

use sea_orm::{ConnectionTrait, DbErr};

use super::Scope;
use crate::domain::history::Recorded;

/// A part as stored: which incident it belongs to, the record it was added under, how many
/// times it has been saved, and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored<V> {
    pub id: i64,
    pub incident_id: i64,
    /// The record it was added under: its incident, or for a parameter its change.
    pub parent_id: i64,
    pub version: i64,
    pub value: V,
}

/// A part of a postmortem edited on its own form.
pub trait EditablePart {
    /// What its form writes; it names itself and its fields in the history.
    type Value: Recorded + Send + Sync;

    /// What a save may touch once the postmortem has left draft.
    const SAVE_SCOPE: Scope = Scope::Postmortem;

    /// The part with this id, if there is one.
    fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> impl Future<Output = Result<Option<Stored<Self::Value>>, DbErr>> + Send;

    /// Writes its new value and counts up its version.
    fn save<C: ConnectionTrait>(
        conn: &C,
        id: i64,
        value: &Self::Value,
    ) -> impl Future<Output = Result<(), DbErr>> + Send;

    /// Another incident whose history also records each change of this part (on incident
    /// `incident_id`, with `value`), and the value as that incident reads it: a link to a
    /// related incident. None for most parts.
    fn mirror(incident_id: i64, value: &Self::Value) -> Option<(i64, Self::Value)> {
        let _ = (incident_id, value);
        None
    }
}

/// A part that is added to a postmortem and deleted from it one at a time.
pub trait AddablePart: EditablePart {
    /// What adding one writes: its value, and for some parts how it starts.
    type New: Send + Sync;

    /// What an addition or a deletion may touch once the postmortem has left draft.
    const ADD_SCOPE: Scope = Scope::Postmortem;
    const DELETE_SCOPE: Scope = Scope::Postmortem;

    /// The value of a new one, as the history records it.
    fn value_of(new: &Self::New) -> &Self::Value;

    /// The incident of the record a new one is added under (`parent_id`): the incident itself
    /// for most parts (whether it exists is checked when the write opens), a change's incident
    /// for a parameter; None when there is no such record.
    fn incident_of<C: ConnectionTrait>(
        conn: &C,
        parent_id: i64,
    ) -> impl Future<Output = Result<Option<i64>, DbErr>> + Send {
        let _ = conn;
        std::future::ready(Ok(Some(parent_id)))
    }

    /// Adds one under `parent_id`; returns its id.
    fn insert<C: ConnectionTrait>(
        conn: &C,
        parent_id: i64,
        new: &Self::New,
    ) -> impl Future<Output = Result<i64, DbErr>> + Send;

    /// Deletes it (and what belongs to it, as the schema says).
    fn delete<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> impl Future<Output = Result<(), DbErr>> + Send;

    /// How the record a new one is added under is named when it is missing ("Incident 4").
    fn parent_label(parent_id: i64) -> String {
        format!("Incident {parent_id}")
    }
}
