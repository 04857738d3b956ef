//! The changes view asked of the database: every job (system and identifier) that was the
//! confirmed trigger of, or contributed to, an incident the reader may read, ranked and counted
//! in SQL, one page of jobs at a time; then, for the jobs on the page only, their most recent
//! incidents, their display names and the parameters that took a default or that a follow-up
//! targets. What [`crate::domain::change::change_insights`] computes over every change in
//! memory, without reading every change.
//!
//! The changes a reader sees are the live ones of the incidents they may read, except for a
//! postmortem they read as published while a correction of it is under way: its published
//! changes stand in for its live ones ([`Scope`]). Those few are bound into the query as rows of
//! their own (`SELECT ? AS id, …`), so the ranking counts them like any other.
//!
//! Matching ignores case as SQL's `LOWER` does (in SQLite, ASCII letters only) and surrounding
//! spaces as `TRIM` does.

use sea_orm::sea_query::{
    Alias, BinOper, CaseStatement, Condition, Expr, ExprTrait, Func, JoinType, Order, Query,
    SelectStatement, UnionType,
};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult};

use super::tracking::{Scope, trim};
use crate::domain::change::{
    ChangeInsight, ChangeRelation, FollowUpTally, IncidentRef, ParameterInsight,
};
use crate::domain::follow_up::FollowUpState;

/// How many jobs one page of the changes view holds.
pub const JOBS_PER_PAGE: u64 = 20;

/// How many incidents a job lists per role (trigger, contributing factor): the most recent.
pub const INCIDENTS_LISTED: i64 = 10;

/// One page of jobs, most involved first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InsightPage {
    pub insights: Vec<ChangeInsight>,
    /// Whether more jobs follow on later pages.
    pub more: bool,
}

/// A job: its system and identifier (or summary), trimmed and lowercased, as SQL compares them.
type JobKey = (String, String);

const S: &str = "s";
const TRIGGER: &str = "confirmed_trigger";
const CONTRIBUTING: &str = "contributing";

/// One page (from 0) of the jobs `scope`'s reader sees, ranked as the domain ranks them: most
/// incidents, then most triggers, then most open follow-ups, then by name.
///
/// # Errors
/// On a database failure.
pub async fn page<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    page: u64,
) -> Result<InsightPage, DbErr> {
    let backend = conn.get_database_backend();
    let mut ranked = Query::select();
    ranked
        .expr_as(Expr::col((S, "sys_key")), Alias::new("sys_key"))
        .expr_as(Expr::col((S, "job_key")), Alias::new("job_key"))
        .expr_as(distinct_incidents(TRIGGER), Alias::new("triggered"))
        .expr_as(distinct_incidents(CONTRIBUTING), Alias::new("contributed"))
        .expr_as(
            count_where(Expr::col(("f", "state")).is_in(open_states())),
            Alias::new("open"),
        )
        .expr_as(state_count(FollowUpState::Done), Alias::new("done"))
        .expr_as(state_count(FollowUpState::Verified), Alias::new("verified"))
        .expr_as(state_count(FollowUpState::WontDo), Alias::new("wont_do"))
        .expr_as(
            count_where(trim(Expr::col((S, "identifier"))).ne("")),
            Alias::new("identified"),
        )
        .from_subquery(seen(scope, &[], true, Part::All), Alias::new(S))
        .join_as(
            JoinType::LeftJoin,
            Alias::new("follow_ups"),
            Alias::new("f"),
            Expr::col(("f", "change_id")).equals((S, "id")),
        )
        .add_group_by([Expr::col((S, "sys_key")), Expr::col((S, "job_key"))]);
    // The name a job sorts by: "system · identifier" lowercased, or the system alone when its
    // changes have no identifier (their summary is the key, not part of the name).
    let name = Expr::case(
        Expr::col(("r", "identified")).gt(0),
        Expr::col(("r", "sys_key"))
            .binary(BinOper::Custom("||"), Expr::val(" · "))
            .binary(BinOper::Custom("||"), Expr::col(("r", "job_key"))),
    )
    .finally(Expr::col(("r", "sys_key")));
    let name: Expr = if backend == DbBackend::Postgres {
        // Byte order, as the domain sorts names, whatever the database's collation (a custom
        // expression's placeholders are Postgres's `$n` here).
        Expr::cust_with_exprs("$1 COLLATE \"C\"", [name.into()])
    } else {
        name.into()
    };
    let mut q = Query::select();
    q.column(sea_orm::sea_query::Asterisk)
        .from_subquery(ranked, Alias::new("r"))
        .order_by_expr(
            Expr::col(("r", "triggered")).add(Expr::col(("r", "contributed"))),
            Order::Desc,
        )
        .order_by_expr(Expr::col(("r", "triggered")), Order::Desc)
        .order_by_expr(Expr::col(("r", "open")), Order::Desc)
        .order_by_expr(name, Order::Asc)
        .limit(JOBS_PER_PAGE + 1)
        .offset(page * JOBS_PER_PAGE);
    let rows = conn.query_all(&q).await?;
    let more = rows.len() as u64 > JOBS_PER_PAGE;
    let mut insights: Vec<(JobKey, ChangeInsight)> = Vec::new();
    for row in rows.iter().take(JOBS_PER_PAGE as usize) {
        let key: JobKey = (row.try_get("", "sys_key")?, row.try_get("", "job_key")?);
        let insight = ChangeInsight {
            system: key.0.clone(),
            identifier: String::new(),
            triggered: Vec::new(),
            triggered_total: count(row, "triggered")?,
            contributed: Vec::new(),
            contributed_total: count(row, "contributed")?,
            parameters: Vec::new(),
            follow_ups: FollowUpTally {
                open: count(row, "open")?,
                done: count(row, "done")?,
                verified: count(row, "verified")?,
                wont_do: count(row, "wont_do")?,
            },
        };
        insights.push((key, insight));
    }
    if !insights.is_empty() {
        let keys: Vec<JobKey> = insights.iter().map(|(k, _)| k.clone()).collect();
        names(conn, scope, &keys, &mut insights).await?;
        incidents(conn, scope, &keys, &mut insights).await?;
        parameters(conn, scope, &keys, &mut insights).await?;
    }
    Ok(InsightPage {
        insights: insights.into_iter().map(|(_, i)| i).collect(),
        more,
    })
}

