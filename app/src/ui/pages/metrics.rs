//! Metrics (`/metrics`): time to detect, time to mitigate and impact duration across incidents,
//! as medians and 90th percentiles with how many incidents they rest on; by period, severity and
//! service; incidents left out only with a reason.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::query_param;
use crate::api::metrics::{ExcludeFromMetrics, IncludeInMetrics, incident_metrics};
use crate::domain::incident::Severity;
use crate::domain::metrics::{Measure, SMALL_SAMPLE, Stat};
use crate::dto::metrics::{MetricRow, MetricsView};
use crate::ui::components::badges::SeverityBadge;
use crate::ui::components::chart::{LineChart, Series};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::pager::Pager;

#[component]
pub fn MetricsPage() -> impl IntoView {
    let params = ["from", "to", "severity", "service", "page"].map(query_param);
    let data = Resource::new(
        move || params.map(|p| p.get()),
        |[from, to, severity, service, page]| incident_metrics(from, to, severity, service, page),
    );
    view! {
        <Title text="Metrics" />
        <div class="page-head"><h1>"Metrics"</h1></div>
        <p class="lead">"How quickly incidents are noticed and brought under control, from the start of impact. Medians and 90th percentiles, each with the number of incidents behind it; never an average that one long outage can drag."</p>
        <Loaded resource=data view=|view: MetricsView| view! { <Metrics view /> }.into_any() />
    }
}

fn minutes(stat: &Stat) -> u32 {
    stat.median
        .map(|d| u32::try_from(d.seconds.max(0) / 60).unwrap_or(u32::MAX))
        .unwrap_or(0)
}

#[component]
fn Metrics(view: MetricsView) -> impl IntoView {
    let f = view.filter.clone();
    let report = view.report;
    let labels: Vec<String> = report
        .months
        .iter()
        .map(|m| m.starts.format("%b %Y").to_string())
        .collect();
    let per_month = vec![Series {
        name: "Incidents",
        class: "series-1",
        values: report
            .months
            .iter()
            .map(|m| u32::try_from(m.incidents).unwrap_or(u32::MAX))
            .collect(),
    }];
    let ttm = vec![Series {
        name: "Median time to mitigate (minutes)",
        class: "series-2",
        values: report
            .months
            .iter()
            .map(|m| minutes(&m.time_to_mitigate))
            .collect(),
    }];
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    view! {
        {view.ignored.iter().map(|m| view! { <p class="notice notice-error" role="alert">{m.clone()}</p> }).collect_view()}
        <Form method="GET" action="/metrics" attr:class="filters dashboard-filters">
            <div><label for="m-from">"From"</label><input type="date" id="m-from" name="from" value=date(f.from) /></div>
            <div><label for="m-to">"To"</label><input type="date" id="m-to" name="to" value=date(f.to) /></div>
            <div><label for="m-severity">"Severity"</label>
                <select id="m-severity" name="severity">
                    <option value="">"Any severity"</option>
                    {Severity::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=f.severity == Some(s)>{s.label()}</option> }).collect_view()}
                </select></div>
            <div><label for="m-service">"Service"</label>
                <select id="m-service" name="service">
                    <option value="">"Any service"</option>
                    {view.services.iter().map(|s| view! { <option value=s.clone() selected=s.eq_ignore_ascii_case(&f.service)>{s.clone()}</option> }).collect_view()}
                </select></div>
            <div class="filter-actions"><button type="submit" class="secondary small">"Show"</button><a class="small" href="/metrics">"All incidents"</a></div>
        </Form>
        {if report.count == 0 {
            view! { <div class="empty"><p>"No incident in this period. Widen the period, or record incidents with when impact started, was detected and was mitigated."</p></div> }.into_any()
        } else {
            view! {
                <p>{format!("{} incidents: ", report.count)}
                    {report.by_severity.iter().map(|(s, n)| view! { <SeverityBadge severity=*s />{format!(" {n}  ")} }).collect_view()}
                </p>
                <div class="stat-cards">
                    {report.stats.iter().map(|(m, s)| view! { <StatCard measure=*m stat=*s /> }).collect_view()}
                </div>
                <h2>"Month by month"</h2>
                <LineChart labels=labels.clone() series=per_month summary="Incidents per month" />
                <LineChart labels series=ttm summary="Median time to mitigate per month, in minutes" />
                <ImpactTotals totals=view.impact.clone() />
                <h2>"The incidents behind the figures"</h2>
                <div class="table-scroll">
                    <table class="counts metrics-table">
                        <thead><tr><th scope="col">"Incident"</th><th scope="col">"Started"</th><th scope="col">"Detect"</th><th scope="col">"Mitigate"</th><th scope="col">"Impact"</th><th scope="col">"Counted?"</th></tr></thead>
                        <tbody>{view.rows.into_iter().map(|row| view! { <Row row can_exclude=view.can_exclude /> }).collect_view()}</tbody>
                    </table>
                </div>
                <Pager previous=view.previous_href.clone() next=view.next_href.clone() back="Previous incidents" on="More incidents" />
            }.into_any()
        }}
    }
}

