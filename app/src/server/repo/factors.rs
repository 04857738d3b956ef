//! Contributing factors of incidents, their categories, and the cross-incident questions asked
//! of them: which other incidents had a factor of a category (the recurrence hint while
//! writing), and the factors by category and by system with their follow-ups (what keeps
//! hurting us, on /changes). Those are grouped SQL queries on `ix_factors_category_incident`,
//! never whole tables read into memory.
//!
//! A reader who does not write postmortems counts only published postmortems' factors: a
//! correction under way is left out for them rather than shown unreviewed.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set, Statement, Value,
};

use super::convert::stored;
use super::part;
use crate::domain::change::{FollowUpTally, IncidentRef};
use crate::domain::factor::{
    Category, ChangeLink, Factor, FactorRole, FactorRollup, NewFactor, Recurrence,
};
use crate::domain::follow_up::FollowUpState;
use crate::domain::incident::IncidentStatus;
use crate::server::edit::{AddablePart, EditablePart, Stored};
use crate::server::entities::factor_categories as categories;
use crate::server::entities::factor_links as links;
use crate::server::entities::factors as rows;
use crate::server::entities::follow_ups;

/// How many incidents a recurrence or a rollup lists: the most recent.
pub const INCIDENTS_LISTED: usize = 5;
/// How many rows each view of the rollup shows: the categories (or category and system) with
/// the most incidents.
pub const ROLLUP_ROWS: usize = 20;

fn statement(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = conn.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        // Positional parameters: ? becomes $1, $2, … in order.
        let mut n = 0;
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Adds a factor to an incident; returns its id.
///
/// # Errors
/// On a database failure (including a category, change or entry that does not exist).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    factor: &NewFactor,
) -> Result<i64, DbErr> {
    let mut row = rows::ActiveModel {
        incident_id: Set(incident_id),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    };
    fill(&mut row, factor);
    let id = row.insert(conn).await?.id;
    write_links(conn, id, factor).await?;
    Ok(id)
}

/// Replaces the links of factor `id` with those of `factor`, in its order.
async fn write_links<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    factor: &NewFactor,
) -> Result<(), DbErr> {
    links::Entity::delete_many()
        .filter(links::Column::FactorId.eq(id))
        .exec(conn)
        .await?;
    let rows: Vec<links::ActiveModel> = factor
        .changes
        .iter()
        .map(|c| links::ActiveModel {
            factor_id: Set(id),
            change_id: Set(Some(c.change_id)),
            parameter_id: Set(c.parameter_id),
            timeline_entry_id: Set(None),
            ..Default::default()
        })
        .chain(factor.timeline_entries.iter().map(|e| links::ActiveModel {
            factor_id: Set(id),
            change_id: Set(None),
            parameter_id: Set(None),
            timeline_entry_id: Set(Some(*e)),
            ..Default::default()
        }))
        .collect();
    if !rows.is_empty() {
        links::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Fills in the links of `factors` (loaded without them): one query.
async fn with_links<C: ConnectionTrait>(
    conn: &C,
    factors: &mut [&mut NewFactor],
    ids: &[i64],
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let found = links::Entity::find()
        .filter(links::Column::FactorId.is_in(ids.iter().copied()))
        .order_by_asc(links::Column::Id)
        .all(conn)
        .await?;
    for link in found {
        let Some(n) = ids.iter().position(|id| *id == link.factor_id) else {
            continue;
        };
        let factor = &mut factors[n];
        match (link.change_id, link.timeline_entry_id) {
            (Some(change_id), _) => {
                let change = ChangeLink {
                    change_id,
                    parameter_id: link.parameter_id,
                };
                // A deleted parameter leaves its change, which may be linked already.
                if !factor.changes.contains(&change) {
                    factor.changes.push(change);
                }
            }
            (None, Some(entry)) => factor.timeline_entries.push(entry),
            (None, None) => {}
        }
    }
    Ok(())
}

/// Replaces a factor; returns its incident, or None when there is none.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    factor: &NewFactor,
) -> Result<Option<i64>, DbErr> {
    let incident = part::update::<rows::Entity, _>(conn, id, |row| fill(row, factor)).await?;
    if incident.is_some() {
        write_links(conn, id, factor).await?;
    }
    Ok(incident)
}

/// Deletes a factor, and the links of the follow-ups that addressed it (which stay); returns
/// its incident, or None when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    follow_ups::Entity::update_many()
        .col_expr(
            follow_ups::Column::FactorId,
            sea_orm::sea_query::Expr::value(Option::<i64>::None),
        )
        .filter(follow_ups::Column::FactorId.eq(id))
        .exec(conn)
        .await?;
    part::delete::<rows::Entity, _>(conn, id).await
}

