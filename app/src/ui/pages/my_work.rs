//! "My work" (`/my-work`): the postmortems waiting for the logged-in user — to write, fix or
//! publish, to review — and the open follow-ups they own.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{flash_id, with_flash};
use crate::api::my_work::my_work;
use crate::dto::forms::FormFlash;
use crate::dto::my_work::{MyWorkView, WorkItem};
use crate::ui::components::badges::StatusBadge;
use crate::ui::components::follow_up_card::FollowUpCard;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn MyWorkPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(move || flash.get(), |flash| with_flash(flash, my_work()));
    view! {
        <Title text="My work" />
        <div class="page-head"><h1>"My work"</h1></div>
        <Loaded resource=data view=|(work, flash): (MyWorkView, Option<FormFlash>)| view! { <Work work flash /> } />
    }
}

#[component]
fn Work(work: MyWorkView, flash: Option<FormFlash>) -> impl IntoView {
    let nothing =
        work.writing.is_empty() && work.reviewing.is_empty() && work.follow_ups.is_empty();
    view! {
        {nothing.then(|| view! {
            <div class="empty">
                <p>"Nothing waits for you right now."</p>
                <p><a href="/">"Browse the incidents"</a>" or "<a href="/follow-ups">"all follow-ups"</a>"."</p>
            </div>
        })}
        {work.reviewer.then(|| view! {
            <section>
                <h2>"To review"</h2>
                <Items items=work.reviewing.clone() empty="No postmortem waits for your review." />
            </section>
        })}
        {(!work.writing.is_empty()).then(|| view! {
            <section>
                <h2>"Postmortems you are writing"</h2>
                <Items items=work.writing.clone() empty="" />
            </section>
        })}
        {(!work.follow_ups.is_empty()).then(|| view! {
            <section>
                <h2>"Your open follow-ups"</h2>
                <ul class="follow-up-list">
                    {work.follow_ups.clone().into_iter().map(|row| view! { <FollowUpCard row flash=flash.clone() show_incident=true /> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn Items(items: Vec<WorkItem>, empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty-inline">{empty}</p> }.into_any();
    }
    view! {
        <ul class="work-list">
            {items.into_iter().map(|item| view! {
                <li class="card work-item">
                    <p><StatusBadge status=item.status />" "
                        <a href=format!("/incidents/{}", item.incident_id)>{item.title.clone()}</a>
                        {(item.revision > 1).then(|| view! { <span class="muted small">" · revision "{item.revision}</span> })}
                    </p>
                    <p class="muted small">{item.todo.clone()}" "
                        <a href=format!("/incidents/{}/review", item.incident_id)>"Open the review"</a>
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
