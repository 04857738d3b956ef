//! A postmortem's review (`/incidents/:id/review`): where it stands, what the reader may do
//! next (submit, approve with the checklist, request changes, publish, start a correction),
//! the questions a careful reviewer would ask of its timeline and wording, and every decision
//! so far.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, with_flash};
use crate::api::review::{
    ApprovePostmortem, PublishPostmortem, RequestChanges, StartCorrection, SubmitForReview,
    review_for,
};
use crate::domain::incident::IncidentStatus;
use crate::domain::review::{ApprovalForm, ChangesForm, ChecklistItem, ReviewRecord, ReviewStep};
use crate::domain::timeline_checks::Finding;
use crate::dto::forms::FormFlash;
use crate::dto::review::{LanguageNote, ReviewView};
use crate::ui::components::badges::StatusBadge;
use crate::ui::components::fields::{CheckboxField, FormMessage, MarkdownField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => review_for(id).await,
                    None => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|(review, flash): (ReviewView, Option<FormFlash>)| view! { <Review review flash /> } />
    }
}

/// What each status means for the people involved.
pub(super) fn explain(status: IncidentStatus) -> &'static str {
    match status {
        IncidentStatus::Draft => {
            "Being written. When it is ready, an author submits it for review."
        }
        IncidentStatus::InReview => {
            "Waiting for a reviewer who wrote no part of it. It cannot be edited meanwhile."
        }
        IncidentStatus::ChangesRequested => {
            "The reviewer asked for changes (see their comments below). Make them, then submit it again."
        }
        IncidentStatus::Approved => "Approved. An author can now publish it for everyone to read.",
        IncidentStatus::Published => {
            "Published and read-only. To correct it, start a correction: a new revision that is reviewed again."
        }
    }
}