/// One factor.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Factor>, DbErr> {
    let Some(row) = rows::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let names = categories(conn).await?;
    let mut factor = to_domain(row, &names)?;
    with_links(conn, &mut [&mut factor.factor], &[id]).await?;
    Ok(Some(factor))
}

/// An incident's factors, in the order they were recorded.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<Factor>, DbErr> {
    let rows = rows::Entity::find()
        .filter(rows::Column::IncidentId.eq(incident_id))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?;
    let names = categories(conn).await?;
    let mut factors = rows
        .into_iter()
        .map(|row| to_domain(row, &names))
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<i64> = factors.iter().map(|f| f.id).collect();
    let mut values: Vec<&mut NewFactor> = factors.iter_mut().map(|f| &mut f.factor).collect();
    with_links(conn, &mut values, &ids).await?;
    Ok(factors)
}

fn fill(row: &mut rows::ActiveModel, factor: &NewFactor) {
    row.statement = Set(factor.statement.clone());
    row.category_id = Set(factor.category_id);
    row.role = Set(factor.role.as_str().to_owned());
    row.accepted_reason = Set(factor.accepted_reason.clone());
    row.updated_at = Set(Utc::now());
}

fn to_domain(row: rows::Model, categories: &[Category]) -> Result<Factor, DbErr> {
    Ok(Factor {
        id: row.id,
        incident_id: row.incident_id,
        category: categories
            .iter()
            .find(|c| c.id == row.category_id)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        factor: NewFactor {
            role: stored("factors.role", &row.role, FactorRole::parse)?,
            statement: row.statement,
            category_id: row.category_id,
            accepted_reason: row.accepted_reason,
            changes: Vec::new(),
            timeline_entries: Vec::new(),
        },
    })
}

part::part_of_incident!(rows);

/// A contributing factor, edited on its own form.
pub struct FactorPart;

impl EditablePart for FactorPart {
    type Value = NewFactor;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewFactor>>, DbErr> {
        let mut found =
            part::load::<rows::Entity, _, _>(conn, id, |row| to_domain(row, &[]).map(|f| f.factor))
                .await?;
        if let Some(found) = &mut found {
            with_links(conn, &mut [&mut found.value], &[id]).await?;
        }
        Ok(found)
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &NewFactor) -> Result<(), DbErr> {
        update(conn, id, value).await.map(drop)
    }
}

impl AddablePart for FactorPart {
    type New = NewFactor;

    fn value_of(new: &NewFactor) -> &NewFactor {
        new
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        incident_id: i64,
        new: &NewFactor,
    ) -> Result<i64, DbErr> {
        add(conn, incident_id, new).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        delete(conn, id).await.map(drop)
    }
}

/// Every category, retired ones too, in the order forms list them.
///
/// # Errors
/// On a database failure.
pub async fn categories<C: ConnectionTrait>(conn: &C) -> Result<Vec<Category>, DbErr> {
    Ok(categories::Entity::find()
        .order_by_asc(categories::Column::Position)
        .order_by_asc(categories::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Category {
            id: row.id,
            name: row.name,
            retired: row.retired,
        })
        .collect())
}

