//! Server functions for the review of a postmortem: submit, approve or request changes,
//! publish, and start a correction. Each step checks, inside the write that takes it, that it
//! applies to the postmortem's status, that the user's role allows it and, for a review, that
//! the reviewer wrote no part of the postmortem; it is recorded in the history.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::incident::IncidentStatus;
use crate::domain::review::{ApprovalForm, ChangesForm};
#[cfg(feature = "ssr")]
use crate::domain::review::{ReviewRecord, ReviewStep};
#[cfg(feature = "ssr")]
use crate::dto::review::LanguageNote;
use crate::dto::review::ReviewView;
use crate::error::AppError;

/// The blaming phrases anywhere in the postmortem's own words (its timeline entries and linked
/// changes given, as the caller has loaded them already).
#[cfg(feature = "ssr")]
async fn language_notes(
    state: &crate::server::AppState,
    incident: &crate::domain::incident::Incident,
    entries: &[crate::domain::timeline::TimelineEntry],
    linked: &[crate::domain::change::Change],
) -> Result<Vec<LanguageNote>, AppError> {
    use crate::server::repo::follow_ups;
    let mut texts: Vec<(String, String)> = vec![
        ("Title".to_owned(), incident.title.clone()),
        ("Summary".to_owned(), incident.summary_md.clone()),
        (
            "What went well".to_owned(),
            incident.lessons.went_well_md.clone(),
        ),
        (
            "What went wrong".to_owned(),
            incident.lessons.went_wrong_md.clone(),
        ),
        (
            "Where we got lucky".to_owned(),
            incident.lessons.lucky_md.clone(),
        ),
    ];
    for (n, entry) in entries.iter().enumerate() {
        texts.push((
            format!("Timeline entry {}", n + 1),
            entry.entry.body_md.clone(),
        ));
    }
    for change in linked {
        let name = format!("Change “{}”", change.change.summary);
        texts.push((name.clone(), change.change.summary.clone()));
        texts.push((name, change.change.rationale_md.clone()));
    }
    let filter = follow_ups::FollowUpFilter {
        incident_id: Some(incident.id),
        ..Default::default()
    };
    for f in follow_ups::list(&state.db, &filter).await? {
        let name = format!("Follow-up “{}”", f.follow_up.title);
        texts.push((name.clone(), f.follow_up.title));
        texts.push((name, f.follow_up.description_md));
    }
    Ok(texts
        .into_iter()
        .flat_map(|(place, text)| {
            crate::domain::blameless::check(&text)
                .into_iter()
                .map(move |finding| LanguageNote {
                    place: place.clone(),
                    finding,
                })
        })
        .collect())
}

/// The steps `user` may take on `incident` now.
#[cfg(feature = "ssr")]
pub(crate) fn steps_for(
    user: &crate::domain::account::User,
    incident: &crate::domain::incident::Incident,
    authors: &[i64],
) -> Vec<ReviewStep> {
    use crate::domain::account::Role;
    ReviewStep::ALL
        .into_iter()
        .filter(|step| step.apply(incident.status).is_ok())
        .filter(|step| {
            if step.is_a_review() {
                user.role.includes(Role::Reviewer)
                    && crate::domain::review::check_uninvolved(user.id, authors).is_ok()
            } else {
                user.role.includes(Role::Author)
            }
        })
        .collect()
}

/// Where a postmortem's review stands, and what the reader may do about it.
#[server(prefix = "/api", endpoint = "review/state")]
pub async fn review_for(id: i64) -> Result<ReviewView, AppError> {
    use crate::domain::account::Role;
    use crate::server::repo::{history, reviews};
    let state = super::state()?;
    let (user, incident) = super::access::readable_incident(&state, id).await?;
    super::access::require(Role::Author)?;
    let zone = super::zone();
    let authors = history::authors(&state.db, id).await?;
    let author_ids: Vec<i64> = authors.iter().map(|(id, _)| *id).collect();
    let reviews = reviews::list_for(&state.db, id)
        .await?
        .into_iter()
        .map(|r| ReviewRecord {
            revision: r.revision,
            reviewer: r.reviewer_name,
            at: crate::server::query::build::moment(r.at, &zone),
            decision: r.decision,
        })
        .collect();
    let (language, timeline_checks) = if incident.status == IncidentStatus::Published {
        (Vec::new(), Vec::new())
    } else {
        use crate::domain::timeline_checks::{TimelineFacts, check};
        use crate::server::repo::{changes, impact, timeline};
        let entries = timeline::list_for(&state.db, id).await?;
        let linked = changes::list_for(&state.db, id).await?;
        let figures = impact::list_for_incidents(&state.db, &[id]).await?;
        let facts = TimelineFacts {
            milestones: &incident.milestones,
            entries: &entries,
            changes: &linked,
            impact: &figures,
        };
        (
            language_notes(&state, &incident, &entries, &linked).await?,
            check(facts, chrono::Utc::now()),
        )
    };
    let missing = if steps_for(&user, &incident, &author_ids).contains(&ReviewStep::Submit) {
        crate::server::query::template::missing_before_review(&state.db, &incident).await?
    } else {
        Vec::new()
    };
    Ok(ReviewView {
        factor_check: factor_check(&state, id).await?,
        language,
        timeline_checks,
        missing,
        incident_id: id,
        steps: steps_for(&user, &incident, &author_ids),
        title: incident.title,
        status: incident.status,
        revision: incident.revision,
        authors: authors.into_iter().map(|(_, name)| name).collect(),
        you_wrote_it: author_ids.contains(&user.id),
        reviews,
    })
}

