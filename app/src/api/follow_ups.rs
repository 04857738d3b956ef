//! Server functions for follow-up actions on an incident (the cross-incident dashboard is in
//! `dashboard`).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{Edit, NewPart, PartEdit, Scope, Version};
use crate::domain::follow_up::{FollowUpForm, FollowUpState, TransitionForm};
use crate::dto::editing::Editing;
use crate::dto::editing::FollowUpEditing;
#[cfg(feature = "ssr")]
use crate::dto::editing::TargetOption;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::follow_ups::FollowUpPart;

#[cfg(feature = "ssr")]
async fn targets(
    state: &crate::server::AppState,
    incident_id: i64,
) -> Result<Vec<TargetOption>, AppError> {
    let mut options = Vec::new();
    for change in crate::server::repo::changes::list_for(&state.db, incident_id).await? {
        options.push(TargetOption {
            change_id: change.id,
            parameter_id: None,
            label: format!("{} (the change as a whole)", change.name()),
        });
        options.extend(change.parameters.iter().map(|p| TargetOption {
            change_id: change.id,
            parameter_id: Some(p.id),
            label: change.target_label(Some(p.id)),
        }));
    }
    Ok(options)
}

/// What a new follow-up on this incident may target.
#[server(prefix = "/api", endpoint = "follow-ups/new-form")]
pub async fn follow_up_for_new(incident_id: i64) -> Result<Editing<FollowUpEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (_, incident) = super::access::follow_up_incident(&state, incident_id).await?;
    Ok(Editing {
        version: 0,
        zone: super::zone().name(),
        incident_id,
        incident_title: incident.title,
        form: FollowUpEditing {
            form: FollowUpForm::blank(),
            state: None,
            targets: targets(&state, incident_id).await?,
            people: crate::server::query::people::people(&state).await?,
            due_policy: crate::server::repo::follow_ups::policies(&state.db)
                .await?
                .describe(),
            factors: factor_options(&state, incident_id).await?,
        },
    })
}

/// The contributing factors a follow-up on this incident may address (value, label).
#[cfg(feature = "ssr")]
async fn factor_options(
    state: &crate::server::AppState,
    incident_id: i64,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(
        crate::server::repo::factors::list_for(&state.db, incident_id)
            .await?
            .into_iter()
            .map(|f| (f.id.to_string(), f.label()))
            .collect(),
    )
}

/// A follow-up's edit form.
#[server(prefix = "/api", endpoint = "follow-ups/form")]
pub async fn follow_up_for_edit(id: i64) -> Result<Editing<FollowUpEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<FollowUpPart>(&state, id).await?;
    let now = crate::server::repo::follow_ups::get(&state.db, id)
        .await?
        .map(|f| f.state);
    Ok(Editing {
        version: found.version,
        zone: super::zone().name(),
        incident_id: incident.id,
        incident_title: incident.title,
        form: FollowUpEditing {
            form: FollowUpForm::from_follow_up(&found.value),
            state: now,
            targets: targets(&state, incident.id).await?,
            people: crate::server::query::people::people(&state).await?,
            due_policy: crate::server::repo::follow_ups::policies(&state.db)
                .await?
                .describe(),
            factors: factor_options(&state, incident.id).await?,
        },
    })
}

/// A stored follow-up, or NotFound.
#[cfg(feature = "ssr")]
async fn follow_up(
    state: &crate::server::AppState,
    id: i64,
) -> Result<crate::domain::follow_up::FollowUp, AppError> {
    // Who asks comes first: an unknown id must not answer differently from a known one.
    super::access::user()?;
    crate::server::repo::follow_ups::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Follow-up {id}")))
}

