//! The follow-ups a reader may read, asked of the database: which rows a dashboard filter
//! matches (one page, or every one for the download), how many each view holds, the groups by
//! owner, team and system, the backlog week by week and the names the filters offer. Counts
//! and groupings are SQL aggregates (sea-query expressions, so SQLite and Postgres alike), never
//! a table read into memory.
//!
//! A follow-up's team is its owner's; its system is that of the change it addresses as the
//! reader sees it: a reader who reads a correction as published sees the published change, so
//! [`Scope`] carries the systems (and titles) of the corrections under way, as many as there
//! are corrections, into the query.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use crate::domain::account::User;
use crate::domain::change::Change;
use crate::domain::follow_up::{
    BacklogWeek, Bucket, DUE_SOON_DAYS, DashboardFilter, FollowUpState, GroupCounts,
};
use crate::domain::incident::IncidentStatus;

/// What of the follow-ups a reader may read: only those of published postmortems (viewers), and
/// for the postmortems they read as published, the published title and the published systems of
/// its changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    pub published_only: bool,
    /// (incident, published title, published changes) of each postmortem read as published.
    pub corrections: Vec<(i64, String, Vec<Change>)>,
}

impl Scope {
    /// The scope of `user`: what [`crate::server::visibility::seen_by`] lets them read.
    ///
    /// # Errors
    /// On a database failure or a published version the domain cannot read.
    pub async fn of<C: ConnectionTrait>(conn: &C, user: &User) -> Result<Self, DbErr> {
        use crate::server::repo::published;
        use crate::server::visibility::writes_postmortems;
        if writes_postmortems(user) {
            return Ok(Self::default());
        }
        let corrections = published::of_corrections(conn)
            .await?
            .into_iter()
            .map(|p| (p.incident.id, p.incident.title, p.changes))
            .collect();
        Ok(Self {
            published_only: true,
            corrections,
        })
    }

    /// An incident's title as the reader sees it, given its live title.
    pub fn title(&self, incident_id: i64, live: String) -> String {
        self.corrections
            .iter()
            .find(|(id, _, _)| *id == incident_id)
            .map_or(live, |(_, title, _)| title.clone())
    }

    /// The changes `live` (loaded from the live tables) as the reader sees them: those of the
    /// postmortems read as published replaced by their published changes that `wanted` picks.
    pub fn changes(&self, live: Vec<Change>, wanted: impl Fn(&Change) -> bool) -> Vec<Change> {
        let read_as_published = |id: i64| self.corrections.iter().any(|(i, _, _)| *i == id);
        let mut seen: Vec<Change> = live
            .into_iter()
            .filter(|c| !read_as_published(c.incident_id))
            .collect();
        seen.extend(
            self.corrections
                .iter()
                .flat_map(|(_, _, c)| c)
                .filter(|c| wanted(c))
                .cloned(),
        );
        seen.sort_by_key(|c| c.id);
        seen
    }

    /// The system of the change a follow-up addresses, as the reader sees it.
    fn system(&self) -> Expr {
        let live = Expr::col((C, "system"));
        if self.corrections.is_empty() {
            return live;
        }
        let mut published: Option<sea_orm::sea_query::CaseStatement> = None;
        for change in self.corrections.iter().flat_map(|(_, _, c)| c) {
            let when = Expr::col((F, "change_id")).eq(change.id);
            let system = change.change.system.clone();
            published = Some(match published {
                None => Expr::case(when, system),
                Some(case) => case.case(when, system),
            });
        }
        let published: Expr = match published {
            Some(case) => case.finally(Expr::null()).into(),
            None => Expr::null(),
        };
        let ids: Vec<i64> = self.corrections.iter().map(|(id, _, _)| *id).collect();
        Expr::case(Expr::col((F, "incident_id")).is_in(ids), published)
            .finally(live)
            .into()
    }

    /// Whether the system of the change a follow-up addresses, as the reader sees it, is
    /// `value` (ignoring case): the published changes that match are picked here, so the query
    /// binds them rather than every published system.
    fn system_is(&self, value: &str) -> Expr {
        let wanted = value.to_lowercase();
        let live = Func::lower(trim(Expr::col((C, "system")))).eq(wanted.clone());
        if self.corrections.is_empty() {
            return live;
        }
        let read_as_published: Vec<i64> = self.corrections.iter().map(|(id, _, _)| *id).collect();
        let published: Vec<i64> = self
            .corrections
            .iter()
            .flat_map(|(_, _, c)| c)
            .filter(|c| c.change.system.trim().to_lowercase() == wanted)
            .map(|c| c.id)
            .collect();
        let live = Expr::col((F, "incident_id"))
            .is_not_in(read_as_published.clone())
            .and(live);
        if published.is_empty() {
            return live;
        }
        live.or(Expr::col((F, "incident_id"))
            .is_in(read_as_published)
            .and(Expr::col((F, "change_id")).is_in(published)))
    }

