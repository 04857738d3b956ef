//! Server functions for impact figures.

use leptos::prelude::*;

use super::incidents::Editing;
use crate::domain::impact::ImpactForm;
use crate::error::AppError;

/// A stored figure, or NotFound.
#[cfg(feature = "ssr")]
async fn figure(
    state: &crate::server::AppState,
    id: i64,
) -> Result<crate::domain::impact::ImpactFigure, AppError> {
    // Who asks comes first: an unknown id must not answer differently from a known one.
    super::access::user()?;
    crate::server::repo::impact::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Impact figure {id}")))
}

/// A figure's edit form.
#[server(prefix = "/api", endpoint = "impact/form")]
pub async fn impact_figure_for_edit(id: i64) -> Result<Editing<ImpactForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let found = figure(&state, id).await?;
    let (_, incident) = super::access::editable_incident(&state, found.incident_id).await?;
    Ok(Editing {
        zone: super::zone().name(),
        incident_id: found.incident_id,
        incident_title: incident.title,
        form: ImpactForm::from_figure(&found.figure),
    })
}

/// Adds an impact figure to an incident.
#[server(prefix = "/api", endpoint = "impact/add")]
pub async fn add_impact_figure(incident_id: i64, form: ImpactForm) -> Result<i64, AppError> {
    let state = super::state()?;
    super::access::editable_incident(&state, incident_id).await?;
    let figure = form.parse()?;
    let id = crate::server::repo::impact::add(&state.db, incident_id, &figure).await?;
    super::redirect(&format!("/incidents/{incident_id}#impact"));
    Ok(id)
}

/// Saves an impact figure.
#[server(prefix = "/api", endpoint = "impact/update")]
pub async fn update_impact_figure(id: i64, form: ImpactForm) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::editable_incident(&state, figure(&state, id).await?.incident_id).await?;
    let figure = form.parse()?;
    let incident_id = crate::server::repo::impact::update(&state.db, id, &figure)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Impact figure {id}")))?;
    super::redirect(&format!("/incidents/{incident_id}#impact"));
    Ok(())
}

/// Deletes an impact figure.
#[server(prefix = "/api", endpoint = "impact/delete")]
pub async fn delete_impact_figure(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::editable_incident(&state, figure(&state, id).await?.incident_id).await?;
    let incident_id = crate::server::repo::impact::delete(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Impact figure {id}")))?;
    super::redirect(&format!("/incidents/{incident_id}#impact"));
    Ok(())
}
