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
    let db = &state.db;
    let written = || history::written_by(user.id);
    let item = |i: &crate::domain::incident::Incident, todo: &str| WorkItem {
        incident_id: i.id,
        title: i.title.clone(),
        status: i.status,
        revision: i.revision,
        todo: todo.to_owned(),
    };
    // Those who write and review postmortems read them as they stand: no published version
    // stands in for what they are asked to finish or review.
    let writing = if user.role.includes(Role::Author) {
        use crate::server::entities::incidents::Column;
        use sea_orm::ColumnTrait;
        incidents::list_where(
            db,
            sea_orm::Condition::all()
                .add(Column::Id.in_subquery(written()))
                .add(Column::Status.ne(IncidentStatus::Published.as_str())),
        )
        .await?
        .iter()
        .filter_map(|i| match i.status {
            IncidentStatus::Draft => Some(item(i, "Finish writing it and submit it for review.")),
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
        use crate::server::entities::incidents::Column;
        use sea_orm::ColumnTrait;
        incidents::list_where(
            db,
            sea_orm::Condition::all()
                .add(Column::Status.eq(IncidentStatus::InReview.as_str()))
                .add(Column::Id.not_in_subquery(written())),
        )
        .await?
        .iter()
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
    let mine = follow_ups::open_owned_by(
        db,
        (user.id, &user.display_name),
        !crate::server::visibility::writes_postmortems(&user),
    )
    .await?;
    let mut ids: Vec<i64> = mine.iter().map(|f| f.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let visible =
        crate::server::visibility::seen_by(db, &user, incidents::get_many(db, &ids).await?).await?;
    let mine: Vec<_> = mine
        .into_iter()
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
