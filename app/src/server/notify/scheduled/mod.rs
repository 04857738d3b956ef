//! Notices nobody's request causes, written by a periodic task ([`tick`], started with the
//! server every minute or so):
//!
//! - [`daily`]: each follow-up owner's digest of what is due soon or overdue, once per owner
//!   and local day, on the first tick after [`DIGEST_LOCAL_HOUR`] in the owner's time zone;
//! - [`weekly`]: each active person's weekly digest (their open follow-ups, the reviews waiting
//!   for them, a lesson from this week of an earlier year), once per person and ISO week, on
//!   the first tick after [`DIGEST_LOCAL_HOUR`] on Monday in their time zone;
//! - [`reminders`]: the reminder of a postmortem still a draft `not_submitted_days` after its
//!   incident was mitigated, and again every `not_submitted_days` until it is submitted.
//!
//! Every notice's key is taken in `scheduled_notices` in the transaction that writes it, so
//! instances ticking at once write it once. A tick costs what it writes: each kind first reads
//! only who or what is due (grouped in SQL), computes the keys, asks `scheduled_notices` which
//! are taken (one statement), and reads the rest of what a notice says only for the keys left.
//! A tick with everything written runs a few statements, whatever the number of people.
//!
//! [`DIGEST_LOCAL_HOUR`]: crate::domain::notify::choices::DIGEST_LOCAL_HOUR

mod daily;
mod reminders;
mod weekly;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult};

use crate::domain::account::Role;
use crate::domain::notify::Notice;
use crate::server::repo::notices as repo;

pub use daily::owners_due;

/// What one tick wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ticked {
    /// Daily digests of due follow-ups.
    pub digests: usize,
    /// Weekly digests.
    pub weekly: usize,
    /// Not-submitted reminders.
    pub reminders: usize,
}

/// Writes the digests and reminders due at `now` that no tick has written yet.
///
/// # Errors
/// On a database failure (what was written before it stays written).
pub async fn tick(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Ticked, DbErr> {
    let policy = repo::policy(db).await?;
    let mut ticked = Ticked::default();
    for (owner, notice) in daily::digests(db, &policy, now).await? {
        if write_once(db, &notice, &[owner], now).await? {
            ticked.digests += 1;
        }
    }
    for (person, notice) in weekly::digests(db, now).await? {
        if write_once(db, &notice, &[person], now).await? {
            ticked.weekly += 1;
        }
    }
    for (authors, notice) in reminders::due(db, &policy, now).await? {
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

/// Of `due` (each with its notice's key), those whose key no tick has taken, in one statement.
async fn unwritten<T>(
    db: &DatabaseConnection,
    due: Vec<(T, String)>,
) -> Result<Vec<(T, String)>, DbErr> {
    if due.is_empty() {
        return Ok(due);
    }
    let keys: Vec<String> = due.iter().map(|(_, key)| key.clone()).collect();
    let taken: HashSet<String> = repo::claimed(db, &keys).await?;
    Ok(due
        .into_iter()
        .filter(|(_, key)| !taken.contains(key))
        .collect())
}

/// The stored names of the roles that write postmortems, and so read every postmortem as it
/// stands (`visibility::writes_postmortems`), for SQL.
fn writing_roles() -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|r| r.includes(Role::Author))
        .map(Role::as_str)
        .collect()
}