/// Adds a category at the end of the list; returns its id.
///
/// # Errors
/// On a database failure.
pub async fn add_category<C: ConnectionTrait>(conn: &C, name: &str) -> Result<i64, DbErr> {
    let last = categories::Entity::find()
        .order_by_desc(categories::Column::Position)
        .one(conn)
        .await?
        .map_or(0, |row| row.position);
    let row = categories::ActiveModel {
        name: Set(name.to_owned()),
        position: Set(last + 1),
        retired: Set(false),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Renames a category, retires it or brings it back; false when there is no such category.
///
/// # Errors
/// On a database failure.
pub async fn set_category<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    name: &str,
    retired: bool,
) -> Result<bool, DbErr> {
    let Some(found) = categories::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    let mut row: categories::ActiveModel = found.into();
    row.name = Set(name.to_owned());
    row.retired = Set(retired);
    row.update(conn).await?;
    Ok(true)
}

/// The condition that keeps a reader who does not write postmortems to published ones.
fn readable(published_only: bool) -> String {
    if published_only {
        format!(
            " AND i.status = '{}'",
            IncidentStatus::Published.as_str().replace('\'', "")
        )
    } else {
        String::new()
    }
}

/// For each of `category_ids` (with its name), the other incidents (than `incident_id`) that
/// had a factor of it: of the same systems (`systems`, trimmed and compared ignoring case) when
/// there are any, else of any system; the [`INCIDENTS_LISTED`] most recent and how many in
/// all. Categories seen nowhere else are left out. One statement, on
/// `ix_factors_category_incident`, whatever the number of categories.
///
/// # Errors
/// On a database failure.
pub async fn recurrences<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    categories: &[(i64, String)],
    systems: &[String],
    published_only: bool,
) -> Result<Vec<(i64, Recurrence)>, DbErr> {
    if categories.is_empty() {
        return Ok(Vec::new());
    }
    let systems: Vec<String> = systems
        .iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let mut values: Vec<Value> = Vec::new();
    let (same, join) = if systems.is_empty() {
        ("CAST(0 AS BIGINT)".to_owned(), String::new())
    } else {
        values.extend(systems.iter().map(|s| Value::from(s.clone())));
        (
            "CAST(MAX(CASE WHEN c.id IS NULL THEN 0 ELSE 1 END) AS BIGINT)".to_owned(),
            format!(
                "LEFT JOIN changes c ON c.incident_id = f.incident_id \
                 AND lower(trim(c.system)) IN ({})",
                marks(systems.len())
            ),
        )
    };
    values.extend(categories.iter().map(|(id, _)| Value::from(*id)));
    values.push(incident_id.into());
    values.push((INCIDENTS_LISTED as i64).into());
    let sql = format!(
        "SELECT x.category_id, x.id, x.title, x.same, x.total FROM ( \
           SELECT g.category_id, g.id, g.title, g.same, \
                  ROW_NUMBER() OVER (PARTITION BY g.category_id, g.same ORDER BY g.id DESC) AS n, \
                  COUNT(*) OVER (PARTITION BY g.category_id, g.same) AS total \
           FROM (SELECT f.category_id AS category_id, i.id AS id, i.title AS title, {same} AS same \
                 FROM factors f JOIN incidents i ON i.id = f.incident_id {join} \
                 WHERE f.category_id IN ({}) AND f.incident_id <> ?{} \
                 GROUP BY f.category_id, i.id, i.title) g) x \
         WHERE x.n <= ? ORDER BY x.category_id, x.same DESC, x.id DESC",
        marks(categories.len()),
        readable(published_only)
    );
    let rows = conn.query_all_raw(statement(conn, &sql, values)).await?;
    let mut found: Vec<(i64, Recurrence)> = Vec::new();
    for row in rows {
        let category_id: i64 = row.try_get("", "category_id")?;
        let same_system = row.try_get::<i64>("", "same")? == 1;
        let total = usize::try_from(row.try_get::<i64>("", "total")?).unwrap_or(0);
        let incident = IncidentRef {
            id: row.try_get("", "id")?,
            title: row.try_get("", "title")?,
        };
        match found.iter_mut().find(|(c, _)| *c == category_id) {
            // Same-system rows come first: other rows of the category are not listed then.
            Some((_, r)) if r.same_system == same_system => r.incidents.push(incident),
            Some(_) => {}
            None => found.push((
                category_id,
                Recurrence {
                    category: categories
                        .iter()
                        .find(|(id, _)| *id == category_id)
                        .map(|(_, name)| name.clone())
                        .unwrap_or_default(),
                    incidents: vec![incident],
                    total,
                    same_system,
                },
            )),
        }
    }
    Ok(found)
}

