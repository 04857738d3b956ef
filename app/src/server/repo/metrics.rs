//! Which incidents are left out of the metrics, and why.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::server::entities::metric_exclusions as rows;

/// Every exclusion: (incident, reason, who).
///
/// # Errors
/// On a database failure.
pub async fn exclusions<C: ConnectionTrait>(conn: &C) -> Result<Vec<(i64, String, String)>, DbErr> {
    Ok(rows::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.incident_id, r.reason, r.excluded_by))
        .collect())
}

/// The exclusions of these incidents (those that have one): (incident, reason, who).
///
/// # Errors
/// On a database failure.
pub async fn exclusions_of<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
) -> Result<Vec<(i64, String, String)>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(rows::Entity::find()
        .filter(rows::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.incident_id, r.reason, r.excluded_by))
        .collect())
}

/// Leaves an incident out of the metrics (replacing any earlier reason).
///
/// # Errors
/// On a database failure.
pub async fn exclude<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    reason: &str,
    by: &str,
) -> Result<(), DbErr> {
    // One statement, so a refused write leaves the earlier reason in place.
    rows::Entity::insert(rows::ActiveModel {
        incident_id: Set(incident_id),
        reason: Set(reason.to_owned()),
        excluded_by: Set(by.to_owned()),
        excluded_at: Set(Utc::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(rows::Column::IncidentId)
            .update_columns([
                rows::Column::Reason,
                rows::Column::ExcludedBy,
                rows::Column::ExcludedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Counts an incident in the metrics again.
///
/// # Errors
/// On a database failure.
pub async fn include<C: ConnectionTrait>(conn: &C, incident_id: i64) -> Result<(), DbErr> {
    rows::Entity::delete_by_id(incident_id).exec(conn).await?;
    Ok(())
}
