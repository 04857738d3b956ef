//! Server functions for review groups: one review covering several incidents. Reading a group
//! takes what reading a review takes (an author); starting, joining and leaving one takes a
//! reviewer, as reviewing does. Every member must be an incident the caller may read, and an
//! incident is in at most one group.

use leptos::prelude::*;

use crate::domain::review_group::{MemberForm, ReviewGroupForm};
use crate::dto::review_group::{NewReviewGroupView, ReviewGroupRow, ReviewGroupView};
use crate::error::AppError;

/// "#12 Logins failed".
#[cfg(feature = "ssr")]
fn label(id: i64, title: &str) -> String {
    format!("#{id} {title}")
}

/// Incidents in no group but `except`, as form options.
#[cfg(feature = "ssr")]
async fn candidates(
    state: &crate::server::AppState,
    except: &[i64],
) -> Result<Vec<(String, String)>, AppError> {
    Ok(crate::server::repo::review_groups::ungrouped(&state.db)
        .await?
        .into_iter()
        .filter(|(id, _)| !except.contains(id))
        .map(|(id, title)| (id.to_string(), label(id, &title)))
        .collect())
}

/// Refuses an incident that is already in a group, naming the group, under `field`.
#[cfg(feature = "ssr")]
async fn not_grouped<C: sea_orm::ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    field: &str,
) -> Result<(), AppError> {
    match crate::server::repo::review_groups::group_of(conn, incident_id).await? {
        Some((_, name)) => Err(AppError::invalid(
            field,
            format!(
                "Incident #{incident_id} is already reviewed in the group “{name}”; an incident \
                 is in one group at most. Remove it there first."
            ),
        )),
        None => Ok(()),
    }
}

/// The group page: its incidents, their merged timeline and their follow-ups (authors).
#[server(prefix = "/api", endpoint = "review-groups/get")]
pub async fn review_group(id: i64) -> Result<ReviewGroupView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::follow_up::FollowUpState;
    use crate::domain::review_group::{MemberTimeline, merge_timelines};
    use crate::domain::time::Zone;
    use crate::dto::review_group::{GroupEntryRow, MemberFollowUps, MemberView};
    use crate::server::query::build;
    use crate::server::repo::{follow_ups, incidents, review_groups, timeline};

    let state = super::state()?;
    let user = super::access::require(Role::Author)?;
    let group = review_groups::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Review group {id}")))?;
    let zone = super::zone();
    let members = incidents::get_many(&state.db, &group.incident_ids).await?;
    let mut timelines = Vec::new();
    let mut follow_up_lists = Vec::new();
    let mut starts = Vec::new();
    for incident in &members {
        timelines.push(MemberTimeline {
            incident_id: incident.id,
            label: label(incident.id, &incident.title),
            entries: timeline::list_for(&state.db, incident.id).await?,
        });
        starts.push((incident.id, incident.milestones.impact_started));
        let actions = follow_ups::list(
            &state.db,
            &follow_ups::FollowUpFilter {
                incident_id: Some(incident.id),
                ..Default::default()
            },
        )
        .await?;
        let factors = crate::server::repo::factors::list_for(&state.db, incident.id)
            .await?
            .into_iter()
            .map(|f| (f.id, f.label()))
            .collect();
        follow_up_lists.push(MemberFollowUps {
            incident_id: incident.id,
            title: incident.title.clone(),
            factors,
            by_state: FollowUpState::ALL
                .into_iter()
                .map(|s| {
                    let of_state: Vec<(i64, String)> = actions
                        .iter()
                        .filter(|f| f.state == s)
                        .map(|f| (f.id, f.follow_up.title.clone()))
                        .collect();
                    (s.label().to_owned(), of_state)
                })
                .filter(|(_, of_state)| !of_state.is_empty())
                .collect(),
        });
    }
    let timeline = merge_timelines(timelines)
        .into_iter()
        .map(|merged| {
            let start = starts
                .iter()
                .find(|(id, _)| *id == merged.incident_id)
                .and_then(|(_, start)| start.as_ref());
            GroupEntryRow {
                incident_id: merged.incident_id,
                label: merged.label,
                row: build::timeline(&merged.entry, start, &zone),
            }
        })
        .collect();
    let can_change = user.role.includes(Role::Reviewer);
    Ok(ReviewGroupView {
        id: group.id,
        name: group.name,
        created: format!(
            "Created by {} on {}",
            group.created_by,
            build::moment(group.created_at, &zone)
        ),
        changed: format!(
            "Last changed by {} on {}",
            group.updated_by,
            build::moment(group.updated_at, &zone)
        ),
        members: members
            .iter()
            .map(|i| MemberView {
                incident_id: i.id,
                title: i.title.clone(),
                severity: i.severity,
                status: i.status,
            })
            .collect(),
        timeline,
        follow_ups: follow_up_lists,
        candidates: if can_change {
            candidates(&state, &group.incident_ids).await?
        } else {
            Vec::new()
        },
        can_change,
        zone: zone.name(),
    })
}

