//! Incidents with their milestones and lessons.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::convert::{recorded_time, stored};
use crate::domain::incident::{
    Incident, IncidentStatus, Lessons, MilestoneKind, Milestones, NewIncident, Severity,
};
use crate::server::db::begin_write;
use crate::server::edit::{EditablePart, Stored};
use crate::server::entities::{incidents, milestones};

/// Which incidents a list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncidentFilter {
    pub status: Option<IncidentStatus>,
    pub severity: Option<Severity>,
}

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
    milestones::Entity::delete_many()
        .filter(milestones::Column::IncidentId.eq(id))
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

/// Deletes an incident and everything recorded under it (one statement: the foreign keys
/// cascade within it). Returns false when there was none.
///
/// # Errors
/// On any database failure; nothing is deleted then.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
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

/// The versions of an incident's fields and of its lessons, edited apart.
///
/// # Errors
/// On a database failure.
pub async fn versions<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<(i64, i64)>, DbErr> {
    Ok(incidents::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|row| (row.version, row.lessons_version)))
}

/// One incident with its milestones and lessons.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Incident>, DbErr> {
    let Some(row) = incidents::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let stones = milestones::Entity::find()
        .filter(milestones::Column::IncidentId.eq(id))
        .all(conn)
        .await?;
    Ok(Some(to_domain(row, &stones)?))
}

/// Whether any incident has been recorded at all (to tell an empty filter from an empty
/// database).
///
/// # Errors
/// On a database failure.
pub async fn any<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    Ok(incidents::Entity::find().one(conn).await?.is_some())
}

/// Incidents matching the filter, most recent impact first (then newest first).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &IncidentFilter,
) -> Result<Vec<Incident>, DbErr> {
    let mut query = incidents::Entity::find().order_by_desc(incidents::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(incidents::Column::Status.eq(status.as_str()));
    }
    if let Some(severity) = filter.severity {
        query = query.filter(incidents::Column::Severity.eq(severity.as_str()));
    }
    let rows = query.all(conn).await?;
    let mut list = with_milestones(conn, rows).await?;
    list.sort_by(|a, b| {
        let start = |i: &Incident| i.milestones.impact_started.map(|t| t.point());
        start(b).cmp(&start(a)).then(b.id.cmp(&a.id))
    });
    Ok(list)
}

/// One page of the incident list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListPage {
    /// The incidents on the page, in the list's order.
    pub incidents: Vec<Incident>,
    /// Whether more follow the page.
    pub more: bool,
}

/// The `size` incidents matching the filter after the first `offset`, in [`list`]'s order (in
/// SQL, on `ix_incidents_list_order`), with their milestones: two queries whatever the table
/// holds. With `published_only`, only the incidents someone who does not write postmortems may
/// read: published ones, and those published before and now under correction (see
/// `visibility::may_read`).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_page<C: ConnectionTrait>(
    conn: &C,
    filter: &IncidentFilter,
    published_only: bool,
    offset: u64,
    size: u64,
) -> Result<ListPage, DbErr> {
    use sea_orm::sea_query::NullOrdering;
    let mut query = filtered(filter, published_only);
    // Those without an impact start come last: SQLite sorts NULL lowest already (and so uses
    // the index backwards); Postgres must be told.
    query = if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query.order_by_with_nulls(
            incidents::Column::ImpactStartedAt,
            sea_orm::Order::Desc,
            NullOrdering::Last,
        )
    } else {
        query.order_by_desc(incidents::Column::ImpactStartedAt)
    };
    let mut rows = query
        .order_by_desc(incidents::Column::Id)
        .offset(offset)
        .limit(size + 1)
        .all(conn)
        .await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    Ok(ListPage {
        incidents: with_milestones(conn, rows).await?,
        more,
    })
}

