//! Review groups and their members: creating a group with its first incidents, adding and
//! removing incidents (each in at most one group, which the members' primary key enforces),
//! and reading a group, an incident's group and the incidents that could join one. Every
//! change records who made it and when on the group.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::server::entities::{
    incidents, review_group_members as members, review_groups as groups,
};

/// A group as stored, with its members' incident ids (oldest incident first).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredGroup {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    pub incident_ids: Vec<i64>,
}

/// Creates a group named `name` holding `incident_ids`; returns its id.
///
/// # Errors
/// On a database failure, including an incident already in a group.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    by: &str,
    incident_ids: &[i64],
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let group = groups::ActiveModel {
        name: Set(name.to_owned()),
        created_by: Set(by.to_owned()),
        created_at: Set(now),
        updated_by: Set(by.to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for incident_id in incident_ids {
        add_member(conn, group.id, *incident_id, by, now).await?;
    }
    Ok(group.id)
}

async fn add_member<C: ConnectionTrait>(
    conn: &C,
    group_id: i64,
    incident_id: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    members::ActiveModel {
        incident_id: Set(incident_id),
        review_group_id: Set(group_id),
        added_by: Set(by.to_owned()),
        added_at: Set(now),
    }
    .insert(conn)
    .await
    .map(drop)
}

async fn touch<C: ConnectionTrait>(
    conn: &C,
    group_id: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    groups::ActiveModel {
        id: Set(group_id),
        updated_by: Set(by.to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await
    .map(drop)
}

/// Adds an incident to a group, recording who changed the group.
///
/// # Errors
/// On a database failure, including an incident already in a group.
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    group_id: i64,
    incident_id: i64,
    by: &str,
) -> Result<(), DbErr> {
    let now = Utc::now();
    add_member(conn, group_id, incident_id, by, now).await?;
    touch(conn, group_id, by, now).await
}

/// Takes an incident out of a group; whether it was in it.
///
/// # Errors
/// On a database failure.
pub async fn remove<C: ConnectionTrait>(
    conn: &C,
    group_id: i64,
    incident_id: i64,
    by: &str,
) -> Result<bool, DbErr> {
    let removed = members::Entity::delete_many()
        .filter(members::Column::ReviewGroupId.eq(group_id))
        .filter(members::Column::IncidentId.eq(incident_id))
        .exec(conn)
        .await?
        .rows_affected
        > 0;
    if removed {
        touch(conn, group_id, by, Utc::now()).await?;
    }
    Ok(removed)
}

/// One group.
///
/// # Errors
/// On a database failure.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<StoredGroup>, DbErr> {
    let Some(group) = groups::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let incident_ids = members::Entity::find()
        .filter(members::Column::ReviewGroupId.eq(id))
        .order_by_asc(members::Column::IncidentId)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.incident_id)
        .collect();
    Ok(Some(stored(group, incident_ids)))
}

fn stored(group: groups::Model, incident_ids: Vec<i64>) -> StoredGroup {
    StoredGroup {
        id: group.id,
        name: group.name,
        created_by: group.created_by,
        created_at: group.created_at,
        updated_by: group.updated_by,
        updated_at: group.updated_at,
        incident_ids,
    }
}

/// Every group, newest first, with its members.
///
/// # Errors
/// On a database failure.
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<StoredGroup>, DbErr> {
    let all = members::Entity::find()
        .order_by_asc(members::Column::IncidentId)
        .all(conn)
        .await?;
    Ok(groups::Entity::find()
        .order_by_desc(groups::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|group| {
            let ids = all
                .iter()
                .filter(|m| m.review_group_id == group.id)
                .map(|m| m.incident_id)
                .collect();
            stored(group, ids)
        })
        .collect())
}

/// The group an incident is in, as (id, name).
///
/// # Errors
/// On a database failure.
pub async fn group_of<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Option<(i64, String)>, DbErr> {
    let Some(member) = members::Entity::find_by_id(incident_id).one(conn).await? else {
        return Ok(None);
    };
    Ok(groups::Entity::find_by_id(member.review_group_id)
        .one(conn)
        .await?
        .map(|g| (g.id, g.name)))
}

/// The most incidents offered to join a group.
pub const MAX_CANDIDATES: u64 = 200;

/// Incidents in no group, newest first (at most [`MAX_CANDIDATES`]), as (id, title).
///
/// # Errors
/// On a database failure.
pub async fn ungrouped<C: ConnectionTrait>(conn: &C) -> Result<Vec<(i64, String)>, DbErr> {
    use sea_orm::sea_query::Query;
    let grouped = Query::select()
        .column(members::Column::IncidentId)
        .from(members::Entity)
        .to_owned();
    incidents::Entity::find()
        .select_only()
        .column(incidents::Column::Id)
        .column(incidents::Column::Title)
        .filter(incidents::Column::Id.not_in_subquery(grouped))
        .order_by_desc(incidents::Column::Id)
        .limit(MAX_CANDIDATES)
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await
}
