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
    use crate::domain::metrics::{IncidentMeasures, MetricsQuery, report};
    use crate::domain::time::Zone;
    use crate::dto::metrics::METRICS_PAGE_SIZE;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let page = match page.trim() {
        "" => 1,
        given => given
            .parse::<usize>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::BadRequest(format!("Unknown page {given:?}.")))?,
    };
    let zone = super::zone();
    let (filter, ignored) = MetricsQuery {
        from,
        to,
        severity,
        service,
    }
    .parse();
    // Readers who read a correction as published count it as published (title, services,
    // milestones).
    let visible = crate::server::visibility::seen_by(
        &state.db,
        &user,
        crate::server::repo::incidents::readable(
            &state.db,
            !crate::server::visibility::writes_postmortems(&user),
        )
        .await?,
    )
    .await?;
    let incidents: Vec<_> = visible.incidents().collect();
    let exclusions = crate::server::repo::metrics::exclusions(&state.db).await?;
    let mut services: Vec<String> = incidents.iter().flat_map(|i| i.services.clone()).collect();
    services.sort_by_key(|s| s.to_lowercase());
    services.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let mut measures: Vec<IncidentMeasures> = incidents
        .iter()
        .map(|i| {
            let m = &i.milestones;
            let started = m
                .impact_started
                .as_ref()
                .map_or(i.created_at, crate::domain::time::RecordedTime::point);
            IncidentMeasures {
                id: i.id,
                title: i.title.clone(),
                severity: i.severity,
                services: i.services.clone(),
                day: started.with_timezone(&zone.offset_at(started)).date_naive(),
                time_to_detect: m.time_to_detect(),
                time_to_mitigate: m.time_to_mitigate(),
                impact_duration: m.impact_duration(),
                excluded: exclusions
                    .iter()
                    .find(|(id, _, _)| *id == i.id)
                    .map(|(_, reason, by)| format!("{reason} (left out by {by})")),
            }
        })
        .filter(|m| filter.matches(m))
        .collect();
    measures.sort_by_key(|m| (std::cmp::Reverse(m.day), m.id));
    let shown = |d: Option<crate::domain::time::ApproxDuration>| d.map(|d| d.display());
    Ok(MetricsView {
        report: report(&measures),
        rows: measures
            .iter()
            .skip((page - 1) * METRICS_PAGE_SIZE)
            .take(METRICS_PAGE_SIZE)
            .map(|m| MetricRow {
                id: m.id,
                title: m.title.clone(),
                severity: m.severity,
                day: m.day.format("%-d %b %Y").to_string(),
                time_to_detect: shown(m.time_to_detect),
                time_to_mitigate: shown(m.time_to_mitigate),
                impact_duration: shown(m.impact_duration),
                excluded: m.excluded.clone(),
            })
            .collect(),
        ignored: ignored.0.into_iter().map(|e| e.message).collect(),
        services,
        previous_href: (page > 1).then(|| filter.href_at_page(page as u64 - 1)),
        next_href: (measures.len() > page * METRICS_PAGE_SIZE)
            .then(|| filter.href_at_page(page as u64 + 1)),
        filter,
        can_exclude: user.role.includes(crate::domain::account::Role::Author),
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
    crate::server::repo::metrics::exclude(&state.db, incident_id, &reason, &user.display_name)
        .await?;
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
