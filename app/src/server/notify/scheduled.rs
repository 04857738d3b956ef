//! Notices nobody's request causes, written by a periodic task ([`tick`], started with the
//! server): each follow-up owner's daily digest of what is due soon or overdue, and the
//! reminder of a postmortem still a draft some days after mitigation.
//!
//! - The digest: one notice per owner and local day, written on the first tick after
//!   [`DIGEST_LOCAL_HOUR`] in the owner's time zone, listing their committed or in-progress
//!   follow-ups due within the admin's `due_soon_days` and those overdue. Only owners with
//!   such follow-ups are read (in SQL); a viewer's digest lists only follow-ups of published
//!   postmortems.
//! - The reminder: once per postmortem (its first revision), to its authors, when it is still
//!   a draft `not_submitted_days` after its incident was mitigated.
//!
//! Every notice's key is taken in `scheduled_notices` in the transaction that writes it, so
//! instances ticking at once write it once, and later ticks skip it without recomputing.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult};

use crate::domain::account::Role;
use crate::domain::follow_up::FollowUpState;
use crate::domain::incident::IncidentStatus;
use crate::domain::incident::MilestoneKind;
use crate::domain::notify::Notice;
use crate::domain::notify::choices::{DIGEST_LOCAL_HOUR, NoticePolicy};
use crate::domain::notify::notices::{self, DueFollowUp, IncidentFacts};
use crate::server::entities::{follow_ups, incidents, milestones, users};
use crate::server::repo::{history, notices as repo};
use crate::server::zone::NamedZone;

/// What one tick wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ticked {
    pub digests: usize,
    pub reminders: usize,
}

/// Writes the digests and reminders due at `now` that no tick has written yet.
///
/// # Errors
/// On a database failure (what was written before it stays written).
pub async fn tick(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Ticked, DbErr> {
    let policy = repo::policy(db).await?;
    let mut ticked = Ticked::default();
    for (owner, notice) in digests(db, &policy, now).await? {
        if write_once(db, &notice, &[owner], now).await? {
            ticked.digests += 1;
        }
    }
    for (authors, notice) in reminders(db, &policy, now).await? {
        if write_once(db, &notice, &authors, now).await? {
            ticked.reminders += 1;
        }
    }
    Ok(ticked)
}

/// Takes the notice's key and queues it, in one transaction; false when it was taken before.
async fn write_once(
    db: &DatabaseConnection,
    notice: &Notice,
    people: &[i64],
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let txn = crate::server::db::begin_write(db).await?;
    if !repo::claim(&txn, &notice.key, now).await? {
        return Ok(false);
    }
    super::emit(&txn, notice, people, now).await?;
    txn.commit().await?;
    Ok(true)
}

async fn rows(db: &DatabaseConnection, query: &SelectStatement) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(db.get_database_backend().build(query))
        .await
}

