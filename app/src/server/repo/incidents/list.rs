//! Lists of incidents: the list page's filter and page, newest impact first.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::milestones::with_milestones;
use crate::domain::incident::{Incident, IncidentStatus, Severity};
use crate::server::entities::incidents;

/// Which incidents a list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncidentFilter {
    pub status: Option<IncidentStatus>,
    pub severity: Option<Severity>,
    /// A custom field's key and the value it must hold exactly.
    pub field_value: Option<(String, String)>,
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
    if let Some((key, value)) = &filter.field_value {
        query = query.filter(
            incidents::Column::Id
                .in_subquery(crate::server::repo::templates::with_value(key, value)),
        );
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
    if let Some((key, value)) = &filter.field_value {
        query = query.filter(
            incidents::Column::Id
                .in_subquery(crate::server::repo::templates::with_value(key, value)),
        );
    }
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

/// Up to `size` incidents matching the filter with ids below `before` (all when None), newest
/// first, with their milestones; with `published_only`, as [`list_page`]. A keyset page: the
/// read API's incident list walks them by id, so a page costs the same however deep it is.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn page_before<C: ConnectionTrait>(
    conn: &C,
    filter: &IncidentFilter,
    published_only: bool,
    before: Option<i64>,
    size: u64,
) -> Result<Vec<Incident>, DbErr> {
    let mut query = filtered(filter, published_only);
    if let Some(before) = before {
        query = query.filter(incidents::Column::Id.lt(before));
    }
    let rows = query
        .order_by_desc(incidents::Column::Id)
        .limit(size)
        .all(conn)
        .await?;
    with_milestones(conn, rows).await
}
