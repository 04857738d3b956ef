//! Adding (`/incidents/:id/timeline/new`) and editing (`…/timeline/:item`) a timeline entry.

use leptos::prelude::*;

use super::{load_part, opened_part};
use crate::api::incidents::incident_context;
use crate::api::timeline::{
    AddTimelineEntry, DeleteTimelineEntry, UpdateTimelineEntry, timeline_entry_for_edit,
};
use crate::domain::timeline::TimelineForm;
use crate::dto::editing::Editing;
use crate::ui::components::fields::{MarkdownField, SelectField, TextField, TimeField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::part_form::{DeleteWords, PartFn, PartFormPage, PartPage, PartWords};
use crate::ui::options;

#[component]
pub fn TimelineEntryPage() -> impl IntoView {
    let resource = load_part(
        opened_part(),
        |incident| async move {
            incident_context(incident)
                .await
                .map(|context| context.with_form(TimelineForm::blank()))
        },
        timeline_entry_for_edit,
    );
    let page = PartPage {
        delete: Some(DeleteTimelineEntry::part_action),
        ..PartPage::new(
            WORDS,
            AddTimelineEntry::part_action,
            UpdateTimelineEntry::part_action,
            fields,
        )
    };
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Timeline",
    back: "#timeline",
    new_title: "Add timeline entry",
    new_heading: "Add a timeline entry",
    new_lead: None,
    add_button: "Add entry",
    edit_title: |_| "Edit timeline entry".to_owned(),
    edit_heading: "Edit timeline entry",
    save_button: "Save entry",
    edit_cancel: "Cancel",
    delete: Some(DeleteWords {
        key: "entry",
        warning: "This timeline entry will be removed from the postmortem.",
        button: "Delete entry",
    }),
    new_needs_author: None,
};

fn fields(form: FormState, editing: &Editing<TimelineForm>, _new: bool) -> AnyView {
    let zone = editing.zone.clone();
    view! {
        <input type="hidden" name="zone" value=zone.clone() />
        <TimeField form=form.clone() at="at" until="until" precision="precision" label="When it happened" zone required=true />
        <TextField form=form.clone() name="time_source" label="Where the time comes from"
            placeholder="e.g. Jenkins build log, team channel, from memory"
            hint="Say it for approximate times and ranges: reviewers ask how a time is known." />
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
    .into_any()
}
