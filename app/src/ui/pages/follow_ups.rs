//! The follow-up dashboard (`/follow-ups`): views by where follow-ups are (open, overdue, due
//! soon, awaiting verification), filters by owner, team, priority, incident and change system
//! (all in the address, so every view is a link), where the open work is, and the backlog
//! week by week.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::{flash_id, query_param, with_flash};
use crate::api::dashboard::follow_up_dashboard;
use crate::domain::follow_up::{BacklogWeek, Bucket, DashboardFilter, Priority};
use crate::dto::dashboard::{BACKLOG_WEEKS, Dashboard, GroupRow};
use crate::dto::forms::FormFlash;
use crate::ui::components::chart::{LineChart, Series};
use crate::ui::components::follow_up_card::FollowUpCard;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::pager::Pager;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let names = [
        "view", "owner", "team", "priority", "incident", "system", "page",
    ];
    let params = names.map(query_param);
    let flash = flash_id();
    let data = Resource::new(
        move || (params.map(|p| p.get()), flash.get()),
        |([view, owner, team, priority, incident, system, page], flash)| {
            with_flash(
                flash,
                follow_up_dashboard(view, owner, team, priority, incident, system, page),
            )
        },
    );
    view! {
        <Title text="Follow-ups" />
        <div class="page-head"><h1>"Follow-ups"</h1></div>
        <p class="lead">"Every follow-up across incidents: what is overdue, what is due soon, what is done but not yet shown to work."</p>
        <Loaded resource=data view=move |(dashboard, flash): (Dashboard, Option<FormFlash>)| {
            view! { <DashboardView dashboard flash /> }.into_any()
        } />
    }
}

