//! The metrics page asked of the database: the incidents a filter matches are picked in SQL
//! (severity, service, the period as instants in the reader's zone), counted by severity with a
//! `GROUP BY`, and for the figures only their narrow columns are read (the start instant, the
//! measures `repo::incidents` keeps with the milestones, whether left out); titles are read for
//! the page of rows alone, and the services offered with a grouped query.
//!
//! A reader who reads a correction as published counts the published version (its severity,
//! services and milestones): those few incidents are left out of the SQL and measured here from
//! their published milestones, as [`in_memory`] measures every incident.
//!
//! [`in_memory`] is how the page computed its figures before the measures were kept: every
//! readable incident with its milestones, measured and filtered in memory. The repository tests
//! check [`metrics`] against it, and the metrics benchmark times both.

use std::cmp::Reverse;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult};

use crate::domain::account::User;
use crate::domain::incident::{Incident, IncidentStatus, Severity};
use crate::domain::metrics::{
    IncidentMeasures, Measured, MetricsFilter, Report, by_severity, report, report_of,
};
use crate::domain::time::{ApproxDuration, RecordedTime, Zone};

pub(super) const I: &str = "incidents";
pub(super) const E: &str = "metric_exclusions";

/// What the metrics page shows of the incidents a filter matches.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// The figures over every incident the filter matches.
    pub report: Report,
    /// One page of them, newest day first (then by id).
    pub rows: Vec<IncidentMeasures>,
    /// Whether more follow the page.
    pub more: bool,
    /// The services named on any incident the reader may read, sorted ignoring case, each once.
    pub services: Vec<String>,
}

/// What of the incidents a reader counts: only those ever published (viewers), and the
/// published version of those read as published.
pub(super) struct Scope {
    published_only: bool,
    /// The published incident of each postmortem read as published (a correction under way).
    pub(super) corrections: Vec<Incident>,
    /// The published impact figures of those postmortems.
    pub(super) corrected_impact: Vec<crate::domain::impact::ImpactFigure>,
}

impl Scope {
    /// What `user` counts: what [`crate::server::visibility::seen_by`] lets them read.
    pub(super) async fn of<C: ConnectionTrait>(conn: &C, user: &User) -> Result<Self, DbErr> {
        use crate::server::repo::published;
        if crate::server::visibility::writes_postmortems(user) {
            return Ok(Self {
                published_only: false,
                corrections: Vec::new(),
                corrected_impact: Vec::new(),
            });
        }
        // One published before its published version was kept has none: it is read live.
        let (corrections, impact): (Vec<Incident>, Vec<_>) = published::of_corrections(conn)
            .await?
            .into_iter()
            .map(|p| (p.incident, p.impact))
            .unzip();
        Ok(Self {
            published_only: true,
            corrections,
            corrected_impact: impact.into_iter().flatten().collect(),
        })
    }

    /// The live incidents the reader counts: the corrections read as published are not.
    fn visible(&self) -> SelectStatement {
        let mut q = Query::select();
        q.from(Alias::new(I));
        if self.published_only {
            q.cond_where(
                sea_orm::Condition::any()
                    .add(Expr::col((I, "status")).eq(IncidentStatus::Published.as_str()))
                    .add(Expr::col((I, "revision")).gt(1)),
            );
        }
        if !self.corrections.is_empty() {
            q.and_where(Expr::col((I, "id")).is_not_in(self.corrections.iter().map(|i| i.id)));
        }
        q
    }

    /// [`Scope::visible`] narrowed to the filter: the period's days in `zone` become the instants
    /// they start at, compared with the impact start (else when the incident was recorded).
    pub(super) fn matching(
        &self,
        filter: &MetricsFilter,
        zone: &impl Zone,
        db: DbBackend,
    ) -> SelectStatement {
        let mut q = self.visible();
        if let Some(severity) = filter.severity {
            q.and_where(Expr::col((I, "severity")).eq(severity.as_str()));
        }
        if !filter.service.is_empty() {
            q.and_where(names_service(db, &filter.service));
        }
        if let Some(from) = filter.from {
            q.and_where(started().gte(first_instant(zone, from)));
        }
        if let Some(after) = filter.to.and_then(|to| to.succ_opt()) {
            q.and_where(started().lt(first_instant(zone, after)));
        }
        q
    }
}

