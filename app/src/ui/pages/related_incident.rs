//! Linking a related incident and editing the link: how the other incident is related to this
//! one (read from this one's side), which incident (by its number, with the newest offered as
//! suggestions that need no JavaScript), and a note. `?related=12&kind=recurrence_of` fills in a
//! new link (the change section's "link them?").

use leptos::prelude::*;

use super::{load_part, opened_part, query_param};
use crate::api::relations::{
    AddRelation, DeleteRelation, UpdateRelation, new_relation_form, relation_for_edit,
};
use crate::domain::relation::{RelationForm, RelationKind};
use crate::dto::editing::Editing;
use crate::dto::relation::RelationEditing;
use crate::ui::components::fields::{SelectField, TextField};
use crate::ui::components::form_state::{FormState, html_name};
use crate::ui::components::part_form::{
    DeleteWords, PartFn, PartFormPage, PartPage, PartValues, PartWords,
};

impl PartValues for RelationEditing {
    type Form = RelationForm;
    fn values(&self) -> &RelationForm {
        &self.form
    }
}

#[component]
pub fn RelatedIncidentPage() -> impl IntoView {
    let related = query_param("related");
    let kind = query_param("kind");
    let resource = load_part(
        opened_part(),
        move |incident| {
            let (related, kind) = (related.get_untracked(), kind.get_untracked());
            async move { new_relation_form(incident, related, kind).await }
        },
        relation_for_edit,
    );
    let page = PartPage {
        delete: Some(DeleteRelation::part_action),
        ..PartPage::new(
            WORDS,
            AddRelation::part_action,
            UpdateRelation::part_action,
            fields,
        )
    };
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Related incidents",
    back: "#related",
    new_title: "Link a related incident",
    new_heading: "Link a related incident",
    new_lead: Some(
        "An earlier attempt at the same change, the same trigger, a recurrence, a cause or a \
         duplicate: both postmortems will show the link, each from its own side.",
    ),
    add_button: "Link incident",
    edit_title: |_| "Edit related incident".to_owned(),
    edit_heading: "Edit the link to a related incident",
    save_button: "Save link",
    edit_cancel: "Cancel",
    delete: Some(DeleteWords {
        key: "relation",
        warning: "The link will be removed from both postmortems; the incidents stay.",
        button: "Remove link",
    }),
    new_needs_author: None,
};

fn kinds() -> Vec<(String, String)> {
    RelationKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect()
}

fn fields(form: FormState, editing: &Editing<RelationEditing>, new: bool) -> AnyView {
    let which = if new {
        let html = html_name("related");
        let value = form.value(&html);
        let error = form.field_error("related");
        let recent = editing.form.recent.clone();
        view! {
            <div class="field" class:invalid=move || error.get().is_some()>
                <label for="f-related">"Related incident (its number)"<span class="req" title="required">" *"</span></label>
                <input type="text" id="f-related" name=html value=value list="recent-incidents"
                    inputmode="numeric" placeholder="12"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby="e-related" />
                <datalist id="recent-incidents">
                    {recent.into_iter().map(|i| view! {
                        <option value=i.id.to_string()>{format!("#{} {}", i.id, i.title)}</option>
                    }).collect_view()}
                </datalist>
                <p class="hint">"The number after # in its address. Recent incidents are suggested as you type."</p>
                <p class="field-error" id="e-related" role="alert">{move || error.get()}</p>
            </div>
        }
        .into_any()
    } else {
        let html = html_name("related");
        let value = form.value(&html);
        view! {
            <p><strong>"Related incident: "</strong>{editing.form.other.clone()}</p>
            <input type="hidden" name=html value=value />
        }
        .into_any()
    };
    view! {
        <SelectField form=form.clone() name="kind" label="How it is related to this incident" options=kinds()
            hint="Read from this incident's side: “Caused by #12” says #12 caused this one." />
        {which}
        <TextField form name="note" label="Note"
            hint="Optional: how they are related, e.g. “the first attempt broke metrics collection”." />
    }
    .into_any()
}