/// Whether the reader sees any change at all, whatever its relation.
///
/// # Errors
/// On a database failure.
pub async fn any_seen<C: ConnectionTrait>(conn: &C, scope: &Scope) -> Result<bool, DbErr> {
    let mut q = Query::select();
    q.expr(Expr::col((S, "id")))
        .from_subquery(seen(scope, &[], false, Part::All), Alias::new(S))
        .limit(1);
    Ok(conn.query_one(&q).await?.is_some())
}

/// Each job's name as its first change (by incident, then id) spells it.
async fn names<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    keys: &[JobKey],
    insights: &mut [(JobKey, ChangeInsight)],
) -> Result<(), DbErr> {
    let mut numbered = Query::select();
    numbered
        .columns([
            (Alias::new(S), Alias::new("sys_key")),
            (Alias::new(S), Alias::new("job_key")),
            (Alias::new(S), Alias::new("system")),
            (Alias::new(S), Alias::new("identifier")),
        ])
        .expr_as(
            Expr::cust(
                "ROW_NUMBER() OVER (PARTITION BY sys_key, job_key ORDER BY incident_id, id)",
            ),
            Alias::new("n"),
        )
        .from_subquery(seen(scope, keys, true, Part::All), Alias::new(S));
    let mut q = Query::select();
    q.column(sea_orm::sea_query::Asterisk)
        .from_subquery(numbered, Alias::new("x"))
        .and_where(Expr::col(("x", "n")).eq(1));
    for row in conn.query_all(&q).await? {
        let key: JobKey = (row.try_get("", "sys_key")?, row.try_get("", "job_key")?);
        if let Some((_, insight)) = insights.iter_mut().find(|(k, _)| *k == key) {
            insight.system = row.try_get::<String>("", "system")?.trim().to_owned();
            insight.identifier = row.try_get::<String>("", "identifier")?.trim().to_owned();
        }
    }
    Ok(())
}

