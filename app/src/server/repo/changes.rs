//! Changes linked to an incident, with the parameters they ran with.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::{recorded_time, stored};
use super::part;
use crate::domain::change::{
    Change, ChangeKind, ChangeRelation, NewChange, NewParameter, Parameter,
};
use crate::server::edit::{AddablePart, EditablePart, Stored};
use crate::server::entities::{change_parameters as params, changes as rows};

/// Links a new change to an incident; returns its id.
///
/// # Errors
/// On a database failure (including an incident that does not exist).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    change: &NewChange,
) -> Result<i64, DbErr> {
    let mut row = rows::ActiveModel {
        incident_id: Set(incident_id),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    };
    fill(&mut row, change);
    Ok(row.insert(conn).await?.id)
}

/// Replaces a change's fields (not its parameters); returns its incident, or None when there is no such change.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    change: &NewChange,
) -> Result<Option<i64>, DbErr> {
    part::update::<rows::Entity, _>(conn, id, |row| fill(row, change)).await
}

/// Deletes a change and its parameters; follow-ups that targeted it keep existing, untargeted.
/// Returns the incident it belonged to, or None when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    part::delete::<rows::Entity, _>(conn, id).await
}

/// One change with its parameters.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Change>, DbErr> {
    let Some(row) = rows::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let parameters = parameters_of(conn, &[id]).await?;
    Ok(Some(to_domain(row, parameters)?))
}

/// An incident's changes with their parameters, in the order they were recorded.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<Change>, DbErr> {
    list_where(conn, rows::Column::IncidentId.eq(incident_id)).await
}

/// The changes with these ids (those that exist), with their parameters, in two queries.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get_many<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<Change>, DbErr> {
    list_where(conn, rows::Column::Id.is_in(ids.iter().copied())).await
}

/// Every change, with its parameters (for insights across incidents).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_all<C: ConnectionTrait>(conn: &C) -> Result<Vec<Change>, DbErr> {
    // Every parameter in one statement: an IN list of every change would grow with them.
    let found = rows::Entity::find()
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?;
    let parameters: Vec<Parameter> = params::Entity::find()
        .order_by_asc(params::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_parameter)
        .collect();
    with_parameters(found, parameters)
}

/// The most recent `limit` incidents below `below` in which one of these jobs (system and
/// identifier, or summary when it has none, as `domain::change::job_key` compares them:
/// trimmed, lowercased) was involved (anything but ruled out), newest first. With
/// `published_only`, only incidents published as they stand. One query, on `ix_changes_job`.
///
/// # Errors
/// On a database failure.
pub async fn incidents_involving<C: ConnectionTrait>(
    conn: &C,
    jobs: &[(String, String)],
    below: i64,
    published_only: bool,
    limit: u64,
) -> Result<Vec<i64>, DbErr> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    involving(jobs, below, published_only, limit)
        .into_tuple()
        .all(conn)
        .await
}

/// The query of [`incidents_involving`], for jobs that are not none.
fn involving(
    jobs: &[(String, String)],
    below: i64,
    published_only: bool,
    limit: u64,
) -> sea_orm::Select<rows::Entity> {
    use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func, Query};
    use sea_orm::{Condition, QuerySelect};
    let trimmed_lower = |column: rows::Column| {
        Expr::expr(Func::lower(
            Func::cust(Alias::new("trim")).arg(Expr::col(column)),
        ))
    };
    let job = CaseStatement::new()
        .case(
            // The empty string spelled in the SQL, not bound: the index `ix_changes_job` is on
            // this expression, and a bound value would not be the same expression.
            Expr::expr(Func::cust(Alias::new("trim")).arg(Expr::col(rows::Column::Identifier)))
                .eq(Expr::cust("''")),
            trimmed_lower(rows::Column::Summary),
        )
        .finally(trimmed_lower(rows::Column::Identifier));
    let mut any_job = Condition::any();
    for (system, identifier) in jobs {
        any_job = any_job.add(
            Condition::all()
                .add(trimmed_lower(rows::Column::System).eq(system.clone()))
                .add(Expr::expr(job.clone()).eq(identifier.clone())),
        );
    }
    let mut query = rows::Entity::find()
        .select_only()
        .column(rows::Column::IncidentId)
        .distinct()
        .filter(rows::Column::IncidentId.lt(below))
        .filter(rows::Column::Relation.ne(crate::domain::change::ChangeRelation::RuledOut.as_str()))
        .filter(any_job);
    if published_only {
        query = query.filter(
            rows::Column::IncidentId.in_subquery(
                Query::select()
                    .column(crate::server::entities::incidents::Column::Id)
                    .from(crate::server::entities::incidents::Entity)
                    .and_where(
                        Expr::col(crate::server::entities::incidents::Column::Status)
                            .eq(crate::domain::incident::IncidentStatus::Published.as_str()),
                    )
                    .to_owned(),
            ),
        );
    }
    query.order_by_desc(rows::Column::IncidentId).limit(limit)
}