/// Whether any incident matches the filter (with `published_only`, as [`list_page`]): one
/// query that stops at the first.
///
/// # Errors
/// On a database failure.
pub async fn any_matching<C: ConnectionTrait>(
    conn: &C,
    filter: &IncidentFilter,
    published_only: bool,
) -> Result<bool, DbErr> {
    let found: Option<i64> = filtered(filter, published_only)
        .select_only()
        .column(incidents::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(found.is_some())
}

fn filtered(filter: &IncidentFilter, published_only: bool) -> sea_orm::Select<incidents::Entity> {
    let mut query = incidents::Entity::find();
    if let Some(status) = filter.status {
        query = query.filter(incidents::Column::Status.eq(status.as_str()));
    }
    if let Some(severity) = filter.severity {
        query = query.filter(incidents::Column::Severity.eq(severity.as_str()));
    }
    if published_only {
        query = query.filter(
            sea_orm::Condition::any()
                .add(incidents::Column::Status.eq(IncidentStatus::Published.as_str()))
                .add(incidents::Column::Revision.gt(1)),
        );
    }
    query
}

/// What the list orders an incident by: the point of its impact start, if known.
fn list_order(stones: &Milestones) -> Option<chrono::DateTime<Utc>> {
    stones
        .impact_started
        .as_ref()
        .map(crate::domain::time::RecordedTime::point)
}

/// An incident row with only the measures the metrics read set, from these milestones.
fn measured(stones: &Milestones) -> incidents::ActiveModel {
    let mut row = <incidents::ActiveModel as Default>::default();
    set_measures(&mut row, stones);
    row
}

/// Sets the measures the metrics read (`time_to_detect_seconds`…) from the milestones written
/// with them, as the domain computes them.
fn set_measures(row: &mut incidents::ActiveModel, stones: &Milestones) {
    let parts = |d: Option<crate::domain::time::ApproxDuration>| {
        (d.map(|d| d.seconds), d.map(|d| d.approximate))
    };
    let (seconds, approximate) = parts(stones.time_to_detect());
    row.time_to_detect_seconds = Set(seconds);
    row.time_to_detect_approximate = Set(approximate);
    let (seconds, approximate) = parts(stones.time_to_mitigate());
    row.time_to_mitigate_seconds = Set(seconds);
    row.time_to_mitigate_approximate = Set(approximate);
    let (seconds, approximate) = parts(stones.impact_duration());
    row.impact_duration_seconds = Set(seconds);
    row.impact_duration_approximate = Set(approximate);
    row.measured = Set(true);
}

/// How many incidents [`measure_unmeasured`] measures per transaction.
const MEASURE_BATCH: u64 = 200;

/// Fills the measures of the incidents recorded before they were kept (`measured` false), a
/// batch of [`MEASURE_BATCH`] per write transaction, from their milestones; returns how many.
/// Once every row is measured it costs one query that finds none, so start-up calls it every
/// time.
///
/// # Errors
/// On a database failure or a row the domain cannot read; the batches written before stay.
pub async fn measure_unmeasured(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let mut done = 0;
    loop {
        let tx = begin_write(db).await?;
        let rows = incidents::Entity::find()
            .filter(incidents::Column::Measured.eq(false))
            .order_by_asc(incidents::Column::Id)
            .limit(MEASURE_BATCH)
            .all(&tx)
            .await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(done);
        }
        done += rows.len();
        for incident in with_milestones(&tx, rows).await? {
            incidents::Entity::update_many()
                .set(measured(&incident.milestones))
                .filter(incidents::Column::Id.eq(incident.id))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
    }
}

/// These incidents (those that exist), newest first, in two queries.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get_many<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<Incident>, DbErr> {
    let rows = incidents::Entity::find()
        .filter(incidents::Column::Id.is_in(ids.iter().copied()))
        .order_by_desc(incidents::Column::Id)
        .all(conn)
        .await?;
    with_milestones(conn, rows).await
}

/// The ids of the incidents whose correction is being written or reviewed (a later revision
/// that is not published yet), below `below`.
///
/// # Errors
/// On a database failure.
pub async fn under_correction_below<C: ConnectionTrait>(
    conn: &C,
    below: i64,
) -> Result<Vec<i64>, DbErr> {
    incidents::Entity::find()
        .select_only()
        .column(incidents::Column::Id)
        .filter(incidents::Column::Revision.gt(1))
        .filter(incidents::Column::Status.ne(IncidentStatus::Published.as_str()))
        .filter(incidents::Column::Id.lt(below))
        .into_tuple()
        .all(conn)
        .await
}

async fn with_milestones<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<incidents::Model>,
) -> Result<Vec<Incident>, DbErr> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let stones = milestones::Entity::find()
        .filter(milestones::Column::IncidentId.is_in(ids))
        .all(conn)
        .await?;
    grouped_milestones(rows, stones)
}

