//! Related incidents on the postmortem page: the links, each worded from this incident's side,
//! and the change section's recurrence signal ("this job was involved in earlier incidents —
//! link them?") with one-click links. The forms are plain posts, so they work without
//! JavaScript and reload the page with the link in place.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::fields::FormMessage;
use super::form_state::FormState;
use crate::api::relations::AddRelation;
use crate::domain::change::EarlierIncident;
use crate::domain::relation::{RelationForm, RelationKind};
use crate::dto::forms::FormFlash;
use crate::dto::relation::RelatedView;

/// The "Related incidents" section.
#[component]
pub fn RelatedIncidents(
    incident_id: i64,
    related: Vec<RelatedView>,
    /// Shown under the heading: the template's prompt for the section.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let base = format!("/incidents/{incident_id}/related");
    view! {
        <section id="related">
            <div class="section-head"><h2>"Related incidents"</h2><a class="button small secondary edit-only" href=format!("{base}/new")>"Link an incident"</a></div>
            {children.map(|c| c())}
            {if related.is_empty() {
                view! { <p class="empty-inline">"Was there an earlier attempt at the same change, an incident with the same trigger, or one this caused? Link it."</p> }.into_any()
            } else {
                view! { <ul class="related-list">
                    {related.into_iter().map(|r| view! { <RelatedItem r base=base.clone() /> }).collect_view()}
                </ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RelatedItem(r: RelatedView, base: String) -> impl IntoView {
    // Removing it is confirmed on its edit page, as for every part.
    let manage = if r.added_here {
        view! { <a class="small edit-only" href=format!("{base}/{}", r.id)>" Edit"</a> }.into_any()
    } else {
        view! { <span class="muted small">" (added on that incident: edit it there)"</span> }
            .into_any()
    };
    view! {
        <li>
            <strong>{format!("{}: ", r.kind.label())}</strong>
            <a href=format!("/incidents/{}", r.other_id)>{format!("#{} {}", r.other_id, r.other_title)}</a>
            {(!r.note.is_empty()).then(|| format!(" — {}", r.note))}
            {manage}
        </li>
    }
}

/// Under a change's earlier incidents: those not yet linked, each with one-click links as a
/// recurrence or as the same trigger, and a link to the form filled in to add a note.
#[component]
pub fn LinkEarlier(
    incident_id: i64,
    earlier: Vec<EarlierIncident>,
    /// The incidents this one is already linked to.
    linked: Vec<i64>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let unlinked: Vec<EarlierIncident> = earlier
        .into_iter()
        .filter(|e| !linked.contains(&e.incident.id))
        .collect();
    if unlinked.is_empty() {
        return ().into_any();
    }
    let form = FormState::new(&RelationForm::default(), flash, AddRelation::PATH);
    let error = form.field_error("related");
    let count = unlinked.len();
    view! {
        <div class="link-earlier edit-only">
            <p><strong>{format!(
                "This job has been involved in {count} earlier incident{} not linked to this one — link {}?",
                if count == 1 { "" } else { "s" },
                if count == 1 { "it" } else { "them" },
            )}</strong></p>
            <FormMessage form=form.clone() />
            <p class="field-error" role="alert">{move || error.get()}</p>
            <ul>{unlinked.into_iter().map(|e| {
                let other = e.incident.id;
                let one_click = move |kind: RelationKind, label: &'static str| view! {
                    <form method="post" action=AddRelation::PATH class="inline-action">
                        <input type="hidden" name="incident_id" value=incident_id />
                        <input type="hidden" name="form[kind]" value=kind.as_str() />
                        <input type="hidden" name="form[related]" value=other />
                        <input type="hidden" name="form[note]" value="" />
                        <button type="submit" class="small secondary">{label}</button>
                    </form>
                };
                view! {
                    <li>
                        {format!("#{other} {} ", e.incident.title)}
                        {one_click(RelationKind::RecurrenceOf, "Link as a recurrence")}
                        " "
                        {one_click(RelationKind::SameTrigger, "Link as the same trigger")}
                        " "
                        <a class="small" href=format!("/incidents/{incident_id}/related/new?related={other}&kind={}", RelationKind::RecurrenceOf.as_str())>"Link with a note…"</a>
                    </li>
                }
            }).collect_view()}</ul>
        </div>
    }
    .into_any()
}
