//! Server functions for changes and their parameters.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{NewPart, PartEdit, Version};
use crate::domain::change::{ChangeForm, ParameterForm};
use crate::dto::editing::{ChangeEditing, Editing};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::changes::{ChangePart, ParameterPart};

/// A change's edit form and parameters.
#[server(prefix = "/api", endpoint = "changes/form")]
pub async fn change_for_edit(id: i64) -> Result<Editing<ChangeEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let zone = super::zone();
    let (found, incident) = super::edit::for_edit::<ChangePart>(&state, id).await?;
    let parameters = crate::server::repo::changes::get(&state.db, id)
        .await?
        .map(|change| crate::server::query::build::change(&change, &zone).parameters)
        .unwrap_or_default();
    Ok(Editing {
        version: found.version,
        zone: zone.name(),
        incident_id: incident.id,
        incident_title: incident.title,
        form: ChangeEditing {
            form: ChangeForm::from_change(&found.value, &zone),
            parameters,
        },
    })
}

/// The change, with its parameters, as it is inside a write.
#[cfg(feature = "ssr")]
async fn change_in(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<crate::domain::change::Change, AppError> {
    crate::server::repo::changes::get(txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Change {id}")))
}

/// A parameter name another parameter of the change already has.
#[cfg(feature = "ssr")]
fn name_taken(name: &str) -> impl FnOnce(sea_orm::DbErr) -> AppError + '_ {
    move |e| {
        super::unless_taken(e, || {
            crate::domain::change::parameter_name_taken(name).into()
        })
    }
}

/// Links a new change to an incident, then opens it so its parameters can be added.
#[server(prefix = "/api", endpoint = "changes/add")]
pub async fn add_change(
    incident_id: i64,
    form: ChangeForm,
    #[server(default)] zone: String,
) -> Result<i64, AppError> {
    let state = super::state()?;
    let adding = NewPart::<ChangePart>::open(&state, incident_id).await?;
    let id = adding.add(&form.parse(&super::form_zone(&zone)?)?).await?;
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
    let editing = PartEdit::<ChangePart>::open(&state, id).await?;
    let zone = super::form_zone(&zone)?;
    let change = form.parse(&zone)?;
    let saved = editing
        .save(Version::parse(&version)?, &change, &zone)
        .await?;
    super::redirect(&format!("/incidents/{}#changes", saved.incident_id));
    Ok(())
}

/// Deletes a change and its parameters; follow-ups that targeted it stay, untargeted.
#[server(prefix = "/api", endpoint = "changes/delete")]
pub async fn delete_change(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let deleted = PartEdit::<ChangePart>::open_to_delete(&state, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!("/incidents/{}#changes", deleted.incident_id));
    Ok(())
}

/// Adds a parameter the change ran with.
#[server(prefix = "/api", endpoint = "changes/parameters/add")]
pub async fn add_parameter(change_id: i64, form: ParameterForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let adding = NewPart::<ParameterPart>::open(&state, change_id).await?;
    let change = change_in(adding.txn(), change_id).await?;
    let parameter = form.parse()?;
    change.check_parameter_name(&parameter, None)?;
    let id = adding
        .add_with(&parameter, name_taken(&parameter.name))
        .await?;
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
    let editing = PartEdit::<ParameterPart>::open(&state, id).await?;
    let change = change_in(editing.txn(), editing.stored().parent_id).await?;
    let parameter = form.parse()?;
    change.check_parameter_name(&parameter, Some(id))?;
    editing
        .save_with(
            Version::parse(&version)?,
            &parameter,
            &super::zone(),
            name_taken(&parameter.name),
        )
        .await?;
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
    let deleted = PartEdit::<ParameterPart>::open_to_delete(&state, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!(
        "/incidents/{}/changes/{}#parameters",
        deleted.incident_id, deleted.parent_id
    ));
    Ok(())
}