/// The changes of these incidents made by any of these systems, matched ignoring case and
/// surrounding spaces, with their parameters. The incidents are a few (a page's earlier
/// incidents) and a system may have thousands of changes, so the database finds the incidents'
/// changes by their index and the systems are matched here.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn of_systems_in<C: ConnectionTrait>(
    conn: &C,
    systems: &[String],
    incident_ids: &[i64],
) -> Result<Vec<Change>, DbErr> {
    let lowered: Vec<String> = systems.iter().map(|s| s.trim().to_lowercase()).collect();
    let mut found = list_where(
        conn,
        rows::Column::IncidentId.is_in(incident_ids.iter().copied()),
    )
    .await?;
    found.retain(|c| lowered.contains(&c.change.system.trim().to_lowercase()));
    Ok(found)
}

async fn list_where<C: ConnectionTrait>(
    conn: &C,
    condition: sea_orm::sea_query::SimpleExpr,
) -> Result<Vec<Change>, DbErr> {
    let found = rows::Entity::find()
        .filter(condition)
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
    let all_parameters = parameters_of(conn, &ids).await?;
    with_parameters(found, all_parameters)
}

/// Adds a parameter to a change; returns its id.
///
/// # Errors
/// On a database failure (including a change that does not exist).
pub async fn add_parameter<C: ConnectionTrait>(
    conn: &C,
    change_id: i64,
    parameter: &NewParameter,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let row = params::ActiveModel {
        change_id: Set(change_id),
        name: Set(parameter.name.clone()),
        value: Set(parameter.value.clone()),
        is_default: Set(parameter.is_default),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Replaces a parameter; returns it as stored, or None when there is no such parameter.
///
/// # Errors
/// On a database failure.
pub async fn update_parameter<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    parameter: &NewParameter,
) -> Result<Option<Parameter>, DbErr> {
    let Some(found) = params::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let next = found.version + 1;
    let mut row: params::ActiveModel = found.into();
    row.version = Set(next);
    row.name = Set(parameter.name.clone());
    row.value = Set(parameter.value.clone());
    row.is_default = Set(parameter.is_default);
    row.updated_at = Set(Utc::now());
    Ok(Some(to_parameter(row.update(conn).await?)))
}

/// Deletes a parameter; returns it as it was, or None when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete_parameter<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<Parameter>, DbErr> {
    let Some(found) = params::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    params::Entity::delete_by_id(id).exec(conn).await?;
    Ok(Some(to_parameter(found)))
}

/// One parameter.
///
/// # Errors
/// On a database failure.
pub async fn get_parameter<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<Parameter>, DbErr> {
    Ok(params::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_parameter))
}

async fn parameters_of<C: ConnectionTrait>(
    conn: &C,
    change_ids: &[i64],
) -> Result<Vec<Parameter>, DbErr> {
    Ok(params::Entity::find()
        .filter(params::Column::ChangeId.is_in(change_ids.iter().copied()))
        .order_by_asc(params::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_parameter)
        .collect())
}

