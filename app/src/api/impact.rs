//! Server functions for impact figures.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{Edit, Scope};
use crate::domain::impact::ImpactForm;
use crate::dto::editing::Editing;
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

/// The figure as it is inside a write.
#[cfg(feature = "ssr")]
async fn figure_in(edit: &Edit, id: i64) -> Result<crate::domain::impact::ImpactFigure, AppError> {
    crate::server::repo::impact::get(edit.txn(), id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Impact figure {id}")))
}

/// A figure's edit form.
#[server(prefix = "/api", endpoint = "impact/form")]
pub async fn impact_figure_for_edit(id: i64) -> Result<Editing<ImpactForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    // The role first: a viewer learns nothing about which ids exist.
    super::access::require(crate::domain::account::Role::Author)?;
    let version =
        super::edit::version_of(&state, crate::domain::history::Part::ImpactFigure, id).await?;
    let found = figure(&state, id).await?;
    let (_, incident) = super::access::editable_incident(&state, found.incident_id).await?;
    Ok(Editing {
        version,
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
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let figure = form.parse()?;
    let id = crate::server::repo::impact::add(edit.txn(), incident_id, &figure).await?;
    edit.created(id, &figure).await?;
    edit.commit().await?;
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
    let incident_id = figure(&state, id).await?.incident_id;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let new = form.parse()?;
    let stored = figure_in(&edit, id).await?;
    edit.updated(id, &version, &stored.figure, &new, &super::zone())
        .await?;
    crate::server::repo::impact::update(edit.txn(), id, &new).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#impact"));
    Ok(())
}

/// Deletes an impact figure.
#[server(prefix = "/api", endpoint = "impact/delete")]
pub async fn delete_impact_figure(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let incident_id = figure(&state, id).await?.incident_id;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let stored = figure_in(&edit, id).await?;
    crate::server::repo::impact::delete(edit.txn(), id).await?;
    edit.deleted(id, &stored.figure).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#impact"));
    Ok(())
}
