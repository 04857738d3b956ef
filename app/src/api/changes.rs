//! Server functions for changes and their parameters.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{Edit, Scope};
#[cfg(feature = "ssr")]
use crate::domain::change::Parameter;
use crate::domain::change::{ChangeForm, ParameterForm};
use crate::dto::editing::ChangeEditing;
use crate::dto::editing::Editing;
use crate::error::AppError;

/// A change's edit form and parameters.
#[server(prefix = "/api", endpoint = "changes/form")]
pub async fn change_for_edit(id: i64) -> Result<Editing<ChangeEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    // The role first: a viewer learns nothing about which ids exist.
    super::access::require(crate::domain::account::Role::Author)?;
    let zone = super::zone();
    let version = super::edit::version_of(&state, crate::domain::history::Part::Change, id).await?;
    let found = change(&state, id).await?;
    let (_, incident) = super::access::editable_incident(&state, found.incident_id).await?;
    let view = crate::server::query::build::change(&found, &zone);
    Ok(Editing {
        version,
        zone: zone.name(),
        incident_id: found.incident_id,
        incident_title: incident.title,
        form: ChangeEditing {
            form: ChangeForm::from_change(&found.change, &zone),
            parameters: view.parameters,
        },
    })
}

/// A stored change, or NotFound.
#[cfg(feature = "ssr")]
async fn change(
    state: &crate::server::AppState,
    id: i64,
) -> Result<crate::domain::change::Change, AppError> {
    // Who asks comes first: an unknown id must not answer differently from a known one.
    super::access::user()?;
    crate::server::repo::changes::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Change {id}")))
}

/// A write on the postmortem a change belongs to, and the change as it is inside it.
#[cfg(feature = "ssr")]
async fn edit_change(
    state: &crate::server::AppState,
    id: i64,
) -> Result<(Edit, crate::domain::change::Change), AppError> {
    let incident_id = change(state, id).await?.incident_id;
    let (edit, _) = Edit::begin(state, incident_id, Scope::Postmortem).await?;
    let found = crate::server::repo::changes::get(edit.txn(), id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Change {id}")))?;
    Ok((edit, found))
}

/// A write on the postmortem a parameter's change belongs to, with the change and the
/// parameter as they are inside it.
#[cfg(feature = "ssr")]
async fn edit_parameter(
    state: &crate::server::AppState,
    id: i64,
) -> Result<(Edit, crate::domain::change::Change, Parameter), AppError> {
    let missing = || AppError::not_found(format!("Parameter {id}"));
    super::access::user()?;
    let change_id = crate::server::repo::changes::get_parameter(&state.db, id)
        .await?
        .ok_or_else(missing)?
        .change_id;
    let (edit, change) = edit_change(state, change_id).await?;
    let parameter = change
        .parameters
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .ok_or_else(missing)?;
    Ok((edit, change, parameter))
}

/// Links a new change to an incident, then opens it so its parameters can be added.
#[server(prefix = "/api", endpoint = "changes/add")]
pub async fn add_change(
    incident_id: i64,
    form: ChangeForm,
    #[server(default)] zone: String,
) -> Result<i64, AppError> {
    let state = super::state()?;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let change = form.parse(&super::form_zone(&zone)?)?;
    let id = crate::server::repo::changes::add(edit.txn(), incident_id, &change).await?;
    edit.created(id, &change).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}/changes/{id}#parameters"));
    Ok(id)
}

/// Saves a change's fields.
#[server(prefix = "/api", endpoint = "changes/update")]
pub async fn update_change(
    id: i64,
    form: ChangeForm,
    #[server(default)] zone: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let (edit, stored) = edit_change(&state, id).await?;
    let zone = super::form_zone(&zone)?;
    let change = form.parse(&zone)?;
    edit.updated(id, &version, &stored.change, &change, &zone)
        .await?;
    crate::server::repo::changes::update(edit.txn(), id, &change).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{}#changes", stored.incident_id));
    Ok(())
}

/// Deletes a change and its parameters; follow-ups that targeted it stay, untargeted.
#[server(prefix = "/api", endpoint = "changes/delete")]
pub async fn delete_change(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let (edit, stored) = edit_change(&state, id).await?;
    crate::server::repo::changes::delete(edit.txn(), id).await?;
    edit.deleted(id, &stored.change).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{}#changes", stored.incident_id));
    Ok(())
}

/// Adds a parameter the change ran with.
#[server(prefix = "/api", endpoint = "changes/parameters/add")]
pub async fn add_parameter(change_id: i64, form: ParameterForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let (edit, change) = edit_change(&state, change_id).await?;
    let parameter = form.parse()?;
    change.check_parameter_name(&parameter, None)?;
    let id = crate::server::repo::changes::add_parameter(edit.txn(), change_id, &parameter)
        .await
        .map_err(|e| {
            super::unless_taken(e, || {
                crate::domain::change::parameter_name_taken(&parameter.name).into()
            })
        })?;
    edit.created(id, &parameter).await?;
    edit.commit().await?;
    super::redirect(&format!(
        "/incidents/{}/changes/{change_id}#parameters",
        change.incident_id
    ));
    Ok(id)
}

/// Saves a parameter's name, value and whether it took the default.
#[server(prefix = "/api", endpoint = "changes/parameters/update")]
pub async fn update_parameter(
    id: i64,
    form: ParameterForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let (edit, change, stored) = edit_parameter(&state, id).await?;
    let parameter = form.parse()?;
    change.check_parameter_name(&parameter, Some(id))?;
    edit.updated(id, &version, &stored.parameter, &parameter, &super::zone())
        .await?;
    crate::server::repo::changes::update_parameter(edit.txn(), id, &parameter)
        .await
        .map_err(|e| {
            super::unless_taken(e, || {
                crate::domain::change::parameter_name_taken(&parameter.name).into()
            })
        })?;
    edit.commit().await?;
    super::redirect(&format!(
        "/incidents/{}/changes/{}#parameters",
        change.incident_id, change.id
    ));
    Ok(())
}

/// Removes a parameter from its change.
#[server(prefix = "/api", endpoint = "changes/parameters/delete")]
pub async fn delete_parameter(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let (edit, change, stored) = edit_parameter(&state, id).await?;
    crate::server::repo::changes::delete_parameter(edit.txn(), id).await?;
    edit.deleted(id, &stored.parameter).await?;
    edit.commit().await?;
    super::redirect(&format!(
        "/incidents/{}/changes/{}#parameters",
        change.incident_id, change.id
    ));
    Ok(())
}
