//! Earlier incidents of the same change, for the postmortem page.

use crate::error::AppError;

/// How many earlier incidents a change shows at most: the most recent.
pub const EARLIER_SHOWN: u64 = 10;

/// Fills in each change view (built from `linked`, in the same order) with the earlier
/// incidents, readable by `user`, that the same job was involved in: the [`EARLIER_SHOWN`] most
/// recent, oldest first.
pub async fn with_earlier(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    linked: &[crate::domain::change::Change],
    mut views: Vec<crate::dto::postmortem::ChangeView>,
) -> Result<Vec<crate::dto::postmortem::ChangeView>, AppError> {
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
    // Only the most recent earlier incidents of these jobs are read, however many there are.
    let jobs: Vec<(String, String)> = linked.iter().map(crate::domain::change::job_key).collect();
    let mut incident_ids = changes::incidents_involving(
        &state.db,
        &jobs,
        own_incident,
        !visibility::writes_postmortems(user),
        EARLIER_SHOWN * linked.len() as u64,
    )
    .await?;
    // A reader who reads corrections as published may find an earlier incident through the
    // system its published change names, whatever the correction has made of it (as many as
    // there are corrections under way).
    if !visibility::writes_postmortems(user) {
        incident_ids.extend(incidents::under_correction_below(&state.db, own_incident).await?);
    }
    if incident_ids.is_empty() {
        return Ok(views);
    }
    incident_ids.sort_unstable();
    incident_ids.dedup();
    let same_systems = changes::of_systems_in(&state.db, &systems, &incident_ids).await?;
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
        let mut found = earlier_involvement(change, &same_systems, &readable, &targeting);
        found.drain(..found.len().saturating_sub(EARLIER_SHOWN as usize));
        view.earlier = found;
    }
    Ok(views)
}
