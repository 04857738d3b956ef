//! What people chose to hear by email, the admin's reminder schedule, and the keys of the
//! notices the periodic task has written.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::domain::notify::Event;
use crate::domain::notify::choices::{EmailChoices, NoticePolicy};
use crate::server::entities::{email_opt_outs, notice_policies, scheduled_notices};

/// A person's email choices (every event on until turned off).
///
/// # Errors
/// On a database failure.
pub async fn email_choices<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<EmailChoices, DbErr> {
    let rows = email_opt_outs::Entity::find()
        .filter(email_opt_outs::Column::UserId.eq(user_id))
        .all(conn)
        .await?;
    Ok(EmailChoices {
        // A stored name this build does not know is an event it cannot send: nothing to show.
        off: Event::ALL
            .into_iter()
            .filter(|e| rows.iter().any(|r| r.event == e.as_str()))
            .collect(),
    })
}

/// Replaces a person's email choices.
///
/// # Errors
/// On a database failure.
pub async fn set_email_choices<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    choices: &EmailChoices,
) -> Result<(), DbErr> {
    email_opt_outs::Entity::delete_many()
        .filter(email_opt_outs::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    if choices.off.is_empty() {
        return Ok(());
    }
    email_opt_outs::Entity::insert_many(choices.off.iter().map(|event| {
        email_opt_outs::ActiveModel {
            user_id: Set(user_id),
            event: Set(event.as_str().to_owned()),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Which of `people` turned email about `event` off.
///
/// # Errors
/// On a database failure.
pub async fn turned_off<C: ConnectionTrait>(
    conn: &C,
    event: Event,
    people: &[i64],
) -> Result<Vec<i64>, DbErr> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    Ok(email_opt_outs::Entity::find()
        .filter(email_opt_outs::Column::Event.eq(event.as_str()))
        .filter(email_opt_outs::Column::UserId.is_in(people.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect())
}

/// The reminder schedule (the defaults until an admin saves one).
///
/// # Errors
/// On a database failure.
pub async fn policy<C: ConnectionTrait>(conn: &C) -> Result<NoticePolicy, DbErr> {
    let days = |n: i32| u32::try_from(n).unwrap_or_default();
    Ok(notice_policies::Entity::find_by_id(1)
        .one(conn)
        .await?
        .map(|row| NoticePolicy {
            due_soon_days: days(row.due_soon_days),
            not_submitted_days: days(row.not_submitted_days),
        })
        .unwrap_or_default())
}

/// Saves the reminder schedule.
///
/// # Errors
/// On a database failure.
pub async fn set_policy<C: ConnectionTrait>(
    conn: &C,
    policy: &NoticePolicy,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let days = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    notice_policies::Entity::insert(notice_policies::ActiveModel {
        id: Set(1),
        due_soon_days: Set(days(policy.due_soon_days)),
        not_submitted_days: Set(days(policy.not_submitted_days)),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(notice_policies::Column::Id)
            .update_columns([
                notice_policies::Column::DueSoonDays,
                notice_policies::Column::NotSubmittedDays,
                notice_policies::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Takes `key` for the caller: true when nobody had written the notice it names, so the caller
/// writes it (in the same transaction); false when it was taken before.
///
/// # Errors
/// On a database failure.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(claim_all(conn, &[key.to_owned()], now).await? == 1)
}

/// Takes every one of `keys` not taken yet, without a notice: what the periodic task decided
/// there was nothing to say about (a person's week with nothing in it), so later ticks skip
/// it. Returns how many were taken now.
///
/// # Errors
/// On a database failure.
pub async fn claim_all<C: ConnectionTrait>(
    conn: &C,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut taken = 0;
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        taken += scheduled_notices::Entity::insert_many(chunk.iter().map(|key| {
            scheduled_notices::ActiveModel {
                key: Set(key.clone()),
                created_at: Set(now),
            }
        }))
        .on_conflict(
            OnConflict::column(scheduled_notices::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(taken)
}

/// The most keys one statement binds: well under SQLite's and Postgres' limits on bound values,
/// and more than the people of most organisations, so a tick asks in one statement.
const KEYS_PER_STATEMENT: usize = 5_000;

/// Which of `keys` were taken already.
///
/// # Errors
/// On a database failure.
pub async fn claimed<C: ConnectionTrait>(
    conn: &C,
    keys: &[String],
) -> Result<std::collections::HashSet<String>, DbErr> {
    let mut taken = std::collections::HashSet::new();
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        taken.extend(
            scheduled_notices::Entity::find()
                .filter(scheduled_notices::Column::Key.is_in(chunk.iter().cloned()))
                .all(conn)
                .await?
                .into_iter()
                .map(|r| r.key),
        );
    }
    Ok(taken)
}