/// Each job's [`INCIDENTS_LISTED`] most recent incidents per role, oldest first, with their
/// titles as the reader sees them.
async fn incidents<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    keys: &[JobKey],
    insights: &mut [(JobKey, ChangeInsight)],
) -> Result<(), DbErr> {
    let mut roles = Query::select();
    roles
        .distinct()
        .columns([
            (Alias::new(S), Alias::new("sys_key")),
            (Alias::new(S), Alias::new("job_key")),
            (Alias::new(S), Alias::new("relation")),
            (Alias::new(S), Alias::new("incident_id")),
        ])
        .from_subquery(seen(scope, keys, true, Part::All), Alias::new(S));
    let mut numbered = Query::select();
    numbered
        .column(sea_orm::sea_query::Asterisk)
        .expr_as(
            Expr::cust(
                "ROW_NUMBER() OVER (PARTITION BY sys_key, job_key, relation \
                 ORDER BY incident_id DESC)",
            ),
            Alias::new("n"),
        )
        .from_subquery(roles, Alias::new("d"));
    let mut q = Query::select();
    q.columns([
        (Alias::new("x"), Alias::new("sys_key")),
        (Alias::new("x"), Alias::new("job_key")),
        (Alias::new("x"), Alias::new("relation")),
        (Alias::new("x"), Alias::new("incident_id")),
    ])
    .expr_as(Expr::col(("i", "title")), Alias::new("title"))
    .from_subquery(numbered, Alias::new("x"))
    .join_as(
        JoinType::InnerJoin,
        Alias::new("incidents"),
        Alias::new("i"),
        Expr::col(("i", "id")).equals(("x", "incident_id")),
    )
    .and_where(Expr::col(("x", "n")).lte(INCIDENTS_LISTED))
    .order_by(("x", "incident_id"), Order::Asc);
    for row in conn.query_all(&q).await? {
        let key: JobKey = (row.try_get("", "sys_key")?, row.try_get("", "job_key")?);
        let Some((_, insight)) = insights.iter_mut().find(|(k, _)| *k == key) else {
            continue;
        };
        let id: i64 = row.try_get("", "incident_id")?;
        let incident = IncidentRef {
            id,
            title: scope.title(id, row.try_get("", "title")?),
        };
        let relation: String = row.try_get("", "relation")?;
        if relation == TRIGGER {
            insight.triggered.push(incident);
        } else {
            insight.contributed.push(incident);
        }
    }
    Ok(())
}

/// The parameters of each job's changes that took their default or that a follow-up targets,
/// in the order they were first recorded: grouped in SQL for live changes, and added here from
/// the published changes the reader sees (their parameters are in the published version).
async fn parameters<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    keys: &[JobKey],
    insights: &mut [(JobKey, ChangeInsight)],
) -> Result<(), DbErr> {
    let targeted = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(Alias::new("follow_ups"), Alias::new("f"))
            .and_where(Expr::col(("f", "change_id")).equals((S, "id")))
            .and_where(Expr::col(("f", "parameter_id")).equals(("p", "id")))
            .to_owned(),
    );
    let mut q = Query::select();
    q.expr_as(Expr::col((S, "sys_key")), Alias::new("sys_key"))
        .expr_as(Expr::col((S, "job_key")), Alias::new("job_key"))
        .expr_as(
            Func::min(trim(Expr::col(("p", "name")))),
            Alias::new("name"),
        )
        .expr_as(
            count_where(Expr::col(("p", "is_default")).eq(true)),
            Alias::new("defaulted_in"),
        )
        .expr_as(count_where(targeted.clone()), Alias::new("named"))
        .expr_as(
            Func::min(Expr::col((S, "incident_id"))),
            Alias::new("first_incident"),
        )
        .expr_as(
            Func::min(Expr::col(("p", "id"))),
            Alias::new("first_parameter"),
        )
        .from_subquery(seen(scope, keys, true, Part::Live), Alias::new(S))
        .join_as(
            JoinType::InnerJoin,
            Alias::new("change_parameters"),
            Alias::new("p"),
            Expr::col(("p", "change_id")).equals((S, "id")),
        )
        .and_where(Expr::col(("p", "is_default")).eq(true).or(targeted))
        .add_group_by([
            Expr::col((S, "sys_key")),
            Expr::col((S, "job_key")),
            Expr::from(Func::lower(trim(Expr::col(("p", "name"))))),
        ])
        .order_by(Alias::new("first_incident"), Order::Asc)
        .order_by(Alias::new("first_parameter"), Order::Asc);
    for row in conn.query_all(&q).await? {
        let key: JobKey = (row.try_get("", "sys_key")?, row.try_get("", "job_key")?);
        if let Some((_, insight)) = insights.iter_mut().find(|(k, _)| *k == key) {
            insight.parameters.push(ParameterInsight {
                name: row.try_get("", "name")?,
                defaulted_in: count(&row, "defaulted_in")?,
                named_by_follow_up: count(&row, "named")? > 0,
            });
        }
    }
    published_parameters(conn, scope, keys, insights).await
}

