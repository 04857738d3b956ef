//! Delivering the outbox: claiming due rows under a lease, marking each sent or failed (with
//! its next attempt, or dead after the last), and what admins see and do about it (counts,
//! dead letters, retry).
//!
//! Claiming is one statement, so two instances never take the same row: on Postgres the rows
//! are picked `FOR UPDATE SKIP LOCKED` (a row another instance is claiming is skipped, not
//! waited for, and re-checked after its lock so a row just claimed is not taken again); on
//! SQLite the `UPDATE … RETURNING` runs under the database's single write lock.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

use crate::server::entities::outbox;

/// The longest error kept for a failed attempt, in characters.
const MAX_ERROR_CHARS: usize = 1_000;

/// Takes up to `limit` rows that are due at `now` and not claimed by anyone (or whose lease
/// ran out: a sender that crashed), leasing them until `until`.
///
/// # Errors
/// On a database failure.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let backend = db.get_database_backend();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "UPDATE outbox SET claimed_until = $1 WHERE id IN (\
                SELECT id FROM outbox \
                WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until <= $2) \
                ORDER BY next_attempt_at, id LIMIT $3 \
                FOR UPDATE SKIP LOCKED) \
             RETURNING *",
            [until.into(), now.into(), limit.into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "UPDATE outbox SET claimed_until = ? WHERE id IN (\
                SELECT id FROM outbox \
                WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ? \
                  AND (claimed_until IS NULL OR claimed_until <= ?) \
                ORDER BY next_attempt_at, id LIMIT ?) \
             RETURNING *",
            [until.into(), now.into(), now.into(), limit.into()],
        ),
    };
    let mut rows = outbox::Entity::find()
        .from_raw_sql(statement)
        .all(db)
        .await?;
    rows.sort_by_key(|r| (r.next_attempt_at, r.id));
    Ok(rows)
}

/// Marks a claimed row delivered.
///
/// # Errors
/// On a database failure.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// What happens after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Try again at this time.
    RetryAt(DateTime<Utc>),
    /// Give up: the row is dead-lettered now.
    Dead(DateTime<Utc>),
}

/// Records a failed attempt of a claimed row (its `attempts` becomes `attempts`) with `error`.
///
/// # Errors
/// On a database failure.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: i64,
    attempts: i32,
    error: &str,
    next: Next,
) -> Result<(), DbErr> {
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::LastError, Expr::value(error))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        );
    update = match next {
        Next::RetryAt(at) => update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        Next::Dead(at) => update.col_expr(outbox::Column::DeadAt, Expr::value(at)),
    };
    update.filter(outbox::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// How many deliveries wait, were delivered, and were given up on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: u64,
    pub sent: u64,
    pub dead: u64,
}

/// The outbox's counts.
///
/// # Errors
/// On a database failure.
pub async fn counts(db: &impl ConnectionTrait) -> Result<Counts, DbErr> {
    let pending = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::DeadAt.is_null())
        .count(db)
        .await?;
    let sent = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_not_null())
        .count(db)
        .await?;
    let dead = outbox::Entity::find()
        .filter(outbox::Column::DeadAt.is_not_null())
        .count(db)
        .await?;
    Ok(Counts {
        pending,
        sent,
        dead,
    })
}

/// One page of dead letters, the newest first.
///
/// # Errors
/// On a database failure.
pub async fn dead_letters(
    db: &impl ConnectionTrait,
    offset: u64,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::DeadAt.is_not_null())
        .order_by_desc(outbox::Column::DeadAt)
        .order_by_desc(outbox::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await
}

/// Makes a dead letter due again at `now` with a fresh count of attempts (its last error stays
/// until the next attempt); whether it was a dead letter.
///
/// # Errors
/// On a database failure.
pub async fn retry(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::DeadAt, Expr::value(None::<DateTime<Utc>>))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::DeadAt.is_not_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// Gives back claimed rows that were not tried (the instance is stopping), so another instance
/// may take them at once rather than after the lease.
///
/// # Errors
/// On a database failure.
pub async fn release(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(outbox::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
