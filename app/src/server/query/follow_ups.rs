//! Follow-ups as review lists show them: sorted for review, with the change each addresses as
//! the reader sees it.

use crate::dto::postmortem::FollowUpRow;
use crate::error::AppError;

/// Follow-ups as rows for review, overdue first and then by due date (in the reader's day),
/// each with its incident's title and the change it addresses, as the reader sees them
/// (`incidents`).
pub async fn review_rows(
    state: &crate::server::AppState,
    mut found: Vec<crate::domain::follow_up::FollowUp>,
    incidents: &crate::server::visibility::Visible,
) -> Result<Vec<FollowUpRow>, AppError> {
    let zone = crate::server::request::zone();
    crate::domain::follow_up::sort_for_review(&mut found, crate::server::request::today(&zone));
    let linked = addressed_changes(state, &found, incidents).await?;
    Ok(found
        .iter()
        .map(|f| {
            let title = incidents.title(f.incident_id).unwrap_or_default();
            super::build::follow_up(f, title, &linked, &zone)
        })
        .collect())
}

/// The changes these follow-ups address, as the reader sees them (`incidents`): a correction's
/// edits stay out of sight of those who read it as published.
pub async fn addressed_changes(
    state: &crate::server::AppState,
    found: &[crate::domain::follow_up::FollowUp],
    incidents: &crate::server::visibility::Visible,
) -> Result<Vec<crate::domain::change::Change>, AppError> {
    let ids: Vec<i64> = found.iter().filter_map(|f| f.follow_up.change_id).collect();
    let live = crate::server::repo::changes::get_many(&state.db, &ids).await?;
    Ok(incidents.changes(live, |c| ids.contains(&c.id)))
}
