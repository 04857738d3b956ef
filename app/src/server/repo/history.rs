//! The history of every postmortem, written in the same transaction as the change it records.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::stored;
use crate::domain::history::{Action, HistoryEntry, Part, Snapshot};
use crate::server::entities::history as rows;

/// Records a change; the entry's id is given by the database and returned.
///
/// # Errors
/// On a database failure.
pub async fn record<C: ConnectionTrait>(conn: &C, entry: &HistoryEntry) -> Result<i64, DbErr> {
    let json = |s: &Option<Snapshot>| {
        s.as_ref()
            .map(|s| serde_json::to_string(s).unwrap_or_default())
    };
    let row = rows::ActiveModel {
        incident_id: Set(entry.incident_id),
        user_id: Set(entry.user_id),
        user_name: Set(entry.user_name.clone()),
        at: Set(entry.at),
        part: Set(entry.part.as_str().to_owned()),
        part_id: Set(entry.part_id),
        action: Set(entry.action.as_str().to_owned()),
        summary: Set(entry.summary.clone()),
        before: Set(json(&entry.before)),
        after: Set(json(&entry.after)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// An incident's history, newest first.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<HistoryEntry>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_desc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// One page of an incident's history, newest first: up to `size` entries from `offset`, and
/// whether there are more.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn page_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    offset: u64,
    size: u64,
) -> Result<(Vec<HistoryEntry>, bool), DbErr> {
    use sea_orm::QuerySelect;
    let mut found = rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_desc(rows::Column::Id)
        .offset(offset)
        .limit(size + 1)
        .all(conn)
        .await?;
    let more = found.len() as u64 > size;
    found.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    Ok((
        found.into_iter().map(to_domain).collect::<Result<_, _>>()?,
        more,
    ))
}

/// Who wrote any part of an incident's postmortem: everyone with a recorded change that is
/// not a review step or a mentor note (`Part::NOT_WRITING`), in the order they first wrote.
///
/// # Errors
/// On a database failure.
pub async fn authors<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<(i64, String)>, DbErr> {
    let mut authors: Vec<(i64, String)> = Vec::new();
    for row in rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .filter(rows::Column::Part.is_not_in(Part::NOT_WRITING.map(Part::as_str)))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
    {
        if let Some(id) = row.user_id
            && !authors.iter().any(|(a, _)| *a == id)
        {
            authors.push((id, row.user_name));
        }
    }
    Ok(authors)
}

/// The incidents whose postmortem a user wrote any part of.
///
/// # Errors
/// On a database failure.
pub async fn incidents_written_by<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<Vec<i64>, DbErr> {
    let mut ids: Vec<i64> = rows::Entity::find()
        .filter(rows::Column::UserId.eq(user_id))
        .filter(rows::Column::Part.is_not_in(Part::NOT_WRITING.map(Part::as_str)))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.incident_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The latest recorded change to one part, if any.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn last_change<C: ConnectionTrait>(
    conn: &C,
    part: Part,
    part_id: i64,
) -> Result<Option<HistoryEntry>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::Part.eq(part.as_str()))
        .filter(rows::Column::PartId.eq(part_id))
        .order_by_desc(rows::Column::Id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

fn to_domain(row: rows::Model) -> Result<HistoryEntry, DbErr> {
    let snapshot = |column: &str, text: Option<String>| {
        text.map(|t| {
            serde_json::from_str::<Snapshot>(&t)
                .map_err(|e| DbErr::Custom(format!("history.{column} is not a snapshot: {e}")))
        })
        .transpose()
    };
    Ok(HistoryEntry {
        id: row.id,
        incident_id: row.incident_id,
        user_id: row.user_id,
        user_name: row.user_name,
        at: row.at,
        part: stored("history.part", &row.part, Part::parse)?,
        part_id: row.part_id,
        action: stored("history.action", &row.action, Action::parse)?,
        summary: row.summary,
        before: snapshot("before", row.before)?,
        after: snapshot("after", row.after)?,
    })
}

/// A query selecting the ids of the incidents whose postmortem a user wrote any part of (see
/// [`incidents_written_by`]), to narrow another query without reading them.
pub fn written_by(user_id: i64) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(rows::Column::IncidentId)
        .from(rows::Entity)
        .and_where(rows::Column::UserId.eq(user_id))
        .and_where(rows::Column::Part.is_not_in(Part::NOT_WRITING.map(Part::as_str)))
        .to_owned()
}
