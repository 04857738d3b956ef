//! Changes across incidents (`/changes`): which systems and jobs were the confirmed trigger of,
//! or contributed to, which incidents, the parameters that took a default, and what became of
//! the follow-ups that target them. Most involved first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::insights::{ChangesOverview, InsightRow, change_overview};
use crate::domain::change::IncidentRef;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn ChangesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| change_overview());
    view! {
        <Title text="Changes" />
        <div class="page-head"><h1>"Changes"</h1></div>
        <p class="lead">"Which changes keep hurting us: the systems and jobs that set incidents off or made them worse, the parameters left to their defaults, and the follow-ups that target them."</p>
        <Loaded resource=data view=|overview: ChangesOverview| {
            if overview.rows.is_empty() {
                let next = if overview.any_changes {
                    "No change has been judged a confirmed trigger or a contributing factor yet. Judge each change's relation on its incident's postmortem."
                } else {
                    "No changes recorded yet. Record what was changed or run on an incident's postmortem, with the parameters it ran with."
                };
                view! { <div class="empty"><p>{next}</p><p><a href="/">"Go to the incidents"</a></p></div> }.into_any()
            } else {
                view! { <ol class="insights">{overview.rows.into_iter().map(|row| view! { <Insight row /> }).collect_view()}</ol> }.into_any()
            }
        } />
    }
}

#[component]
fn Insight(row: InsightRow) -> impl IntoView {
    let i = row.insight;
    let incidents = |list: Vec<IncidentRef>| {
        list.into_iter()
            .map(|r| view! { <li><a href=format!("/incidents/{}", r.id)>{r.title}</a></li> })
            .collect_view()
    };
    view! {
        <li class="insight">
            <h2>{i.name()}</h2>
            <p class="insight-sentence">{row.sentence}</p>
            <div class="insight-facts">
                {(!i.triggered.is_empty()).then(|| view! {
                    <div><h3>"Confirmed trigger of"</h3><ul>{incidents(i.triggered.clone())}</ul></div>
                })}
                {(!i.contributed.is_empty()).then(|| view! {
                    <div><h3>"Contributing factor in"</h3><ul>{incidents(i.contributed.clone())}</ul></div>
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
