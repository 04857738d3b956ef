//! Metrics across the incidents the reader may see: medians and 90th percentiles with the
//! number of incidents behind them, by period, severity and service; and leaving an incident out
//! of them with a reason.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::metrics::MetricRow;
use crate::dto::metrics::MetricsView;
use crate::error::AppError;

/// The metrics for a period ("YYYY-MM-DD" bounds, each may be empty), severity and service,
/// with one page (from 1, empty = the first) of the incidents behind them.
#[server(prefix = "/api", endpoint = "metrics")]
pub async fn incident_metrics(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] severity: String,
    #[server(default)] service: String,
    #[server(default)] page: String,
) -> Result<MetricsView, AppError> {
    use crate::domain::metrics::MetricsQuery;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let page = usize::try_from(super::page_number(&page)?).unwrap_or(usize::MAX);
    let zone = super::zone();
    let query = MetricsQuery {
        from,
        to,
        severity,
        service,
    };
    let key = crate::server::read_cache::MetricsKey {
        role: user.role,
        query: query.clone(),
        page,
        zone: zone.0,
        today: crate::server::request::today(&zone),
    };
    let kept = state
        .reads
        .metrics
        .get_or_compute(&state.db, key, async || {
            view(&state, &user, query, &zone, page).await
        })
        .await?;
    Ok(MetricsView::clone(&kept))
}

/// The metrics page computed from the database.
#[cfg(feature = "ssr")]
async fn view(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    query: crate::domain::metrics::MetricsQuery,
    zone: &crate::server::zone::NamedZone,
    page: usize,
) -> Result<MetricsView, AppError> {
    use crate::dto::metrics::METRICS_PAGE_SIZE;
    let (filter, ignored) = query.parse();
    let metrics = crate::server::query::metrics::metrics(
        &state.db,
        user,
        &filter,
        zone,
        page,
        METRICS_PAGE_SIZE,
    )
    .await?;
    let impact =
        crate::server::query::metrics_impact::impact_totals(&state.db, user, &filter, zone).await?;
    let shown = |d: Option<crate::domain::time::ApproxDuration>| d.map(|d| d.display());
    Ok(MetricsView {
        report: metrics.report,
        rows: metrics
            .rows
            .into_iter()
            .map(|m| MetricRow {
                id: m.id,
                title: m.title,
                severity: m.severity,
                day: m.day.format("%-d %b %Y").to_string(),
                time_to_detect: shown(m.time_to_detect),
                time_to_mitigate: shown(m.time_to_mitigate),
                impact_duration: shown(m.impact_duration),
                excluded: m.excluded,
            })
            .collect(),
        ignored: ignored.0.into_iter().map(|e| e.message).collect(),
        services: metrics.services,
        previous_href: (page > 1).then(|| filter.href_at_page(page as u64 - 1)),
        next_href: metrics.more.then(|| filter.href_at_page(page as u64 + 1)),
        filter,
        can_exclude: user.role.includes(crate::domain::account::Role::Author),
        impact,
    })
}

/// Leaves an incident out of the metrics, with the reason (authors).
#[server(prefix = "/api", endpoint = "metrics/exclude")]
pub async fn exclude_from_metrics(incident_id: i64, reason: String) -> Result<(), AppError> {
    use crate::domain::form::{MAX_MARKDOWN_CHARS, required_text};
    let state = super::state()?;
    let (user, _) = super::access::readable_incident(&state, incident_id).await?;
    super::access::require(crate::domain::account::Role::Author)?;
    let reason = required_text(&reason, "The reason", MAX_MARKDOWN_CHARS).map_err(|_| {
        AppError::invalid(
            "reason",
            "Say why this incident is left out (a game day, a duplicate): the reason is shown with the figures.",
        )
    })?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::metrics::exclude(&txn, incident_id, &reason, &user.display_name).await?;
    txn.commit().await?;
    super::redirect("/metrics");
    Ok(())
}

/// Counts an incident in the metrics again (authors).
#[server(prefix = "/api", endpoint = "metrics/include")]
pub async fn include_in_metrics(incident_id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::readable_incident(&state, incident_id).await?;
    super::access::require(crate::domain::account::Role::Author)?;
    crate::server::repo::metrics::include(&state.db, incident_id).await?;
    super::redirect("/metrics");
    Ok(())
}