/// Each owner's digest due at `now` and not yet written.
async fn digests(
    db: &DatabaseConnection,
    policy: &NoticePolicy,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Notice)>, DbErr> {
    // A local date is at most a day past the UTC one: refined per owner below.
    let Some(latest) = now
        .date_naive()
        .checked_add_days(Days::new(u64::from(policy.due_soon_days) + 1))
    else {
        return Ok(Vec::new());
    };
    let f = |c: follow_ups::Column| Expr::col((follow_ups::Entity, c));
    let query = Query::select()
        .expr_as(f(follow_ups::Column::Id), Alias::new("id"))
        .expr_as(f(follow_ups::Column::Title), Alias::new("title"))
        .expr_as(f(follow_ups::Column::DueOn), Alias::new("due_on"))
        .expr_as(f(follow_ups::Column::OwnerId), Alias::new("owner_id"))
        .expr_as(
            Expr::col((incidents::Entity, incidents::Column::Id)),
            Alias::new("incident_id"),
        )
        .expr_as(
            Expr::col((incidents::Entity, incidents::Column::Title)),
            Alias::new("incident_title"),
        )
        .expr_as(
            Expr::col((incidents::Entity, incidents::Column::Status)),
            Alias::new("status"),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::Role)),
            Alias::new("role"),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::TimeZone)),
            Alias::new("time_zone"),
        )
        .from(follow_ups::Entity)
        .inner_join(
            incidents::Entity,
            Expr::col((incidents::Entity, incidents::Column::Id))
                .equals((follow_ups::Entity, follow_ups::Column::IncidentId)),
        )
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((follow_ups::Entity, follow_ups::Column::OwnerId)),
        )
        .and_where(f(follow_ups::Column::State).is_in([
            FollowUpState::Committed.as_str(),
            FollowUpState::InProgress.as_str(),
        ]))
        .and_where(f(follow_ups::Column::DueOn).lte(latest))
        .and_where(Expr::col((users::Entity, users::Column::Active)).eq(true))
        .to_owned();
    struct Owner {
        today: NaiveDate,
        items: Vec<DueFollowUp>,
    }
    let mut owners: BTreeMap<i64, Owner> = BTreeMap::new();
    for row in rows(db, &query).await? {
        let owner: i64 = row.try_get("", "owner_id")?;
        let zone: String = row.try_get("", "time_zone")?;
        let local = now.with_timezone(&NamedZone::parse(&zone).unwrap_or_default().0);
        if local.hour() < DIGEST_LOCAL_HOUR {
            continue;
        }
        let today = local.date_naive();
        let due: NaiveDate = row.try_get("", "due_on")?;
        let window = today.checked_add_days(Days::new(u64::from(policy.due_soon_days)));
        if window.is_none_or(|last| due > last) {
            continue;
        }
        let status: String = row.try_get("", "status")?;
        let published = status == IncidentStatus::Published.as_str();
        let role: String = row.try_get("", "role")?;
        let writes = Role::parse(&role).is_some_and(|r| r.includes(Role::Author));
        // A viewer reads only published postmortems (a correction being written they read as
        // it was published, which its live title may no longer be).
        if !published && !writes {
            continue;
        }
        owners
            .entry(owner)
            .or_insert_with(|| Owner {
                today,
                items: Vec::new(),
            })
            .items
            .push(DueFollowUp {
                id: row.try_get("", "id")?,
                title: row.try_get("", "title")?,
                due,
                incident_id: row.try_get("", "incident_id")?,
                incident_title: row.try_get("", "incident_title")?,
                incident_published: published,
            });
    }
    let digests: Vec<(i64, Notice)> = owners
        .into_iter()
        .filter_map(|(owner, o)| Some((owner, notices::follow_ups_due(owner, o.today, &o.items)?)))
        .collect();
    unwritten(db, digests).await
}

/// Leaves out the notices some tick has written already.
async fn unwritten<T>(
    db: &DatabaseConnection,
    notices: Vec<(T, Notice)>,
) -> Result<Vec<(T, Notice)>, DbErr> {
    let keys: Vec<String> = notices.iter().map(|(_, n)| n.key.clone()).collect();
    let written = repo::claimed(db, &keys).await?;
    Ok(notices
        .into_iter()
        .filter(|(_, n)| !written.contains(&n.key))
        .collect())
}

/// The reminders of postmortems still drafts `not_submitted_days` after mitigation, not yet
/// written, with their authors.
async fn reminders(
    db: &DatabaseConnection,
    policy: &NoticePolicy,
    now: DateTime<Utc>,
) -> Result<Vec<(Vec<i64>, Notice)>, DbErr> {
    let Some(cutoff) = now.checked_sub_days(Days::new(u64::from(policy.not_submitted_days))) else {
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
        candidates.push((id, mitigated));
    }
    let keyed: Vec<((i64, DateTime<Utc>), Notice)> = candidates
        .into_iter()
        .map(|(id, at)| {
            let key = IncidentFacts {
                id,
                title: "",
                revision: 1,
                published: false,
            };
            let n = notices::postmortem_not_submitted(&key, at.date_naive(), 0);
            ((id, at), n)
        })
        .collect();
    let mut found = Vec::new();
    for ((id, at), _) in unwritten(db, keyed).await? {
        let Some(incident) = crate::server::repo::incidents::get(db, id).await? else {
            continue;
        };
        let authors = history::authors(db, id).await?.into_iter().map(|(a, _)| a);
        let people = super::events::readers(db, &incident, authors, None).await?;
        let about = IncidentFacts {
            id,
            title: &incident.title,
            revision: incident.revision,
            published: false,
        };
        let notice =
            notices::postmortem_not_submitted(&about, at.date_naive(), policy.not_submitted_days);
        found.push((people, notice));
    }
    Ok(found)
}
