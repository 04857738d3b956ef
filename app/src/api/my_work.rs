//! "My work": what waits for the logged-in user — postmortems to write or fix, to review, to
//! publish — and the open follow-ups they own.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::incident::IncidentStatus;
use crate::dto::my_work::MyWorkView;
#[cfg(feature = "ssr")]
use crate::dto::my_work::WorkItem;
use crate::error::AppError;

/// What waits for the logged-in user.
#[server(prefix = "/api", endpoint = "my-work")]
pub async fn my_work() -> Result<MyWorkView, AppError> {
    use crate::domain::account::Role;
    use crate::server::repo::{follow_ups, history, incidents};

    let state = super::state()?;
    let user = super::access::require(Role::Viewer)?;
    let visible = crate::server::visibility::seen_by(
        &state.db,
        &user,
        incidents::list(&state.db, &Default::default()).await?,
    )
    .await?;
    let readable: Vec<_> = visible.incidents().collect();
    let written = history::incidents_written_by(&state.db, user.id).await?;
    let item = |i: &crate::domain::incident::Incident, todo: &str| WorkItem {
        incident_id: i.id,
        title: i.title.clone(),
        status: i.status,
        revision: i.revision,
        todo: todo.to_owned(),
    };
    let writing = if user.role.includes(Role::Author) {
        readable
            .iter()
            .filter(|i| written.contains(&i.id))
            .filter_map(|i| match i.status {
                IncidentStatus::Draft => {
                    Some(item(i, "Finish writing it and submit it for review."))
                }
                IncidentStatus::ChangesRequested => Some(item(
                    i,
                    "Address the reviewer's comments and submit it again.",
                )),
                IncidentStatus::InReview => Some(item(i, "Waiting for a reviewer.")),
                IncidentStatus::Approved => Some(item(i, "Approved: publish it.")),
                IncidentStatus::Published => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let reviewer = user.role.includes(Role::Reviewer);
    let reviewing = if reviewer {
        readable
            .iter()
            .filter(|i| i.status == IncidentStatus::InReview && !written.contains(&i.id))
            .map(|i| {
                item(
                    i,
                    "Review it: approve it with the checklist, or request changes.",
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mine: Vec<_> = follow_ups::list(&state.db, &Default::default())
        .await?
        .into_iter()
        .filter(|f| f.state.is_open())
        .filter(|f| match f.follow_up.owner_id {
            Some(owner) => owner == user.id,
            // Named before accounts existed: theirs if it names them.
            None => f
                .follow_up
                .owner
                .trim()
                .eq_ignore_ascii_case(user.display_name.trim()),
        })
        .filter(|f| visible.contains(f.incident_id))
        .collect();
    let follow_ups = crate::server::query::follow_ups::review_rows(&state, mine, &visible).await?;
    Ok(MyWorkView {
        writing,
        reviewing,
        follow_ups,
        reviewer,
    })
}
