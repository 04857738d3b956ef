//! Comments on postmortems.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::stored;
use crate::domain::comment::Anchor;
use crate::server::entities::comments as rows;

/// A stored comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub incident_id: i64,
    pub anchor: Anchor,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub body_md: String,
    pub created_at: DateTime<Utc>,
}

/// Adds a comment; returns its id.
///
/// # Errors
/// On a database failure (including an incident that does not exist).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    anchor: Anchor,
    (author_id, author_name): (i64, &str),
    body_md: &str,
) -> Result<i64, DbErr> {
    let row = rows::ActiveModel {
        incident_id: Set(incident_id),
        anchor: Set(anchor.key()),
        author_id: Set(Some(author_id)),
        author_name: Set(author_name.to_owned()),
        body_md: Set(body_md.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// One comment.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Comment>, DbErr> {
    rows::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// Deletes a comment; false when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    Ok(rows::Entity::delete_by_id(id)
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// An incident's comments, oldest first.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<Comment>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

fn to_domain(row: rows::Model) -> Result<Comment, DbErr> {
    Ok(Comment {
        id: row.id,
        incident_id: row.incident_id,
        anchor: stored("comments.anchor", &row.anchor, Anchor::parse)?,
        author_id: row.author_id,
        author_name: row.author_name,
        body_md: row.body_md,
        created_at: row.created_at,
    })
}
