//! Server functions for impact figures.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{NewPart, PartEdit, Version};
use crate::domain::impact::ImpactForm;
use crate::dto::editing::Editing;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::impact::ImpactPart;

/// A figure's edit form.
#[server(prefix = "/api", endpoint = "impact/form")]
pub async fn impact_figure_for_edit(id: i64) -> Result<Editing<ImpactForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<ImpactPart>(&state, id).await?;
    Ok(Editing {
        version: found.version,
        zone: super::zone().name(),
        incident_id: incident.id,
        incident_title: incident.title,
        form: ImpactForm::from_figure(&found.value),
    })
}

/// Adds an impact figure to an incident.
#[server(prefix = "/api", endpoint = "impact/add")]
pub async fn add_impact_figure(incident_id: i64, form: ImpactForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let adding = NewPart::<ImpactPart>::open(&state, incident_id).await?;
    let id = adding.add(&form.parse()?).await?;
    super::redirect(&format!("/incidents/{incident_id}#impact"));
    Ok(id)
}

/// Saves an impact figure.
#[server(prefix = "/api", endpoint = "impact/update")]
pub async fn update_impact_figure(
    id: i64,
    form: ImpactForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let editing = PartEdit::<ImpactPart>::open(&state, id).await?;
    let new = form.parse()?;
    let saved = editing
        .save(Version::parse(&version)?, &new, &super::zone())
        .await?;
    super::redirect(&format!("/incidents/{}#impact", saved.incident_id));
    Ok(())
}

/// Deletes an impact figure.
#[server(prefix = "/api", endpoint = "impact/delete")]
pub async fn delete_impact_figure(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let deleted = PartEdit::<ImpactPart>::open_to_delete(&state, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!("/incidents/{}#impact", deleted.incident_id));
    Ok(())
}
