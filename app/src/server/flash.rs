//! What a plain form (no JavaScript) leaves for the page it returns to: a form flash (what a
//! person typed into a form that failed, with the error; see `api::flash::FormFlash`) or a
//! secret to show once (a new share link or integration token, which must never travel in an
//! address).
//!
//! Each belongs to the session that left it (other sessions read nothing), is deleted when first
//! read, and is dropped after an hour if never read. Anonymous visitors store nothing here: a
//! stranger's failed posts must not fill the disk (the form middleware renders their page with
//! the flash instead). A flash whose values exceed [`MAX_VALUES_BYTES`] is not stored either,
//! and one session keeps at most [`MAX_PER_SESSION`].

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::dto::forms::FormFlash;
use crate::server::entities::form_flashes as rows;

/// How long a flash or secret stays readable.
pub const LIFETIME: Duration = Duration::hours(1);
/// The most a stored flash's field names and values may hold together; a larger one is not
/// stored (three Markdown fields near their limit fit in 64 KiB only when mostly ASCII).
pub const MAX_VALUES_BYTES: usize = 64 * 1024;
/// The most flashes and secrets one session keeps; storing another drops its oldest.
pub const MAX_PER_SESSION: u64 = 20;

/// What one row holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stashed {
    Form(FormFlash),
    Secret(String),
}

/// A flash handed to one render of a page without being stored (see the module docs), as a
/// request extension; `get_flash` answers it for its `id`.
#[derive(Clone, Debug)]
pub struct InlineFlash {
    pub id: String,
    pub flash: FormFlash,
}

/// The rows taken during one request, as a request extension: a page reads its flash from
/// several places while it renders, and only the first read may delete it.
#[derive(Clone, Debug, Default)]
pub struct TakenThisRequest(Arc<tokio::sync::Mutex<HashMap<String, Option<Stashed>>>>);

impl TakenThisRequest {
    /// What `id` held for `session`, taking it on the first call of this request.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn take<C: ConnectionTrait>(
        &self,
        db: &C,
        session: &str,
        id: &str,
    ) -> Result<Option<Stashed>, DbErr> {
        // Held across the database call, so two readers in one render cannot both miss the
        // cache and the second find the row already gone.
        let mut taken = self.0.lock().await;
        if let Some(found) = taken.get(id) {
            return Ok(found.clone());
        }
        let found = take(db, session, id).await?;
        taken.insert(id.to_owned(), found.clone());
        Ok(found)
    }
}

/// The bytes a flash's values take: what [`MAX_VALUES_BYTES`] limits.
pub fn values_bytes(flash: &FormFlash) -> usize {
    flash.values.iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// Stores a flash for `session` and returns its unguessable id, or `None` when its values are
/// larger than [`MAX_VALUES_BYTES`] (nothing is stored then).
///
/// # Errors
/// On a database failure.
pub async fn store(
    db: &DatabaseConnection,
    session: &str,
    flash: &FormFlash,
) -> Result<Option<String>, DbErr> {
    if values_bytes(flash) > MAX_VALUES_BYTES {
        return Ok(None);
    }
    stash(db, session, &Stashed::Form(flash.clone()))
        .await
        .map(Some)
}

/// Keeps a secret for `session` until its page shows it once; returns the id to read it by.
///
/// # Errors
/// On a database failure.
pub async fn store_secret(
    db: &DatabaseConnection,
    session: &str,
    secret: &str,
) -> Result<String, DbErr> {
    stash(db, session, &Stashed::Secret(secret.to_owned())).await
}

/// Keeps `stashed` in a write transaction of its own: an INSERT run alone on SQLite commits
/// only after its returned row is read, and the driver drops that commit's error (a full disk),
/// so a flash could be promised and never stored.
async fn stash(db: &DatabaseConnection, session: &str, stashed: &Stashed) -> Result<String, DbErr> {
    if session.is_empty() {
        return Err(DbErr::Custom("a form flash needs a session".to_owned()));
    }
    let txn = crate::server::db::begin_write(db).await?;
    let db = &txn;
    let now = Utc::now();
    remove_expired(db).await?;
    // A session holds at most MAX_PER_SESSION rows before this one, so reading its ids whole
    // is cheap (and needs no OFFSET, which SQLite accepts only after a LIMIT).
    let older: Vec<String> = rows::Entity::find()
        .select_only()
        .column(rows::Column::Id)
        .filter(rows::Column::SessionId.eq(session))
        .order_by_desc(rows::Column::CreatedAt)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .skip(usize::try_from(MAX_PER_SESSION - 1).unwrap_or(usize::MAX))
        .collect();
    if !older.is_empty() {
        rows::Entity::delete_many()
            .filter(rows::Column::Id.is_in(older))
            .exec(db)
            .await?;
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let payload = serde_json::to_string(stashed).map_err(|e| DbErr::Custom(e.to_string()))?;
    rows::ActiveModel {
        id: Set(id.clone()),
        payload: Set(payload),
        session_id: Set(session.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Deletes every flash and secret past its lifetime; returns how many.
///
/// # Errors
/// On a database failure.
pub async fn remove_expired<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    let removed = rows::Entity::delete_many()
        .filter(rows::Column::CreatedAt.lt(Utc::now() - LIFETIME))
        .exec(db)
        .await?;
    Ok(removed.rows_affected)
}

/// What `id` holds, if `session` left it and it is still alive; it is deleted by this read.
/// Another session's id reads nothing and deletes nothing.
///
/// # Errors
/// On a database failure.
pub async fn take<C: ConnectionTrait>(
    db: &C,
    session: &str,
    id: &str,
) -> Result<Option<Stashed>, DbErr> {
    if session.is_empty() {
        return Ok(None);
    }
    let found = rows::Entity::find_by_id(id.to_owned())
        .filter(rows::Column::SessionId.eq(session))
        .one(db)
        .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    rows::Entity::delete_by_id(row.id).exec(db).await?;
    if row.created_at < Utc::now() - LIFETIME {
        return Ok(None);
    }
    Ok(serde_json::from_str(&row.payload).ok())
}