/// When an incident started, as the metrics place it: its impact start, else when it was
/// recorded.
fn started() -> Expr {
    Func::coalesce([
        Expr::col((I, "impact_started_at")),
        Expr::col((I, "created_at")),
    ])
    .into()
}

/// The first instant of `day` in `zone`: its midnight, or when midnight was skipped (clocks
/// going forward at midnight), the first minute that happened. An incident's day is on or after
/// `day` exactly when it started at or after this instant, except in the hour repeated where
/// clocks go back across midnight (as Brazil's did until 2019): an incident started in that hour
/// the second time falls on the earlier day but after the later day's first instant.
fn first_instant(zone: &impl Zone, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    (0..24 * 60)
        .find_map(|minute| {
            zone.to_utc(midnight + TimeDelta::minutes(minute))
                .ok()
                .map(|(utc, _)| utc)
        })
        .unwrap_or_else(|| midnight.and_utc())
}

/// Whether one of the incident's services (one per line) is `service`, ignoring ASCII case as
/// the domain does (`eq_ignore_ascii_case`): the lines, wrapped in newlines, contain it wrapped
/// in newlines. SQLite's `lower` folds ASCII only; Postgres' folds more, so it translates.
fn names_service(db: DbBackend, service: &str) -> Expr {
    if service.contains('\n') {
        // A line never holds a newline.
        return Expr::cust("1 = 0");
    }
    let needle = format!("\n{}\n", service.to_ascii_lowercase());
    let services = r#"(chr(10) || "incidents"."services" || chr(10))"#;
    match db {
        DbBackend::Postgres => Expr::cust_with_values(
            format!(
                "strpos(translate({services}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', \
                 'abcdefghijklmnopqrstuvwxyz'), $1) > 0"
            ),
            [needle],
        ),
        _ => Expr::cust_with_values(
            format!("instr(lower({}), ?) > 0", services.replace("chr(", "char(")),
            [needle],
        ),
    }
}

/// One measure from its two columns.
fn duration(row: &QueryResult, name: &str) -> Result<Option<ApproxDuration>, DbErr> {
    let seconds: Option<i64> = row.try_get("", &format!("{name}_seconds"))?;
    let approximate: Option<bool> = row.try_get("", &format!("{name}_approximate"))?;
    Ok(seconds.map(|seconds| ApproxDuration {
        seconds,
        approximate: approximate.unwrap_or_default(),
    }))
}

const MEASURES: [&str; 3] = ["time_to_detect", "time_to_mitigate", "impact_duration"];

/// The day an instant falls on in `zone`.
fn day_of(zone: &impl Zone, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&zone.offset_at(instant)).date_naive()
}

fn severity(text: &str) -> Result<Severity, DbErr> {
    Severity::parse(text)
        .ok_or_else(|| DbErr::Custom(format!("incidents.severity is unreadable: {text:?}")))
}

/// The services of `incidents` (id, services), newest incident first, sorted ignoring case,
/// each once: the spelling kept is the newest incident's.
fn services(mut incidents: Vec<(i64, Vec<String>)>) -> Vec<String> {
    incidents.sort_by_key(|(id, _)| Reverse(*id));
    let mut services: Vec<String> = incidents.into_iter().flat_map(|(_, s)| s).collect();
    services.sort_by_cached_key(|s| s.to_lowercase());
    services.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    services
}

/// One incident measured from its milestones, as the metrics page shows it in `zone`.
pub(super) fn measures_of(
    incident: &Incident,
    zone: &impl Zone,
    exclusions: &[(i64, String, String)],
) -> IncidentMeasures {
    let m = &incident.milestones;
    let started = m
        .impact_started
        .as_ref()
        .map_or(incident.created_at, RecordedTime::point);
    IncidentMeasures {
        id: incident.id,
        title: incident.title.clone(),
        severity: incident.severity,
        services: incident.services.clone(),
        day: day_of(zone, started),
        time_to_detect: m.time_to_detect(),
        time_to_mitigate: m.time_to_mitigate(),
        impact_duration: m.impact_duration(),
        excluded: exclusions
            .iter()
            .find(|(id, _, _)| *id == incident.id)
            .map(|(_, reason, by)| format!("{reason} (left out by {by})")),
    }
}

