//! Creating an incident (`/incidents/new`) and editing one (`/incidents/:id/edit`): title,
//! severity, status, services, summary and the four milestones.

use leptos::prelude::*;

use super::{Opened, id_param, load_part};
use crate::api::incidents::{CreateIncident, UpdateIncident, incident_for_edit};
use crate::api::settings::time_zone;
use crate::domain::incident::IncidentForm;
use crate::dto::editing::Editing;
use crate::ui::components::fields::{MarkdownField, SelectField, TextField, TimeField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::part_form::{PartFn, PartFormPage, PartPage, PartWords};
use crate::ui::options;

#[component]
pub fn IncidentFormPage() -> impl IntoView {
    // `/incidents/new` has no id; an id that is not a number opens the new form too.
    let id = id_param("id");
    let opened = Memo::new(move |_| id.get().map_or(Opened::New(0), Opened::Edit));
    let resource = load_part(
        opened,
        |_| async move {
            time_zone()
                .await
                .map(|zone| Editing::new_incident(zone.current, IncidentForm::blank()))
        },
        incident_for_edit,
    );
    let page = PartPage::new(
        WORDS,
        CreateIncident::part_action,
        UpdateIncident::part_action,
        fields,
    );
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Edit",
    back: "",
    new_title: "New incident",
    new_heading: "Record an incident",
    new_lead: Some(
        "Start with what you know; everything can be refined later. Approximate times are fine — say so with the precision.",
    ),
    add_button: "Create incident",
    edit_title: |title| format!("Edit: {title}"),
    edit_heading: "Edit incident",
    save_button: "Save incident",
    edit_cancel: "Cancel",
    delete: None,
    new_needs_author: Some(
        "Recording incidents needs the author role, and you can read published postmortems only. An admin can change your role.",
    ),
};

fn fields(form: FormState, editing: &Editing<IncidentForm>, new: bool) -> AnyView {
    let zone = editing.zone.clone();
    let picker = new.then(|| view! { <super::template_parts::TemplatePicker form=form.clone() /> });
    view! {
        <input type="hidden" name="zone" value=zone.clone() />
        {picker}
        <TextField form=form.clone() name="title" label="Title" required=true
            hint="What customers or the business experienced, e.g. “Customer logins failed for about a minute”." />
        <div class="row">
            <SelectField form=form.clone() name="severity" label="Severity" options=options::severities() />
        </div>
        <TextField form=form.clone() name="services" label="Affected services"
            hint="Separate them with commas, e.g. Login, Checkout." />
        <MarkdownField form=form.clone() name="summary" label="Summary" rows=6
            hint="What happened, in a few sentences, without blame: how did the system let this have impact?" />
        <h2>"Milestones"</h2>
        <p class="hint">"Each milestone must not be before the one above it. Leave a milestone empty if you do not know it yet."</p>
        <TimeField form=form.clone() at="impact_started_at" until="impact_started_until" precision="impact_started_precision" label="Impact started" zone=zone.clone() />
        <TimeField form=form.clone() at="detected_at" until="detected_until" precision="detected_precision" label="Detected" zone=zone.clone() />
        <TimeField form=form.clone() at="mitigated_at" until="mitigated_until" precision="mitigated_precision" label="Mitigated" zone=zone.clone() />
        <TimeField form=form at="resolved_at" until="resolved_until" precision="resolved_precision" label="Resolved (impact ended)" zone=zone />
    }
    .into_any()
}
