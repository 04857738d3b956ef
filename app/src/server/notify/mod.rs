//! Notifications that reach people: [`emit`] writes a notice to the outbox for each of its
//! recipients' channels, in the caller's transaction, so the notice exists exactly when the
//! event's write commits. Delivery (email through SMTP, webhooks) happens later, outside any
//! request.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::notify::{Channel, Notice};
use crate::server::entities::users;
use crate::server::repo::{outbox, webhooks};

/// Queues `notice` by email for each of `people` (user ids; repeats and deactivated accounts
/// are skipped), and as a payload for each webhook destination subscribed to its event (only
/// destinations for postmortem writers get a notice not every viewer may read).
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
            .all(db)
            .await?;
        for person in recipients {
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