    /// The follow-ups the reader may read, joined to their owner (`users`) and the change they
    /// address (`changes`) only when asked: each join is on a primary key, left, so it adds no
    /// row, and a join nothing reads costs a lookup per follow-up. The incident is not joined:
    /// every follow-up has one (a foreign key), and a viewer's are picked by an `IN` on the
    /// published incidents, which each database answers from one pass over them.
    fn base(&self, users: bool, changes: bool) -> SelectStatement {
        let mut q = Query::select();
        q.from_as(Alias::new("follow_ups"), F);
        if users {
            q.join_as(
                JoinType::LeftJoin,
                Alias::new("users"),
                U,
                Expr::col((U, "id")).equals((F, "owner_id")),
            );
        }
        if changes {
            q.join_as(
                JoinType::LeftJoin,
                Alias::new("changes"),
                C,
                Expr::col((C, "id")).equals((F, "change_id")),
            );
        }
        if self.published_only {
            let published = Query::select()
                .column("id")
                .from("incidents")
                .cond_where(
                    sea_orm::Condition::any()
                        .add(Expr::col("status").eq(IncidentStatus::Published.as_str()))
                        .add(Expr::col("revision").gt(1)),
                )
                .to_owned();
            q.and_where(Expr::col((F, "incident_id")).in_subquery(published));
        }
        q
    }

    /// [`Scope::base`] narrowed to the filter's owner, team, priority, incident and system,
    /// joined to what they and `key` read.
    fn faceted(&self, filter: &DashboardFilter, key: Option<Key>) -> SelectStatement {
        let mut q = self.base(
            !filter.team.is_empty() || key == Some(Key::Team),
            !filter.system.is_empty() || key == Some(Key::System),
        );
        let same = |column: Expr, value: &str| Func::lower(trim(column)).eq(value.to_lowercase());
        if !filter.owner.is_empty() {
            q.and_where(same(Expr::col((F, "owner")), &filter.owner));
        }
        if !filter.team.is_empty() {
            q.and_where(same(team(), &filter.team));
        }
        if let Some(priority) = filter.priority {
            q.and_where(Expr::col((F, "priority")).eq(priority.as_str()));
        }
        if let Some(id) = filter.incident_id {
            q.and_where(Expr::col((F, "incident_id")).eq(id));
        }
        if !filter.system.is_empty() {
            q.and_where(self.system_is(&filter.system));
        }
        q
    }