/// The parameters of the published changes the reader sees on the page's jobs, added to what
/// the live ones gave.
async fn published_parameters<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    keys: &[JobKey],
    insights: &mut [(JobKey, ChangeInsight)],
) -> Result<(), DbErr> {
    let published: Vec<&crate::domain::change::Change> = scope
        .corrections
        .iter()
        .flat_map(|(_, _, changes)| changes)
        .filter(|c| counted(c.change.relation))
        .filter(|c| !c.parameters.is_empty())
        .collect();
    if published.is_empty() {
        return Ok(());
    }
    // Which job each published change is, as SQL keys it (so case folds as for the rest).
    let mut q = Query::select();
    q.columns([
        (Alias::new(S), Alias::new("id")),
        (Alias::new(S), Alias::new("sys_key")),
        (Alias::new(S), Alias::new("job_key")),
    ])
    .from_subquery(seen(scope, keys, true, Part::Published), Alias::new(S));
    let jobs: Vec<(i64, JobKey)> = conn
        .query_all(&q)
        .await?
        .into_iter()
        .map(|row| {
            Ok((
                row.try_get("", "id")?,
                (row.try_get("", "sys_key")?, row.try_get("", "job_key")?),
            ))
        })
        .collect::<Result<_, DbErr>>()?;
    let ids: Vec<i64> = jobs.iter().map(|(id, _)| *id).collect();
    let targeting = crate::server::repo::follow_ups::targeting(conn, &ids).await?;
    for change in published {
        let Some((_, key)) = jobs.iter().find(|(id, _)| *id == change.id) else {
            continue;
        };
        let Some((_, insight)) = insights.iter_mut().find(|(k, _)| k == key) else {
            continue;
        };
        for parameter in &change.parameters {
            let named = targeting.iter().any(|f| {
                f.follow_up.change_id == Some(change.id)
                    && f.follow_up.parameter_id == Some(parameter.id)
            });
            if !parameter.parameter.is_default && !named {
                continue;
            }
            let name = parameter.parameter.name.trim();
            let entry = match insight
                .parameters
                .iter_mut()
                .position(|p| p.name.eq_ignore_ascii_case(name))
            {
                Some(at) => &mut insight.parameters[at],
                None => {
                    insight.parameters.push(ParameterInsight {
                        name: name.to_owned(),
                        defaulted_in: 0,
                        named_by_follow_up: false,
                    });
                    let last = insight.parameters.len() - 1;
                    &mut insight.parameters[last]
                }
            };
            entry.defaulted_in += usize::from(parameter.parameter.is_default);
            entry.named_by_follow_up |= named;
        }
    }
    Ok(())
}

/// Which of the changes a reader sees a query reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Every one: the live ones and the published ones standing in for theirs.
    All,
    /// The live ones only (their parameters are in the live tables).
    Live,
    /// The published ones only.
    Published,
}

