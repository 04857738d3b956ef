//! Review groups: one review covering several incidents. `/review-groups` lists them;
//! `/review-groups/new?incident=N` starts one from an incident ("Review together with…");
//! `/review-groups/:id` shows the group: its incidents (added and removed there), their
//! timelines merged in the order things happened, each entry labelled with its incident, and
//! their follow-ups by state. Every form is a plain POST form: the pages are server-rendered,
//! and a post comes back as a redirect (with a flash when it failed).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, query_param, with_flash};
use crate::api::review_groups::{
    AddToReviewGroup, CreateReviewGroup, RemoveFromReviewGroup, new_review_group, review_group,
    review_groups,
};
use crate::domain::review_group::{MemberForm, ReviewGroupForm};
use crate::dto::forms::FormFlash;
use crate::dto::review_group::{NewReviewGroupView, ReviewGroupRow, ReviewGroupView};
use crate::ui::components::badges::{SeverityBadge, StatusBadge};
use crate::ui::components::fields::{FormMessage, SelectField, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

/// The list of groups, as the list page loads it.
type Groups = Vec<ReviewGroupRow>;

#[component]
pub fn ReviewGroupsPage() -> impl IntoView {
    let data = Resource::new(|| (), |()| review_groups());
    view! {
        <Title text="Review groups" />
        <div class="page-head"><h1>"Review groups"</h1></div>
        <p class="lead">"One review for several incidents: their timelines merged in order, their follow-ups side by side. To start one, open an incident and choose “Review together with…”."</p>
        <Loaded resource=data view=|groups: Groups| view! { <GroupList groups /> }.into_any() />
    }
}

#[component]
fn GroupList(groups: Vec<ReviewGroupRow>) -> impl IntoView {
    if groups.is_empty() {
        return view! { <div class="empty"><p>"No review group yet."</p></div> }.into_any();
    }
    view! {
        <ul class="review-groups">
            {groups.into_iter().map(|g| view! {
                <li>
                    <a href=format!("/review-groups/{}", g.id)>{g.name}</a>
                    <span class="muted small">" — "{g.members.into_iter().map(|(id, title)| format!("#{id} {title}")).collect::<Vec<_>>().join(", ")}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn NewReviewGroupPage() -> impl IntoView {
    let incident = query_param("incident");
    let flash = flash_id();
    let data = Resource::new(
        move || (incident.get(), flash.get()),
        |(incident, flash)| {
            with_flash(flash, async move {
                match incident.parse::<i64>() {
                    Ok(id) => new_review_group(id).await,
                    Err(_) => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Title text="Review together" />
        <Loaded resource=data view=|(view, flash): (NewReviewGroupView, Option<FormFlash>)| view! { <NewGroup view flash /> } />
    }
}

#[component]
fn NewGroup(view: NewReviewGroupView, flash: Option<FormFlash>) -> impl IntoView {
    let back = format!("/incidents/{}", view.incident_id);
    let form = FormState::new(&ReviewGroupForm::default(), flash, CreateReviewGroup::PATH);
    view! {
        <p class="crumbs"><a href=back>{view.title.clone()}</a>" / Review together"</p>
        <h1>"Review together with…"</h1>
        {match view.group {
            Some((id, name)) => view! {
                <p>"This incident is reviewed in the group "<a href=format!("/review-groups/{id}")>{name}</a>"; an incident is in one group at most."</p>
            }.into_any(),
            None => view! {
                <p class="lead">"Group this incident with another to review them together: one timeline merging theirs, their follow-ups side by side. More incidents can be added on the group's page."</p>
                <form method="post" action=CreateReviewGroup::PATH class="review-group-form">
                    <input type="hidden" name="incident_id" value=view.incident_id />
                    <FormMessage form=form.clone() />
                    <TextField form=form.clone() name="name" label="Name of the group" required=true
                        placeholder="JMX settings rollout, March 2020" />
                    <SelectField form name="together_with" label="Review together with" options=view.candidates blank="Pick an incident" />
                    <button type="submit">"Start the review group"</button>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
pub fn ReviewGroupPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => review_group(id).await,
                    None => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|(group, flash): (ReviewGroupView, Option<FormFlash>)| view! { <ReviewGroup group flash /> } />
    }
}

#[component]
fn ReviewGroup(group: ReviewGroupView, flash: Option<FormFlash>) -> impl IntoView {
    let id = group.id;
    let form = FormState::new(&MemberForm::default(), flash, AddToReviewGroup::PATH);
    let can_change = group.can_change;
    view! {
        <Title text=format!("Review group — {}", group.name) />
        <p class="crumbs"><a href="/review-groups">"Review groups"</a>" / "{group.name.clone()}</p>
        <h1>{group.name.clone()}</h1>
        <p class="muted small">{group.created.clone()}". "{group.changed.clone()}"."</p>
        <section id="members">
            <h2>"Incidents reviewed together"</h2>
            <ul class="review-group-members">
                {group.members.iter().map(|m| view! {
                    <li>
                        <SeverityBadge severity=m.severity />" "<StatusBadge status=m.status />" "
                        <a href=format!("/incidents/{}", m.incident_id)>{format!("#{} {}", m.incident_id, m.title)}</a>
                        " "<a class="small" href=format!("/incidents/{}/review", m.incident_id)>"Review"</a>
                        {can_change.then(|| view! { <RemoveMember id incident_id=m.incident_id /> })}
                    </li>
                }).collect_view()}
            </ul>
            {(can_change && !group.candidates.is_empty()).then(|| view! {
                <form method="post" action=AddToReviewGroup::PATH class="inline-form review-group-add">
                    <input type="hidden" name="id" value=id />
                    <FormMessage form=form.clone() />
                    <SelectField form name="incident_id" label="Add an incident" options=group.candidates.clone() blank="Pick an incident" />
                    <button type="submit" class="small secondary">"Add to the group"</button>
                </form>
            })}
        </section>
        <section id="timeline">
            <h2>"Timeline, all incidents"</h2>
            <p class="muted small">"Times in "{group.zone.clone()}". Each entry is labelled with its incident; T+ counts from that incident's impact start."</p>
            {if group.timeline.is_empty() {
                view! { <p class="empty-inline">"No timeline entries yet."</p> }.into_any()
            } else {
                view! {
                    <table class="timeline review-group-timeline">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Incident"</th><th scope="col">"Who"</th><th scope="col">"What happened"</th></tr></thead>
                        <tbody>
                            {group.timeline.iter().map(|e| view! {
                                <tr>
                                    <td>{e.row.time.clone()}{e.row.t_offset.clone().map(|t| view! { <span class="muted small">" "{t}</span> })}</td>
                                    <td><a href=format!("/incidents/{}#entry-{}", e.incident_id, e.row.id)>{e.label.clone()}</a></td>
                                    <td>{e.row.actor.clone()}</td>
                                    <td class="prose" inner_html=e.row.body_html.clone()></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section id="factors">
            <h2>"Contributing factors, by incident"</h2>
            {group.follow_ups.iter().map(|f| view! {
                <h3>{format!("#{} {}", f.incident_id, f.title)}</h3>
                {if f.factors.is_empty() {
                    view! { <p class="empty-inline">"No contributing factors yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="group-factors">{f.factors.iter().map(|(id, label)| view! {
                            <li><a href=format!("/incidents/{}#factor-{id}", f.incident_id)>{label.clone()}</a></li>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
            }).collect_view()}
        </section>
        <section id="follow-ups">
            <h2>"Follow-ups, by incident"</h2>
            {group.follow_ups.iter().map(|f| view! {
                <h3>{format!("#{} {}", f.incident_id, f.title)}</h3>
                {if f.by_state.is_empty() {
                    view! { <p class="empty-inline">"No follow-ups yet."</p> }.into_any()
                } else {
                    view! {
                        <dl class="follow-ups-by-state">
                            {f.by_state.iter().map(|(state, items)| view! {
                                <dt>{state.clone()}</dt>
                                <dd><ul>{items.iter().map(|(fid, title)| view! {
                                    <li><a href=format!("/incidents/{}#follow-up-{fid}", f.incident_id)>{title.clone()}</a></li>
                                }).collect_view()}</ul></dd>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }}
            }).collect_view()}
        </section>
    }
}

#[component]
fn RemoveMember(id: i64, incident_id: i64) -> impl IntoView {
    view! {
        <form method="post" action=RemoveFromReviewGroup::PATH class="inline-action">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="incident_id" value=incident_id />
            <button type="submit" class="link-button small">"Remove from the group"</button>
        </form>
    }
}
