//! Webhook destinations: adding, editing, listing and deleting them, and which of them a notice
//! goes to (`subscribed`, what `server::notify::emit` queues a webhook delivery for: none that
//! is paused). Editing a destination changes only the destination: deliveries already queued
//! for it keep their notice and are still sent (to its address when they are sent).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::notify::Event;
use crate::domain::webhook::{NewWebhook, events_from_stored, events_to_stored, receives};
use crate::server::entities::webhook_destinations as destinations;

/// Records a destination with its signing `secret` (for generic JSON ones); returns its id.
///
/// # Errors
/// On a database failure.
pub async fn create(
    db: &impl ConnectionTrait,
    hook: &NewWebhook,
    secret: Option<&str>,
    created_by: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let row = destinations::ActiveModel {
        name: Set(hook.name.clone()),
        url: Set(hook.url.clone()),
        kind: Set(hook.kind.as_str().to_owned()),
        secret: Set(secret.map(str::to_owned)),
        events: Set(events_to_stored(&hook.events)),
        writers_only: Set(hook.writers_only),
        paused: Set(false),
        created_at: Set(now),
        created_by: Set(created_by.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Rewrites a destination: what `hook` says, whether it is `paused`, and its signing `secret`
/// (none for a Slack-compatible one); false when there is none with this id.
///
/// # Errors
/// On a database failure.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    hook: &NewWebhook,
    paused: bool,
    secret: Option<&str>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    Ok(destinations::Entity::update_many()
        .col_expr(destinations::Column::Name, Expr::value(hook.name.clone()))
        .col_expr(destinations::Column::Url, Expr::value(hook.url.clone()))
        .col_expr(destinations::Column::Kind, Expr::value(hook.kind.as_str()))
        .col_expr(
            destinations::Column::Events,
            Expr::value(events_to_stored(&hook.events)),
        )
        .col_expr(
            destinations::Column::WritersOnly,
            Expr::value(hook.writers_only),
        )
        .col_expr(destinations::Column::Paused, Expr::value(paused))
        .col_expr(
            destinations::Column::Secret,
            Expr::value(secret.map(str::to_owned)),
        )
        .filter(destinations::Column::Id.eq(id))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Replaces a destination's signing secret; false when there is none with this id.
///
/// # Errors
/// On a database failure.
pub async fn set_secret(db: &impl ConnectionTrait, id: i64, secret: &str) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    Ok(destinations::Entity::update_many()
        .col_expr(destinations::Column::Secret, Expr::value(secret))
        .filter(destinations::Column::Id.eq(id))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Every destination, oldest first (an organisation has a handful).
///
/// # Errors
/// On a database failure.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<destinations::Model>, DbErr> {
    destinations::Entity::find()
        .order_by_asc(destinations::Column::Id)
        .all(db)
        .await
}

/// One destination, if it still exists.
///
/// # Errors
/// On a database failure.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<destinations::Model>, DbErr> {
    destinations::Entity::find_by_id(id).one(db).await
}

/// Deletes a destination; whether it existed. Its queued deliveries are then dead-lettered by
/// the worker ("the destination was deleted").
///
/// # Errors
/// On a database failure.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(destinations::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// The destinations that receive a notice of `event` that is (or is not) `readable_by_viewers`:
/// those subscribed to it that are not paused.
///
/// # Errors
/// On a database failure.
pub async fn subscribed(
    db: &impl ConnectionTrait,
    event: Event,
    readable_by_viewers: bool,
) -> Result<Vec<destinations::Model>, DbErr> {
    Ok(list(db)
        .await?
        .into_iter()
        .filter(|d| {
            !d.paused
                && receives(
                    &events_from_stored(&d.events),
                    d.writers_only,
                    event,
                    readable_by_viewers,
                )
        })
        .collect())
}
