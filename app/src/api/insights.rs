//! Change insights: which systems and jobs keep setting incidents off, across the incidents
//! the reader may see; and, on a postmortem, the earlier incidents the same job was involved in.

use leptos::prelude::*;

use crate::dto::insights::ChangesOverview;
#[cfg(feature = "ssr")]
use crate::dto::insights::InsightRow;
use crate::error::AppError;

/// Every job that was a confirmed trigger or a contributing factor, most involved first: one
/// page of them (from 1, empty = the first).
#[server(prefix = "/api", endpoint = "changes/insights")]
pub async fn change_overview(#[server(default)] page: String) -> Result<ChangesOverview, AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let page = super::page_number(&page)?;
    let key = (crate::server::visibility::writes_postmortems(&user), page);
    let kept = state
        .reads
        .changes
        .get_or_compute(&state.db, key, async || overview(&state, &user, page).await)
        .await?;
    Ok(ChangesOverview::clone(&kept))
}

/// A page of the changes view computed from the database.
#[cfg(feature = "ssr")]
async fn overview(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    page: u64,
) -> Result<ChangesOverview, AppError> {
    use crate::domain::follow_up::{Bucket, DashboardFilter};
    use crate::server::query::change_insights;
    let scope = crate::server::query::tracking::Scope::of(&state.db, user).await?;
    let found = change_insights::page(&state.db, &scope, page - 1).await?;
    let any_changes =
        !found.insights.is_empty() || change_insights::any_seen(&state.db, &scope).await?;
    let rows = found
        .insights
        .into_iter()
        .map(|insight| InsightRow {
            sentence: insight.sentence(),
            follow_ups_href: DashboardFilter {
                bucket: Bucket::All,
                system: insight.system.clone(),
                ..DashboardFilter::default()
            }
            .href(),
            insight,
        })
        .collect();
    let href = |page: u64| format!("/changes?page={page}");
    Ok(ChangesOverview {
        rows,
        any_changes,
        first_rank: (page - 1) * change_insights::JOBS_PER_PAGE + 1,
        previous_href: (page > 1).then(|| href(page - 1)),
        next_href: found.more.then(|| href(page + 1)),
        factors: factor_rollups(state, user).await?,
    })
}

/// The contributing factors across the incidents the reader may read, by category and by
/// system (kept with the rest of the view: the factor tables move the read generation).
#[cfg(feature = "ssr")]
async fn factor_rollups(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
) -> Result<crate::dto::factors::FactorRollups, AppError> {
    use crate::server::repo::factors::rollup;
    let published_only = !crate::server::visibility::writes_postmortems(user);
    Ok(crate::dto::factors::FactorRollups {
        by_category: rollup(&state.db, false, published_only).await?,
        by_system: rollup(&state.db, true, published_only).await?,
    })
}