async fn write_milestones<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    stones: &Milestones,
) -> Result<(), DbErr> {
    let now = Utc::now();
    for kind in MilestoneKind::ALL {
        if let Some(time) = stones.get(kind) {
            milestones::ActiveModel {
                incident_id: Set(incident_id),
                kind: Set(kind.as_str().to_owned()),
                at: Set(time.at),
                until: Set(time.until),
                precision: Set(time.precision.as_str().to_owned()),
                offset_minutes: Set(time.offset_minutes),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// Each incident of `rows` with its own milestones, grouped in one pass.
fn grouped_milestones(
    rows: Vec<incidents::Model>,
    stones: Vec<milestones::Model>,
) -> Result<Vec<Incident>, DbErr> {
    let mut by_incident: std::collections::HashMap<i64, Vec<milestones::Model>> =
        std::collections::HashMap::new();
    for stone in stones {
        by_incident
            .entry(stone.incident_id)
            .or_default()
            .push(stone);
    }
    rows.into_iter()
        .map(|row| {
            let own = by_incident.remove(&row.id).unwrap_or_default();
            to_domain(row, &own)
        })
        .collect()
}

fn to_domain(row: incidents::Model, stones: &[milestones::Model]) -> Result<Incident, DbErr> {
    let mut milestones = Milestones::default();
    for stone in stones {
        let kind = stored("milestones.kind", &stone.kind, MilestoneKind::parse)?;
        let time = recorded_time(
            stone.at,
            stone.until,
            &stone.precision,
            stone.offset_minutes,
        )?;
        milestones.set(kind, Some(time));
    }
    Ok(Incident {
        id: row.id,
        severity: stored("incidents.severity", &row.severity, Severity::parse)?,
        status: stored("incidents.status", &row.status, IncidentStatus::parse)?,
        revision: row.revision,
        services: row
            .services
            .lines()
            .map(str::to_owned)
            .filter(|s| !s.is_empty())
            .collect(),
        title: row.title,
        summary_md: row.summary_md,
        milestones,
        lessons: Lessons {
            went_well_md: row.went_well_md,
            went_wrong_md: row.went_wrong_md,
            lucky_md: row.lucky_md,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
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

/// The incidents that meet `condition`, in the list's order (newest impact first).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_where<C: ConnectionTrait>(
    conn: &C,
    condition: sea_orm::Condition,
) -> Result<Vec<Incident>, DbErr> {
    use sea_orm::sea_query::NullOrdering;
    let query = incidents::Entity::find().filter(condition);
    let query = if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query.order_by_with_nulls(
            incidents::Column::ImpactStartedAt,
            sea_orm::Order::Desc,
            NullOrdering::Last,
        )
    } else {
        query.order_by_desc(incidents::Column::ImpactStartedAt)
    };
    let rows = query.order_by_desc(incidents::Column::Id).all(conn).await?;
    with_milestones(conn, rows).await
}

/// Every incident a reader may read, newest first: only those ever published when
/// `published_only` (viewers), with their milestones, in two statements whatever their number.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn readable<C: ConnectionTrait>(
    conn: &C,
    published_only: bool,
) -> Result<Vec<Incident>, DbErr> {
    use sea_orm::sea_query::Query;
    let condition = if published_only {
        sea_orm::Condition::any()
            .add(incidents::Column::Status.eq(IncidentStatus::Published.as_str()))
            .add(incidents::Column::Revision.gt(1))
    } else {
        sea_orm::Condition::all()
    };
    let rows = incidents::Entity::find()
        .filter(condition.clone())
        .order_by_desc(incidents::Column::Id)
        .all(conn)
        .await?;
    let stones = milestones::Entity::find()
        .filter(
            milestones::Column::IncidentId.in_subquery(
                Query::select()
                    .column(incidents::Column::Id)
                    .from(incidents::Entity)
                    .cond_where(condition)
                    .to_owned(),
            ),
        )
        .all(conn)
        .await?;
    grouped_milestones(rows, stones)
}

/// (id, title) of the first `limit` incidents that meet `condition`, in the list's order: a
/// choice list or the titles of a few, without their milestones.
///
/// # Errors
/// On a database failure.
pub async fn titles_where<C: ConnectionTrait>(
    conn: &C,
    condition: sea_orm::Condition,
    limit: u64,
) -> Result<Vec<(i64, String)>, DbErr> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::NullOrdering;
    let query = incidents::Entity::find()
        .select_only()
        .limit(limit)
        .column(incidents::Column::Id)
        .column(incidents::Column::Title)
        .filter(condition);
    let query = if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query.order_by_with_nulls(
            incidents::Column::ImpactStartedAt,
            sea_orm::Order::Desc,
            NullOrdering::Last,
        )
    } else {
        query.order_by_desc(incidents::Column::ImpactStartedAt)
    };
    query
        .order_by_desc(incidents::Column::Id)
        .into_tuple()
        .all(conn)
        .await
}
