//! The history of a postmortem: every recorded change, newest first, with its diffs.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::history::HistoryItem;
use crate::dto::history::HistoryView;
use crate::error::AppError;

/// Everything recorded about an incident's postmortem, for authors, reviewers and admins
/// (viewers read published postmortems, not how they were written).
#[server(prefix = "/api", endpoint = "incidents/history")]
pub async fn incident_history(id: i64) -> Result<HistoryView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (_, incident) = super::access::readable_incident(&state, id).await?;
    super::access::require(Role::Author)?;
    let zone = super::zone();
    let entries = crate::server::repo::history::list_for(&state.db, id)
        .await?
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
    })
}
