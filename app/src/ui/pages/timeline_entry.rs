//! Adding (`/incidents/:id/timeline/new`) and editing (`…/timeline/:item`) a timeline entry.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, is_new_item, with_flash};
use crate::api::incidents::incident_context;
use crate::api::timeline::{
    AddTimelineEntry, DeleteTimelineEntry, UpdateTimelineEntry, timeline_entry_for_edit,
};
use crate::domain::timeline::TimelineForm;
use crate::dto::editing::Editing;
use crate::dto::forms::FormFlash;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{
    FormMessage, MarkdownField, SelectField, TextField, TimeField, VersionField,
};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::options;

#[component]
pub fn TimelineEntryPage() -> impl IntoView {
    let incident = id_param("id");
    let item = id_param("item");
    let is_new = is_new_item();
    let flash = flash_id();
    let data = Resource::new(
        move || (incident.get(), item.get(), is_new.get(), flash.get()),
        |(incident, item, is_new, flash)| {
            with_flash(flash, async move {
                match (incident, item, is_new) {
                    (Some(i), _, true) => incident_context(i)
                        .await
                        .map(|e| Editing {
                            version: e.version,
                            zone: e.zone,
                            incident_id: e.incident_id,
                            incident_title: e.incident_title,
                            form: TimelineForm {
                                precision: "minute".into(),
                                kind: "observation".into(),
                                ..Default::default()
                            },
                        })
                        .map(|e| (e, None)),
                    (Some(_), Some(id), false) => {
                        timeline_entry_for_edit(id).await.map(|e| (e, Some(id)))
                    }
                    _ => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|((editing, id), flash): ((Editing<TimelineForm>, Option<i64>), Option<FormFlash>)| match id {
            None => view! { <NewEntry editing flash /> }.into_any(),
            Some(id) => view! { <EditEntry editing flash id /> }.into_any(),
        } />
    }
}

#[component]
fn NewEntry(editing: Editing<TimelineForm>, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<AddTimelineEntry>::new();
    let form = FormState::new(&editing.form, flash, AddTimelineEntry::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}#timeline", editing.incident_id);
    view! {
        <Title text="Add timeline entry" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Timeline"</p>
        <h1>"Add a timeline entry"</h1>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="incident_id" value=editing.incident_id />
            <FormMessage form=form.clone() />
            <EntryFields form zone=editing.zone />
            <div class="actions">
                <button type="submit">"Add entry"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn EditEntry(editing: Editing<TimelineForm>, flash: Option<FormFlash>, id: i64) -> impl IntoView {
    let action = ServerAction::<UpdateTimelineEntry>::new();
    let delete = ServerAction::<DeleteTimelineEntry>::new();
    let form = FormState::new(&editing.form, flash, UpdateTimelineEntry::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}#timeline", editing.incident_id);
    view! {
        <Title text="Edit timeline entry" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Timeline"</p>
        <h1>"Edit timeline entry"</h1>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="id" value=id />
            <VersionField form=form.clone() version=editing.version />
            <FormMessage form=form.clone() />
            <EntryFields form zone=editing.zone />
            <div class="actions">
                <button type="submit">"Save entry"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
        <section class="danger-zone">
            <ConfirmDelete key="entry".to_owned() warning="This timeline entry will be removed from the postmortem.".to_owned()>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="danger">"Delete entry"</button>
                </ActionForm>
            </ConfirmDelete>
        </section>
    }
}

#[component]
fn EntryFields(form: FormState, zone: String) -> impl IntoView {
    view! {
        <input type="hidden" name="zone" value=zone.clone() />
        <TimeField form=form.clone() at="at" until="until" precision="precision" label="When it happened" zone required=true />
        <div class="row">
            <SelectField form=form.clone() name="kind" label="Kind" options=options::entry_kinds() />
            <SelectField form=form.clone() name="marker" label="Marker" options=options::markers() blank="No marker"
                hint="Mark the moments that matter: detection, diagnosis, repair, a key moment." />
        </div>
        <TextField form=form.clone() name="actor" label="Actor (a role)" required=true
            placeholder="e.g. engineer running the change, on-call, Jenkins"
            hint="Name the role, not the person." />
        <MarkdownField form name="body" label="What happened" required=true rows=4 />
    }
}
