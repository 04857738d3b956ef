//! The postmortem page: everything it shows of one incident, as the reader sees it.

use crate::domain::account::User;
use crate::dto::postmortem::PostmortemView;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::visibility::Seen;

/// The postmortem page of an incident `user` may read (`seen`: live, or as published while a
/// correction is written), in the reader's zone.
///
/// # Errors
/// On a database failure.
pub async fn postmortem(
    state: &AppState,
    user: &User,
    seen: Seen,
) -> Result<PostmortemView, AppError> {
    use super::build;
    use crate::domain::follow_up::sort_for_review;
    use crate::domain::time::Zone;
    use crate::server::repo::{changes, follow_ups, impact, timeline};
    use crate::server::visibility::Seen;

    let id = seen.incident().id;
    let author = user.role.includes(crate::domain::account::Role::Author);
    let can_edit = author && crate::server::access::check_editable(seen.incident()).is_ok();
    let zone = crate::server::request::zone();
    // While a correction is written, its reader sees the factors as published (none in a
    // version kept before factors were).
    let (incident, correcting, figures, linked, entries, published_factors) = match seen {
        Seen::Published {
            published,
            correcting,
        } => (
            published.incident,
            Some(correcting),
            published.impact,
            published.changes,
            published.timeline,
            Some(published.factors.unwrap_or_default()),
        ),
        Seen::Live(live) => (
            live,
            None,
            impact::list_for_incidents(&state.db, &[id]).await?,
            changes::list_for(&state.db, id).await?,
            timeline::list_for(&state.db, id).await?,
            None,
        ),
    };
    let mut actions = follow_ups::list(
        &state.db,
        &follow_ups::FollowUpFilter {
            incident_id: Some(id),
            ..Default::default()
        },
    )
    .await?;
    let today = crate::server::request::today(&zone);
    sort_for_review(&mut actions, today);
    let start = incident.milestones.impact_started.as_ref();
    let factors = match &published_factors {
        Some(published) => published.clone(),
        None => crate::server::repo::factors::list_for(&state.db, id).await?,
    };
    let factor_rows = super::factors::rows(
        state,
        super::factors::FactorParts {
            incident_id: id,
            factors: &factors,
            changes: &linked,
            timeline: &entries,
            follow_ups: &actions,
        },
        author,
        &zone,
    )
    .await?;
    let follow_up_rows: Vec<_> = actions
        .iter()
        .map(|f| build::follow_up(f, &incident.title, &linked, &zone))
        .collect();
    Ok(PostmortemView {
        factors: factor_rows,
        zone: zone.name(),
        revision: incident.revision,
        correcting,
        can_edit,
        can_edit_follow_ups: author,
        comments: super::comments::comments_for(state, user, id, &zone).await?,
        participants: crate::server::repo::participants::list_for(&state.db, id)
            .await?
            .into_iter()
            .map(|p| crate::dto::people::ParticipantView {
                user_id: p.user_id,
                name: p.name,
                part: p.part,
            })
            .collect(),
        people: if can_edit {
            super::people::people(state).await?
        } else {
            Vec::new()
        },
        header: build::header(&incident, &zone),
        impact: figures.iter().map(build::impact).collect(),
        changes: super::earlier_incidents::with_earlier(
            state,
            user,
            &linked,
            linked.iter().map(|c| build::change(c, &zone)).collect(),
        )
        .await?,
        timeline: entries
            .iter()
            .map(|e| build::timeline(e, start, &zone))
            .collect(),
        lessons: build::lessons(&incident),
        follow_ups: follow_up_rows,
        template: super::template::for_incident(&state.db, id).await?,
        review_group: if author {
            crate::server::repo::review_groups::group_of(&state.db, id).await?
        } else {
            None
        },
        related: super::relations::related_for(state, user, id).await?,
    })
}
