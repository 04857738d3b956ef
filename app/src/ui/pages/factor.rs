//! Adding (`/incidents/:id/factors/new`) and editing (`…/factors/:item`) a contributing factor:
//! a short blameless statement, its category, trigger or condition, what shows it, and whether
//! it is accepted with no action (and why).

use leptos::prelude::*;

use super::{load_part, opened_part};
use crate::api::factors::{AddFactor, DeleteFactor, UpdateFactor, factor_for_edit, factor_for_new};
use crate::domain::factor::{ChangeLink, FactorForm, FactorRole, LinkRef, link_key};
use crate::dto::editing::Editing;
use crate::dto::factors::FactorEditing;
use crate::ui::components::fields::{CheckboxField, MarkdownField, SelectField, TextField};
use crate::ui::components::form_state::{FormState, html_name};
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
    let resource = load_part(opened_part(), factor_for_new, factor_for_edit);
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
    let links = LinkBoxes {
        form: form.clone(),
        editing: e.clone(),
    };
    view! {
        <TextField form=form.clone() name="statement" label="Statement" required=true
            placeholder="The generic job has fewer safeguards than the dedicated one"
            hint="One sentence about the system, not a person." />
        <div class="row">
            <SelectField form=form.clone() name="category_id" label="Category" options=e.categories.clone() blank="Choose a category" />
            <SelectField form=form.clone() name="role" label="Trigger or condition" options=roles
                hint="The trigger set it off; conditions let it have impact." />
        </div>
        {links.view()}
        <CheckboxField form=form.clone() name="accepted" label="Accepted, no action"
            hint="Tick when the team decides no follow-up should address it, and say why below." />
        <MarkdownField form name="accepted_reason" label="Why no action" rows=3 />
    }
    .into_any()
}

/// The checkboxes of what shows a factor: the incident's changes, each with its parameters
/// under it, and its timeline entries, all without JavaScript (each box is its own field,
/// `form[links][c12]`).
struct LinkBoxes {
    form: FormState,
    editing: FactorEditing,
}

impl LinkBoxes {
    fn checkbox(&self, link: LinkRef, label: String) -> impl IntoView + use<> {
        let key = link_key(link);
        let html = format!("{}[{key}]", html_name("links"));
        let checked = crate::domain::form::checkbox(&self.form.value(&html));
        let id = format!("f-link-{key}");
        view! {
            <li class="checkbox">
                <input type="checkbox" id=id.clone() name=html checked=checked />
                <label for=id>{label}</label>
            </li>
        }
    }

    fn view(self) -> AnyView {
        let error = self.form.field_error("links");
        let changes: Vec<_> = self
            .editing
            .targets
            .iter()
            .filter(|t| t.parameter_id.is_none())
            .map(|change| {
                let parameters: Vec<_> = self
                    .editing
                    .targets
                    .iter()
                    .filter(|t| t.change_id == change.change_id && t.parameter_id.is_some())
                    .map(|p| {
                        let link = LinkRef::Change(ChangeLink {
                            change_id: p.change_id,
                            parameter_id: p.parameter_id,
                        });
                        self.checkbox(link, p.label.clone())
                    })
                    .collect();
                let link = LinkRef::Change(ChangeLink {
                    change_id: change.change_id,
                    parameter_id: None,
                });
                view! {
                    {self.checkbox(link, change.label.clone())}
                    {(!parameters.is_empty()).then(|| view! { <li><ul class="link-boxes nested">{parameters}</ul></li> })}
                }
            })
            .collect();
        let entries: Vec<_> = self
            .editing
            .entries
            .iter()
            .filter_map(|(id, label)| {
                let id = id.parse().ok()?;
                Some(self.checkbox(LinkRef::Entry(id), label.clone()))
            })
            .collect();
        view! {
            <fieldset class="field link-boxes" class:invalid=move || error.get().is_some()>
                <legend>"Shown by the changes and parameters"</legend>
                {if changes.is_empty() {
                    view! { <p class="hint">"No change is recorded on this incident yet: add the change on the postmortem page, then tick it here."</p> }.into_any()
                } else {
                    view! { <ul class="link-boxes">{changes}</ul> }.into_any()
                }}
            </fieldset>
            <fieldset class="field link-boxes" class:invalid=move || error.get().is_some()>
                <legend>"Shown in the timeline at"</legend>
                {if entries.is_empty() {
                    view! { <p class="hint">"The timeline has no entries yet: add them on the postmortem page, then tick those that show this factor."</p> }.into_any()
                } else {
                    view! { <ul class="link-boxes">{entries}</ul> }.into_any()
                }}
                <p class="field-error" id="e-links" role="alert">{move || error.get()}</p>
            </fieldset>
        }
        .into_any()
    }
}