    /// How many follow-ups each view holds under the filter's facets, in [`Bucket::ALL`] order.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn bucket_counts<Db: ConnectionTrait>(
        &self,
        conn: &Db,
        filter: &DashboardFilter,
        today: NaiveDate,
    ) -> Result<Vec<(Bucket, usize)>, DbErr> {
        let mut q = self.faceted(filter, None);
        for (n, bucket) in Bucket::ALL.into_iter().enumerate() {
            q.expr_as(
                count_where(in_bucket(bucket, today)),
                Alias::new(format!("b{n}")),
            );
        }
        let row = conn.query_one(&q).await?;
        Bucket::ALL
            .into_iter()
            .enumerate()
            .map(|(n, bucket)| {
                let count = match &row {
                    Some(row) => row.try_get::<i64>("", &format!("b{n}"))?,
                    None => 0,
                };
                Ok((bucket, usize::try_from(count).unwrap_or_default()))
            })
            .collect()
    }

    /// The follow-ups under the filter's facets grouped by `key` (ignoring case), with those
    /// neither open nor awaiting verification left out, most overdue first: as
    /// [`crate::domain::follow_up::counts_by`] counts them.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn counts_by<Db: ConnectionTrait>(
        &self,
        conn: &Db,
        filter: &DashboardFilter,
        today: NaiveDate,
        key: Key,
    ) -> Result<Vec<GroupCounts>, DbErr> {
        let mut q = self.faceted(filter, Some(key));
        let key = self.key(key);
        // `<> ''` leaves out NULL too.
        q.and_where(key.clone().ne(""))
            .expr_as(Func::min(key.clone()), Alias::new("name"));
        let columns = [
            Bucket::Open,
            Bucket::Overdue,
            Bucket::DueSoon,
            Bucket::AwaitingVerification,
        ];
        for (n, bucket) in columns.into_iter().enumerate() {
            q.expr_as(
                count_where(in_bucket(bucket, today)),
                Alias::new(format!("b{n}")),
            );
        }
        q.add_group_by([Expr::from(Func::lower(key))]);
        let mut groups = Vec::new();
        for row in conn.query_all(&q).await? {
            let n = |i: usize| -> Result<usize, DbErr> {
                Ok(usize::try_from(row.try_get::<i64>("", &format!("b{i}"))?).unwrap_or_default())
            };
            groups.push(GroupCounts {
                name: row.try_get("", "name")?,
                open: n(0)?,
                overdue: n(1)?,
                due_soon: n(2)?,
                awaiting_verification: n(3)?,
            });
        }
        Ok(crate::domain::follow_up::ranked(groups))
    }

    fn key(&self, key: Key) -> Expr {
        match key {
            Key::Owner => Expr::col((F, "owner")),
            Key::Team => team(),
            Key::System => self.system(),
        }
    }

    /// Every name `key` takes among the follow-ups the reader may read (whatever the filter),
    /// sorted ignoring case, once each ignoring case.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn names<Db: ConnectionTrait>(
        &self,
        conn: &Db,
        key: Key,
    ) -> Result<Vec<String>, DbErr> {
        let mut q = self.base(key == Key::Team, key == Key::System);
        let key = self.key(key);
        q.distinct()
            .expr_as(key.clone(), Alias::new("name"))
            .and_where(key.ne(""));
        let mut names: Vec<String> = conn
            .query_all(&q)
            .await?
            .into_iter()
            .map(|row| row.try_get("", "name"))
            .collect::<Result<_, _>>()?;
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        Ok(names)
    }

    /// The incidents with a follow-up the reader may read (of those `of` selects, when given),
    /// (id, title as they see it), newest first; the first `limit` of them when given.
    ///
    /// # Errors
    /// On a database failure.
    pub async fn incidents<Db: ConnectionTrait>(
        &self,
        conn: &Db,
        of: Option<SelectStatement>,
        limit: Option<u64>,
    ) -> Result<Vec<(i64, String)>, DbErr> {
        let mut q = self.base(false, false);
        q.join_as(
            JoinType::InnerJoin,
            Alias::new("incidents"),
            I,
            Expr::col((I, "id")).equals((F, "incident_id")),
        );
        if let Some(follow_ups) = of {
            q.and_where(Expr::col((F, "id")).in_subquery(follow_ups));
        }
        q.distinct()
            .expr_as(Expr::col((I, "id")), Alias::new("id"))
            .expr_as(Expr::col((I, "title")), Alias::new("title"))
            .order_by_expr(Expr::col((I, "id")), Order::Desc);
        if let Some(limit) = limit {
            q.limit(limit);
        }
        conn.query_all(&q)
            .await?
            .into_iter()
            .map(|row| {
                let id: i64 = row.try_get("", "id")?;
                Ok((id, self.title(id, row.try_get("", "title")?)))
            })
            .collect()
    }

    /// The ids of up to `limit` follow-ups the filter matches with ids above `after`, by id: the
    /// same follow-ups as [`Scope::matching`], as a keyset page (the read API walks them by id,
    /// which stays stable while days pass, where the review order does not).
    pub fn matching_after(
        &self,
        filter: &DashboardFilter,
        today: NaiveDate,
        after: i64,
        limit: u64,
    ) -> SelectStatement {
        let mut q = self.faceted(filter, None);
        q.and_where(in_bucket(filter.bucket, today))
            .and_where(Expr::col((F, "id")).gt(after))
            .expr_as(Expr::col((F, "id")), Alias::new("id"))
            .order_by_expr(Expr::col((F, "id")), Order::Asc)
            .limit(limit);
        q
    }

    /// The ids of the follow-ups the filter matches, in review order (overdue first, then by
    /// due date, priority and id: [`crate::domain::follow_up::sort_for_review`]), `limit` of
    /// them from `offset` (all from `offset` without a limit).
    pub fn matching(
        &self,
        filter: &DashboardFilter,
        today: NaiveDate,
        offset: u64,
        limit: Option<u64>,
    ) -> SelectStatement {
        let mut q = self.faceted(filter, None);
        q.and_where(in_bucket(filter.bucket, today))
            .expr_as(Expr::col((F, "id")), Alias::new("id"))
            .order_by_expr(Expr::case(overdue(today), 0).finally(1).into(), Order::Asc)
            .order_by_expr(
                Expr::case(Expr::col((F, "due_on")).is_null(), 1)
                    .finally(0)
                    .into(),
                Order::Asc,
            )
            .order_by_expr(Expr::col((F, "due_on")), Order::Asc)
            .order_by_expr(Expr::col((F, "priority")), Order::Asc)
            .order_by_expr(Expr::col((F, "id")), Order::Asc);
        if offset > 0 {
            q.offset(offset);
        }
        if let Some(limit) = limit {
            q.limit(limit);
        }
        q
    }

    /// The backlog week by week under the filter's facets, as
    /// [`crate::domain::follow_up::backlog_by_week`] counts it: `weeks` weeks to the one holding
    /// `today`, a day being a day where the reader is (`midnight` gives the instant a day starts
    /// there).
    ///
    /// # Errors
    /// On a database failure.
    pub async fn backlog<Db: ConnectionTrait>(
        &self,
        conn: &Db,
        filter: &DashboardFilter,
        today: NaiveDate,
        weeks: u32,
        midnight: impl Fn(NaiveDate) -> DateTime<Utc>,
    ) -> Result<Vec<BacklogWeek>, DbErr> {
        let starts = crate::domain::follow_up::backlog_weeks(today, weeks);
        if starts.is_empty() {
            return Ok(Vec::new());
        }
        // Each week's counts compare a follow-up's creation, closing and due date with a few
        // instants and days. Rather than one count per week and column (48 conditions on every
        // row), each row is ranked once among those instants (how many are at or before it, a
        // binary search in CASEs), the rows are counted by rank, and the weeks are summed from
        // the groups here: `t >= x` is `rank(t) > index(x)`, `t < x` is `rank(t) <= index(x)`.
        let weeks: Vec<WeekEdges> = starts
            .iter()
            .map(|starts| {
                let ends = *starts + Days::new(6);
                let as_of = std::cmp::Ord::min(ends, today);
                WeekEdges {
                    starts: *starts,
                    from: midnight(*starts),
                    to: midnight(ends + Days::new(1)),
                    after: midnight(as_of + Days::new(1)),
                    as_of,
                }
            })
            .collect();
        let mut instants: Vec<DateTime<Utc>> =
            weeks.iter().flat_map(|w| [w.from, w.to, w.after]).collect();
        instants.sort_unstable();
        instants.dedup();
        let mut days: Vec<NaiveDate> = weeks.iter().map(|w| w.as_of).collect();
        days.sort_unstable();
        days.dedup();
        let created = Expr::col((F, "created_at"));
        let closed = Expr::col((F, "closed_at"));
        let due = Expr::col((F, "due_on"));
        let or_null = |column: Expr, ranked: Expr| -> Expr {
            Expr::case(column.is_null(), -1_i64).finally(ranked).into()
        };
        let mut q = self.faceted(filter, None);
        q.expr_as(rank(&created, &instants, 0), Alias::new("created_rank"))
            .expr_as(
                or_null(closed.clone(), rank(&closed, &instants, 0)),
                Alias::new("closed_rank"),
            )
            .expr_as(
                or_null(due.clone(), rank(&due, &days, 0)),
                Alias::new("due_rank"),
            )
            .expr_as(
                Expr::case(
                    Expr::col((F, "state")).ne(FollowUpState::Proposed.as_str()),
                    1_i64,
                )
                .finally(0_i64),
                Alias::new("promised"),
            )
            .expr_as(Func::count(Expr::col((F, "id"))), Alias::new("n"))
            .add_group_by([
                Expr::col(Alias::new("created_rank")),
                Expr::col(Alias::new("closed_rank")),
                Expr::col(Alias::new("due_rank")),
                Expr::col(Alias::new("promised")),
            ]);
        let mut groups = Vec::new();
        for row in conn.query_all(&q).await? {
            groups.push((
                row.try_get::<i64>("", "created_rank")?,
                row.try_get::<i64>("", "closed_rank")?,
                row.try_get::<i64>("", "due_rank")?,
                row.try_get::<i64>("", "promised")? == 1,
                u32::try_from(row.try_get::<i64>("", "n")?).unwrap_or_default(),
            ));
        }
        let at = |x: DateTime<Utc>| instants.partition_point(|i| *i < x) as i64;
        let on = |x: NaiveDate| days.partition_point(|d| *d < x) as i64;
        Ok(weeks
            .into_iter()
            .map(|w| {
                let starts = w.starts;
                let (from, to, after, as_of) = (at(w.from), at(w.to), at(w.after), on(w.as_of));
                let mut week = BacklogWeek {
                    starts,
                    opened: 0,
                    closed: 0,
                    open: 0,
                    overdue: 0,
                };
                for &(created, closed, due, promised, n) in &groups {
                    if created > from && created <= to {
                        week.opened += n;
                    }
                    if closed >= 0 && closed > from && closed <= to {
                        week.closed += n;
                    }
                    let open_then = created <= after && (closed < 0 || closed > after);
                    if open_then {
                        week.open += n;
                        if promised && due >= 0 && due <= as_of {
                            week.overdue += n;
                        }
                    }
                }
                week
            })
            .collect())
    }
}