/// The follow-up tally of each group, by the group's key columns (`keys`, selected as k0, k1).
async fn tallies<C: ConnectionTrait>(
    conn: &C,
    keys: &str,
    joins: &str,
    published_only: bool,
) -> Result<Vec<(Vec<String>, FollowUpTally)>, DbErr> {
    let sql = format!(
        "SELECT {keys}, u.state AS state, COUNT(DISTINCT u.id) AS n \
         FROM follow_ups u JOIN factors f ON f.id = u.factor_id \
         JOIN incidents i ON i.id = f.incident_id {joins} WHERE 1 = 1{} \
         GROUP BY {}, u.state",
        readable(published_only),
        group_of(keys)
    );
    let mut found: Vec<(Vec<String>, FollowUpTally)> = Vec::new();
    for row in conn.query_all_raw(statement(conn, &sql, vec![])).await? {
        let key = key_of(&row, keys)?;
        let state: String = row.try_get("", "state")?;
        let n = usize::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
        let index = match found.iter().position(|(k, _)| *k == key) {
            Some(index) => index,
            None => {
                found.push((key, FollowUpTally::default()));
                found.len() - 1
            }
        };
        let tally = &mut found[index].1;
        match FollowUpState::parse(&state) {
            Some(FollowUpState::Done) => tally.done += n,
            Some(FollowUpState::Verified) => tally.verified += n,
            Some(FollowUpState::WontDo) => tally.wont_do += n,
            _ => tally.open += n,
        }
    }
    Ok(found)
}

