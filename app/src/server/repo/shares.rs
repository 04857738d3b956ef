//! Share links to redacted postmortems, found by the digest of their token, and the marks
//! that keep a part of a postmortem (a timeline entry, an impact figure, a change, a
//! follow-up) inside the team.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::history::Part;

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

/// The parts of a postmortem that can be kept inside the team with one click, and their
/// tables (each has an `internal` column).
const MARKABLE: [(Part, &str); 4] = [
    (Part::TimelineEntry, "timeline_entries"),
    (Part::ImpactFigure, "impact_figures"),
    (Part::Change, "changes"),
    (Part::FollowUp, "follow_ups"),
];

/// Whether a part can be kept inside the team with one click.
pub fn is_markable(part: Part) -> bool {
    MARKABLE.iter().any(|(p, _)| *p == part)
}

fn table_of(part: Part) -> Result<&'static str, DbErr> {
    MARKABLE
        .iter()
        .find(|(p, _)| *p == part)
        .map(|(_, table)| *table)
        .ok_or_else(|| DbErr::Custom(format!("{} cannot be kept inside", part.as_str())))
}

/// The parts of an incident marked to stay inside the team, as (part, id).
///
/// # Errors
/// On a database failure.
pub async fn internal_marks<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<HashSet<(Part, i64)>, DbErr> {
    let mut marks = HashSet::new();
    for (part, table) in MARKABLE {
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("incident_id")).eq(incident_id))
            .and_where(Expr::col(Alias::new("internal")).eq(true))
            .to_owned();
        for row in conn
            .query_all_raw(conn.get_database_backend().build(&query))
            .await?
        {
            marks.insert((part, row.try_get::<i64>("", "id")?));
        }
    }
    Ok(marks)
}

/// A markable part's incident and whether it is marked internal, or None when there is no
/// such part.
///
/// # Errors
/// On a database failure.
pub async fn mark_of<C: ConnectionTrait>(
    conn: &C,
    part: Part,
    id: i64,
) -> Result<Option<(i64, bool)>, DbErr> {
    let query = Query::select()
        .columns([Alias::new("incident_id"), Alias::new("internal")])
        .from(Alias::new(table_of(part)?))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    conn.query_one_raw(conn.get_database_backend().build(&query))
        .await?
        .map(|row| {
            Ok((
                row.try_get::<i64>("", "incident_id")?,
                row.try_get::<bool>("", "internal")?,
            ))
        })
        .transpose()
}

/// Marks a part to stay inside the team, or to be shared.
///
/// # Errors
/// On a database failure.
pub async fn set_internal<C: ConnectionTrait>(
    conn: &C,
    part: Part,
    id: i64,
    internal: bool,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table(Alias::new(table_of(part)?))
        .value(Alias::new("internal"), internal)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    conn.execute_raw(conn.get_database_backend().build(&update))
        .await?;
    Ok(())
}
