//! An incident's milestones: written with it, read with it into the domain's [`Incident`], and
//! the list order and measures the metrics read, kept from them on the incident's row.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::incident::{
    Incident, IncidentStatus, Lessons, MilestoneKind, Milestones, Severity,
};
use crate::server::db::begin_write;
use crate::server::entities::{incidents, milestones};
use crate::server::repo::convert::{recorded_time, stored};

/// What the list orders an incident by: the point of its impact start, if known.
pub(super) fn list_order(stones: &Milestones) -> Option<chrono::DateTime<Utc>> {
    stones
        .impact_started
        .as_ref()
        .map(crate::domain::time::RecordedTime::point)
}

/// An incident row with only the measures the metrics read set, from these milestones.
pub(super) fn measured(stones: &Milestones) -> incidents::ActiveModel {
    let mut row = <incidents::ActiveModel as Default>::default();
    set_measures(&mut row, stones);
    row
}

/// Sets the measures the metrics read (`time_to_detect_seconds`…) from the milestones written
/// with them, as the domain computes them.
pub(super) fn set_measures(row: &mut incidents::ActiveModel, stones: &Milestones) {
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

pub(super) async fn with_milestones<C: ConnectionTrait>(
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

pub(super) async fn write_milestones<C: ConnectionTrait>(
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
pub(super) fn grouped_milestones(
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

pub(super) fn to_domain(
    row: incidents::Model,
    stones: &[milestones::Model],
) -> Result<Incident, DbErr> {
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