/// Every review group with its incidents (authors).
#[server(prefix = "/api", endpoint = "review-groups/list")]
pub async fn review_groups() -> Result<Vec<ReviewGroupRow>, AppError> {
    use crate::server::repo::{incidents, review_groups};
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Author)?;
    let groups = review_groups::list(&state.db).await?;
    let ids: Vec<i64> = groups.iter().flat_map(|g| g.incident_ids.clone()).collect();
    let titles = incidents::get_many(&state.db, &ids).await?;
    Ok(groups
        .into_iter()
        .map(|g| ReviewGroupRow {
            id: g.id,
            name: g.name,
            members: g
                .incident_ids
                .iter()
                .filter_map(|id| titles.iter().find(|i| i.id == *id))
                .map(|i| (i.id, i.title.clone()))
                .collect(),
        })
        .collect())
}

/// What starting a group from an incident needs: its title, its group if it has one, and the
/// incidents it could be reviewed with (reviewers).
#[server(prefix = "/api", endpoint = "review-groups/new")]
pub async fn new_review_group(incident_id: i64) -> Result<NewReviewGroupView, AppError> {
    let state = super::state()?;
    let (_, incident) = super::access::readable_incident(&state, incident_id).await?;
    super::access::require(crate::domain::account::Role::Reviewer)?;
    Ok(NewReviewGroupView {
        incident_id,
        title: incident.title,
        group: crate::server::repo::review_groups::group_of(&state.db, incident_id).await?,
        candidates: candidates(&state, &[incident_id]).await?,
    })
}

/// Starts a group reviewing `incident_id` together with another incident (reviewers); goes to
/// the group's page.
#[server(prefix = "/api", endpoint = "review-groups/create")]
pub async fn create_review_group(incident_id: i64, form: ReviewGroupForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let (user, _) = super::access::readable_incident(&state, incident_id).await?;
    super::access::require(crate::domain::account::Role::Reviewer)?;
    let new = form.parse()?;
    if new.together_with == incident_id {
        return Err(AppError::invalid(
            "together_with",
            "Choose another incident: a group reviews several.",
        ));
    }
    super::access::readable_incident(&state, new.together_with)
        .await
        .map_err(|_| AppError::invalid("together_with", "Choose an incident Debrief knows."))?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    not_grouped(&txn, incident_id, "together_with").await?;
    not_grouped(&txn, new.together_with, "together_with").await?;
    let id = crate::server::repo::review_groups::create(
        &txn,
        &new.name,
        &user.display_name,
        &[incident_id, new.together_with],
    )
    .await?;
    txn.commit().await?;
    super::redirect(&format!("/review-groups/{id}"));
    Ok(id)
}

/// Adds an incident to a group (reviewers).
#[server(prefix = "/api", endpoint = "review-groups/add")]
pub async fn add_to_review_group(id: i64, form: MemberForm) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Reviewer)?;
    let incident_id = form.parse()?;
    super::access::readable_incident(&state, incident_id)
        .await
        .map_err(|_| AppError::invalid("incident_id", "Choose an incident Debrief knows."))?;
    crate::server::repo::review_groups::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Review group {id}")))?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    not_grouped(&txn, incident_id, "incident_id").await?;
    crate::server::repo::review_groups::add(&txn, id, incident_id, &user.display_name).await?;
    txn.commit().await?;
    super::redirect(&format!("/review-groups/{id}"));
    Ok(())
}

/// Takes an incident out of a group (reviewers).
#[server(prefix = "/api", endpoint = "review-groups/remove")]
pub async fn remove_from_review_group(id: i64, incident_id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Reviewer)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let removed =
        crate::server::repo::review_groups::remove(&txn, id, incident_id, &user.display_name)
            .await?;
    txn.commit().await?;
    if !removed {
        return Err(AppError::not_found(format!(
            "Incident #{incident_id} in review group {id}"
        )));
    }
    super::redirect(&format!("/review-groups/{id}"));
    Ok(())
}
