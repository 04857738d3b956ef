//! The notification forms that sit on other pages: "Email me about" on one's account page
//! (`/account`), and the reminder schedule on the admin's policies page (`/admin/policies`).
//! Each loads its own values; the page passes down the flash of a failed plain post.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::query_param;
use crate::api::notices::{SaveEmailChoices, SaveNoticePolicy, email_choices, notice_policy};
use crate::domain::notify::Event;
use crate::domain::notify::choices::{EmailChoicesForm, NoticePolicyForm};
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{CheckboxField, FormMessage, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

/// What each event is, in a line under its checkbox.
fn hint(event: Event) -> &'static str {
    match event {
        Event::ReviewRequested => "A postmortem waits for your review.",
        Event::ChangesRequested => "A reviewer asked for changes to a postmortem you wrote.",
        Event::Approved => "A postmortem you wrote was approved.",
        Event::Published => "A postmortem you wrote or reviewed was published.",
        Event::FollowUpAssigned => "Someone made you the owner of a follow-up.",
        Event::FollowUpsDue => {
            "One email a day, after 08:00 your time, when follow-ups you own are due soon or overdue."
        }
        Event::PostmortemNotSubmitted => {
            "A postmortem you wrote is still a draft days after the incident was mitigated (again every few days until it is submitted)."
        }
        Event::Mentioned => "Someone mentioned you in a comment, as @[Your Name] or @[your email].",
        Event::WeeklyDigest => {
            "One email a week, on Monday after 08:00 your time: your open follow-ups, reviews waiting for you, and a postmortem published this week in an earlier year."
        }
    }
}

/// "Email me about": a checkbox per event, all ticked until the person unticks one.
#[component]
pub fn EmailChoicesSection(flash: Option<FormFlash>) -> impl IntoView {
    let data = Resource::new(|| (), |()| email_choices());
    view! {
        <Loaded resource=data view=move |form: EmailChoicesForm| view! { <EmailChoices form flash=flash.clone() /> } />
    }
}

#[component]
fn EmailChoices(form: EmailChoicesForm, flash: Option<FormFlash>) -> impl IntoView {
    let saved = query_param("saved");
    let state = FormState::new(&form, flash, SaveEmailChoices::PATH);
    let boxes = Event::ALL
        .into_iter()
        .map(|event| {
            view! { <CheckboxField form=state.clone() name=event.as_str() label=event.label() hint=hint(event) /> }
        })
        .collect_view();
    view! {
        <h2 id="email">"Email me about"</h2>
        <Show when=move || saved.get() == "email">
            <p class="notice notice-ok" role="status">"Saved. Email follows your choices from now on."</p>
        </Show>
        <form method="post" action=SaveEmailChoices::PATH class="form" id="email-choices">
            <FormMessage form=state.clone() />
            <p class="hint">"Untick what you do not want by email. Nothing about a postmortem you may not read is ever sent to you."</p>
            <fieldset>
                <legend>"Events"</legend>
                {boxes}
            </fieldset>
            <div class="actions"><button type="submit">"Save email choices"</button></div>
        </form>
    }
}

/// The admin's reminder schedule.
#[component]
pub fn NoticePolicySection(flash: Option<FormFlash>) -> impl IntoView {
    let data = Resource::new(|| (), |()| notice_policy());
    view! {
        <Loaded resource=data view=move |form: NoticePolicyForm| view! { <NoticePolicy form flash=flash.clone() /> } />
    }
}

#[component]
fn NoticePolicy(form: NoticePolicyForm, flash: Option<FormFlash>) -> impl IntoView {
    let saved = query_param("saved");
    let state = FormState::new(&form, flash, SaveNoticePolicy::PATH);
    view! {
        <h2 id="reminders">"Reminders"</h2>
        <p class="lead">"Debrief reminds people by itself, by email: each follow-up owner gets one digest a day (after 08:00 in their time zone) of follow-ups due soon or overdue; everyone gets a weekly digest on Monday (their open follow-ups, reviews waiting for them, a lesson from this week in an earlier year); and the authors of a postmortem still a draft some days after mitigation hear about it then, and every as many days after that until it is submitted."</p>
        <Show when=move || saved.get() == "notices">
            <p class="notice notice-ok" role="status">"Saved. The next reminders follow these settings."</p>
        </Show>
        <form method="post" action=SaveNoticePolicy::PATH class="form" id="notice-policy">
            <FormMessage form=state.clone() />
            <div class="row">
                <TextField form=state.clone() name="due_soon_days" label="Due soon: days before the due date" kind="number" required=true
                    hint="0 to 90; 0 lists only overdue follow-ups." />
                <TextField form=state.clone() name="not_submitted_days" label="Not submitted: days after mitigation" kind="number" required=true
                    hint="1 to 90; the reminder comes after N days and every N days after that until submitted." />
            </div>
            <div class="actions"><button type="submit">"Save reminders"</button></div>
        </form>
    }
}