/// A backlog week's edges: it counts what was created or closed from `from` to before `to`,
/// and what was open just before `after`, the end of the day `as_of` (the week's last day, or
/// today).
struct WeekEdges {
    starts: NaiveDate,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    after: DateTime<Utc>,
    as_of: NaiveDate,
}

/// How many of `points` (sorted, each once) are at or before `x`, plus `base`: a binary search
/// in nested CASEs, so a row compares with a handful of them, not all. `x` NULL ranks last.
fn rank<T: Clone + Into<sea_orm::Value>>(x: &Expr, points: &[T], base: i64) -> Expr {
    if points.is_empty() {
        return Expr::val(base);
    }
    let middle = points.len() / 2;
    Expr::case(
        x.clone().lt(points[middle].clone()),
        rank(x, &points[..middle], base),
    )
    .finally(rank(x, &points[middle + 1..], base + middle as i64 + 1))
    .into()
}

/// What the dashboard groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// The owner as named on the follow-up.
    Owner,
    /// The owner's team.
    Team,
    /// The system of the change it addresses.
    System,
}

const F: &str = "f";
const I: &str = "i";
const U: &str = "u";
const C: &str = "c";

/// `TRIM(x)`: spaces off both ends, in SQLite and Postgres alike.
pub fn trim(x: Expr) -> Expr {
    Func::cust("TRIM").arg(x).into()
}