/// The computed check of a postmortem's factors against its follow-ups.
#[cfg(feature = "ssr")]
async fn factor_check(
    state: &crate::server::AppState,
    id: i64,
) -> Result<crate::domain::factor::FactorCheck, AppError> {
    use crate::server::repo::{factors, follow_ups};
    let found = factors::list_for(&state.db, id).await?;
    let actions = follow_ups::list(
        &state.db,
        &follow_ups::FollowUpFilter {
            incident_id: Some(id),
            ..Default::default()
        },
    )
    .await?;
    Ok(crate::domain::factor::check(&found, &actions))
}

/// Takes a review step on a postmortem; `decision` is the reviewer's, read only once the
/// caller may take the step at all.
#[cfg(feature = "ssr")]
async fn take(
    id: i64,
    step: ReviewStep,
    decision: Option<Result<crate::domain::review::Decision, crate::domain::form::FieldErrors>>,
) -> Result<(), AppError> {
    use super::edit::{Edit, Scope};
    use crate::domain::account::Role;
    use crate::domain::history::{Action, Part, fields};
    use crate::server::repo::{history, incidents, reviews};

    let state = super::state()?;
    let (edit, incident) = Edit::begin(&state, id, Scope::Review).await?;
    if step.is_a_review() {
        let reviewer = super::access::require(Role::Reviewer)?;
        let authors: Vec<i64> = history::authors(edit.txn(), id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        crate::domain::review::check_uninvolved(reviewer.id, &authors)
            .map_err(AppError::Forbidden)?;
    }
    let next = step.apply(incident.status).map_err(AppError::BadRequest)?;
    if step == ReviewStep::Submit {
        let missing =
            crate::server::query::template::missing_before_review(edit.txn(), &incident).await?;
        if !missing.is_empty() {
            return Err(AppError::BadRequest(
                crate::domain::template::missing_sentence(&missing),
            ));
        }
    }
    let decision = decision.transpose()?;
    let revision = if step == ReviewStep::StartCorrection {
        incident.revision + 1
    } else {
        incident.revision
    };
    if let Some(decision) = &decision {
        let who = (edit.user.id, edit.user.display_name.as_str());
        reviews::record(edit.txn(), id, incident.revision, who, decision).await?;
    }
    incidents::set_review(edit.txn(), id, next, revision).await?;
    if step == ReviewStep::Publish {
        crate::server::repo::published::keep(edit.txn(), id).await?;
    }
    let comments = decision.as_ref().map(|d| d.comments.as_str());
    crate::server::notify::events::review_step(
        edit.txn(),
        &incident,
        step,
        &edit.user,
        comments.unwrap_or_default(),
        chrono::Utc::now(),
    )
    .await?;
    let snapshot = |status: IncidentStatus, revision: i32| {
        fields(&[
            ("status", status.label()),
            ("revision", &revision.to_string()),
        ])
    };
    let mut after = snapshot(next, revision);
    if let Some(decision) = decision.filter(|d| !d.comments.is_empty()) {
        after.insert("comments".to_owned(), decision.comments);
    }
    edit.record(
        Part::Review,
        id,
        Action::Moved,
        step.sentence(revision),
        Some(snapshot(incident.status, incident.revision)),
        Some(after),
    )
    .await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{id}/review"));
    Ok(())
}

/// Asks for a review of a draft (or of one whose changes were requested).
#[server(prefix = "/api", endpoint = "review/submit")]
pub async fn submit_for_review(id: i64) -> Result<(), AppError> {
    take(id, ReviewStep::Submit, None).await
}

/// Approves a postmortem in review, with the reviewer's checklist.
#[server(prefix = "/api", endpoint = "review/approve")]
pub async fn approve_postmortem(id: i64, form: ApprovalForm) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::user()?;
    // The computed item: refused (once the reviewer may approve at all) under its own field.
    let refusal = factor_check(&state, id).await?.refusal();
    let decision = match (form.parse(), refusal) {
        (decision, None) => decision,
        (Ok(_), Some(why)) => {
            let mut errors = crate::domain::form::FieldErrors::new();
            errors.add("follow_ups_address_trigger", why);
            Err(errors)
        }
        (Err(mut errors), Some(why)) => {
            errors.add("follow_ups_address_trigger", why);
            Err(errors)
        }
    };
    take(id, ReviewStep::Approve, Some(decision)).await
}

/// Sends a postmortem in review back to its authors, with comments.
#[server(prefix = "/api", endpoint = "review/request-changes")]
pub async fn request_changes(id: i64, form: ChangesForm) -> Result<(), AppError> {
    take(id, ReviewStep::RequestChanges, Some(form.parse())).await
}

/// Publishes an approved postmortem: everyone who reads postmortems can now read it.
#[server(prefix = "/api", endpoint = "review/publish")]
pub async fn publish_postmortem(id: i64) -> Result<(), AppError> {
    take(id, ReviewStep::Publish, None).await
}

/// Reopens a published postmortem as its next revision, to be reviewed again.
#[server(prefix = "/api", endpoint = "review/correct")]
pub async fn start_correction(id: i64) -> Result<(), AppError> {
    take(id, ReviewStep::StartCorrection, None).await
}
