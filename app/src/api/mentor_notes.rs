//! Mentor notes: teaching notes on a published postmortem as a whole or on one of its timeline
//! entries. Everyone signed in reads them (in the library and reading lists, with who wrote
//! them); authors and above (reviewers and admins too) write them; a note's writer or an admin
//! edits or deletes it. Shared pages show only the notes their writers chose, without names
//! (see `api::share`). Each change is written as an `Edit` of its postmortem: recorded in its
//! history, and in its search documents.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::history::{Action, Part, Recorded, summary};
use crate::domain::mentor_note::MentorNoteForm;
use crate::dto::mentor_notes::MentorNotes;
use crate::error::AppError;

/// The published version of an incident, or the NotFound saying it has none.
#[cfg(feature = "ssr")]
async fn published(
    state: &crate::server::AppState,
    incident_id: i64,
) -> Result<crate::domain::published::PublishedPostmortem, AppError> {
    crate::server::repo::published::get(&state.db, incident_id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("A published postmortem {incident_id}")))
}

/// A note the caller may change, or the refusal.
#[cfg(feature = "ssr")]
async fn editable(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    id: i64,
) -> Result<crate::server::repo::mentor_notes::MentorNote, AppError> {
    let note = crate::server::repo::mentor_notes::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Mentor note {id}")))?;
    if !crate::server::query::mentor_notes::may_edit(user, &note) {
        return Err(AppError::Forbidden(format!(
            "This note is {}'s: only they or an admin may change it.",
            note.author_name
        )));
    }
    Ok(note)
}

/// The write of a change to a note on incident `incident_id`, recorded in its history.
#[cfg(feature = "ssr")]
async fn teaching(
    state: &crate::server::AppState,
    incident_id: i64,
) -> Result<super::edit::Edit, AppError> {
    use super::edit::{Edit, Scope};
    Ok(Edit::begin(state, incident_id, Scope::Teaching).await?.0)
}

/// The mentor notes of a published postmortem, with its timeline entries to put one on.
#[server(prefix = "/api", endpoint = "mentor-notes")]
pub async fn mentor_notes_of(incident_id: i64) -> Result<MentorNotes, AppError> {
    use crate::domain::account::Role;
    use crate::server::query::mentor_notes::{entry_label, views};
    let state = super::state()?;
    let user = super::access::require(Role::Viewer)?;
    let published = published(&state, incident_id).await?;
    let zone = super::zone();
    let notes =
        crate::server::repo::mentor_notes::for_incidents(&state.db, &[incident_id], false).await?;
    Ok(MentorNotes {
        incident_id,
        title: published.incident.title.clone(),
        entries: published
            .timeline
            .iter()
            .map(|e| (e.id, entry_label(e, &zone)))
            .collect(),
        notes: views(&user, notes, &published.timeline, &zone),
        can_write: user.role.includes(Role::Author),
    })
}

/// Adds a teaching note to a published postmortem or one of its published timeline entries
/// (authors and above); returns its id.
#[server(prefix = "/api", endpoint = "mentor-notes/add")]
pub async fn add_mentor_note(incident_id: i64, form: MentorNoteForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    let published = published(&state, incident_id).await?;
    let note = form.parse()?;
    if let Some(entry) = note.timeline_entry_id
        && !published.timeline.iter().any(|e| e.id == entry)
    {
        return Err(AppError::invalid(
            "timeline_entry",
            "Pick one of the published timeline's entries, or the lesson as a whole.",
        ));
    }
    let edit = teaching(&state, incident_id).await?;
    let id = crate::server::repo::mentor_notes::add(
        edit.txn(),
        (incident_id, note.timeline_entry_id),
        &crate::server::repo::mentor_notes::NoteText {
            body_md: &note.body_md,
            show_on_shared: note.show_on_shared,
        },
        (Some(user.id), &user.display_name),
    )
    .await?;
    edit.record(
        Part::MentorNote,
        id,
        Action::Created,
        summary(&note),
        None,
        Some(note.snapshot(&chrono::Utc)),
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/library/notes/{incident_id}#note-{id}"));
    Ok(id)
}

/// Rewrites a note (its writer or an admin); what it is on stays.
#[server(prefix = "/api", endpoint = "mentor-notes/update")]
pub async fn update_mentor_note(id: i64, form: MentorNoteForm) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    let before = editable(&state, &user, id).await?;
    let note = MentorNoteForm {
        timeline_entry: String::new(),
        ..form
    }
    .parse()?;
    let note = crate::domain::mentor_note::NewMentorNote {
        timeline_entry_id: before.timeline_entry_id,
        ..note
    };
    let edit = teaching(&state, before.incident_id).await?;
    if !crate::server::repo::mentor_notes::update(
        edit.txn(),
        id,
        &crate::server::repo::mentor_notes::NoteText {
            body_md: &note.body_md,
            show_on_shared: note.show_on_shared,
        },
    )
    .await?
    {
        return Err(AppError::not_found(format!("Mentor note {id}")));
    }
    let was = before.as_new();
    edit.record(
        Part::MentorNote,
        id,
        Action::Updated,
        summary(&note),
        Some(was.snapshot(&chrono::Utc)),
        Some(note.snapshot(&chrono::Utc)),
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/library/notes/{}#note-{id}", before.incident_id));
    Ok(())
}

/// Deletes a note (its writer or an admin).
#[server(prefix = "/api", endpoint = "mentor-notes/delete")]
pub async fn delete_mentor_note(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    let before = editable(&state, &user, id).await?;
    let edit = teaching(&state, before.incident_id).await?;
    if !crate::server::repo::mentor_notes::delete(edit.txn(), id).await? {
        return Err(AppError::not_found(format!("Mentor note {id}")));
    }
    let was = before.as_new();
    edit.record(
        Part::MentorNote,
        id,
        Action::Deleted,
        summary(&was),
        Some(was.snapshot(&chrono::Utc)),
        None,
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/library/notes/{}", before.incident_id));
    Ok(())
}
