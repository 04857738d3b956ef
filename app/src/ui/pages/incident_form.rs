//! Creating an incident (`/incidents/new`) and editing one (`/incidents/:id/edit`): title,
//! severity, status, services, summary and the four milestones.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, id_param, with_flash};
use crate::api::incidents::{CreateIncident, UpdateIncident, incident_for_edit};
use crate::api::settings::time_zone;
use crate::domain::account::Role;
use crate::domain::incident::IncidentForm;
use crate::dto::editing::Editing;
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{
    FormMessage, MarkdownField, SelectField, TextField, TimeField, VersionField,
};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::session::IfRole;
use crate::ui::options;

#[component]
pub fn IncidentFormPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => incident_for_edit(id).await.map(Some),
                    None => time_zone().await.map(|z| {
                        Some(Editing {
                            version: 0,
                            zone: z.current,
                            incident_id: 0,
                            incident_title: String::new(),
                            form: blank(),
                        })
                    }),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=move |(editing, flash): (Option<Editing<IncidentForm>>, Option<FormFlash>)| {
            editing.map(|e| if e.incident_id == 0 { view! { <NewIncident editing=e flash /> }.into_any() } else { view! { <EditIncident editing=e flash /> }.into_any() })
        } />
    }
}

fn blank() -> IncidentForm {
    IncidentForm {
        severity: "sev3".into(),
        impact_started_precision: "minute".into(),
        detected_precision: "minute".into(),
        mitigated_precision: "minute".into(),
        resolved_precision: "minute".into(),
        ..Default::default()
    }
}

#[component]
fn NewIncident(editing: Editing<IncidentForm>, flash: Option<FormFlash>) -> impl IntoView {
    view! {
        <Title text="New incident" />
        <h1>"Record an incident"</h1>
        <IfRole role=Role::Author otherwise="Recording incidents needs the author role, and you can read published postmortems only. An admin can change your role.">
            <NewIncidentForm editing=editing.clone() flash=flash.clone() />
        </IfRole>
    }
}

#[component]
fn NewIncidentForm(editing: Editing<IncidentForm>, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<CreateIncident>::new();
    let form = FormState::new(&editing.form, flash, CreateIncident::PATH, move || {
        action.value().get()
    });
    view! {
        <p class="lead">"Start with what you know; everything can be refined later. Approximate times are fine — say so with the precision."</p>
        <ActionForm action=action attr:class="form">
            <FormMessage form=form.clone() />
            <IncidentFields form zone=editing.zone />
            <div class="actions">
                <button type="submit">"Create incident"</button>
                <a class="button secondary" href="/">"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn EditIncident(editing: Editing<IncidentForm>, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<UpdateIncident>::new();
    let form = FormState::new(&editing.form, flash, UpdateIncident::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}", editing.incident_id);
    view! {
        <Title text=format!("Edit: {}", editing.incident_title) />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Edit"</p>
        <h1>"Edit incident"</h1>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="id" value=editing.incident_id />
            <VersionField form=form.clone() version=editing.version />
            <FormMessage form=form.clone() />
            <IncidentFields form zone=editing.zone />
            <div class="actions">
                <button type="submit">"Save incident"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn IncidentFields(form: FormState, zone: String) -> impl IntoView {
    view! {
        <input type="hidden" name="zone" value=zone.clone() />
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
}
