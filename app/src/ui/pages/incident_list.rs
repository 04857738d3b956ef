//! The incident list: severity, status, impact headline, time to detect, open follow-ups;
//! filtered by status and severity with a plain GET form; an empty state that offers the
//! worked example.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::domain::account::Role;
use crate::ui::components::pager::Pager;
use crate::ui::components::session::{IfRole, Session};
use leptos_meta::Title;
use leptos_router::components::Form;

use super::query_param;
use crate::api::incidents::{LoadWorkedExample, list_incidents};
use crate::dto::postmortem::IncidentList;
use crate::ui::components::badges::{SeverityBadge, StatusBadge};
use crate::ui::components::loaded::Loaded;
use crate::ui::options;

#[component]
pub fn IncidentListPage() -> impl IntoView {
    let status = query_param("status");
    let severity = query_param("severity");
    let page = query_param("page");
    let field = query_param("field");
    let value = query_param("value");
    let data = Resource::new(
        move || {
            (
                status.get(),
                severity.get(),
                page.get(),
                field.get(),
                value.get(),
            )
        },
        |(status, severity, page, field, value)| {
            list_incidents(status, severity, page, field, value)
        },
    );
    view! {
        <Title text="Incidents" />
        <div class="page-head">
            <h1>"Incidents"</h1>
            <span class="head-actions"><a class="button secondary" href="/incidents/import">"Import"</a>" "<a class="button" href="/incidents/new">"New incident"</a></span>
        </div>
        <Form method="GET" action="">
            <div class="filters">
            <label>"Status "
                <select name="status">
                    <option value="" selected=move || status.get().is_empty()>"Any status"</option>
                    {options::statuses().into_iter().map(|(v, l)| {
                        let value = v.clone();
                        view! { <option value=v selected=move || value == status.get()>{l}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Severity "
                <select name="severity">
                    <option value="" selected=move || severity.get().is_empty()>"Any severity"</option>
                    {options::severity_names().into_iter().map(|(v, l)| {
                        let value = v.clone();
                        view! { <option value=v selected=move || value == severity.get()>{l}</option> }
                    }).collect_view()}
                </select>
            </label>
            <Suspense>{move || Suspend::new(async move {
                let fields = data.await.map(|list| list.filter_fields).unwrap_or_default();
                (!fields.is_empty()).then(|| view! {
                    <label>"Field "
                        <select name="field">
                            <option value="" selected=move || field.get().is_empty()>"Any field"</option>
                            {fields.into_iter().map(|(key, label)| {
                                let k = key.clone();
                                view! { <option value=key selected=move || k == field.get()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>"is "
                        <input type="text" name="value" prop:value=move || value.get() value=value.get_untracked() />
                    </label>
                })
            })}</Suspense>
            <button type="submit" class="secondary small">"Filter"</button>
        </div>
        </Form>
        <Loaded resource=data view=move |list: IncidentList| view! { <IncidentTable list /> } />
    }
}

#[component]
fn IncidentTable(list: IncidentList) -> impl IntoView {
    if !list.any {
        return view! { <EmptyState /> }.into_any();
    }
    if list.rows.is_empty() {
        return view! {
            <div class="empty">
                <p>"No incident matches this filter."</p>
                <p><a href="/">"Show all incidents"</a></p>
            </div>
        }
        .into_any();
    }
    view! {
        <p class="muted">"Times in " {list.zone.clone()}</p>
        <ul class="incident-list">
            {list.rows.into_iter().map(|row| view! {
                <li class="incident-card">
                    <div class="card-head">
                        <SeverityBadge severity=row.severity />
                        <StatusBadge status=row.status />
                        {row.started.map(|s| view! { <span class="muted small">{s}</span> })}
                    </div>
                    <a class="card-title" href=format!("/incidents/{}", row.id)>{row.title}</a>
                    <p class="headline">{row.impact_headline.unwrap_or_else(|| "No impact figure recorded yet".to_owned())}</p>
                    <dl class="card-facts">
                        <div><dt>"Time to detect"</dt><dd>{row.time_to_detect.unwrap_or_else(|| "—".to_owned())}</dd></div>
                        <div><dt>"Open follow-ups"</dt><dd>{row.open_follow_ups}</dd></div>
                    </dl>
                </li>
            }).collect_view()}
        </ul>
        <Pager previous=list.previous_href next=list.next_href back="Newer incidents" on="Older incidents" />
    }
    .into_any()
}

/// What a new team sees: how to start.
#[component]
fn EmptyState() -> impl IntoView {
    view! {
        <section class="empty welcome">
            <h2>"No incidents yet"</h2>
            <IfRole role=Role::Author>
                <p>"Write your first postmortem: what happened, how bad it was, which change set it off, what went well, and what you will do about it."</p>
                <div class="actions">
                    <a class="button" href="/incidents/new">"Record an incident"</a>
                    <form method="post" action=LoadWorkedExample::PATH>
                        <button type="submit" class="secondary">"Load the worked example"</button>
                    </form>
                </div>
                <p class="muted small">"The worked example is a real login outage: a Jenkins job restarted every Java server at once because its concurrency took the default. It shows every part of a postmortem filled in."</p>
            </IfRole>
            <Show when=move || Session::get().and_then(Session::user).is_some_and(|u| !u.role.includes(Role::Author))>
                <p>"Published postmortems will appear here. You can read them; an admin can give you the author role to write one."</p>
            </Show>
        </section>
    }
}
