//! The outbox: messages written in the transaction of the event that causes them, delivered
//! later by the notification worker (`server::notify`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::domain::notify::{Channel, Notice};
use crate::server::entities::outbox;

/// Queues `notice` for one recipient of one channel: `recipient_key` names the recipient
/// stably (a person's id, a destination's id) and `address` is where to deliver (an email
/// address, a destination's id). A delivery already queued under the same key is left as it
/// is, so writing the same notice again sends nothing more.
///
/// # Errors
/// When the database refuses the write.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    notice: &Notice,
    channel: Channel,
    recipient_key: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = outbox::ActiveModel {
        idempotency_key: Set(notice.delivery_key(channel, recipient_key)),
        channel: Set(channel.as_str().to_owned()),
        recipient: Set(address.to_owned()),
        event: Set(notice.event.as_str().to_owned()),
        subject: Set(notice.subject.clone()),
        body: Set(notice.body.clone()),
        link: Set(notice.link.clone()),
        payload: Set(notice.data.to_string()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        dead_at: Set(None),
        last_error: Set(None),
        ..Default::default()
    };
    outbox::Entity::insert(row)
        .on_conflict(
            OnConflict::column(outbox::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}
