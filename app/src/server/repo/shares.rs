//! Share links to redacted postmortems, found by the digest of their token.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::server::entities::share_links as rows;

/// A share link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareLink {
    pub id: i64,
    pub incident_id: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn to_link(row: rows::Model) -> ShareLink {
    ShareLink {
        id: row.id,
        incident_id: row.incident_id,
        created_by: row.created_by,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
    }
}

/// Records a link whose token has this digest; returns its id.
///
/// # Errors
/// On a database failure.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    token_digest: &str,
    by: (i64, &str),
) -> Result<i64, DbErr> {
    let row = rows::ActiveModel {
        incident_id: Set(incident_id),
        token_digest: Set(token_digest.to_owned()),
        created_by_id: Set(Some(by.0)),
        created_by: Set(by.1.to_owned()),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// The link with this token digest, revoked or not.
///
/// # Errors
/// On a database failure.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    token_digest: &str,
) -> Result<Option<ShareLink>, DbErr> {
    Ok(rows::Entity::find()
        .filter(rows::Column::TokenDigest.eq(token_digest))
        .one(conn)
        .await?
        .map(to_link))
}

/// An incident's links, newest first.
///
/// # Errors
/// On a database failure.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<ShareLink>, DbErr> {
    Ok(rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_desc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_link)
        .collect())
}

/// One link by id.
///
/// # Errors
/// On a database failure.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<ShareLink>, DbErr> {
    Ok(rows::Entity::find_by_id(id).one(conn).await?.map(to_link))
}

/// Revokes a link (once; a second revoke keeps the first time).
///
/// # Errors
/// On a database failure.
pub async fn revoke<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
    if let Some(found) = rows::Entity::find_by_id(id).one(conn).await?
        && found.revoked_at.is_none()
    {
        let mut row: rows::ActiveModel = found.into();
        row.revoked_at = Set(Some(Utc::now()));
        row.update(conn).await?;
    }
    Ok(())
}
