//! Search across the postmortems the reader may read: incidents, timelines, impact, changes,
//! lessons, follow-ups and mentors' notes; best match first, matches highlighted.

use leptos::prelude::*;

use crate::dto::search::SearchResults;
#[cfg(feature = "ssr")]
use crate::dto::search::{MAX_RESULTS, SearchHit};
use crate::error::AppError;

/// Searches for all the words of `q` (the last also as a prefix).
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(#[server(default)] q: String) -> Result<SearchResults, AppError> {
    use crate::domain::search::{DocumentKind, highlighted, href, query_words};
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let Some(words) = query_words(&q) else {
        return Ok(SearchResults {
            query: q,
            hits: Vec::new(),
        });
    };
    // Those who write postmortems read every one as it stands: each match is shown. Others are
    // asked more than shown, since some matches may be in postmortems they cannot read, and
    // each match costs a snippet.
    let wanted = if crate::server::visibility::writes_postmortems(&user) {
        MAX_RESULTS
    } else {
        4 * MAX_RESULTS
    };
    let found = crate::server::repo::search::query(
        &state.db,
        &words,
        wanted as u64,
        crate::server::repo::search::CANDIDATES,
    )
    .await?;
    let mut ids: Vec<i64> = found.iter().map(|h| h.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    // Those who read the published version during a correction must not find the
    // correction's new text: the index holds what stands now.
    // Mentor notes are on the published postmortem, not part of a correction: found either way.
    let readable: Vec<(crate::domain::incident::Incident, bool)> =
        crate::server::visibility::seen_by(
            &state.db,
            &user,
            crate::server::repo::incidents::get_many(&state.db, &ids).await?,
        )
        .await?
        .into_vec()
        .into_iter()
        .map(|seen| match seen {
            crate::server::visibility::Seen::Live(incident) => (incident, true),
            crate::server::visibility::Seen::Published { published, .. } => {
                (published.incident, false)
            }
        })
        .collect();
    let hits = found
        .into_iter()
        .filter_map(|h| {
            let (incident, _) = readable.iter().find(|(i, live)| {
                i.id == h.incident_id && (*live || h.kind == DocumentKind::MentorNote)
            })?;
            Some(SearchHit {
                incident_id: h.incident_id,
                incident_title: incident.title.clone(),
                kind: h.kind,
                href: href(h.kind, h.incident_id, &h.anchor),
                title: highlighted(&h.title),
                snippet: highlighted(&h.snippet),
            })
        })
        .take(MAX_RESULTS)
        .collect();
    Ok(SearchResults { query: q, hits })
}
