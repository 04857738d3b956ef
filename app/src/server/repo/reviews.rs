//! Review decisions on postmortems.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::stored;
use crate::domain::review::{ChecklistItem, Decision, ReviewStep};
use crate::server::entities::reviews as rows;

/// A stored decision with who made it and when.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredReview {
    pub revision: i32,
    pub reviewer_id: Option<i64>,
    pub reviewer_name: String,
    pub at: DateTime<Utc>,
    pub decision: Decision,
}

/// Records a reviewer's decision on a revision.
///
/// # Errors
/// On a database failure.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    revision: i32,
    (reviewer_id, reviewer_name): (i64, &str),
    decision: &Decision,
) -> Result<(), DbErr> {
    rows::ActiveModel {
        incident_id: Set(incident_id),
        revision: Set(revision),
        reviewer_id: Set(Some(reviewer_id)),
        reviewer_name: Set(reviewer_name.to_owned()),
        step: Set(decision.step.as_str().to_owned()),
        checked: Set(decision
            .checked
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("\n")),
        comments: Set(decision.comments.clone()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// An incident's review decisions, newest first.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<StoredReview>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_desc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            Ok(StoredReview {
                revision: row.revision,
                reviewer_id: row.reviewer_id,
                reviewer_name: row.reviewer_name,
                at: row.at,
                decision: Decision {
                    step: stored("reviews.step", &row.step, ReviewStep::parse)?,
                    checked: row
                        .checked
                        .lines()
                        .map(|c| stored("reviews.checked", c, ChecklistItem::parse))
                        .collect::<Result<_, _>>()?,
                    comments: row.comments,
                },
            })
        })
        .collect()
}