/// The metrics `user` sees for `filter` in `zone`, with the `page` (from 1) of `size` rows: at
/// most six statements whatever the database holds (four for those who write postmortems).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn metrics<C: ConnectionTrait>(
    conn: &C,
    user: &User,
    filter: &MetricsFilter,
    zone: &impl Zone,
    page: usize,
    size: usize,
) -> Result<Metrics, DbErr> {
    let db = conn.get_database_backend();
    let scope = Scope::of(conn, user).await?;
    let corrected: Vec<IncidentMeasures> = if scope.corrections.is_empty() {
        Vec::new()
    } else {
        let ids: Vec<i64> = scope.corrections.iter().map(|i| i.id).collect();
        let exclusions = crate::server::repo::metrics::exclusions_of(conn, &ids).await?;
        scope
            .corrections
            .iter()
            .map(|i| measures_of(i, zone, &exclusions))
            .filter(|m| filter.matches(m))
            .collect()
    };

    let mut counts = by_severity(&corrected);
    let mut q = scope.matching(filter, zone, db);
    q.expr_as(Expr::col((I, "severity")), Alias::new("severity"))
        .expr_as(Func::count(Expr::col((I, "id"))), Alias::new("n"))
        .add_group_by([Expr::col((I, "severity"))]);
    for row in conn.query_all(&q).await? {
        let severity = severity(&row.try_get::<String>("", "severity")?)?;
        let n = usize::try_from(row.try_get::<i64>("", "n")?).unwrap_or_default();
        match counts.iter_mut().find(|(s, _)| *s == severity) {
            Some((_, count)) => *count += n,
            None => counts.push((severity, n)),
        }
    }
    counts.sort_by_key(|(s, _)| Severity::ALL.iter().position(|x| x == s));

    let mut q = scope.matching(filter, zone, db);
    q.join(
        JoinType::LeftJoin,
        Alias::new(E),
        Expr::col((E, "incident_id")).equals((I, "id")),
    )
    .expr_as(Expr::col((I, "id")), Alias::new("id"))
    .expr_as(started(), Alias::new("started"))
    .expr_as(Expr::col((E, "incident_id")), Alias::new("excluded"));
    for name in MEASURES {
        for part in ["seconds", "approximate"] {
            let column = format!("{name}_{part}");
            q.expr_as(Expr::col((I, column.clone())), Alias::new(column));
        }
    }
    let mut measured: Vec<(i64, Measured)> = Vec::new();
    for row in conn.query_all(&q).await? {
        let excluded: Option<i64> = row.try_get("", "excluded")?;
        measured.push((
            row.try_get("", "id")?,
            Measured {
                day: day_of(zone, row.try_get("", "started")?),
                excluded: excluded.is_some(),
                time_to_detect: duration(&row, MEASURES[0])?,
                time_to_mitigate: duration(&row, MEASURES[1])?,
                impact_duration: duration(&row, MEASURES[2])?,
            },
        ));
    }
    measured.extend(corrected.iter().map(|m| (m.id, Measured::from(m))));
    measured.sort_by_key(|(id, m)| (Reverse(m.day), *id));
    let counted: Vec<Measured> = measured.iter().map(|(_, m)| *m).collect();
    let report = report_of(counts, &counted);

    let shown: Vec<(i64, Measured)> = measured
        .iter()
        .skip((page.max(1) - 1) * size)
        .take(size)
        .copied()
        .collect();
    let more = measured.len() > page.max(1) * size;
    let live: Vec<i64> = shown
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !corrected.iter().any(|m| m.id == *id))
        .collect();
    let mut details = Vec::new();
    if !live.is_empty() {
        let mut q = Query::select();
        q.from(Alias::new(I))
            .join(
                JoinType::LeftJoin,
                Alias::new(E),
                Expr::col((E, "incident_id")).equals((I, "id")),
            )
            .expr_as(Expr::col((I, "id")), Alias::new("id"))
            .expr_as(Expr::col((I, "title")), Alias::new("title"))
            .expr_as(Expr::col((I, "severity")), Alias::new("severity"))
            .expr_as(Expr::col((I, "services")), Alias::new("services"))
            .expr_as(Expr::col((E, "reason")), Alias::new("reason"))
            .expr_as(Expr::col((E, "excluded_by")), Alias::new("excluded_by"))
            .and_where(Expr::col((I, "id")).is_in(live));
        for row in conn.query_all(&q).await? {
            let reason: Option<String> = row.try_get("", "reason")?;
            let by: Option<String> = row.try_get("", "excluded_by")?;
            let services: String = row.try_get("", "services")?;
            details.push((
                row.try_get::<i64>("", "id")?,
                row.try_get::<String>("", "title")?,
                severity(&row.try_get::<String>("", "severity")?)?,
                lines(&services),
                reason.map(|reason| format!("{reason} (left out by {})", by.unwrap_or_default())),
            ));
        }
    }
    let rows = shown
        .into_iter()
        .filter_map(|(id, m)| {
            if let Some(corrected) = corrected.iter().find(|c| c.id == id) {
                return Some(corrected.clone());
            }
            let at = details.iter().position(|d| d.0 == id)?;
            let (_, title, severity, services, excluded) = details.swap_remove(at);
            Some(IncidentMeasures {
                id,
                title,
                severity,
                services,
                day: m.day,
                time_to_detect: m.time_to_detect,
                time_to_mitigate: m.time_to_mitigate,
                impact_duration: m.impact_duration,
                excluded,
            })
        })
        .collect();

    let mut q = scope.visible();
    q.expr_as(Expr::col((I, "services")), Alias::new("services"))
        .expr_as(Func::max(Expr::col((I, "id"))), Alias::new("last"))
        .add_group_by([Expr::col((I, "services"))]);
    let mut named: Vec<(i64, Vec<String>)> = scope
        .corrections
        .iter()
        .map(|i| (i.id, i.services.clone()))
        .collect();
    for row in conn.query_all(&q).await? {
        let services: String = row.try_get("", "services")?;
        named.push((row.try_get("", "last")?, lines(&services)));
    }
    Ok(Metrics {
        report,
        rows,
        more,
        services: services(named),
    })
}

