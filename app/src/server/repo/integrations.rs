//! Integration tokens and the changes integrations record with them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::change::RecordedChange;
use crate::domain::integration::{LEGACY_SCOPES, TokenScope, parse_scopes, scopes_text};
use crate::server::entities::{integration_tokens as tokens, recorded_changes as recorded};

/// A token as stored (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
}

fn to_token(row: tokens::Model) -> Token {
    Token {
        id: row.id,
        name: row.name,
        created_by: row.created_by,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
        scopes: parse_scopes(&row.scopes),
    }
}

/// Records a token by its digest, allowed to record changes only (as every token was before
/// scopes); returns its id.
///
/// # Errors
/// On a database failure.
pub async fn create_token<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    digest: &str,
    created_by: &str,
) -> Result<i64, DbErr> {
    create_scoped_token(conn, name, digest, created_by, &LEGACY_SCOPES).await
}

/// Records a token by its digest with these scopes; returns its id.
///
/// # Errors
/// On a database failure.
pub async fn create_scoped_token<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    digest: &str,
    created_by: &str,
    scopes: &[TokenScope],
) -> Result<i64, DbErr> {
    Ok(tokens::ActiveModel {
        name: Set(name.to_owned()),
        token_digest: Set(digest.to_owned()),
        created_by: Set(created_by.to_owned()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        scopes: Set(scopes_text(scopes)),
        ..Default::default()
    }
    .insert(conn)
    .await?
    .id)
}

/// Every token, newest first.
///
/// # Errors
/// On a database failure.
pub async fn list_tokens<C: ConnectionTrait>(conn: &C) -> Result<Vec<Token>, DbErr> {
    Ok(tokens::Entity::find()
        .order_by_desc(tokens::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_token)
        .collect())
}

/// The live (not revoked) token with this digest, marked as used now.
///
/// # Errors
/// On a database failure.
pub async fn use_token<C: ConnectionTrait>(conn: &C, digest: &str) -> Result<Option<Token>, DbErr> {
    let Some(found) = tokens::Entity::find()
        .filter(tokens::Column::TokenDigest.eq(digest))
        .filter(tokens::Column::RevokedAt.is_null())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let mut row: tokens::ActiveModel = found.into();
    row.last_used_at = Set(Some(Utc::now()));
    Ok(Some(to_token(row.update(conn).await?)))
}

/// Revokes a token; false when there is none with this id.
///
/// # Errors
/// On a database failure.
pub async fn revoke_token<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    let Some(found) = tokens::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    if found.revoked_at.is_none() {
        let mut row: tokens::ActiveModel = found.into();
        row.revoked_at = Set(Some(Utc::now()));
        row.update(conn).await?;
    }
    Ok(true)
}

/// A change an integration recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub id: i64,
    pub change: RecordedChange,
    pub source: String,
    pub recorded_at: DateTime<Utc>,
    /// (incident, change) once a team linked it.
    pub linked: Option<(i64, i64)>,
}

fn to_recorded(row: recorded::Model) -> Result<Recorded, DbErr> {
    let change = serde_json::from_str(&row.data)
        .map_err(|e| DbErr::Custom(format!("recorded change {}: {e}", row.id)))?;
    Ok(Recorded {
        id: row.id,
        change,
        source: row.source,
        recorded_at: row.recorded_at,
        linked: row.linked_incident_id.zip(row.linked_change_id),
    })
}

/// Keeps a change an integration sent; returns its id.
///
/// # Errors
/// On a database failure.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    change: &RecordedChange,
    source: &str,
) -> Result<i64, DbErr> {
    let data = serde_json::to_string(change)
        .map_err(|e| DbErr::Custom(format!("a recorded change as JSON: {e}")))?;
    Ok(recorded::ActiveModel {
        system: Set(change.change.system.clone()),
        data: Set(data),
        source: Set(source.to_owned()),
        recorded_at: Set(Utc::now()),
        linked_change_id: Set(None),
        linked_incident_id: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?
    .id)
}

/// The latest recorded changes, newest first.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn latest<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<Recorded>, DbErr> {
    recorded::Entity::find()
        .order_by_desc(recorded::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_recorded)
        .collect()
}

/// One recorded change.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Recorded>, DbErr> {
    recorded::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_recorded)
        .transpose()
}

/// Notes which incident's change a recorded change became.
///
/// # Errors
/// On a database failure.
pub async fn mark_linked<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    incident_id: i64,
    change_id: i64,
) -> Result<(), DbErr> {
    if let Some(found) = recorded::Entity::find_by_id(id).one(conn).await? {
        let mut row: recorded::ActiveModel = found.into();
        row.linked_incident_id = Set(Some(incident_id));
        row.linked_change_id = Set(Some(change_id));
        row.update(conn).await?;
    }
    Ok(())
}

/// Up to `limit` recorded changes still waiting to be linked to a postmortem, with ids above
/// `after`, oldest first; of `system` only (ignoring case) when given. A keyset page: the read
/// API's change list walks them by id.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn waiting_after<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    system: Option<&str>,
    limit: u64,
) -> Result<Vec<Recorded>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let mut query = recorded::Entity::find()
        .filter(recorded::Column::LinkedIncidentId.is_null())
        .filter(recorded::Column::Id.gt(after));
    if let Some(system) = system {
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(recorded::Column::System)))
                .eq(system.trim().to_lowercase()),
        );
    }
    query
        .order_by_asc(recorded::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(to_recorded)
        .collect()
}
