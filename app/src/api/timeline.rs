//! Server functions for timeline entries.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{Edit, Scope};
#[cfg(feature = "ssr")]
use crate::domain::history::Part;
use crate::domain::timeline::TimelineForm;
use crate::dto::editing::Editing;
use crate::error::AppError;

/// A stored entry, or NotFound.
#[cfg(feature = "ssr")]
async fn entry(
    state: &crate::server::AppState,
    id: i64,
) -> Result<crate::domain::timeline::TimelineEntry, AppError> {
    // Who asks comes first: an unknown id must not answer differently from a known one.
    super::access::user()?;
    crate::server::repo::timeline::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Timeline entry {id}")))
}

/// The entry as it is inside a write (it may have gone since it was first looked up).
#[cfg(feature = "ssr")]
async fn entry_in(
    edit: &Edit,
    id: i64,
) -> Result<crate::domain::timeline::TimelineEntry, AppError> {
    crate::server::repo::timeline::get(edit.txn(), id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Timeline entry {id}")))
}

/// An entry's edit form, in the reader's zone.
#[server(prefix = "/api", endpoint = "timeline/form")]
pub async fn timeline_entry_for_edit(id: i64) -> Result<Editing<TimelineForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    // The role first: a viewer learns nothing about which ids exist.
    super::access::require(crate::domain::account::Role::Author)?;
    let zone = super::zone();
    // The version before the fields: a save in between then shows as a conflict, never as
    // an old version of new fields.
    let version = super::edit::version_of(&state, Part::TimelineEntry, id).await?;
    let found = entry(&state, id).await?;
    let (_, incident) = super::access::editable_incident(&state, found.incident_id).await?;
    Ok(Editing {
        version,
        zone: zone.name(),
        incident_id: found.incident_id,
        incident_title: incident.title,
        form: TimelineForm::from_entry(&found.entry, &zone),
    })
}

/// Adds an entry to an incident's timeline.
#[server(prefix = "/api", endpoint = "timeline/add")]
pub async fn add_timeline_entry(
    incident_id: i64,
    form: TimelineForm,
    #[server(default)] zone: String,
) -> Result<i64, AppError> {
    let state = super::state()?;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let entry = form.parse(&super::form_zone(&zone)?)?;
    let id = crate::server::repo::timeline::add(edit.txn(), incident_id, &entry).await?;
    edit.created(id, &entry).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#timeline"));
    Ok(id)
}

/// Saves a timeline entry.
#[server(prefix = "/api", endpoint = "timeline/update")]
pub async fn update_timeline_entry(
    id: i64,
    form: TimelineForm,
    #[server(default)] zone: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let incident_id = entry(&state, id).await?.incident_id;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let zone = super::form_zone(&zone)?;
    let new = form.parse(&zone)?;
    let stored = entry_in(&edit, id).await?;
    edit.updated(id, &version, &stored.entry, &new, &zone)
        .await?;
    crate::server::repo::timeline::update(edit.txn(), id, &new).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#timeline"));
    Ok(())
}

/// Deletes a timeline entry.
#[server(prefix = "/api", endpoint = "timeline/delete")]
pub async fn delete_timeline_entry(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let incident_id = entry(&state, id).await?.incident_id;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let stored = entry_in(&edit, id).await?;
    crate::server::repo::timeline::delete(edit.txn(), id).await?;
    edit.deleted(id, &stored.entry).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#timeline"));
    Ok(())
}
