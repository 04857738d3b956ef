//! Notifications that reach people: [`emit`] writes a notice to the outbox for each of its
//! recipients' channels, in the caller's transaction, so the notice exists exactly when the
//! event's write commits. Delivery (email through SMTP, webhooks) happens later, outside any
//! request.
//!
//! What causes a notice lives beside: [`events`] (the review steps, a follow-up's new owner, a
//! mention, each in the transaction of its write) and [`scheduled`] (the daily digest of due
//! follow-ups, the weekly digest and the repeated reminder of an unsubmitted postmortem,
//! written by a periodic task).

pub mod events;
pub mod scheduled;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::account::Role;
use crate::domain::notify::{Channel, Notice};
use crate::server::entities::users;
use crate::server::repo::{notices, outbox, webhooks};

/// Queues `notice` by email for each of `people` (user ids; repeats and deactivated accounts
/// are skipped, and so is everyone who turned email about its event off), and as a payload for
/// each webhook destination subscribed to its event. A notice that not every viewer may read
/// (`readable_by_viewers` false: about a draft or a correction) reaches only people who write
/// postmortems, who may read every postmortem (`server::visibility::may_read`), whoever the
/// caller listed, and only destinations marked as reaching postmortem writers.
///
/// # Errors
/// When the database refuses a read or write (the caller's transaction then rolls back the
/// event with its notice).
pub async fn emit(
    db: &impl ConnectionTrait,
    notice: &Notice,
    people: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let ids: BTreeSet<i64> = people.iter().copied().collect();
    if !ids.is_empty() {
        let recipients = users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .filter(users::Column::Active.eq(true))
            .order_by_asc(users::Column::Id)
            .all(db)
            .await?;
        let listed: Vec<i64> = recipients.iter().map(|p| p.id).collect();
        let off = notices::turned_off(db, notice.event, &listed).await?;
        let may_hear = |person: &users::Model| {
            notice.readable_by_viewers
                || Role::parse(&person.role).is_some_and(|r| r.includes(Role::Author))
        };
        for person in recipients
            .into_iter()
            .filter(|p| !off.contains(&p.id) && may_hear(p))
        {
            outbox::enqueue(
                db,
                notice,
                Channel::Email,
                &person.id.to_string(),
                &person.email,
                now,
            )
            .await?;
        }
    }
    for destination in webhooks::subscribed(db, notice.event, notice.readable_by_viewers).await? {
        let id = destination.id.to_string();
        outbox::enqueue(db, notice, Channel::Webhook, &id, &id, now).await?;
    }
    Ok(())
}