fn team() -> Expr {
    Expr::expr(Func::coalesce([Expr::col((U, "team")), Expr::val("")]))
}

/// `COUNT(CASE WHEN condition THEN 1 END)`: how many rows meet it, 0 on none.
fn count_where(condition: Expr) -> Expr {
    let case: Expr = Expr::case(condition, 1).into();
    Func::count(case).into()
}

fn states(states: impl Fn(FollowUpState) -> bool) -> Expr {
    let names: Vec<&str> = FollowUpState::ALL
        .into_iter()
        .filter(|s| states(*s))
        .map(FollowUpState::as_str)
        .collect();
    Expr::col((F, "state")).is_in(names)
}

fn overdue(today: NaiveDate) -> Expr {
    states(FollowUpState::needs_owner_and_due).and(Expr::col((F, "due_on")).lt(today))
}

/// The condition a view's follow-ups meet: [`Bucket::contains`] in SQL.
fn in_bucket(bucket: Bucket, today: NaiveDate) -> Expr {
    match bucket {
        Bucket::Open => states(FollowUpState::is_open),
        Bucket::Overdue => overdue(today),
        Bucket::DueSoon => {
            let horizon = today.checked_add_days(Days::new(DUE_SOON_DAYS));
            let due = || Expr::col((F, "due_on"));
            let soon = states(FollowUpState::needs_owner_and_due).and(due().gte(today));
            match horizon {
                Some(h) => soon.and(due().lt(h)),
                None => soon.and(Expr::val(false)),
            }
        }
        Bucket::AwaitingVerification => Expr::col((F, "state")).eq(FollowUpState::Done.as_str()),
        Bucket::Closed => states(|s| matches!(s, FollowUpState::Verified | FollowUpState::WontDo)),
        Bucket::All => Expr::val(true),
    }
}
