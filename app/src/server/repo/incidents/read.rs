//! Reading incidents: one, several by id, those a condition picks, and their titles.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::milestones::{grouped_milestones, to_domain, with_milestones};
use crate::domain::incident::{Incident, IncidentStatus};
use crate::server::entities::{incidents, milestones};

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