#[component]
fn StatCard(measure: Measure, stat: Stat) -> impl IntoView {
    let shown = |d: Option<crate::domain::time::ApproxDuration>| {
        d.map_or_else(|| "—".to_owned(), |d| d.display())
    };
    let based = match stat.n {
        0 => "No incident records this yet.".to_owned(),
        1 => "From 1 incident.".to_owned(),
        n => format!("From {n} incidents."),
    };
    view! {
        <div class="stat-card">
            <h3>{measure.label()}</h3>
            <p><span class="big">{shown(stat.median)}</span>" median"</p>
            <p class="small">{shown(stat.p90)}" at the 90th percentile"</p>
            <p class="small muted">{based}</p>
            {(stat.n > 0 && stat.is_small_sample()).then(|| view! {
                <p class="small warn" role="note">{format!("Fewer than {SMALL_SAMPLE} incidents: one more could move these figures a lot.")}</p>
            })}
        </div>
    }
}

#[component]
fn Row(row: MetricRow, can_exclude: bool) -> impl IntoView {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    let reason_id = format!("reason-{}", row.id);
    view! {
        <tr class:excluded=row.excluded.is_some()>
            <th scope="row"><a href=format!("/incidents/{}", row.id)>{row.title.clone()}</a></th>
            <td>{row.day.clone()}</td>
            <td>{dash(row.time_to_detect.clone())}</td>
            <td>{dash(row.time_to_mitigate.clone())}</td>
            <td>{dash(row.impact_duration.clone())}</td>
            <td class="counted">
                {match row.excluded.clone() {
                    Some(reason) => view! {
                        <span class="small">"Left out: "{reason}</span>
                        {can_exclude.then(|| view! {
                            <form method="post" action=IncludeInMetrics::PATH class="inline-form">
                                <input type="hidden" name="incident_id" value=row.id />
                                <button type="submit" class="secondary small">"Count it again"</button>
                            </form>
                        })}
                    }.into_any(),
                    None => view! {
                        <span class="small">"Counted"</span>
                        {can_exclude.then(|| view! {
                            <details class="leave-out">
                                <summary class="small">"Leave out…"</summary>
                                <form method="post" action=ExcludeFromMetrics::PATH class="inline-form">
                                    <input type="hidden" name="incident_id" value=row.id />
                                    <label for=reason_id.clone() class="visually-hidden">"Reason"</label>
                                    <input id=reason_id.clone() name="reason" placeholder="Why (a game day, a duplicate)" required />
                                    <button type="submit" class="secondary small">"Leave out"</button>
                                    <p class="field-error" role="alert"></p>
                                </form>
                            </details>
                        })}
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// What the counted incidents' impact figures come to, one line per kind and unit.
#[component]
fn ImpactTotals(totals: Vec<crate::domain::impact::totals::ImpactTotal>) -> impl IntoView {
    if totals.is_empty() {
        return ().into_any();
    }
    view! {
        <h2 id="impact-totals">"Impact"</h2>
        <p class="hint">"Counts are added up only with counts of the same unit or of the same thing affected, money only within one currency; shares and rates are never added up. Figures nobody measured are shown as not measured, never as 0."</p>
        <div class="table-scroll">
            <table class="counts impact-totals">
                <thead><tr><th scope="col">"What"</th><th scope="col">"Comes to"</th><th scope="col">"How"</th><th scope="col">"Figures"</th><th scope="col">"Incidents"</th></tr></thead>
                <tbody>
                    {totals.into_iter().map(|t| view! {
                        <tr>
                            <td>{t.what}</td>
                            <td>{t.value}</td>
                            <td>{t.how}</td>
                            <td>{t.figures}</td>
                            <td>{t.incidents}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
