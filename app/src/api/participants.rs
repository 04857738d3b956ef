//! Server functions for the people who took part in an incident, picked from the accounts.

use leptos::prelude::*;

use crate::domain::participant::ParticipantForm;
use crate::error::AppError;

/// How the history names a participant: Participant “Grace Hopper as incident commander”.
#[cfg(feature = "ssr")]
fn summary(name: &str, part: &str) -> String {
    format!(
        "{} “{name} as {part}”",
        crate::domain::history::Part::Participant.label()
    )
}

#[cfg(feature = "ssr")]
fn snapshot(name: &str, part: &str) -> crate::domain::history::Snapshot {
    crate::domain::history::fields(&[("person", name), ("part", part)])
}

/// Adds someone with an account to an incident, with the part they played.
#[server(prefix = "/api", endpoint = "participants/add")]
pub async fn add_participant(incident_id: i64, form: ParticipantForm) -> Result<(), AppError> {
    use super::edit::{Edit, Scope};
    use crate::domain::history::{Action, Part};
    use crate::server::repo::{accounts, participants};
    let state = super::state()?;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let participant = form.parse()?;
    let person = accounts::get(edit.txn(), participant.user_id)
        .await?
        .map(|found| found.user)
        .filter(|user| user.active)
        .ok_or_else(|| AppError::invalid("user_id", "Pick a person from the list."))?;
    if participants::list_for(edit.txn(), incident_id)
        .await?
        .iter()
        .any(|p| p.user_id == person.id)
    {
        return Err(AppError::invalid(
            "user_id",
            format!("{} is already listed as taking part.", person.display_name),
        ));
    }
    participants::add(edit.txn(), incident_id, &participant).await?;
    edit.record(
        Part::Participant,
        person.id,
        Action::Created,
        summary(&person.display_name, &participant.part),
        None,
        Some(snapshot(&person.display_name, &participant.part)),
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#participants"));
    Ok(())
}

/// Takes someone off an incident's participants.
#[server(prefix = "/api", endpoint = "participants/remove")]
pub async fn remove_participant(incident_id: i64, user_id: i64) -> Result<(), AppError> {
    use super::edit::{Edit, Scope};
    use crate::domain::history::{Action, Part};
    use crate::server::repo::participants;
    let state = super::state()?;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let removed = participants::list_for(edit.txn(), incident_id)
        .await?
        .into_iter()
        .find(|p| p.user_id == user_id)
        .ok_or_else(|| AppError::not_found(format!("Participant {user_id}")))?;
    participants::remove(edit.txn(), incident_id, user_id).await?;
    edit.record(
        Part::Participant,
        user_id,
        Action::Deleted,
        summary(&removed.name, &removed.part),
        Some(snapshot(&removed.name, &removed.part)),
        None,
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#participants"));
    Ok(())
}
