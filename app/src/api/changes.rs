//! Server functions for changes and their parameters.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::incidents::Editing;
use super::views::ParameterRow;
use crate::domain::change::{ChangeForm, ParameterForm};
use crate::error::AppError;

/// A change's edit form with the parameters recorded so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeEditing {
    pub form: ChangeForm,
    pub parameters: Vec<ParameterRow>,
}

/// A change's edit form and parameters.
#[server(prefix = "/api", endpoint = "changes/form")]
pub async fn change_for_edit(id: i64) -> Result<Editing<ChangeEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let zone = super::zone();
    let found = editable_change(&state, id).await?;
    let incident_title = super::incident_title(&state, found.incident_id).await?;
    let view = super::views::build::change(&found, &zone);
    Ok(Editing {
        zone: zone.name(),
        incident_id: found.incident_id,
        incident_title,
        form: ChangeEditing {
            form: ChangeForm::from_change(&found.change, &zone),
            parameters: view.parameters,
        },
    })
}

/// A stored change whose postmortem the user may change now.
#[cfg(feature = "ssr")]
async fn editable_change(
    state: &crate::server::AppState,
    id: i64,
) -> Result<crate::domain::change::Change, AppError> {
    // Who asks comes first: an unknown id must not answer differently from a known one.
    super::access::user()?;
    let change = crate::server::repo::changes::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Change {id}")))?;
    super::access::editable_incident(state, change.incident_id).await?;
    Ok(change)
}

/// Links a new change to an incident, then opens it so its parameters can be added.
#[server(prefix = "/api", endpoint = "changes/add")]
pub async fn add_change(
    incident_id: i64,
    form: ChangeForm,
    #[server(default)] zone: String,
) -> Result<i64, AppError> {
    let state = super::state()?;
    super::access::editable_incident(&state, incident_id).await?;
    let change = form.parse(&super::form_zone(&zone)?)?;
    let id = crate::server::repo::changes::add(&state.db, incident_id, &change).await?;
    super::redirect(&format!("/incidents/{incident_id}/changes/{id}#parameters"));
    Ok(id)
}

/// Saves a change's fields.
#[server(prefix = "/api", endpoint = "changes/update")]
pub async fn update_change(
    id: i64,
    form: ChangeForm,
    #[server(default)] zone: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    editable_change(&state, id).await?;
    let change = form.parse(&super::form_zone(&zone)?)?;
    let incident_id = crate::server::repo::changes::update(&state.db, id, &change)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Change {id}")))?;
    super::redirect(&format!("/incidents/{incident_id}#changes"));
    Ok(())
}

/// Deletes a change and its parameters; follow-ups that targeted it stay, untargeted.
#[server(prefix = "/api", endpoint = "changes/delete")]
pub async fn delete_change(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    editable_change(&state, id).await?;
    let incident_id = crate::server::repo::changes::delete(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Change {id}")))?;
    super::redirect(&format!("/incidents/{incident_id}#changes"));
    Ok(())
}

/// Adds a parameter the change ran with.
#[server(prefix = "/api", endpoint = "changes/parameters/add")]
pub async fn add_parameter(change_id: i64, form: ParameterForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let change = editable_change(&state, change_id).await?;
    let parameter = form.parse()?;
    change.check_parameter_name(&parameter, None)?;
    let id = crate::server::repo::changes::add_parameter(&state.db, change_id, &parameter)
        .await
        .map_err(|e| {
            super::unless_taken(e, || {
                crate::domain::change::parameter_name_taken(&parameter.name).into()
            })
        })?;
    super::redirect(&format!(
        "/incidents/{}/changes/{change_id}#parameters",
        change.incident_id
    ));
    Ok(id)
}

/// Saves a parameter's name, value and whether it took the default.
#[server(prefix = "/api", endpoint = "changes/parameters/update")]
pub async fn update_parameter(id: i64, form: ParameterForm) -> Result<(), AppError> {
    let state = super::state()?;
    let missing = || AppError::not_found(format!("Parameter {id}"));
    super::access::user()?;
    let stored = crate::server::repo::changes::get_parameter(&state.db, id)
        .await?
        .ok_or_else(missing)?;
    let change = editable_change(&state, stored.change_id).await?;
    let parameter = form.parse()?;
    change.check_parameter_name(&parameter, Some(id))?;
    crate::server::repo::changes::update_parameter(&state.db, id, &parameter)
        .await
        .map_err(|e| {
            super::unless_taken(e, || {
                crate::domain::change::parameter_name_taken(&parameter.name).into()
            })
        })?
        .ok_or_else(missing)?;
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
    super::access::user()?;
    let stored = crate::server::repo::changes::get_parameter(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Parameter {id}")))?;
    editable_change(&state, stored.change_id).await?;
    let removed = crate::server::repo::changes::delete_parameter(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Parameter {id}")))?;
    if let Some(change) = crate::server::repo::changes::get(&state.db, removed.change_id).await? {
        super::redirect(&format!(
            "/incidents/{}/changes/{}#parameters",
            change.incident_id, change.id
        ));
    }
    Ok(())
}