#[component]
fn DashboardView(dashboard: Dashboard, flash: Option<FormFlash>) -> impl IntoView {
    if !dashboard.any {
        return view! {
            <div class="empty">
                <p>"No follow-ups yet. They are added from an incident's postmortem, under Follow-up actions."</p>
                <p><a href="/">"Go to the incidents"</a></p>
            </div>
        }
        .into_any();
    }
    let filter = dashboard.filter.clone();
    let bucket = filter.bucket;
    view! {
        {dashboard.ignored.iter().map(|message| view! { <p class="notice notice-error" role="alert">{message.clone()}</p> }).collect_view()}
        <nav class="tabs" aria-label="Views">
            {dashboard.tabs.iter().map(|tab| {
                let current = tab.bucket == bucket;
                view! {
                    <a href=tab.href.clone() class:current=current class:alarm={tab.bucket == Bucket::Overdue && tab.count > 0}
                        aria-current=current.then_some("page")>
                        {tab.bucket.label()}" "<span class="count">{tab.count}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
        <Filters dashboard=dashboard.clone() />
        <p class="hint">{bucket.description()}</p>
        {if dashboard.rows.is_empty() {
            view! {
                <div class="empty">
                    <p>{format!("No follow-up is {} with these filters.", bucket.label().to_lowercase())}</p>
                    {filter.is_narrowed().then(|| view! { <p><a href=DashboardFilter::default().in_bucket(bucket).href()>"Clear the filters"</a></p> })}
                </div>
            }.into_any()
        } else {
            view! {
                <ul class="follow-up-list">
                    {dashboard.rows.into_iter().map(|row| view! { <FollowUpCard row flash=flash.clone() show_incident=true /> }).collect_view()}
                </ul>
                <Pager previous=dashboard.previous_href.clone() next=dashboard.next_href.clone() back="Previous follow-ups" on="More follow-ups" />
                <p class="small"><a href=dashboard.follow_ups_csv_href.clone() rel="external" download="">"Download these follow-ups as CSV"</a></p>
            }.into_any()
        }}
        <Groups title="By owner" empty="No open follow-up has an owner yet." rows=dashboard.by_owner />
        <Groups title="By team" empty="No owner of an open follow-up has a team yet; an admin sets teams under People." rows=dashboard.by_team />
        <Groups title="By change system" empty="No open follow-up targets a change yet." rows=dashboard.by_system />
        <Backlog weeks=dashboard.backlog csv=dashboard.backlog_csv_href />
    }
    .into_any()
}

/// The filter form: a plain GET, so the result is a link.
#[component]
fn Filters(dashboard: Dashboard) -> impl IntoView {
    let filter = dashboard.filter;
    let choice = |name: &'static str,
                  label: &'static str,
                  any: &'static str,
                  current: String,
                  options: Vec<(String, String)>| {
        let id = format!("filter-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <select name=name id=id>
                <option value="" selected=current.is_empty()>{any}</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = value.eq_ignore_ascii_case(&current);
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        }
    };
    let pairs = |names: Vec<String>| {
        names
            .into_iter()
            .map(|n| (n.clone(), n))
            .collect::<Vec<_>>()
    };
    let priorities = Priority::ALL
        .into_iter()
        .map(|p| (p.as_str().to_owned(), p.label().to_owned()))
        .collect();
    let incidents = dashboard
        .incidents
        .into_iter()
        .map(|(id, title)| (id.to_string(), format!("#{id} {title}")))
        .collect();
    let narrowed = filter.is_narrowed();
    view! {
        <Form method="GET" action="/follow-ups" attr:class="filters dashboard-filters">
            <input type="hidden" name="view" value=filter.bucket.as_str() />
            <div>{choice("owner", "Owner", "Any owner", filter.owner.clone(), pairs(dashboard.owners))}</div>
            <div>{choice("team", "Team", "Any team", filter.team.clone(), pairs(dashboard.teams))}</div>
            <div>{choice("priority", "Priority", "Any priority", filter.priority.map(|p| p.as_str().to_owned()).unwrap_or_default(), priorities)}</div>
            <div>{choice("incident", "Incident", "Any incident", filter.incident_id.map(|i| i.to_string()).unwrap_or_default(), incidents)}</div>
            <div>{choice("system", "Change system", "Any system", filter.system.clone(), pairs(dashboard.systems))}</div>
            <div class="filter-actions">
                <button type="submit" class="secondary small">"Filter"</button>
                {narrowed.then(|| view! { <a class="small" href=DashboardFilter::default().in_bucket(filter.bucket).href()>"Clear"</a> })}
            </div>
        </Form>
    }
}

/// Open work per owner, team or system, most overdue first; each count links to the list.
#[component]
fn Groups(title: &'static str, empty: &'static str, rows: Vec<GroupRow>) -> impl IntoView {
    view! {
        <section class="groups">
            <h2>{title}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table class="counts">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Open"</th><th scope="col">"Overdue"</th><th scope="col">"Due soon"</th><th scope="col">"Awaiting verification"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row"><a href=row.href.clone()>{row.counts.name.clone()}</a></th>
                                    <td><a href=row.href>{row.counts.open}</a></td>
                                    <td class:alarm={row.counts.overdue > 0}><a href=row.overdue_href>{row.counts.overdue}</a></td>
                                    <td>{row.counts.due_soon}</td>
                                    <td>{row.counts.awaiting_verification}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The backlog week by week: a chart, the table it draws, and the CSV.
#[component]
fn Backlog(weeks: Vec<BacklogWeek>, csv: String) -> impl IntoView {
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| w.starts.format("%-d %b").to_string())
        .collect();
    let column = |f: fn(&BacklogWeek) -> u32| weeks.iter().map(f).collect::<Vec<u32>>();
    let series = vec![
        Series {
            name: "Open",
            class: "series-1",
            values: column(|w| w.open),
        },
        Series {
            name: "Overdue",
            class: "series-2",
            values: column(|w| w.overdue),
        },
        Series {
            name: "Opened",
            class: "series-3",
            values: column(|w| w.opened),
        },
        Series {
            name: "Closed",
            class: "series-4",
            values: column(|w| w.closed),
        },
    ];
    let (first, last) = (
        weeks.first().map(|w| w.open).unwrap_or(0),
        weeks.last().map(|w| w.open).unwrap_or(0),
    );
    let trend = match last.cmp(&first) {
        std::cmp::Ordering::Greater => format!(
            "The backlog grew from {first} to {last} open follow-ups over {BACKLOG_WEEKS} weeks."
        ),
        std::cmp::Ordering::Less => format!(
            "The backlog shrank from {first} to {last} open follow-ups over {BACKLOG_WEEKS} weeks."
        ),
        std::cmp::Ordering::Equal => {
            format!("The backlog held at {last} open follow-ups over {BACKLOG_WEEKS} weeks.")
        }
    };
    view! {
        <section class="backlog">
            <h2>"Backlog over time"</h2>
            <p>{trend.clone()}" Weeks start on Monday; open and overdue are counted at the end of each week (today, for this week)."</p>
            <LineChart labels series summary=trend />
            <details>
                <summary>"The numbers, week by week"</summary>
                <div class="table-scroll">
                <table class="counts">
                    <thead><tr><th scope="col">"Week of"</th><th scope="col">"Opened"</th><th scope="col">"Closed"</th><th scope="col">"Open at its end"</th><th scope="col">"Overdue at its end"</th></tr></thead>
                    <tbody>
                        {weeks.iter().map(|w| view! {
                            <tr><th scope="row">{w.starts.format("%-d %b %Y").to_string()}</th><td>{w.opened}</td><td>{w.closed}</td><td>{w.open}</td><td>{w.overdue}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </details>
            <p><a href=csv rel="external" download="">"Download as CSV"</a></p>
        </section>
    }
}
