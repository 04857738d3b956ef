//! The reminder of a postmortem still an unsubmitted draft: to its authors, first
//! `not_submitted_days` after its incident was mitigated, then every `not_submitted_days` after
//! that (the `k`th period's reminder keyed `…:n:{k}`) until it is submitted.
//!
//! An unsubmitted draft is a draft of the first revision: submitting moves a postmortem to
//! review, and nothing moves it back to a draft but a correction after publishing, which
//! starts the next revision. So a postmortem that was submitted, is in review, approved,
//! published, or is a correction of a published one is never reminded of.
//!
//! Two statements when everything is written (the drafts mitigated long enough ago, the keys
//! taken); the incident and its authors are read only for the reminders left.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{DatabaseConnection, DbErr};

use super::{rows, unwritten};
use crate::domain::incident::{IncidentStatus, MilestoneKind};
use crate::domain::notify::Notice;
use crate::domain::notify::choices::NoticePolicy;
use crate::domain::notify::notices::{self, IncidentFacts};
use crate::server::entities::{incidents, milestones};
use crate::server::repo::history;

/// The reminders due at `now` and not yet written, with their authors.
pub(super) async fn due(
    db: &DatabaseConnection,
    policy: &NoticePolicy,
    now: DateTime<Utc>,
) -> Result<Vec<(Vec<i64>, Notice)>, DbErr> {
    let Some(cutoff) = policy.not_submitted_cutoff(now) else {
        return Ok(Vec::new());
    };
    let i = |c: incidents::Column| Expr::col((incidents::Entity, c));
    let m = |c: milestones::Column| Expr::col((milestones::Entity, c));
    let query = Query::select()
        .expr_as(i(incidents::Column::Id), Alias::new("id"))
        .expr_as(m(milestones::Column::At), Alias::new("mitigated_at"))
        .from(incidents::Entity)
        .inner_join(
            milestones::Entity,
            m(milestones::Column::IncidentId).equals((incidents::Entity, incidents::Column::Id)),
        )
        .and_where(m(milestones::Column::Kind).eq(MilestoneKind::Mitigated.as_str()))
        .and_where(m(milestones::Column::At).lte(cutoff))
        .and_where(i(incidents::Column::Status).eq(IncidentStatus::Draft.as_str()))
        .and_where(i(incidents::Column::Revision).eq(1))
        .to_owned();
    let mut candidates = Vec::new();
    for row in rows(db, &query).await? {
        let id: i64 = row.try_get("", "id")?;
        let mitigated: DateTime<Utc> = row.try_get("", "mitigated_at")?;
        if let Some(period) = policy.not_submitted_period(mitigated, now) {
            let key = notices::postmortem_not_submitted_key(id, period);
            candidates.push(((id, mitigated, period), key));
        }
    }
    let mut found = Vec::new();
    for ((id, mitigated, period), _) in unwritten(db, candidates).await? {
        let Some(incident) = crate::server::repo::incidents::get(db, id).await? else {
            continue;
        };
        let authors = history::authors(db, id).await?.into_iter().map(|(a, _)| a);
        let people = super::super::events::readers(db, &incident, authors, None).await?;
        let about = IncidentFacts {
            id,
            title: &incident.title,
            revision: incident.revision,
            published: false,
        };
        let notice = notices::postmortem_not_submitted(
            &about,
            mitigated.date_naive(),
            policy.not_submitted_days,
            period,
        );
        found.push((people, notice));
    }
    Ok(found)
}
