//! The people who took part in an incident.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::participant::NewParticipant;
use crate::server::entities::{incident_participants as rows, users};

/// A participant with their name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub user_id: i64,
    pub name: String,
    pub part: String,
}

/// Adds someone to an incident (a second time is refused by the primary key).
///
/// # Errors
/// On a database failure.
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    participant: &NewParticipant,
) -> Result<(), DbErr> {
    rows::ActiveModel {
        incident_id: Set(incident_id),
        user_id: Set(participant.user_id),
        part: Set(participant.part.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Removes someone from an incident; false when they were not on it.
///
/// # Errors
/// On a database failure.
pub async fn remove<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    user_id: i64,
) -> Result<bool, DbErr> {
    Ok(rows::Entity::delete_many()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .filter(rows::Column::UserId.eq(user_id))
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// An incident's participants, in the order they were added.
///
/// # Errors
/// On a database failure.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<Participant>, DbErr> {
    let rows = rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_asc(rows::Column::CreatedAt)
        .all(conn)
        .await?;
    let people = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Participant {
            name: people
                .iter()
                .find(|u| u.id == row.user_id)
                .map(|u| u.display_name.clone())
                .unwrap_or_default(),
            user_id: row.user_id,
            part: row.part,
        })
        .collect())
}
