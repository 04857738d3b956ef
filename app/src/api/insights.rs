//! Change insights: which systems and jobs keep setting incidents off, across the incidents
//! the reader may see; and, on a postmortem, the earlier incidents the same job was involved in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::change::ChangeInsight;
use crate::error::AppError;

/// One job with its story and the link to the follow-ups that target its system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InsightRow {
    pub insight: ChangeInsight,
    pub sentence: String,
    pub follow_ups_href: String,
}

/// The changes view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangesOverview {
    pub rows: Vec<InsightRow>,
    /// Whether any change is recorded on a readable incident at all.
    pub any_changes: bool,
}

/// Every job that was a confirmed trigger or a contributing factor, most involved first.
#[server(prefix = "/api", endpoint = "changes/insights")]
pub async fn change_overview() -> Result<ChangesOverview, AppError> {
    use crate::domain::change::{IncidentRef, change_insights};
    use crate::domain::follow_up::{Bucket, DashboardFilter};
    let state = super::state()?;
    let readable = super::dashboard::tracked(&state).await?;
    let incidents: Vec<IncidentRef> = readable
        .incidents
        .incidents()
        .map(|i| IncidentRef {
            id: i.id,
            title: i.title.clone(),
        })
        .collect();
    let changes = readable.incidents.changes(
        crate::server::repo::changes::list_all(&state.db).await?,
        |_| true,
    );
    let follow_ups: Vec<_> = readable.items.into_iter().map(|t| t.follow_up).collect();
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

/// Fills in each change view (built from `linked`, in the same order) with the earlier
/// incidents, readable by `user`, that the same job was involved in.
#[cfg(feature = "ssr")]
pub(crate) async fn with_earlier(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    linked: &[crate::domain::change::Change],
    mut views: Vec<super::views::ChangeView>,
) -> Result<Vec<super::views::ChangeView>, AppError> {
    use crate::domain::change::{Change, IncidentRef, earlier_involvement};
    use crate::server::repo::{changes, follow_ups, incidents};
    use crate::server::visibility;
    if linked.is_empty() {
        return Ok(views);
    }
    let systems: Vec<String> = linked.iter().map(|c| c.change.system.clone()).collect();
    let own_incident = linked[0].incident_id;
    let earlier = |c: &Change| c.incident_id < own_incident;
    let of_systems = |c: &Change| {
        systems
            .iter()
            .any(|s| s.trim().eq_ignore_ascii_case(c.change.system.trim()))
    };
    let mut same_systems = changes::list_of_systems(&state.db, &systems).await?;
    same_systems.retain(earlier);
    let mut incident_ids: Vec<i64> = same_systems.iter().map(|c| c.incident_id).collect();
    // A reader who reads corrections as published may find an earlier incident through the
    // system its published change names, whatever the correction has made of it.
    if !visibility::writes_postmortems(user) {
        incident_ids.extend(incidents::under_correction_below(&state.db, own_incident).await?);
    }
    if incident_ids.is_empty() {
        return Ok(views);
    }
    incident_ids.sort_unstable();
    incident_ids.dedup();
    let visible = visibility::seen_by(
        &state.db,
        user,
        incidents::get_many(&state.db, &incident_ids).await?,
    )
    .await?;
    let same_systems = visible.changes(same_systems, |c| earlier(c) && of_systems(c));
    let readable: Vec<IncidentRef> = visible
        .incidents()
        .map(|i| IncidentRef {
            id: i.id,
            title: i.title.clone(),
        })
        .collect();
    let ids: Vec<i64> = same_systems.iter().map(|c| c.id).collect();
    let targeting = follow_ups::targeting(&state.db, &ids).await?;
    for (view, change) in views.iter_mut().zip(linked) {
        view.earlier = earlier_involvement(change, &same_systems, &readable, &targeting);
    }
    Ok(views)
}
