//! Adding (`/incidents/:id/factors/new`) and editing (`…/factors/:item`) a contributing factor:
//! a short blameless statement, its category, trigger or condition, what shows it, and whether
//! it is accepted with no action (and why).

use leptos::prelude::*;

use super::{load_part, opened_part};
use crate::api::factors::{AddFactor, DeleteFactor, UpdateFactor, factor_for_edit, factor_for_new};
use crate::domain::factor::{FactorForm, FactorRole};
use crate::dto::editing::Editing;
use crate::dto::factors::FactorEditing;
use crate::ui::components::fields::{CheckboxField, MarkdownField, SelectField, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::part_form::{
    DeleteWords, PartFn, PartFormPage, PartPage, PartValues, PartWords,
};

impl PartValues for FactorEditing {
    type Form = FactorForm;
    fn values(&self) -> &FactorForm {
        &self.form
    }
}

#[component]
pub fn FactorPage() -> impl IntoView {
    let resource = load_part(opened_part(), || 0, factor_for_new, factor_for_edit);
    let page = PartPage {
        delete: Some(DeleteFactor::part_action),
        ..PartPage::new(
            WORDS,
            AddFactor::part_action,
            UpdateFactor::part_action,
            fields,
        )
    };
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Contributing factors",
    back: "#factors",
    new_title: "Add contributing factor",
    new_heading: "Add a contributing factor",
    new_lead: Some(
        "What let the change have impact? Describe the system — a default, a missing safeguard, a gap in a review — not a person.",
    ),
    add_button: "Add factor",
    edit_title: |_| "Edit contributing factor".to_owned(),
    edit_heading: "Edit contributing factor",
    save_button: "Save factor",
    edit_cancel: "Cancel",
    delete: Some(DeleteWords {
        key: "factor",
        warning: "This factor will be removed from the postmortem. Follow-ups that address it stay, addressing no factor.",
        button: "Delete factor",
    }),
    new_needs_author: None,
};

fn fields(form: FormState, editing: &Editing<FactorEditing>, _new: bool) -> AnyView {
    let e = &editing.form;
    let roles: Vec<(String, String)> = FactorRole::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    let changes: Vec<(String, String)> = e
        .targets
        .iter()
        .filter(|t| t.parameter_id.is_none())
        .map(|t| (t.change_id.to_string(), t.label.clone()))
        .collect();
    let parameters: Vec<(String, String)> = e
        .targets
        .iter()
        .filter_map(|t| t.parameter_id.map(|p| (p.to_string(), t.label.clone())))
        .collect();
    view! {
        <TextField form=form.clone() name="statement" label="Statement" required=true
            placeholder="The generic job has fewer safeguards than the dedicated one"
            hint="One sentence about the system, not a person." />
        <div class="row">
            <SelectField form=form.clone() name="category_id" label="Category" options=e.categories.clone() blank="Choose a category" />
            <SelectField form=form.clone() name="role" label="Trigger or condition" options=roles
                hint="The trigger set it off; conditions let it have impact." />
        </div>
        <div class="row">
            <SelectField form=form.clone() name="change_id" label="Shown by the change" options=changes blank="No change" />
            <SelectField form=form.clone() name="parameter_id" label="…and its parameter" options=parameters blank="No particular parameter" />
        </div>
        <SelectField form=form.clone() name="timeline_entry_id" label="Shown in the timeline at" options=e.entries.clone() blank="No timeline entry" />
        <CheckboxField form=form.clone() name="accepted" label="Accepted, no action"
            hint="Tick when the team decides no follow-up should address it, and say why below." />
        <MarkdownField form name="accepted_reason" label="Why no action" rows=3 />
    }
    .into_any()
}
