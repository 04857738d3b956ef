//! The last published version of each postmortem.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

use super::{changes, follow_ups, impact, incidents, timeline};
use crate::domain::published::PublishedPostmortem;
use crate::server::entities::published_postmortems as rows;

/// Keeps the postmortem as it stands now as its published version (replacing the last one).
/// Call it inside the write that publishes it, after its status is set.
///
/// # Errors
/// On a database failure, or when the incident does not exist.
pub async fn keep<C: ConnectionTrait>(conn: &C, incident_id: i64) -> Result<(), DbErr> {
    let incident = incidents::get(conn, incident_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("incident {incident_id}")))?;
    let published = PublishedPostmortem {
        impact: impact::list_for_incidents(conn, &[incident_id]).await?,
        changes: changes::list_for(conn, incident_id).await?,
        timeline: timeline::list_for(conn, incident_id).await?,
        follow_ups: Some(
            follow_ups::list(
                conn,
                &follow_ups::FollowUpFilter {
                    incident_id: Some(incident_id),
                    ..Default::default()
                },
            )
            .await?,
        ),
        factors: Some(super::factors::list_for(conn, incident_id).await?),
        incident,
    };
    let data = serde_json::to_string(&published)
        .map_err(|e| DbErr::Custom(format!("a published postmortem as JSON: {e}")))?;
    rows::Entity::delete_by_id(incident_id).exec(conn).await?;
    super::library::keep_lessons(conn, &published.incident).await?;
    rows::ActiveModel {
        incident_id: Set(incident_id),
        revision: Set(published.incident.revision),
        data: Set(data),
        published_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The published version of a postmortem, if it has one.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn get<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Option<PublishedPostmortem>, DbErr> {
    rows::Entity::find_by_id(incident_id)
        .one(conn)
        .await?
        .map(|row| {
            serde_json::from_str(&row.data).map_err(|e| {
                DbErr::Custom(format!("published_postmortems.data is unreadable: {e}"))
            })
        })
        .transpose()
}

/// The published versions of these incidents (those that have one), in one query.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn get_many<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
) -> Result<Vec<PublishedPostmortem>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    rows::Entity::find()
        .filter(rows::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            serde_json::from_str(&row.data).map_err(|e| {
                DbErr::Custom(format!("published_postmortems.data is unreadable: {e}"))
            })
        })
        .collect()
}

/// The published versions of the postmortems under correction (a new revision being written or
/// reviewed), which readers who do not write postmortems read instead: as many as there are
/// corrections under way. One published before published versions were kept has none.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn of_corrections<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<PublishedPostmortem>, DbErr> {
    let under_correction =
        crate::server::repo::incidents::under_correction_below(conn, i64::MAX).await?;
    if under_correction.is_empty() {
        return Ok(Vec::new());
    }
    get_many(conn, &under_correction).await
}

/// When a postmortem's published version was kept, if it has one.
///
/// # Errors
/// On a database failure.
pub async fn published_at<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(rows::Entity::find_by_id(incident_id)
        .one(conn)
        .await?
        .map(|row| row.published_at))
}

/// Every published postmortem's published version, newest incident first.
///
/// # Errors
/// On a database failure or data the domain cannot read.
pub async fn list_all<C: ConnectionTrait>(conn: &C) -> Result<Vec<PublishedPostmortem>, DbErr> {
    use sea_orm::QueryOrder;
    rows::Entity::find()
        .order_by_desc(rows::Column::IncidentId)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            serde_json::from_str(&row.data).map_err(|e| {
                DbErr::Custom(format!("published_postmortems.data is unreadable: {e}"))
            })
        })
        .collect()
}