/// The services stored one per line, as the repository reads them.
fn lines(services: &str) -> Vec<String> {
    services
        .lines()
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
        .collect()
}

/// [`metrics`] as the page computed it before the measures were kept: every incident `user`
/// may read loaded with its milestones, seen as they see it, measured, filtered and sorted in
/// memory; every matching row rather than a page. The reference the SQL is checked against.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn in_memory<C: ConnectionTrait>(
    conn: &C,
    user: &User,
    filter: &MetricsFilter,
    zone: &impl Zone,
) -> Result<Metrics, DbErr> {
    use crate::server::visibility::{seen_by, writes_postmortems};
    let visible = seen_by(
        conn,
        user,
        crate::server::repo::incidents::readable(conn, !writes_postmortems(user)).await?,
    )
    .await?;
    let incidents: Vec<&Incident> = visible.incidents().collect();
    let exclusions = crate::server::repo::metrics::exclusions(conn).await?;
    let mut services: Vec<String> = incidents.iter().flat_map(|i| i.services.clone()).collect();
    services.sort_by_key(|s| s.to_lowercase());
    services.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let mut rows: Vec<IncidentMeasures> = incidents
        .iter()
        .map(|i| measures_of(i, zone, &exclusions))
        .filter(|m| filter.matches(m))
        .collect();
    rows.sort_by_key(|m| (Reverse(m.day), m.id));
    Ok(Metrics {
        report: report(&rows),
        rows,
        more: false,
        services,
    })
}
