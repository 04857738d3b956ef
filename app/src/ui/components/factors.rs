//! Contributing factors as pages show them: the section of the postmortem page (each factor
//! with what shows it, the follow-ups that address it and, while writing, the other incidents
//! its category contributed to), the computed check on the review page, and what keeps hurting
//! us on /changes.

use leptos::prelude::*;

use crate::domain::factor::{FactorCheck, FactorRole, FactorRollup, Standing};
use crate::dto::factors::{FactorRollups, FactorRow};

/// The "Contributing factors" section of a postmortem.
///
/// `changes` and `follow_ups` name the changes and follow-ups a factor points at (id, name), from
/// what the page already holds.
#[component]
pub fn FactorsSection(
    incident_id: i64,
    factors: Vec<FactorRow>,
    changes: Vec<(i64, String)>,
    follow_ups: Vec<(i64, String)>,
    /// Shown under the heading: the template's prompt for the section.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let base = format!("/incidents/{incident_id}");
    view! {
        <section id="factors">
            <div class="section-head"><h2>"Contributing factors"</h2><a class="button small secondary edit-only" href=format!("{base}/factors/new")>"Add factor"</a></div>
            {children.map(|c| c())}
            {if factors.is_empty() {
                view! { <p class="empty-inline">"What let the change have impact? Name the trigger and the conditions: a risky default, a missing safeguard, a gap in a review."</p> }.into_any()
            } else {
                view! { <ul class="factor-list">
                    {factors.into_iter().map(|f| view! { <Factor f base=base.clone() changes=changes.clone() follow_ups=follow_ups.clone() /> }).collect_view()}
                </ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Factor(
    f: FactorRow,
    base: String,
    changes: Vec<(i64, String)>,
    follow_ups: Vec<(i64, String)>,
) -> impl IntoView {
    let trigger = f.role == FactorRole::Trigger;
    let name = |list: &[(i64, String)], id: i64| {
        list.iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let shown_by: Vec<(i64, String)> = f
        .changes
        .iter()
        .map(|(id, parameter)| {
            let mut label = name(&changes, *id);
            if let Some(p) = parameter {
                label.push_str(&format!(" — parameter {p}"));
            }
            (*id, label)
        })
        .collect();
    let entries = f.timeline_entries.clone();
    let addressed: Vec<(i64, String)> = f
        .follow_ups
        .iter()
        .map(|id| (*id, name(&follow_ups, *id)))
        .collect();
    view! {
        <li class="factor" class:trigger=trigger id=format!("factor-{}", f.id)>
            <div class="card-head">
                <span class="badge" class:marker=trigger>{f.role.label()}</span>
                <span class="badge kind">{f.category.clone()}</span>
            </div>
            <p class="factor-statement">{f.statement.clone()}</p>
            <p class="muted small">
                {(!shown_by.is_empty()).then(|| view! { "Shown by "{links(&base, "change", shown_by)}". " })}
                {(!entries.is_empty()).then(|| view! { "In the timeline at "{links(&base, "entry", entries)}". " })}
                <a class="edit-only" href=format!("{base}/factors/{}", f.id)>"Edit"</a>
            </p>
            {match (addressed.is_empty(), f.accepted_reason.clone()) {
                (false, _) => view! {
                    <p class="small">"Addressed by: "
                        {addressed.into_iter().map(|(id, title)| view! { <a href=format!("{base}#follow-up-{id}")>{title}</a>" " }).collect_view()}
                    </p>
                }.into_any(),
                (true, Some(reason)) => view! { <p class="small"><strong>"Accepted, no action: "</strong>{reason}</p> }.into_any(),
                (true, None) => view! { <p class="small notice">"No follow-up addresses it yet, and it is not accepted with a reason."</p> }.into_any(),
            }}
            {f.recurrence.map(|r| view! {
                <div class="callout recurrence">
                    <p><strong>{r.sentence}</strong></p>
                    <ul>
                        {r.incidents.into_iter().map(|i| view! { <li><a href=format!("/incidents/{}", i.id)>{i.title}</a></li> }).collect_view()}
                        {(r.more > 0).then(|| view! { <li class="muted">{format!("and {} more", r.more)}</li> })}
                    </ul>
                </div>
            })}
        </li>
    }
}

/// Links to parts of the page (`#{anchor}-{id}`), separated as a sentence lists them.
fn links(base: &str, anchor: &'static str, items: Vec<(i64, String)>) -> impl IntoView + use<> {
    let last = items.len().saturating_sub(1);
    items
        .into_iter()
        .enumerate()
        .map(|(n, (id, label))| {
            let separator = match n {
                0 => "",
                n if n == last => " and ",
                _ => ", ",
            };
            view! { {separator}<a href=format!("{base}#{anchor}-{id}")>{label}</a> }
        })
        .collect_view()
}

/// The computed checklist item on the review page: each factor, and what addresses it.
#[component]
pub fn FactorCheckCard(incident_id: i64, check: FactorCheck) -> impl IntoView {
    let base = format!("/incidents/{incident_id}");
    let holds = check.holds();
    let summary = if check.is_empty() {
        "No contributing factors are recorded: name the trigger and the conditions that let it have impact."
    } else if holds {
        "Every contributing factor is addressed by a follow-up or accepted with a reason."
    } else {
        "Some contributing factors have no follow-up and are not accepted with a reason: approving waits until each has one or the other."
    };
    view! {
        <section class="factor-check card" id="factor-check" class:holds=holds>
            <h2>"Do the follow-ups address the trigger and the missing safeguards?"</h2>
            <p class="small">{if holds && !check.is_empty() { "✓ " } else { "" }}{summary}</p>
            {(!check.is_empty()).then(|| view! {
                <ul>
                    {check.factors.into_iter().map(|f| {
                        let (class, state) = match f.standing {
                            Standing::Addressed(titles) => ("addressed", format!("addressed by {}", titles.join(", "))),
                            Standing::Accepted(reason) => ("accepted", format!("accepted, no action: {reason}")),
                            Standing::Unaddressed => ("unaddressed", "not addressed".to_owned()),
                        };
                        view! {
                            <li class=class>
                                <a href=format!("{base}#factor-{}", f.factor_id)>{format!("{}: {}", f.role.label(), f.statement)}</a>
                                {format!(" — {state}")}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <p class="muted small"><a href=format!("{base}#factors")>"Contributing factors on the postmortem"</a></p>
        </section>
    }
}

/// What keeps hurting us: factors by category and by system, across incidents.
#[component]
pub fn FactorRollupSection(rollups: FactorRollups) -> impl IntoView {
    if rollups.by_category.is_empty() {
        return view! {
            <section class="factor-rollup" id="factors">
                <h2>"Contributing factors"</h2>
                <p class="empty-inline">"No contributing factor recorded yet. Name them on each postmortem: the trigger and the conditions that let it have impact."</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="factor-rollup" id="factors">
            <h2>"Contributing factors, by category"</h2>
            <ol class="insights">{rollups.by_category.into_iter().map(|r| view! { <Rollup r /> }).collect_view()}</ol>
            {(!rollups.by_system.is_empty()).then(|| view! {
                <h2>"Contributing factors, by system"</h2>
                <ol class="insights">{rollups.by_system.into_iter().map(|r| view! { <Rollup r /> }).collect_view()}</ol>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Rollup(r: FactorRollup) -> impl IntoView {
    let more = r.incidents_total.saturating_sub(r.incidents.len());
    view! {
        <li class="insight factor-insight">
            <p class="insight-sentence">{r.sentence()}</p>
            <div class="insight-facts">
                <div><h3>"Incidents"</h3><ul>
                    {r.incidents.into_iter().map(|i| view! { <li><a href=format!("/incidents/{}#factors", i.id)>{i.title}</a></li> }).collect_view()}
                    {(more > 0).then(|| view! { <li class="muted">{format!("and {more} earlier")}</li> })}
                </ul></div>
                <div><h3>"Recent factors"</h3><ul>
                    {r.statements.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul></div>
            </div>
        </li>
    }
}
