//! Each follow-up owner's daily digest: one notice per owner and local day, written on the
//! first tick after `DIGEST_LOCAL_HOUR` in the owner's time zone, listing their committed or
//! in-progress follow-ups due within the admin's `due_soon_days` and those overdue. A viewer's
//! digest lists only follow-ups of published postmortems.
//!
//! Three statements at most: the owners with such follow-ups, grouped in SQL with their zone
//! and nearest due date ([`owners_due`], on `ix_follow_ups_state_due_on`); which of their keys
//! for their local today are taken; and the follow-ups of the owners left.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{DatabaseConnection, DbErr};

use super::{rows, unwritten, writing_roles};
use crate::domain::follow_up::FollowUpState;
use crate::domain::incident::IncidentStatus;
use crate::domain::notify::Notice;
use crate::domain::notify::choices::{DIGEST_LOCAL_HOUR, NoticePolicy};
use crate::domain::notify::notices::{self, DueFollowUp};
use crate::server::entities::{follow_ups, incidents, users};
use crate::server::zone::NamedZone;

fn f(c: follow_ups::Column) -> Expr {
    Expr::col((follow_ups::Entity, c))
}

/// The committed or in-progress follow-ups due by `latest` that their active owner may read
/// (published, or the owner writes postmortems), with their owner and incident joined.
fn due_by(latest: NaiveDate) -> SelectStatement {
    Query::select()
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
        // A viewer reads only published postmortems (a correction being written they read as
        // it was published, which its live title may no longer be).
        .cond_where(
            Condition::any()
                .add(
                    Expr::col((incidents::Entity, incidents::Column::Status))
                        .eq(IncidentStatus::Published.as_str()),
                )
                .add(Expr::col((users::Entity, users::Column::Role)).is_in(writing_roles())),
        )
        .to_owned()
}

/// The owners with follow-ups due by `latest` they may read: one row per owner with their
/// time zone and nearest due date (`owner_id`, `time_zone`, `first_due`).
pub fn owners_due(latest: NaiveDate) -> SelectStatement {
    due_by(latest)
        .expr_as(f(follow_ups::Column::OwnerId), Alias::new("owner_id"))
        .expr_as(
            Expr::col((users::Entity, users::Column::TimeZone)),
            Alias::new("time_zone"),
        )
        .expr_as(
            Func::min(f(follow_ups::Column::DueOn)),
            Alias::new("first_due"),
        )
        .group_by_col((follow_ups::Entity, follow_ups::Column::OwnerId))
        .group_by_col((users::Entity, users::Column::TimeZone))
        .to_owned()
}

/// An owner whose digest is due: their local date and the last due date it lists.
#[derive(Clone, Copy)]
struct Owner {
    id: i64,
    today: NaiveDate,
    last: NaiveDate,
}

/// Each owner's digest due at `now` and not yet written.
pub(super) async fn digests(
    db: &DatabaseConnection,
    policy: &NoticePolicy,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Notice)>, DbErr> {
    let soon = Days::new(u64::from(policy.due_soon_days));
    // A local date is at most a day past the UTC one: refined per owner below.
    let Some(latest) = now
        .date_naive()
        .checked_add_days(soon)
        .and_then(|d| d.succ_opt())
    else {
        return Ok(Vec::new());
    };
    let mut due = Vec::new();
    for row in rows(db, &owners_due(latest)).await? {
        let id: i64 = row.try_get("", "owner_id")?;
        let zone: String = row.try_get("", "time_zone")?;
        let first: NaiveDate = row.try_get("", "first_due")?;
        let local = now.with_timezone(&NamedZone::parse(&zone).unwrap_or_default().0);
        if local.hour() < DIGEST_LOCAL_HOUR {
            continue;
        }
        let today = local.date_naive();
        // Only owners with something to list get a key: every key asked about is a notice.
        let Some(last) = today.checked_add_days(soon).filter(|last| first <= *last) else {
            continue;
        };
        due.push((
            Owner { id, today, last },
            notices::follow_ups_due_key(id, today),
        ));
    }
    let owners: BTreeMap<i64, Owner> = unwritten(db, due)
        .await?
        .into_iter()
        .map(|(o, _)| (o.id, o))
        .collect();
    if owners.is_empty() {
        return Ok(Vec::new());
    }
    let items = due_by(latest)
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
        .and_where(f(follow_ups::Column::OwnerId).is_in(owners.keys().copied()))
        .to_owned();
    let mut listed: BTreeMap<i64, Vec<DueFollowUp>> = BTreeMap::new();
    for row in rows(db, &items).await? {
        let owner: i64 = row.try_get("", "owner_id")?;
        let due: NaiveDate = row.try_get("", "due_on")?;
        let Some(o) = owners.get(&owner).filter(|o| due <= o.last) else {
            continue;
        };
        let status: String = row.try_get("", "status")?;
        listed.entry(o.id).or_default().push(DueFollowUp {
            id: row.try_get("", "id")?,
            title: row.try_get("", "title")?,
            due,
            incident_id: row.try_get("", "incident_id")?,
            incident_title: row.try_get("", "incident_title")?,
            incident_published: status == IncidentStatus::Published.as_str(),
        });
    }
    Ok(listed
        .into_iter()
        .filter_map(|(owner, items)| {
            let today = owners.get(&owner)?.today;
            Some((owner, notices::follow_ups_due(owner, today, &items)?))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use sea_orm::{ConnectionTrait, Statement};

    #[tokio::test]
    async fn the_owners_due_are_found_on_the_state_and_due_date_index() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = crate::server::db::connect(&url).await.expect("a database");
        let latest = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let built = db.get_database_backend().build(&super::owners_due(latest));
        let explain = Statement::from_sql_and_values(
            db.get_database_backend(),
            format!("EXPLAIN QUERY PLAN {}", built.sql),
            built.values.map(|v| v.0).unwrap_or_default(),
        );
        let plan = db
            .query_all_raw(explain)
            .await
            .expect("a plan")
            .iter()
            .map(|row| row.try_get_by_index::<String>(3).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            plan.contains("USING INDEX ix_follow_ups_state_due_on (state=? AND due_on<?)"),
            "{plan}"
        );
    }
}
