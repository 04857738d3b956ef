//! Feed keys (one per person; only the digest is kept) and what the feeds read: the newest
//! published postmortems, and those published on this day (or in this week) in earlier years.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::domain::account::User;
use crate::domain::published::PublishedPostmortem;
use crate::domain::time::Zone;
use crate::server::entities::{feed_keys as keys, published_postmortems as published};

/// Gives `user_id` a feed key with this digest, replacing the one they had: the old
/// addresses stop working in the same transaction.
///
/// # Errors
/// On a database failure.
pub async fn set_key<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    digest: &str,
) -> Result<(), DbErr> {
    keys::Entity::delete_many()
        .filter(keys::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    keys::ActiveModel {
        user_id: Set(user_id),
        key_digest: Set(digest.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Revokes `user_id`'s feed key; false when they had none.
///
/// # Errors
/// On a database failure.
pub async fn revoke_key<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<bool, DbErr> {
    Ok(keys::Entity::delete_many()
        .filter(keys::Column::UserId.eq(user_id))
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// When `user_id`'s feed key was made, if they have one.
///
/// # Errors
/// On a database failure.
pub async fn key_made<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(keys::Entity::find()
        .filter(keys::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .map(|k| k.created_at))
}

/// The active person whose feed key has this digest; None for an unknown or revoked key and
/// for a deactivated person alike.
///
/// # Errors
/// On a database failure.
pub async fn person_with_key<C: ConnectionTrait>(
    conn: &C,
    digest: &str,
) -> Result<Option<User>, DbErr> {
    let Some(key) = keys::Entity::find()
        .filter(keys::Column::KeyDigest.eq(digest))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(super::accounts::get(conn, key.user_id)
        .await?
        .map(|c| c.user)
        .filter(|u| u.active))
}

/// A published version with when it was published.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub published_at: DateTime<Utc>,
    pub postmortem: PublishedPostmortem,
}

fn to_published(row: published::Model) -> Result<Published, DbErr> {
    let postmortem = serde_json::from_str(&row.data)
        .map_err(|e| DbErr::Custom(format!("published_postmortems.data is unreadable: {e}")))?;
    Ok(Published {
        published_at: row.published_at,
        postmortem,
    })
}

/// The `limit` most recently published postmortems' published versions, newest first.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn newest_published<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<Published>, DbErr> {
    published::Entity::find()
        .order_by_desc(published::Column::PublishedAt)
        .order_by_desc(published::Column::IncidentId)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_published)
        .collect()
}

/// The year of the first publication, `None` before any.
///
/// # Errors
/// On a database failure.
pub async fn first_published_year<C: ConnectionTrait>(conn: &C) -> Result<Option<i32>, DbErr> {
    use chrono::Datelike;
    let first: Option<DateTime<Utc>> = published::Entity::find()
        .select_only()
        .column_as(published::Column::PublishedAt.min(), "first")
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(conn)
        .await?
        .flatten();
    Ok(first.map(|f| f.year()))
}

/// Up to `limit` postmortems published on `today`'s month and day in earlier years, in `zone`
/// (the reader's), newest first.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn on_this_day<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
    zone: &(dyn Zone + Sync),
    limit: u64,
) -> Result<Vec<Published>, DbErr> {
    let Some(first) = first_published_year(conn).await? else {
        return Ok(Vec::new());
    };
    // A day before the first publication in UTC covers zones west of it.
    let days: Vec<(NaiveDate, NaiveDate)> =
        crate::domain::feeds::on_this_day::earlier_dates(today, first - 1)
            .into_iter()
            .map(|day| (day, day.succ_opt().unwrap_or(day)))
            .collect();
    published_within(conn, &days, zone, limit).await
}

/// Up to `limit` postmortems published in `today`'s ISO week (its number) in years from
/// `since` to the last, in `zone`, newest first (`since`: the year before the first
/// publication, from [`first_published_year`], asked once for many readers).
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn on_this_week<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
    since: i32,
    zone: &(dyn Zone + Sync),
    limit: u64,
) -> Result<Vec<Published>, DbErr> {
    let weeks = crate::domain::feeds::on_this_day::earlier_weeks(today, since);
    published_within(conn, &weeks, zone, limit).await
}

/// Up to `limit` postmortems published within any of `spans` (local dates in `zone`, each
/// from its first day up to, not including, its second), newest first, in one statement. The
/// days are turned into UTC ranges here, so the database compares indexed instants and no
/// date function (which SQLite and Postgres spell differently) is needed.
async fn published_within<C: ConnectionTrait>(
    conn: &C,
    spans: &[(NaiveDate, NaiveDate)],
    zone: &(dyn Zone + Sync),
    limit: u64,
) -> Result<Vec<Published>, DbErr> {
    if spans.is_empty() {
        return Ok(Vec::new());
    }
    let start = |day: NaiveDate| {
        let midnight = day.and_time(NaiveTime::MIN);
        zone.to_utc(midnight)
            .or_else(|_| zone.to_utc(midnight + chrono::Duration::hours(1)))
            .map(|(utc, _)| utc)
            .unwrap_or_else(|_| midnight.and_utc())
    };
    let mut within = Condition::any();
    for (first, next) in spans {
        within = within.add(
            Condition::all()
                .add(published::Column::PublishedAt.gte(start(*first)))
                .add(published::Column::PublishedAt.lt(start(*next))),
        );
    }
    published::Entity::find()
        .filter(within)
        .order_by_desc(published::Column::PublishedAt)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_published)
        .collect()
}

/// Up to `limit` items of a reading list, newest first.
///
/// # Errors
/// On a database failure.
pub async fn list_items<C: ConnectionTrait>(
    conn: &C,
    list_id: i64,
    limit: u64,
) -> Result<Vec<crate::server::entities::reading_list_items::Model>, DbErr> {
    use crate::server::entities::reading_list_items as items;
    items::Entity::find()
        .filter(items::Column::ListId.eq(list_id))
        .order_by_desc(items::Column::AddedAt)
        .order_by_desc(items::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}
