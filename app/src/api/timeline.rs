//! Server functions for timeline entries.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{NewPart, PartEdit, Version};
use crate::domain::timeline::TimelineForm;
use crate::dto::editing::Editing;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::timeline::TimelinePart;

/// An entry's edit form, in the reader's zone.
#[server(prefix = "/api", endpoint = "timeline/form")]
pub async fn timeline_entry_for_edit(id: i64) -> Result<Editing<TimelineForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let zone = super::zone();
    let (found, incident) = super::edit::for_edit::<TimelinePart>(&state, id).await?;
    Ok(Editing {
        version: found.version,
        zone: zone.name(),
        incident_id: incident.id,
        incident_title: incident.title,
        form: TimelineForm::from_entry(&found.value, &zone),
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
    let adding = NewPart::<TimelinePart>::open(&state, incident_id).await?;
    let id = adding.add(&form.parse(&super::form_zone(&zone)?)?).await?;
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
    let editing = PartEdit::<TimelinePart>::open(&state, id).await?;
    let zone = super::form_zone(&zone)?;
    let new = form.parse(&zone)?;
    let saved = editing.save(Version::parse(&version)?, &new, &zone).await?;
    super::redirect(&format!("/incidents/{}#timeline", saved.incident_id));
    Ok(())
}

/// Deletes a timeline entry.
#[server(prefix = "/api", endpoint = "timeline/delete")]
pub async fn delete_timeline_entry(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let deleted = PartEdit::<TimelinePart>::open_to_delete(&state, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!("/incidents/{}#timeline", deleted.incident_id));
    Ok(())
}