#[component]
fn Review(review: ReviewView, flash: Option<FormFlash>) -> impl IntoView {
    let id = review.incident_id;
    let back = format!("/incidents/{id}");
    let can = |step: ReviewStep| review.steps.contains(&step);
    let reviewing = can(ReviewStep::Approve);
    let authors = if review.authors.is_empty() {
        "nobody yet".to_owned()
    } else {
        review.authors.join(", ")
    };
    let note = match review.status {
        IncidentStatus::InReview if !reviewing && review.you_wrote_it => {
            Some("You wrote part of this postmortem, so someone uninvolved reviews it.")
        }
        IncidentStatus::InReview if !reviewing => Some("Only reviewers can review postmortems."),
        _ => None,
    };
    view! {
        <Title text=format!("Review — {}", review.title) />
        <p class="crumbs"><a href=back.clone()>{review.title.clone()}</a>" / Review"</p>
        <h1>"Review"</h1>
        <p class="muted small"><a href="/review-groups">"Review groups"</a>": one review for several incidents."</p>
        <div class="review-status card">
            <p><StatusBadge status=review.status />" "<span class="muted">"Revision "{review.revision}</span></p>
            <p>{explain(review.status)}</p>
            <p class="muted small">"Written by: "{authors}</p>
            {note.map(|n| view! { <p class="notice">{n}</p> })}
        </div>
        {(!review.timeline_checks.is_empty()).then(|| view! { <TimelineChecks id findings=review.timeline_checks.clone() /> })}
        {(review.status != IncidentStatus::Published).then(|| view! { <crate::ui::components::factors::FactorCheckCard incident_id=id check=review.factor_check.clone() /> })}
        {(!review.language.is_empty()).then(|| view! { <LanguageNotes notes=review.language.clone() /> })}
        {(!review.missing.is_empty()).then(|| view! { <super::template_parts::MissingBeforeReview id missing=review.missing.clone() /> })}
        {can(ReviewStep::Submit).then(|| view! {
            <SubmitButton id flash=flash.clone() label="Submit for review"
                hint="A reviewer who wrote no part of it will check it against the review checklist." />
        })}
        {reviewing.then(|| view! {
            <div class="review-forms">
                <ApproveForm id flash=flash.clone() />
                <ChangesRequestForm id flash=flash.clone() />
            </div>
        })}
        {can(ReviewStep::Publish).then(|| view! {
            <PublishButton id flash=flash.clone() label="Publish"
                hint="Everyone who reads postmortems, viewers included, will be able to read it. It becomes read-only." />
        })}
        {can(ReviewStep::StartCorrection).then(|| view! {
            <CorrectionButton id flash=flash.clone() label="Start a correction"
                hint="Opens the next revision for editing; it is reviewed again before it is published. Readers keep reading the published version until the correction is published." />
        })}
        <section class="decisions">
            <h2>"Decisions"</h2>
            {if review.reviews.is_empty() {
                view! { <p class="empty-inline">"No reviewer has decided on it yet."</p> }.into_any()
            } else {
                view! { <ul class="decision-list">{review.reviews.into_iter().map(|r| view! { <Decision record=r /> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// A step that needs no more than a click (submit, publish, start a correction): its button,
/// what it does, and why it failed, if it did.
macro_rules! step_button {
    ($name:ident, $action:ty) => {
        #[component]
        fn $name(
            id: i64,
            flash: Option<FormFlash>,
            label: &'static str,
            hint: &'static str,
        ) -> impl IntoView {
            let path = <$action>::PATH;
            let form = FormState::new(&(), flash, path);
            view! {
                <div class="card step">
                    <p class="muted small">{hint}</p>
                    <form method="post" action=path>
                        <input type="hidden" name="id" value=id />
                        <FormMessage form />
                        <button type="submit">{label}</button>
                    </form>
                </div>
            }
        }
    };
}

step_button!(SubmitButton, SubmitForReview);
step_button!(PublishButton, PublishPostmortem);
step_button!(CorrectionButton, StartCorrection);

#[component]
fn ApproveForm(id: i64, flash: Option<FormFlash>) -> impl IntoView {
    let form = FormState::new(&ApprovalForm::default(), flash, ApprovePostmortem::PATH);
    view! {
        <form method="post" action=ApprovePostmortem::PATH class="form card">
            <h2>"Approve"</h2>
            <p class="muted small">"Tick each item once you have checked it. If one does not hold, request changes instead."</p>
            <input type="hidden" name="id" value=id />
            <FormMessage form=form.clone() />
            <CheckboxField form=form.clone() name="timeline_complete" label=ChecklistItem::TimelineComplete.label() />
            <CheckboxField form=form.clone() name="impact_quantified" label=ChecklistItem::ImpactQuantified.label() />
            <CheckboxField form=form.clone() name="trigger_identified" label=ChecklistItem::TriggerIdentified.label() />
            <CheckboxField form=form.clone() name="follow_ups_address_trigger" label=ChecklistItem::FollowUpsAddressTrigger.label()
                hint="Debrief also checks that a follow-up addresses each contributing factor (see above)." />
            <CheckboxField form=form.clone() name="blameless" label=ChecklistItem::Blameless.label() />
            <MarkdownField form name="comments" label="Comments (optional)" rows=3 />
            <div class="actions"><button type="submit">"Approve"</button></div>
        </form>
    }
}

#[component]
fn ChangesRequestForm(id: i64, flash: Option<FormFlash>) -> impl IntoView {
    let form = FormState::new(&ChangesForm::default(), flash, RequestChanges::PATH);
    view! {
        <form method="post" action=RequestChanges::PATH class="form card">
            <h2>"Request changes"</h2>
            <input type="hidden" name="id" value=id />
            <FormMessage form=form.clone() />
            <MarkdownField form name="comments" label="What should change" rows=5 required=true
                hint="Point to the section and say what is missing: an unquantified impact, a trigger without evidence, wording that blames a person." />
            <div class="actions"><button type="submit" class="secondary">"Request changes"</button></div>
        </form>
    }
}

/// What a careful reviewer would ask of the milestones, timeline and impact windows, each
/// linking to the place on the postmortem page to fix it. Advisory: nothing is blocked.
#[component]
fn TimelineChecks(id: i64, findings: Vec<Finding>) -> impl IntoView {
    view! {
        <section class="timeline-checks card">
            <h2>"Before review: what a careful reviewer would ask"</h2>
            <p class="muted small">"Advisory: each question links to the place to answer it. Nothing here blocks the review."</p>
            <ul>
                {findings.into_iter().map(|finding| view! {
                    <li><a href=format!("/incidents/{id}#{}", finding.fix_at.fragment())>{finding.sentence}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Wording that blames people, with why and what to try instead. Advisory: nothing is blocked.
#[component]
fn LanguageNotes(notes: Vec<LanguageNote>) -> impl IntoView {
    view! {
        <section class="language-notes card">
            <h2>"Wording to reconsider"</h2>
            <p class="muted small">"Advisory: blameless postmortems describe systems and roles, not people's failings. Nothing here blocks the review."</p>
            <ul>
                {notes.into_iter().map(|note| view! {
                    <li>
                        <strong>{note.place}</strong>": “"<mark>{note.finding.phrase}</mark>"” — "
                        {note.finding.why}" "<em>{note.finding.try_instead}</em>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Decision(record: ReviewRecord) -> impl IntoView {
    let approved = record.decision.step == ReviewStep::Approve;
    view! {
        <li class="decision" class:approved=approved>
            <p>
                <strong>{record.reviewer.clone()}</strong>" "
                {if approved { "approved" } else { "requested changes to" }}
                " revision "{record.revision}
                <span class="muted small">" · "{record.at.clone()}</span>
            </p>
            {approved.then(|| view! {
                <ul class="checklist">
                    {record.decision.checked.iter().map(|item| view! { <li>"✓ "{item.label()}</li> }).collect_view()}
                </ul>
            })}
            {(!record.decision.comments.is_empty()).then(|| view! {
                <blockquote class="pre">{record.decision.comments.clone()}</blockquote>
            })}
        </li>
    }
}