fn fill(row: &mut rows::ActiveModel, change: &NewChange) {
    row.summary = Set(change.summary.clone());
    row.kind = Set(change.kind.as_str().to_owned());
    row.system = Set(change.system.clone());
    row.identifier = Set(change.identifier.clone());
    row.link = Set(change.link.clone());
    row.started_by = Set(change.started_by.clone());
    row.plan = Set(change.plan.clone());
    row.reviewer = Set(change.reviewer.clone());
    row.relation = Set(change.relation.as_str().to_owned());
    row.rationale_md = Set(change.rationale_md.clone());
    row.at = Set(change.time.map(|t| t.at));
    row.until = Set(change.time.and_then(|t| t.until));
    row.precision = Set(change.time.map(|t| t.precision.as_str().to_owned()));
    row.offset_minutes = Set(change.time.map(|t| t.offset_minutes));
    row.updated_at = Set(Utc::now());
}

fn to_parameter(row: params::Model) -> Parameter {
    Parameter {
        version: row.version,
        id: row.id,
        change_id: row.change_id,
        parameter: NewParameter {
            name: row.name,
            value: row.value,
            is_default: row.is_default,
        },
    }
}

/// Each change of `found` with its own parameters (`parameters` in the order each change lists
/// them), grouped in one pass.
fn with_parameters(
    found: Vec<rows::Model>,
    parameters: Vec<Parameter>,
) -> Result<Vec<Change>, DbErr> {
    let mut by_change: std::collections::HashMap<i64, Vec<Parameter>> =
        std::collections::HashMap::new();
    for parameter in parameters {
        by_change
            .entry(parameter.change_id)
            .or_default()
            .push(parameter);
    }
    found
        .into_iter()
        .map(|row| {
            let own = by_change.remove(&row.id).unwrap_or_default();
            to_domain(row, own)
        })
        .collect()
}

fn to_domain(row: rows::Model, parameters: Vec<Parameter>) -> Result<Change, DbErr> {
    let time = match (row.at, row.precision.as_deref()) {
        (Some(at), Some(precision)) => Some(recorded_time(
            at,
            row.until,
            precision,
            row.offset_minutes.unwrap_or(0),
        )?),
        _ => None,
    };
    Ok(Change {
        id: row.id,
        incident_id: row.incident_id,
        change: NewChange {
            kind: stored("changes.kind", &row.kind, ChangeKind::parse)?,
            relation: stored("changes.relation", &row.relation, ChangeRelation::parse)?,
            summary: row.summary,
            system: row.system,
            identifier: row.identifier,
            link: row.link,
            time,
            started_by: row.started_by,
            plan: row.plan,
            reviewer: row.reviewer,
            rationale_md: row.rationale_md,
        },
        parameters,
    })
}

part::part_of_incident!(rows);

/// A change linked to an incident, edited on its own form (its fields; parameters are parts of
/// their own).
pub struct ChangePart;

impl EditablePart for ChangePart {
    type Value = NewChange;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewChange>>, DbErr> {
        part::load::<rows::Entity, _, _>(conn, id, |row| {
            to_domain(row, Vec::new()).map(|found| found.change)
        })
        .await
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &NewChange) -> Result<(), DbErr> {
        update(conn, id, value).await.map(drop)
    }
}

impl AddablePart for ChangePart {
    type New = NewChange;

    fn value_of(new: &NewChange) -> &NewChange {
        new
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        incident_id: i64,
        new: &NewChange,
    ) -> Result<i64, DbErr> {
        add(conn, incident_id, new).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        delete(conn, id).await.map(drop)
    }
}

/// A parameter a change ran with, added under its change.
pub struct ParameterPart;

impl EditablePart for ParameterPart {
    type Value = NewParameter;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewParameter>>, DbErr> {
        let Some(found) = get_parameter(conn, id).await? else {
            return Ok(None);
        };
        let Some(incident_id) = Self::incident_of(conn, found.change_id).await? else {
            return Ok(None);
        };
        Ok(Some(Stored {
            id,
            incident_id,
            parent_id: found.change_id,
            version: found.version,
            value: found.parameter,
        }))
    }

    async fn save<C: ConnectionTrait>(
        conn: &C,
        id: i64,
        value: &NewParameter,
    ) -> Result<(), DbErr> {
        update_parameter(conn, id, value).await.map(drop)
    }
}

