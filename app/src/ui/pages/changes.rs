//! Changes across incidents (`/changes`): which systems and jobs were the confirmed trigger of,
//! or contributed to, which incidents, the parameters that took a default, and what became of
//! the follow-ups that target them. Most involved first.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::query_param;
use crate::api::insights::change_overview;
use crate::api::integrations::{LinkRecordedChange, recorded_changes};
use crate::domain::account::Role;
use crate::domain::change::IncidentRef;
use crate::dto::insights::{ChangesOverview, InsightRow};
use crate::dto::integrations::{ChangeLog, LINK_CHOICES, RecordedRow};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::pager::Pager;
use crate::ui::components::session::IfRole;

#[component]
pub fn ChangesPage() -> impl IntoView {
    let page = query_param("page");
    let data = Resource::new(move || page.get(), change_overview);
    view! {
        <Title text="Changes" />
        <div class="page-head"><h1>"Changes"</h1></div>
        <p class="lead">"Which changes keep hurting us: the systems and jobs that set incidents off or made them worse, the parameters left to their defaults, and the follow-ups that target them."</p>
        <Loaded resource=data view=|overview: ChangesOverview| {
            let factors = overview.factors.clone();
            let jobs = if overview.rows.is_empty() && overview.previous_href.is_some() {
                view! { <div class="empty"><p>"No more jobs: this page is past the last one."</p><p><a href="/changes">"Back to the first page"</a></p></div> }.into_any()
            } else if overview.rows.is_empty() {
                let next = if overview.any_changes {
                    "No change has been judged a confirmed trigger or a contributing factor yet. Judge each change's relation on its incident's postmortem."
                } else {
                    "No changes recorded yet. Record what was changed or run on an incident's postmortem, with the parameters it ran with."
                };
                view! { <div class="empty"><p>{next}</p><p><a href="/">"Go to the incidents"</a></p></div> }.into_any()
            } else {
                view! {
                    <ol class="insights" start=overview.first_rank>{overview.rows.into_iter().map(|row| view! { <Insight row /> }).collect_view()}</ol>
                    <Pager previous=overview.previous_href next=overview.next_href back="More involved" on="Less involved" />
                }.into_any()
            };
            view! { {jobs} <crate::ui::components::factors::FactorRollupSection rollups=factors /> }
        } />
        <IfRole role=Role::Author><RecordedChanges /></IfRole>
    }
}

/// Changes integrations recorded, newest first, each with a form to add it to a postmortem.
#[component]
fn RecordedChanges() -> impl IntoView {
    let data = Resource::new(|| (), |_| recorded_changes());
    view! {
        <section class="change-log" id="recorded">
            <h2>"Recorded by integrations"</h2>
            <p class="muted">{format!("Changes your CI and deploy tools sent through the change API (an admin sets them up under Integrations). Add one to the postmortem it belongs to: any of the {LINK_CHOICES} most recent postmortems being written.")}</p>
            <Loaded resource=data view=|log: ChangeLog| {
                if log.rows.is_empty() {
                    view! { <p class="empty-inline">"No change recorded by an integration yet."</p> }.into_any()
                } else {
                    let incidents = log.incidents;
                    view! { <ul class="recorded">{log.rows.into_iter().map(|row| view! { <Recorded row incidents=incidents.clone() /> }).collect_view()}</ul> }.into_any()
                }
            } />
        </section>
    }
}

#[component]
fn Recorded(row: RecordedRow, incidents: Vec<(i64, String)>) -> impl IntoView {
    let select_id = format!("incident-for-{}", row.id);
    view! {
        <li class="recorded-change">
            <p><strong>{row.name.clone()}</strong>" — "{row.summary.clone()}</p>
            <p class="small muted">
                {row.kind.clone()}
                {row.time.clone().map(|t| format!(" · {t}"))}
                {format!(" · from {} · recorded {}", row.source, row.recorded)}
            </p>
            {(!row.parameters.is_empty()).then(|| view! { <p class="small">"Parameters: "{row.parameters.join(", ")}</p> })}
            {match row.linked.clone() {
                Some((id, title)) => view! { <p class="small">"Added to "<a href=format!("/incidents/{id}")>{title}</a></p> }.into_any(),
                None if incidents.is_empty() => view! { <p class="small muted">"No postmortem is being written to add it to."</p> }.into_any(),
                None => view! {
                    <form method="post" action=LinkRecordedChange::PATH class="inline-form">
                        <input type="hidden" name="id" value=row.id />
                        <label for=select_id.clone()>"Add to "</label>
                        <select name="incident_id" id=select_id>
                            {incidents.iter().map(|(id, title)| view! { <option value=id.to_string()>{format!("#{id} {title}")}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="secondary small">"Add to postmortem"</button>
                        <p class="field-error" role="alert"></p>
                    </form>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn Insight(row: InsightRow) -> impl IntoView {
    let i = row.insight;
    // The most recent incidents of each role are listed; the rest are counted.
    let incidents = |list: Vec<IncidentRef>, total: usize| {
        let earlier = total.saturating_sub(list.len());
        view! {
            {(earlier > 0).then(|| view! {
                <li class="muted">{if earlier == 1 { "1 earlier incident".to_owned() } else { format!("{earlier} earlier incidents") }}</li>
            })}
            {list.into_iter()
                .map(|r| view! { <li><a href=format!("/incidents/{}", r.id)>{r.title}</a></li> })
                .collect_view()}
        }
    };
    view! {
        <li class="insight">
            <h2>{i.name()}</h2>
            <p class="insight-sentence">{row.sentence}</p>
            <div class="insight-facts">
                {(i.triggered_total > 0).then(|| view! {
                    <div><h3>"Confirmed trigger of"</h3><ul>{incidents(i.triggered.clone(), i.triggered_total)}</ul></div>
                })}
                {(i.contributed_total > 0).then(|| view! {
                    <div><h3>"Contributing factor in"</h3><ul>{incidents(i.contributed.clone(), i.contributed_total)}</ul></div>
                })}
                {(!i.parameters.is_empty()).then(|| view! {
                    <div><h3>"Parameters"</h3><ul>{i.parameters.iter().map(|p| view! {
                        <li><code>{p.name.clone()}</code>
                            {(p.defaulted_in > 0).then(|| format!(" — took its default in {}", if p.defaulted_in == 1 { "1 incident".to_owned() } else { format!("{} incidents", p.defaulted_in) }))}
                            {p.named_by_follow_up.then_some(" — a follow-up targets it")}
                        </li>
                    }).collect_view()}</ul></div>
                })}
            </div>
            <p class="small"><a href=row.follow_ups_href>{format!("Follow-ups on {}: {}", i.system, i.follow_ups.describe())}</a></p>
        </li>
    }
}
