//! The follow-up dashboard: the follow-ups the reader may read, in views and groups, with the
//! backlog week by week.

use crate::domain::follow_up::{Bucket, DashboardFilter, GroupCounts};
use crate::dto::dashboard::{BACKLOG_WEEKS, BucketTab, DASHBOARD_PAGE_SIZE, Dashboard, GroupRow};
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

/// The dashboard for a query (`view`, `owner`, `team`, `priority`, `incident`, `system`, each
/// may be empty), as the page and its CSV downloads show it: same access, same filters.
///
/// # Errors
/// Unauthorized without a login; on a database failure.
pub async fn dashboard(
    state: &AppState,
    query: crate::domain::follow_up::DashboardQuery,
    wanted: Rows,
) -> Result<Dashboard, AppError> {
    use crate::domain::follow_up::{backlog_by_week, bucket_counts, counts_by};
    use crate::domain::time::Zone;

    let zone = crate::server::request::zone();
    let today = crate::server::request::today(&zone);
    let (filter, ignored) = query.parse();
    let readable = tracked(state).await?;
    let items: Vec<_> = readable.items;
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
        counts_by(&items, &filter, today, |i| {
            Some(i.follow_up.follow_up.owner.clone()).filter(|o| !o.is_empty())
        }),
        |f, name| f.owner = name,
    );
    let by_team = group_rows(
        counts_by(&items, &filter, today, |i| {
            Some(i.team.clone()).filter(|t| !t.is_empty())
        }),
        |f, name| f.team = name,
    );
    let by_system = group_rows(
        counts_by(&items, &filter, today, |i| i.system.clone()),
        |f, name| f.system = name,
    );
    let tabs = bucket_counts(&items, &filter, today)
        .into_iter()
        .map(|(bucket, count)| BucketTab {
            bucket,
            count,
            href: filter.in_bucket(bucket).href(),
        })
        .collect();
    let in_facets: Vec<_> = items
        .iter()
        .filter(|i| filter.matches_facets(i))
        .map(|i| i.follow_up.clone())
        .collect();
    let backlog = backlog_by_week(&in_facets, today, BACKLOG_WEEKS, |at| {
        at.with_timezone(&zone.offset_at(at)).date_naive()
    });
    let mut shown: Vec<_> = items
        .iter()
        .filter(|i| filter.matches(i, today))
        .map(|i| i.follow_up.clone())
        .collect();
    crate::domain::follow_up::sort_for_review(&mut shown, today);
    let (previous_href, next_href) = match wanted {
        Rows::All => (None, None),
        Rows::Page(page) => {
            let page = page.max(1);
            let more = shown.len() > page * DASHBOARD_PAGE_SIZE;
            shown = shown
                .into_iter()
                .skip((page - 1) * DASHBOARD_PAGE_SIZE)
                .take(DASHBOARD_PAGE_SIZE)
                .collect();
            let at = |page: usize| {
                let href = filter.href();
                let join = if href.ends_with('?') { "" } else { "&" };
                format!("{href}{join}page={page}")
            };
            ((page > 1).then(|| at(page - 1)), more.then(|| at(page + 1)))
        }
    };
    let rows = super::follow_ups::review_rows(state, shown, &readable.incidents).await?;
    let choices = |key: &dyn Fn(&crate::domain::follow_up::Tracked) -> String| {
        let mut names: Vec<String> = items.iter().map(key).filter(|n| !n.is_empty()).collect();
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        names
    };
    let mut incidents: Vec<(i64, String)> = readable
        .incidents
        .incidents()
        .filter(|i| items.iter().any(|t| t.follow_up.incident_id == i.id))
        .map(|i| (i.id, i.title.clone()))
        .collect();
    incidents.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    Ok(Dashboard {
        ignored: ignored.0.into_iter().map(|e| e.message).collect(),
        tabs,
        rows,
        owners: choices(&|i| i.follow_up.follow_up.owner.clone()),
        teams: choices(&|i| i.team.clone()),
        systems: choices(&|i| i.system.clone().unwrap_or_default()),
        incidents,
        by_owner,
        by_team,
        by_system,
        backlog,
        backlog_csv_href: filter.href_at("/follow-ups/backlog.csv"),
        follow_ups_csv_href: filter.href_at("/follow-ups/export.csv"),
        any: !items.is_empty(),
        filter,
        previous_href,
        next_href,
    })
}

/// The follow-ups the reader may read, each with its owner's team and the system of the change
/// it addresses (as the reader sees that change), and the incidents they may read, as they see
/// them.
pub struct Readable {
    pub items: Vec<crate::domain::follow_up::Tracked>,
    pub incidents: crate::server::visibility::Visible,
}

/// See [`Readable`].
pub async fn tracked(state: &crate::server::AppState) -> Result<Readable, AppError> {
    use crate::server::repo::{accounts, follow_ups, incidents};
    let user = crate::server::access::require(crate::domain::account::Role::Viewer)?;
    let readable = crate::server::visibility::seen_by(
        &state.db,
        &user,
        incidents::list(&state.db, &Default::default()).await?,
    )
    .await?;
    let mut found = follow_ups::list(&state.db, &Default::default()).await?;
    found.retain(|f| readable.contains(f.incident_id));
    let people = accounts::list(&state.db).await?;
    let linked = super::follow_ups::addressed_changes(state, &found, &readable).await?;
    let items = found
        .into_iter()
        .map(|f| crate::domain::follow_up::Tracked {
            team: f
                .follow_up
                .owner_id
                .and_then(|id| people.iter().find(|p| p.id == id))
                .map(|p| p.team.clone())
                .unwrap_or_default(),
            system: f
                .follow_up
                .change_id
                .and_then(|id| linked.iter().find(|c| c.id == id))
                .map(|c| c.change.system.clone()),
            follow_up: f,
        })
        .collect();
    Ok(Readable {
        items,
        incidents: readable,
    })
}
