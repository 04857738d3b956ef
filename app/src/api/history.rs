//! The history of a postmortem: every recorded change, newest first, with its diffs.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::history::HistoryItem;
use crate::dto::history::HistoryView;
use crate::error::AppError;

/// Everything recorded about an incident's postmortem, for authors, reviewers and admins
/// (viewers read published postmortems, not how they were written): one page (from 1, empty =
/// the first) of [`crate::dto::history::HISTORY_PAGE_SIZE`] entries.
#[server(prefix = "/api", endpoint = "incidents/history")]
pub async fn incident_history(
    id: i64,
    #[server(default)] page: String,
) -> Result<HistoryView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::time::Zone;
    use crate::dto::history::HISTORY_PAGE_SIZE;
    let state = super::state()?;
    let (_, incident) = super::access::readable_incident(&state, id).await?;
    super::access::require(Role::Author)?;
    let page = super::page_number(&page)?;
    let zone = super::zone();
    let (found, more) = crate::server::repo::history::page_for(
        &state.db,
        id,
        (page - 1) * HISTORY_PAGE_SIZE,
        HISTORY_PAGE_SIZE,
    )
    .await?;
    let at = |page: u64| format!("/incidents/{id}/history?page={page}");
    let entries = found
        .into_iter()
        .map(|entry| HistoryItem {
            id: entry.id,
            who: entry.user_name.clone(),
            at: crate::server::query::build::moment(entry.at, &zone),
            // A review step's summary says it all: "approved revision 1 of the postmortem".
            action: if entry.part == crate::domain::history::Part::Review {
                String::new()
            } else {
                entry.action.label().to_owned()
            },
            summary: entry.summary.clone(),
            changes: entry.changes(),
            record: entry
                .after
                .as_ref()
                .or(entry.before.as_ref())
                .map(|s| {
                    s.iter()
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(k, v)| (k.replace('_', " "), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    Ok(HistoryView {
        incident_id: id,
        incident_title: incident.title,
        zone: zone.name(),
        entries,
        previous_href: (page > 1).then(|| at(page - 1)),
        next_href: more.then(|| at(page + 1)),
    })
}