/// The changes the reader sees (`id, incident_id, relation, system, identifier`, and the job's
/// `sys_key` and `job_key`), or the `part` of them asked for: the live ones of the incidents
/// they may read but do not read as published, and the published changes of those they do,
/// bound as rows. With `counted_only`, only confirmed triggers and contributing factors; with
/// `keys`, only the changes of those jobs.
fn seen(scope: &Scope, keys: &[JobKey], counted_only: bool, part: Part) -> SelectStatement {
    let mut branches: Vec<SelectStatement> = Vec::new();
    if part != Part::Published {
        branches.push(live(scope, counted_only));
    }
    if part != Part::Live {
        let published = scope
            .corrections
            .iter()
            .flat_map(|(_, _, changes)| changes)
            .filter(|c| !counted_only || counted(c.change.relation));
        for change in published {
            let c = &change.change;
            let mut row = Query::select();
            row.expr_as(Expr::val(change.id), Alias::new("id"))
                .expr_as(Expr::val(change.incident_id), Alias::new("incident_id"))
                .expr_as(Expr::val(c.relation.as_str()), Alias::new("relation"))
                .expr_as(Expr::val(c.system.clone()), Alias::new("system"))
                .expr_as(Expr::val(c.identifier.clone()), Alias::new("identifier"))
                .expr_as(Expr::val(c.summary.clone()), Alias::new("summary"));
            branches.push(row);
        }
    }
    let mut branches = branches.into_iter();
    let mut union = branches.next().unwrap_or_else(|| {
        // Nothing to read: a query of no rows with the same columns.
        let mut none = live(scope, counted_only);
        none.and_where(Expr::val(false));
        none
    });
    for branch in branches {
        union.union(UnionType::All, branch);
    }
    let lowered = |column: &'static str| Expr::from(Func::lower(trim(Expr::col(("u", column)))));
    let job: Expr = CaseStatement::new()
        .case(
            trim(Expr::col(("u", "identifier"))).eq(""),
            lowered("summary"),
        )
        .finally(lowered("identifier"))
        .into();
    let mut q = Query::select();
    q.columns([
        (Alias::new("u"), Alias::new("id")),
        (Alias::new("u"), Alias::new("incident_id")),
        (Alias::new("u"), Alias::new("relation")),
        (Alias::new("u"), Alias::new("system")),
        (Alias::new("u"), Alias::new("identifier")),
    ])
    .expr_as(lowered("system"), Alias::new("sys_key"))
    .expr_as(job.clone(), Alias::new("job_key"))
    .from_subquery(union, Alias::new("u"));
    if !keys.is_empty() {
        let mut any = Condition::any();
        for (system, identifier) in keys {
            any = any.add(
                lowered("system")
                    .eq(system.clone())
                    .and(job.clone().eq(identifier.clone())),
            );
        }
        q.cond_where(any);
    }
    q
}

/// The live changes of the incidents the reader may read and does not read as published.
fn live(scope: &Scope, counted_only: bool) -> SelectStatement {
    let mut live = Query::select();
    live.columns([
        "id",
        "incident_id",
        "relation",
        "system",
        "identifier",
        "summary",
    ])
    .from(Alias::new("changes"));
    if counted_only {
        live.and_where(Expr::col("relation").is_in([TRIGGER, CONTRIBUTING]));
    }
    if scope.published_only {
        let published = Query::select()
            .column("id")
            .from("incidents")
            .cond_where(
                Condition::any()
                    .add(
                        Expr::col("status")
                            .eq(crate::domain::incident::IncidentStatus::Published.as_str()),
                    )
                    .add(Expr::col("revision").gt(1)),
            )
            .to_owned();
        live.and_where(Expr::col("incident_id").in_subquery(published));
    }
    let corrected: Vec<i64> = scope.corrections.iter().map(|(id, _, _)| *id).collect();
    if !corrected.is_empty() {
        live.and_where(Expr::col("incident_id").is_not_in(corrected));
    }
    live
}

fn counted(relation: ChangeRelation) -> bool {
    matches!(
        relation,
        ChangeRelation::ConfirmedTrigger | ChangeRelation::Contributing
    )
}

fn open_states() -> Vec<&'static str> {
    FollowUpState::ALL
        .into_iter()
        .filter(|s| {
            !matches!(
                s,
                FollowUpState::Done | FollowUpState::Verified | FollowUpState::WontDo
            )
        })
        .map(FollowUpState::as_str)
        .collect()
}

/// `COUNT(DISTINCT CASE WHEN relation = … THEN incident_id END)`.
fn distinct_incidents(relation: &str) -> Expr {
    let case: Expr = Expr::case(
        Expr::col((S, "relation")).eq(relation),
        Expr::col((S, "incident_id")),
    )
    .into();
    Func::count_distinct(case).into()
}

fn state_count(state: FollowUpState) -> Expr {
    count_where(Expr::col(("f", "state")).eq(state.as_str()))
}

/// `COUNT(CASE WHEN condition THEN 1 END)`: how many rows meet it, 0 on none.
fn count_where(condition: Expr) -> Expr {
    let case: Expr = Expr::case(condition, 1).into();
    Func::count(case).into()
}

fn count(row: &QueryResult, column: &str) -> Result<usize, DbErr> {
    Ok(usize::try_from(row.try_get::<i64>("", column)?).unwrap_or_default())
}
