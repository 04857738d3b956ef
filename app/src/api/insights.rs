//! Change insights: which systems and jobs keep setting incidents off, across the incidents
//! the reader may see; and, on a postmortem, the earlier incidents the same job was involved in.

use leptos::prelude::*;

use crate::dto::insights::ChangesOverview;
#[cfg(feature = "ssr")]
use crate::dto::insights::InsightRow;
use crate::error::AppError;

/// Every job that was a confirmed trigger or a contributing factor, most involved first.
#[server(prefix = "/api", endpoint = "changes/insights")]
pub async fn change_overview() -> Result<ChangesOverview, AppError> {
    use crate::domain::change::{IncidentRef, change_insights};
    use crate::domain::follow_up::{Bucket, DashboardFilter};
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let readable = crate::server::visibility::seen_by(
        &state.db,
        &user,
        crate::server::repo::incidents::readable(
            &state.db,
            !crate::server::visibility::writes_postmortems(&user),
        )
        .await?,
    )
    .await?;
    let incidents: Vec<IncidentRef> = readable
        .incidents()
        .map(|i| IncidentRef {
            id: i.id,
            title: i.title.clone(),
        })
        .collect();
    let changes = readable.changes(
        crate::server::repo::changes::list_all(&state.db).await?,
        |_| true,
    );
    let mut follow_ups =
        crate::server::repo::follow_ups::list(&state.db, &Default::default()).await?;
    follow_ups.retain(|f| readable.contains(f.incident_id));
    let rows = change_insights(&changes, &incidents, &follow_ups)
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
    Ok(ChangesOverview {
        rows,
        any_changes: !changes.is_empty(),
    })
}
