//! An incident's history (`/incidents/:id/history`): who changed what and when, newest first,
//! each change as a diff of the fields it touched, with the record as that change left it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{bad_address, id_param, query_param};
use crate::api::history::incident_history;
use crate::domain::history::{FieldChange, Line};
use crate::dto::history::{HistoryItem, HistoryView};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::pager::Pager;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let id = id_param("id");
    let page = query_param("page");
    let data = Resource::new(
        move || (id.get(), page.get()),
        |(id, page)| async move {
            match id {
                Some(id) => incident_history(id, page).await,
                None => Err(bad_address()),
            }
        },
    );
    view! { <Loaded resource=data view=|history: HistoryView| view! { <History history /> } /> }
}

#[component]
fn History(history: HistoryView) -> impl IntoView {
    let back = format!("/incidents/{}", history.incident_id);
    view! {
        <Title text=format!("History — {}", history.incident_title) />
        <p class="crumbs"><a href=back.clone()>{history.incident_title.clone()}</a>" / History"</p>
        <h1>"History"</h1>
        <p class="muted small">"Every change to this postmortem, newest first. Times in " {history.zone.clone()} "."</p>
        {if history.entries.is_empty() {
            view! { <p class="empty-inline">"Nothing has been recorded yet. Changes appear here as people save them."</p> }.into_any()
        } else {
            view! {
                <ol class="history">
                    {history.entries.into_iter().map(|entry| view! { <Entry entry /> }).collect_view()}
                </ol>
                <Pager previous=history.previous_href.clone() next=history.next_href.clone() back="Later changes" on="Earlier changes" />
            }.into_any()
        }}
    }
}

#[component]
fn Entry(entry: HistoryItem) -> impl IntoView {
    let record = entry.record.clone();
    // A record that was added is shown whole; listing each field as "added" says no more.
    let added = entry.action == "added";
    view! {
        <li class="history-entry" id=format!("h-{}", entry.id)>
            <p class="history-head">
                <strong>{entry.who.clone()}</strong>" "{entry.action.clone()}" "{entry.summary.clone()}
                <span class="muted small">" · "{entry.at.clone()}</span>
            </p>
            {(!added && !entry.changes.is_empty()).then(|| view! {
                <dl class="diff">
                    {entry.changes.into_iter().map(|change| view! { <Change change /> }).collect_view()}
                </dl>
            })}
            {(!record.is_empty()).then(|| view! {
                <details class="as-it-was" open=added>
                    <summary>{match entry.action.as_str() {
                        "deleted" => "As it was before it was deleted",
                        "added" => "As it was added",
                        _ => "The whole record after this change",
                    }}</summary>
                    <dl class="record">
                        {record.into_iter().map(|(field, value)| view! {
                            <div><dt>{field}</dt><dd class="pre">{value}</dd></div>
                        }).collect_view()}
                    </dl>
                </details>
            })}
        </li>
    }
}

#[component]
fn Change(change: FieldChange) -> impl IntoView {
    let body = if change.lines.is_empty() {
        view! {
            <dd>
                {(!change.before.is_empty()).then(|| view! { <del class="pre">{change.before.clone()}</del> })}
                {(!change.before.is_empty() && !change.after.is_empty()).then_some(" → ")}
                {(!change.after.is_empty()).then(|| view! { <ins class="pre">{change.after.clone()}</ins> })}
            </dd>
        }
        .into_any()
    } else {
        view! {
            <dd><pre class="line-diff">
                {change.lines.into_iter().map(|line| match line {
                    Line::Same(text) => view! { <span class="same">"  "{text}"\n"</span> }.into_any(),
                    Line::Removed(text) => view! { <del>"- "{text}"\n"</del> }.into_any(),
                    Line::Added(text) => view! { <ins>"+ "{text}"\n"</ins> }.into_any(),
                }).collect_view()}
            </pre></dd>
        }
        .into_any()
    };
    view! { <div><dt>{change.field.clone()}</dt>{body}</div> }
}
