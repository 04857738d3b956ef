//! Storing and fetching form flashes (see `api::flash::FormFlash`): what a person typed into a
//! form that failed validation without JavaScript, kept for an hour.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::api::flash::FormFlash;
use crate::server::entities::form_flashes as rows;

/// How long a flash stays readable.
const LIFETIME: Duration = Duration::hours(1);

/// Stores a flash and returns its unguessable id; drops flashes past their lifetime.
///
/// # Errors
/// On a database failure.
pub async fn store(db: &DatabaseConnection, flash: &FormFlash) -> Result<String, DbErr> {
    let now = Utc::now();
    rows::Entity::delete_many()
        .filter(rows::Column::CreatedAt.lt(now - LIFETIME))
        .exec(db)
        .await?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let payload = serde_json::to_string(flash).map_err(|e| DbErr::Custom(e.to_string()))?;
    rows::ActiveModel {
        id: Set(id.clone()),
        payload: Set(payload),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// A flash by id, while it lives.
///
/// # Errors
/// On a database failure.
pub async fn load(db: &DatabaseConnection, id: &str) -> Result<Option<FormFlash>, DbErr> {
    let found = rows::Entity::find_by_id(id.to_owned())
        .filter(rows::Column::CreatedAt.gte(Utc::now() - LIFETIME))
        .one(db)
        .await?;
    Ok(found.and_then(|row| serde_json::from_str(&row.payload).ok()))
}