impl AddablePart for ParameterPart {
    type New = NewParameter;

    fn value_of(new: &NewParameter) -> &NewParameter {
        new
    }

    async fn incident_of<C: ConnectionTrait>(
        conn: &C,
        change_id: i64,
    ) -> Result<Option<i64>, DbErr> {
        Ok(rows::Entity::find_by_id(change_id)
            .one(conn)
            .await?
            .map(|row| row.incident_id))
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        change_id: i64,
        new: &NewParameter,
    ) -> Result<i64, DbErr> {
        add_parameter(conn, change_id, new).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        delete_parameter(conn, id).await.map(drop)
    }

    fn parent_label(change_id: i64) -> String {
        format!("Change {change_id}")
    }
}

/// The changes the follow-ups whose ids `follow_ups` (a query selecting one column of ids)
/// selects address, with their parameters, ordered by id: without binding every id.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn addressed_by<C: ConnectionTrait>(
    conn: &C,
    follow_ups: sea_orm::sea_query::SelectStatement,
) -> Result<Vec<Change>, DbErr> {
    use crate::server::entities::follow_ups as f;
    let ids = sea_orm::sea_query::Query::select()
        .column(f::Column::ChangeId)
        .from(f::Entity)
        .and_where(f::Column::Id.in_subquery(follow_ups))
        .to_owned();
    let found = rows::Entity::find()
        .filter(rows::Column::Id.in_subquery(ids.clone()))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?;
    let parameters: Vec<Parameter> = params::Entity::find()
        .filter(params::Column::ChangeId.in_subquery(ids))
        .order_by_asc(params::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_parameter)
        .collect();
    with_parameters(found, parameters)
}

/// Up to `limit` changes, with their parameters, with ids above `after`, oldest first, of
/// incidents published as they stand (not those under correction, whose readers who do not
/// write postmortems see the published changes instead); of `system` only (ignoring case) when
/// given. A keyset page: the read API's change list walks them by id.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn published_after<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    system: Option<&str>,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    use crate::domain::incident::IncidentStatus;
    use crate::server::entities::incidents;
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
    let published = Query::select()
        .column(incidents::Column::Id)
        .from(incidents::Entity)
        .and_where(incidents::Column::Status.eq(IncidentStatus::Published.as_str()))
        .to_owned();
    let mut query = rows::Entity::find()
        .filter(rows::Column::IncidentId.in_subquery(published))
        .filter(rows::Column::Id.gt(after));
    if let Some(system) = system {
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(rows::Column::System)))
                .eq(system.trim().to_lowercase()),
        );
    }
    let found = query
        .order_by_asc(rows::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
    let all_parameters = parameters_of(conn, &ids).await?;
    with_parameters(found, all_parameters)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use sea_orm::{ConnectionTrait, QueryTrait, Statement};

    /// The query plan SQLite chooses for the earlier incidents of two jobs, as text.
    async fn plan_of_involving(published_only: bool) -> String {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = crate::server::db::connect(&url).await.expect("a database");
        let jobs = [
            ("jenkins".to_owned(), "deploy-login".to_owned()),
            ("consul".to_owned(), "migrate-cdn".to_owned()),
        ];
        let built =
            super::involving(&jobs, 500, published_only, 20).build(db.get_database_backend());
        let explain = Statement::from_sql_and_values(
            db.get_database_backend(),
            format!("EXPLAIN QUERY PLAN {}", built.sql),
            built.values.map(|v| v.0).unwrap_or_default(),
        );
        let rows = db.query_all_raw(explain).await.expect("a plan");
        rows.iter()
            .map(|row| row.try_get_by_index::<String>(3).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[tokio::test]
    async fn the_earlier_incidents_of_a_job_are_found_on_the_job_index_not_by_reading_the_system() {
        for published_only in [false, true] {
            let plan = plan_of_involving(published_only).await;
            assert!(
                plan.contains(
                    "USING INDEX ix_changes_job (<expr>=? AND <expr>=? AND incident_id<?)"
                ),
                "published_only {published_only}: {plan}"
            );
            assert!(!plan.contains("ix_changes_job_system"), "{plan}");
        }
    }
}
