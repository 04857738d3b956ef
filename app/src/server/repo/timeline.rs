//! Timeline entries of an incident.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::convert::{recorded_time, stored};
use super::part;
use crate::domain::timeline::{EntryKind, Marker, NewTimelineEntry, TimelineEntry, sort_entries};
use crate::server::edit::{AddablePart, EditablePart, Stored};
use crate::server::entities::timeline_entries as rows;

/// Adds an entry to an incident; returns its id.
///
/// # Errors
/// On a database failure (including an incident that does not exist: the foreign key refuses it).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    entry: &NewTimelineEntry,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let mut row = rows::ActiveModel {
        incident_id: Set(incident_id),
        created_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    fill(&mut row, entry);
    Ok(row.insert(conn).await?.id)
}

/// Replaces an entry; returns the incident it belongs to, or None when there is no such entry.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    entry: &NewTimelineEntry,
) -> Result<Option<i64>, DbErr> {
    part::update::<rows::Entity, _>(conn, id, |row| fill(row, entry)).await
}

/// Deletes an entry; returns the incident it belonged to, or None when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    part::delete::<rows::Entity, _>(conn, id).await
}

/// One entry.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<TimelineEntry>, DbErr> {
    rows::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// An incident's entries in time order.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<TimelineEntry>, DbErr> {
    let mut entries = rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    sort_entries(&mut entries);
    Ok(entries)
}

fn fill(row: &mut rows::ActiveModel, entry: &NewTimelineEntry) {
    row.kind = Set(entry.kind.as_str().to_owned());
    row.marker = Set(entry.marker.map(|m| m.as_str().to_owned()));
    row.actor = Set(entry.actor.clone());
    row.body_md = Set(entry.body_md.clone());
    row.time_source = Set(entry.time_source.clone());
    row.at = Set(entry.time.at);
    row.until = Set(entry.time.until);
    row.precision = Set(entry.time.precision.as_str().to_owned());
    row.offset_minutes = Set(entry.time.offset_minutes);
    row.updated_at = Set(Utc::now());
}

fn to_domain(row: rows::Model) -> Result<TimelineEntry, DbErr> {
    Ok(TimelineEntry {
        id: row.id,
        incident_id: row.incident_id,
        entry: NewTimelineEntry {
            time: recorded_time(row.at, row.until, &row.precision, row.offset_minutes)?,
            kind: stored("timeline_entries.kind", &row.kind, EntryKind::parse)?,
            marker: row
                .marker
                .as_deref()
                .map(|m| stored("timeline_entries.marker", m, Marker::parse))
                .transpose()?,
            actor: row.actor,
            body_md: row.body_md,
            time_source: row.time_source,
        },
    })
}

part::part_of_incident!(rows);

/// A timeline entry, edited on its own form.
pub struct TimelinePart;

impl EditablePart for TimelinePart {
    type Value = NewTimelineEntry;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewTimelineEntry>>, DbErr> {
        part::load::<rows::Entity, _, _>(conn, id, |row| to_domain(row).map(|found| found.entry))
            .await
    }

    async fn save<C: ConnectionTrait>(
        conn: &C,
        id: i64,
        value: &NewTimelineEntry,
    ) -> Result<(), DbErr> {
        update(conn, id, value).await.map(drop)
    }
}

impl AddablePart for TimelinePart {
    type New = NewTimelineEntry;

    fn value_of(new: &NewTimelineEntry) -> &NewTimelineEntry {
        new
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        incident_id: i64,
        new: &NewTimelineEntry,
    ) -> Result<i64, DbErr> {
        add(conn, incident_id, new).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        delete(conn, id).await.map(drop)
    }
}
