//! Incidents with their milestones and lessons: written here (created, updated, reviewed,
//! deleted, each a part an edit records); read in [`read`], listed in [`list`], their milestones
//! and the measures kept from them in [`milestones`].

mod list;
mod milestones;
mod read;

pub use list::{IncidentFilter, ListPage, any_matching, list, list_page, page_before};
pub use milestones::measure_unmeasured;
pub use read::{
    any, get, get_many, list_where, readable, titles_where, under_correction_below, versions,
};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, Set,
};

use crate::domain::incident::{IncidentStatus, Lessons, NewIncident};
use crate::server::db::begin_write;
use crate::server::edit::{EditablePart, Stored};
use crate::server::entities::{incidents, milestones as milestone_rows};
use milestones::{list_order, measured, set_measures, write_milestones};

/// Stores a new incident and its milestones; returns its id.
///
/// # Errors
/// On any database failure; nothing is written then.
pub async fn create(db: &DatabaseConnection, incident: &NewIncident) -> Result<i64, DbErr> {
    let tx = begin_write(db).await?;
    let id = insert(&tx, incident, &Lessons::default()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts an incident inside a transaction the caller owns.
///
/// # Errors
/// On any database failure.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    incident: &NewIncident,
    lessons: &Lessons,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let row = incidents::ActiveModel {
        title: Set(incident.title.clone()),
        summary_md: Set(incident.summary_md.clone()),
        severity: Set(incident.severity.as_str().to_owned()),
        status: Set(incident.status.as_str().to_owned()),
        services: Set(incident.services.join("\n")),
        went_well_md: Set(lessons.went_well_md.clone()),
        went_wrong_md: Set(lessons.went_wrong_md.clone()),
        lucky_md: Set(lessons.lucky_md.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        lessons_version: Set(1),
        revision: Set(1),
        impact_started_at: Set(list_order(&incident.milestones)),
        ..measured(&incident.milestones)
    }
    .insert(conn)
    .await?;
    write_milestones(conn, row.id, &incident.milestones).await?;
    Ok(row.id)
}

/// Replaces an incident's fields and milestones. Returns false when there is no such incident.
///
/// # Errors
/// On any database failure; nothing is written then.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    incident: &NewIncident,
) -> Result<bool, DbErr> {
    let tx = begin_write(db).await?;
    let updated = update_in(&tx, id, incident).await?;
    tx.commit().await?;
    Ok(updated)
}

/// [`update`] inside a transaction the caller owns.
///
/// # Errors
/// On any database failure.
pub async fn update_in<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    incident: &NewIncident,
) -> Result<bool, DbErr> {
    let Some(row) = incidents::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    let next = row.version + 1;
    let mut row: incidents::ActiveModel = row.into();
    row.version = Set(next);
    row.title = Set(incident.title.clone());
    row.summary_md = Set(incident.summary_md.clone());
    row.severity = Set(incident.severity.as_str().to_owned());
    row.status = Set(incident.status.as_str().to_owned());
    row.services = Set(incident.services.join("\n"));
    row.impact_started_at = Set(list_order(&incident.milestones));
    set_measures(&mut row, &incident.milestones);
    row.updated_at = Set(Utc::now());
    row.update(conn).await?;
    milestone_rows::Entity::delete_many()
        .filter(milestone_rows::Column::IncidentId.eq(id))
        .exec(conn)
        .await?;
    write_milestones(conn, id, &incident.milestones).await?;
    Ok(true)
}

/// Replaces an incident's lessons. Returns false when there is no such incident.
///
/// # Errors
/// On any database failure.
pub async fn update_lessons<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    lessons: &Lessons,
) -> Result<bool, DbErr> {
    let Some(row) = incidents::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    let next = row.lessons_version + 1;
    let mut row: incidents::ActiveModel = row.into();
    row.lessons_version = Set(next);
    row.went_well_md = Set(lessons.went_well_md.clone());
    row.went_wrong_md = Set(lessons.went_wrong_md.clone());
    row.lucky_md = Set(lessons.lucky_md.clone());
    row.updated_at = Set(Utc::now());
    row.update(conn).await?;
    Ok(true)
}

/// Deletes an incident and everything recorded under it (the foreign keys cascade within one
/// statement), its search documents first. Returns false when there was none.
///
/// # Errors
/// On any database failure; nothing is deleted then (in a transaction).
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    super::search::remove_postmortem(conn, id).await?;
    let result = incidents::Entity::delete_by_id(id).exec(conn).await?;
    Ok(result.rows_affected > 0)
}

/// Takes the incident's row lock until the transaction ends (`FOR UPDATE` on Postgres; on
/// SQLite the write transaction already holds the only write lock). Every write to a
/// postmortem takes it first, so two saves of the same incident run one after the other.
///
/// # Errors
/// On a database failure.
pub async fn lock<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
    if conn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        // SQLite has no row locks: the statement would be a plain read of the row, and the
        // write transaction (`BEGIN IMMEDIATE`) already serialises every writer.
        return Ok(());
    }
    incidents::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?;
    Ok(())
}

/// Moves a postmortem to `status` in `revision` (the review's to decide, not a form's).
///
/// # Errors
/// On a database failure.
pub async fn set_review<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: IncidentStatus,
    revision: i32,
) -> Result<(), DbErr> {
    incidents::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(status.as_str().to_owned()),
        revision: Set(revision),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// An incident's fields and milestones, edited on their own form.
pub struct IncidentPart;

impl EditablePart for IncidentPart {
    type Value = NewIncident;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewIncident>>, DbErr> {
        let (Some(found), Some((version, _))) = (get(conn, id).await?, versions(conn, id).await?)
        else {
            return Ok(None);
        };
        Ok(Some(Stored {
            id,
            incident_id: id,
            parent_id: id,
            version,
            value: found.as_new(),
        }))
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &NewIncident) -> Result<(), DbErr> {
        update_in(conn, id, value).await.map(drop)
    }
}

/// An incident's lessons (what went well, what went wrong, where we got lucky), edited apart
/// from its fields.
pub struct LessonsPart;

impl EditablePart for LessonsPart {
    type Value = Lessons;

    async fn load<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Stored<Lessons>>, DbErr> {
        let (Some(found), Some((_, version))) = (get(conn, id).await?, versions(conn, id).await?)
        else {
            return Ok(None);
        };
        Ok(Some(Stored {
            id,
            incident_id: id,
            parent_id: id,
            version,
            value: found.lessons,
        }))
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &Lessons) -> Result<(), DbErr> {
        update_lessons(conn, id, value).await.map(drop)
    }
}