/// The follow-up as it is inside a write.
#[cfg(feature = "ssr")]
async fn follow_up_in(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<crate::domain::follow_up::FollowUp, AppError> {
    crate::server::repo::follow_ups::get(txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Follow-up {id}")))
}

/// Names a follow-up's owner after the person picked: an active account (or the owner it
/// already had, even if they have left since).
#[cfg(feature = "ssr")]
async fn name_owner(
    txn: &sea_orm::DatabaseTransaction,
    follow_up: &mut crate::domain::follow_up::NewFollowUp,
    had: Option<i64>,
) -> Result<(), AppError> {
    let Some(id) = follow_up.owner_id else {
        return Ok(());
    };
    let person = crate::server::repo::accounts::get(txn, id)
        .await?
        .map(|found| found.user)
        .filter(|user| user.active || had == Some(id))
        .ok_or_else(|| {
            AppError::invalid(
                "owner_id",
                "Pick the owner from the list: that person has no active account.",
            )
        })?;
    follow_up.owner = person.display_name;
    Ok(())
}

/// Checks that a follow-up's target belongs to its incident.
#[cfg(feature = "ssr")]
async fn check_target(
    txn: &sea_orm::DatabaseTransaction,
    incident_id: i64,
    follow_up: &crate::domain::follow_up::NewFollowUp,
) -> Result<(), AppError> {
    if let Some(factor_id) = follow_up.factor_id
        && crate::server::repo::factors::get(txn, factor_id)
            .await?
            .is_none_or(|f| f.incident_id != incident_id)
    {
        return Err(AppError::invalid(
            "factor_id",
            "Choose a contributing factor of this incident.",
        ));
    }
    let Some(change_id) = follow_up.change_id else {
        return Ok(());
    };
    let change = crate::server::repo::changes::get(txn, change_id).await?;
    let Some(change) = change.filter(|c| c.incident_id == incident_id) else {
        return Err(AppError::invalid(
            "change_id",
            "Choose a change recorded on this incident.",
        ));
    };
    if let Some(pid) = follow_up.parameter_id
        && !change.parameters.iter().any(|p| p.id == pid)
    {
        return Err(AppError::invalid(
            "parameter_id",
            "That parameter does not belong to the chosen change.",
        ));
    }
    Ok(())
}

/// Adds a follow-up to an incident, as proposed or committed (`state`).
#[server(prefix = "/api", endpoint = "follow-ups/add")]
pub async fn add_follow_up(
    incident_id: i64,
    form: FollowUpForm,
    state: String,
) -> Result<i64, AppError> {
    let app = super::state()?;
    let adding = NewPart::<FollowUpPart>::open(&app, incident_id).await?;
    let mut follow_up = form.parse()?;
    check_target(adding.txn(), incident_id, &follow_up).await?;
    name_owner(adding.txn(), &mut follow_up, None).await?;
    let Some(initial @ (FollowUpState::Proposed | FollowUpState::Committed)) =
        FollowUpState::parse(&state)
    else {
        return Err(AppError::invalid(
            "state",
            "A new follow-up starts as proposed or committed.",
        ));
    };
    if initial == FollowUpState::Committed && follow_up.due.is_none() {
        let policies = crate::server::repo::follow_ups::policies(adding.txn()).await?;
        follow_up.due = policies.default_due(follow_up.priority, super::today(&super::zone()));
    }
    follow_up.check_fits(initial)?;
    let incident = adding.incident().clone();
    let (edit, id) = adding.add_open(&(follow_up, initial)).await?;
    crate::server::notify::events::follow_up_saved(
        edit.txn(),
        &incident,
        id,
        None,
        &edit.user,
        chrono::Utc::now(),
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#follow-ups"));
    Ok(id)
}

/// Saves a follow-up's fields.
#[server(prefix = "/api", endpoint = "follow-ups/update")]
pub async fn update_follow_up(
    id: i64,
    form: FollowUpForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let app = super::state()?;
    let editing = PartEdit::<FollowUpPart>::open(&app, id).await?;
    let existing = follow_up_in(editing.txn(), id).await?;
    let mut follow_up = form.parse()?;
    check_target(editing.txn(), existing.incident_id, &follow_up).await?;
    name_owner(editing.txn(), &mut follow_up, existing.follow_up.owner_id).await?;
    follow_up.check_fits(existing.state)?;
    let incident = editing.incident().clone();
    let (edit, _) = editing
        .save_open(
            Version::parse(&version)?,
            &follow_up,
            &super::zone(),
            Into::into,
        )
        .await?;
    crate::server::notify::events::follow_up_saved(
        edit.txn(),
        &incident,
        id,
        existing.follow_up.owner_id,
        &edit.user,
        chrono::Utc::now(),
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{}#follow-ups", existing.incident_id));
    Ok(())
}

/// Moves a follow-up to another state (won't do needs a reason, verified needs evidence).
#[server(prefix = "/api", endpoint = "follow-ups/transition")]
pub async fn transition_follow_up(
    id: i64,
    form: TransitionForm,
) -> Result<FollowUpState, AppError> {
    let app = super::state()?;
    let incident_id = follow_up(&app, id).await?.incident_id;
    let (edit, _) = Edit::begin(&app, incident_id, Scope::FollowUps).await?;
    let existing = follow_up_in(edit.txn(), id).await?;
    let to = FollowUpState::parse(&form.to)
        .ok_or_else(|| AppError::invalid("to", format!("Unknown state {:?}.", form.to)))?;
    crate::server::edit::move_follow_up(
        &edit,
        &existing,
        to,
        &form.note,
        super::today(&super::zone()),
        None,
    )
    .await?;
    edit.commit().await?;
    Ok(to)
}

/// Deletes a follow-up.
#[server(prefix = "/api", endpoint = "follow-ups/delete")]
pub async fn delete_follow_up(id: i64) -> Result<(), AppError> {
    let app = super::state()?;
    let deleted = PartEdit::<FollowUpPart>::open_to_delete(&app, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!("/incidents/{}#follow-ups", deleted.incident_id));
    Ok(())
}