/// The expressions of `keys` ("expr AS k0, expr AS k1") to group by.
fn group_of(keys: &str) -> String {
    keys.split(", ")
        .map(|k| k.split(" AS ").next().unwrap_or(k))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_of(row: &sea_orm::QueryResult, keys: &str) -> Result<Vec<String>, DbErr> {
    (0..keys.split(", ").count())
        .map(|n| {
            let name = format!("k{n}");
            row.try_get::<String>("", &name)
                .or_else(|_| row.try_get::<i64>("", &name).map(|v| v.to_string()))
        })
        .collect()
}

/// The factors by category (`by_system` false) or by category and the system of the change
/// they point at (true), most incidents first: [`ROLLUP_ROWS`] groups, each with its most
/// recent incidents and statements and its follow-ups' states. Grouped queries, plus two small
/// indexed ones per group shown.
///
/// # Errors
/// On a database failure.
pub async fn rollup<C: ConnectionTrait>(
    conn: &C,
    by_system: bool,
    published_only: bool,
) -> Result<Vec<FactorRollup>, DbErr> {
    let (keys, joins) = if by_system {
        (
            "f.category_id AS k0, lower(trim(c.system)) AS k1",
            "JOIN factor_links l ON l.factor_id = f.id JOIN changes c ON c.id = l.change_id",
        )
    } else {
        ("f.category_id AS k0", "")
    };
    let system_name = if by_system {
        ", MIN(trim(c.system)) AS system_name"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {keys}, MIN(k.name) AS category{system_name}, \
                COUNT(DISTINCT f.incident_id) AS n_incidents \
         FROM factors f JOIN incidents i ON i.id = f.incident_id \
         JOIN factor_categories k ON k.id = f.category_id {joins} \
         WHERE 1 = 1{} GROUP BY {} \
         ORDER BY n_incidents DESC, category LIMIT ?",
        readable(published_only),
        group_of(keys)
    );
    let rows = conn
        .query_all_raw(statement(conn, &sql, vec![(ROLLUP_ROWS as i64).into()]))
        .await?;
    let tallies = tallies(conn, keys, joins, published_only).await?;
    let mut groups: Vec<(Vec<String>, FactorRollup)> = Vec::new();
    for row in rows {
        let key = key_of(&row, keys)?;
        groups.push((
            key.clone(),
            FactorRollup {
                category: row.try_get("", "category")?,
                system: if by_system {
                    Some(row.try_get("", "system_name")?)
                } else {
                    None
                },
                incidents_total: usize::try_from(row.try_get::<i64>("", "n_incidents")?)
                    .unwrap_or(0),
                incidents: Vec::new(),
                statements: Vec::new(),
                follow_ups: tallies
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, t)| *t)
                    .unwrap_or_default(),
            },
        ));
    }
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    // The most recent incidents of every group shown, with a statement of each: one statement.
    let mut category_ids: Vec<i64> = groups
        .iter()
        .filter_map(|(k, _)| k[0].parse().ok())
        .collect();
    category_ids.sort_unstable();
    category_ids.dedup();
    let group = group_of(keys);
    let partition = group
        .split(", ")
        .enumerate()
        .map(|(n, _)| format!("g.k{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT x.* FROM ( \
           SELECT g.*, ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY g.id DESC) AS n \
           FROM (SELECT {keys}, i.id AS id, i.title AS title, MAX(f.statement) AS statement \
                 FROM factors f JOIN incidents i ON i.id = f.incident_id {joins} \
                 WHERE f.category_id IN ({}){} \
                 GROUP BY {group}, i.id, i.title) g) x \
         WHERE x.n <= ? ORDER BY x.id DESC",
        marks(category_ids.len()),
        readable(published_only)
    );
    let mut values: Vec<Value> = category_ids.iter().map(|id| Value::from(*id)).collect();
    values.push((INCIDENTS_LISTED as i64).into());
    for row in conn.query_all_raw(statement(conn, &sql, values)).await? {
        let key = key_of(&row, keys)?;
        if let Some((_, rollup)) = groups.iter_mut().find(|(k, _)| *k == key) {
            rollup.incidents.push(IncidentRef {
                id: row.try_get("", "id")?,
                title: row.try_get("", "title")?,
            });
            rollup.statements.push(row.try_get("", "statement")?);
        }
    }
    Ok(groups.into_iter().map(|(_, r)| r).collect())
}

/// The worked example's factors, written for its incident with their category (by name, added
/// if an admin has renamed it since), change, parameter and timeline entry; returns their ids
/// in order.
///
/// # Errors
/// On a database failure.
pub async fn add_example<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    example: &crate::domain::example::WorkedExample,
    change_id: i64,
    parameter_ids: &[(String, i64)],
    entry_ids: &[i64],
) -> Result<Vec<i64>, DbErr> {
    let mut ids = Vec::new();
    for item in &example.factors {
        let category_id = category_named(conn, &item.category).await?;
        let parameter_id = item.parameter.as_ref().and_then(|name| {
            parameter_ids
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| *id)
        });
        let factor = NewFactor {
            category_id,
            changes: (item.shows_in_change || parameter_id.is_some())
                .then_some(ChangeLink {
                    change_id,
                    parameter_id,
                })
                .into_iter()
                .collect(),
            timeline_entries: item
                .timeline_entry
                .and_then(|n| entry_ids.get(n).copied())
                .into_iter()
                .collect(),
            ..item.factor.clone()
        };
        ids.push(add(conn, incident_id, &factor).await?);
    }
    Ok(ids)
}

/// The id of the category named `name` (ignoring case, retired ones too), added at the end of
/// the list when there is none: for the worked example and imports, which name categories.
///
/// # Errors
/// On a database failure.
pub async fn category_named<C: ConnectionTrait>(conn: &C, name: &str) -> Result<i64, DbErr> {
    let name = name.trim();
    match categories(conn)
        .await?
        .into_iter()
        .find(|c| c.name.trim().eq_ignore_ascii_case(name))
    {
        Some(found) => Ok(found.id),
        None => add_category(conn, name).await,
    }
}
