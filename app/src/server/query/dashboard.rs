//! The follow-up dashboard: the follow-ups the reader may read, in views and groups, with the
//! backlog week by week.

use crate::domain::follow_up::{Bucket, DashboardFilter, GroupCounts};
use crate::dto::dashboard::{
    BACKLOG_WEEKS, BucketTab, DASHBOARD_PAGE_SIZE, Dashboard, GroupRow, INCIDENT_CHOICES,
};
use crate::error::AppError;
use crate::server::AppState;

/// Which of the follow-ups the filters match become rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    /// One page (from 1) of [`DASHBOARD_PAGE_SIZE`], in review order: the page.
    Page(usize),
    /// All of them: the CSV download.
    All,
}

/// What a dashboard page is kept for (see [`crate::server::read_cache`]): what the reader may
/// read, what they asked, the page, and where and which day it is for them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    published_only: bool,
    query: crate::domain::follow_up::DashboardQuery,
    page: usize,
    zone: chrono_tz::Tz,
    today: chrono::NaiveDate,
}

/// The dashboard for a query (`view`, `owner`, `team`, `priority`, `incident`, `system`, each
/// may be empty), as the page and its CSV downloads show it: same access, same filters. A page
/// is kept while the facts it reads stay the same; the downloads are computed each time.
///
/// # Errors
/// Unauthorized without a login; on a database failure.
pub async fn dashboard(
    state: &AppState,
    query: crate::domain::follow_up::DashboardQuery,
    wanted: Rows,
) -> Result<Dashboard, AppError> {
    let user = crate::server::access::require(crate::domain::account::Role::Viewer)?;
    let zone = crate::server::request::zone();
    let today = crate::server::request::today(&zone);
    let Rows::Page(page) = wanted else {
        return computed(state, &user, query, wanted, &zone, today).await;
    };
    let key = Key {
        published_only: !crate::server::visibility::writes_postmortems(&user),
        query: query.clone(),
        page,
        zone: zone.0,
        today,
    };
    let kept = state
        .reads
        .dashboards
        .get_or_compute(&state.db, key, async || {
            computed(state, &user, query, wanted, &zone, today).await
        })
        .await?;
    Ok(Dashboard::clone(&kept))
}

/// The dashboard computed from the database.
async fn computed(
    state: &AppState,
    user: &crate::domain::account::User,
    query: crate::domain::follow_up::DashboardQuery,
    wanted: Rows,
    zone: &crate::server::zone::NamedZone,
    today: chrono::NaiveDate,
) -> Result<Dashboard, AppError> {
    use super::tracking::{Key, Scope};
    use crate::domain::time::Zone;

    let (filter, ignored) = query.parse();
    let db = &state.db;
    let scope = Scope::of(db, user).await?;
    let group_rows = |groups: Vec<GroupCounts>, narrow: fn(&mut DashboardFilter, String)| {
        groups
            .into_iter()
            .map(|counts| {
                let mut open = filter.in_bucket(Bucket::Open);
                narrow(&mut open, counts.name.clone());
                GroupRow {
                    href: open.href(),
                    overdue_href: open.in_bucket(Bucket::Overdue).href(),
                    counts,
                }
            })
            .collect::<Vec<_>>()
    };
    let by_owner = group_rows(
        scope.counts_by(db, &filter, today, Key::Owner).await?,
        |f, name| f.owner = name,
    );
    let by_team = group_rows(
        scope.counts_by(db, &filter, today, Key::Team).await?,
        |f, name| f.team = name,
    );
    let by_system = group_rows(
        scope.counts_by(db, &filter, today, Key::System).await?,
        |f, name| f.system = name,
    );
    let tabs = scope
        .bucket_counts(db, &filter, today)
        .await?
        .into_iter()
        .map(|(bucket, count)| BucketTab {
            bucket,
            count,
            href: filter.in_bucket(bucket).href(),
        })
        .collect();
    // A day starts at local midnight; a midnight the clocks skipped starts at the offset in
    // force just before it.
    let midnight = |day: chrono::NaiveDate| {
        let local = day.and_time(chrono::NaiveTime::MIN);
        zone.to_utc(local).map_or_else(
            |_| {
                let guess = local.and_utc();
                guess
                    - chrono::Duration::seconds(i64::from(zone.offset_at(guess).local_minus_utc()))
            },
            |(utc, _)| utc,
        )
    };
    let backlog = scope
        .backlog(db, &filter, today, BACKLOG_WEEKS, midnight)
        .await?;
    let (offset, limit) = match wanted {
        Rows::All => (0, None),
        Rows::Page(page) => (
            (page.max(1) as u64 - 1) * DASHBOARD_PAGE_SIZE as u64,
            Some(DASHBOARD_PAGE_SIZE as u64 + 1),
        ),
    };
    // The rows and the changes they address, each selected through the same query of the rows'
    // ids: nothing binds a list of every id.
    let matching = || scope.matching(&filter, today, offset, limit);
    let mut found = crate::server::repo::follow_ups::in_subquery(db, matching()).await?;
    crate::domain::follow_up::sort_for_review(&mut found, today);
    let more = limit.is_some() && found.len() > DASHBOARD_PAGE_SIZE;
    if limit.is_some() {
        found.truncate(DASHBOARD_PAGE_SIZE);
    }
    // The titles of the rows' incidents as the reader sees them; and the filter's choices: the
    // most recent incidents with a follow-up the reader may read, and the one filtered by.
    let titles: std::collections::HashMap<i64, String> = scope
        .incidents(db, Some(matching()), None)
        .await?
        .into_iter()
        .collect();
    let mut incidents = scope.incidents(db, None, Some(INCIDENT_CHOICES)).await?;
    if let Some(id) = filter.incident_id
        && !incidents.iter().any(|(i, _)| *i == id)
        && let Some(title) = titles.get(&id)
    {
        incidents.push((id, title.clone()));
    }
    let linked = scope.changes(
        crate::server::repo::changes::addressed_by(db, matching()).await?,
        |c| found.iter().any(|f| f.follow_up.change_id == Some(c.id)),
    );
    let rows = found
        .iter()
        .map(|f| {
            let title = titles.get(&f.incident_id).map_or("", String::as_str);
            super::build::follow_up(f, title, &linked, zone)
        })
        .collect();
    let (previous_href, next_href) = match wanted {
        Rows::All => (None, None),
        Rows::Page(page) => {
            let page = page.max(1);
            let at = |page: usize| {
                let href = filter.href();
                let join = if href.ends_with('?') { "" } else { "&" };
                format!("{href}{join}page={page}")
            };
            ((page > 1).then(|| at(page - 1)), more.then(|| at(page + 1)))
        }
    };
    Ok(Dashboard {
        ignored: ignored.0.into_iter().map(|e| e.message).collect(),
        tabs,
        rows,
        owners: scope.names(db, Key::Owner).await?,
        teams: scope.names(db, Key::Team).await?,
        systems: scope.names(db, Key::System).await?,
        // An incident with a follow-up the reader may read: any follow-up at all when some.
        any: !incidents.is_empty(),
        incidents,
        by_owner,
        by_team,
        by_system,
        backlog,
        backlog_csv_href: filter.href_at("/follow-ups/backlog.csv"),
        follow_ups_csv_href: filter.href_at("/follow-ups/export.csv"),
        filter,
        previous_href,
        next_href,
    })
}
