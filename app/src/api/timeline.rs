//! Server functions for timeline entries.

use leptos::prelude::*;

use super::incidents::Editing;
use crate::domain::timeline::TimelineForm;
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

/// An entry's edit form, in the reader's zone.
#[server(prefix = "/api", endpoint = "timeline/form")]
pub async fn timeline_entry_for_edit(id: i64) -> Result<Editing<TimelineForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let zone = super::zone();
    let found = entry(&state, id).await?;
    let (_, incident) = super::access::editable_incident(&state, found.incident_id).await?;
    Ok(Editing {
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
    super::access::editable_incident(&state, incident_id).await?;
    let entry = form.parse(&super::form_zone(&zone)?)?;
    let id = crate::server::repo::timeline::add(&state.db, incident_id, &entry).await?;
    super::redirect(&format!("/incidents/{incident_id}#timeline"));
    Ok(id)
}

/// Saves a timeline entry.
#[server(prefix = "/api", endpoint = "timeline/update")]
pub async fn update_timeline_entry(
    id: i64,
    form: TimelineForm,
    #[server(default)] zone: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::editable_incident(&state, entry(&state, id).await?.incident_id).await?;
    let entry = form.parse(&super::form_zone(&zone)?)?;
    let incident_id = crate::server::repo::timeline::update(&state.db, id, &entry)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Timeline entry {id}")))?;
    super::redirect(&format!("/incidents/{incident_id}#timeline"));
    Ok(())
}

/// Deletes a timeline entry.
#[server(prefix = "/api", endpoint = "timeline/delete")]
pub async fn delete_timeline_entry(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::editable_incident(&state, entry(&state, id).await?.incident_id).await?;
    let incident_id = crate::server::repo::timeline::delete(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Timeline entry {id}")))?;
    super::redirect(&format!("/incidents/{incident_id}#timeline"));
    Ok(())
}
