//! Adding (`/incidents/:id/follow-ups/new`) and editing (`…/follow-ups/:item`) a follow-up
//! action, with the change (and parameter) it addresses.

use leptos::prelude::*;

use super::{load_part, opened_part};
use crate::api::follow_ups::{
    AddFollowUp, DeleteFollowUp, UpdateFollowUp, follow_up_for_edit, follow_up_for_new,
};
use crate::dto::editing::{Editing, FollowUpEditing, TargetOption};
use crate::dto::people::Person;
use crate::ui::components::badges::StateBadge;
use crate::ui::components::fields::{MarkdownField, SelectField, TextField};
use crate::ui::components::form_state::{FormState, html_name};
use crate::ui::components::part_form::{DeleteWords, PartFn, PartFormPage, PartPage, PartWords};
use crate::ui::options;

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let resource = load_part(opened_part(), follow_up_for_new, follow_up_for_edit);
    let page = PartPage {
        delete: Some(DeleteFollowUp::part_action),
        edit_intro: Some(|editing: &FollowUpEditing| {
            editing.state.map(|s| view! { <p>"State: " <StateBadge state=s />" — change it from the postmortem or the follow-ups list."</p> }).into_any()
        }),
        ..PartPage::new(
            WORDS,
            AddFollowUp::part_action,
            UpdateFollowUp::part_action,
            fields,
        )
    };
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Follow-ups",
    back: "#follow-ups",
    new_title: "Add follow-up",
    new_heading: "Add a follow-up",
    new_lead: Some(
        "Target the safeguard that was missing — a dangerous default, a step without confirmation — not the person.",
    ),
    add_button: "Add follow-up",
    edit_title: |_| "Edit follow-up".to_owned(),
    edit_heading: "Edit follow-up",
    save_button: "Save follow-up",
    edit_cancel: "Cancel",
    delete: Some(DeleteWords {
        key: "follow-up",
        warning: "This follow-up will be removed from the postmortem.",
        button: "Delete follow-up",
    }),
    new_needs_author: None,
};

fn fields(form: FormState, editing: &Editing<FollowUpEditing>, new: bool) -> AnyView {
    let e = &editing.form;
    view! {
        <FollowUpFields form=form.clone() targets=e.targets.clone() people=e.people.clone() due_policy=e.due_policy.clone() />
        <SelectField form=form.clone() name="factor_id" label="Addresses the contributing factor" options=e.factors.clone() blank="No particular factor"
            hint="The trigger or condition this follow-up does something about." />
        {new.then(|| view! { <StartAs form /> })}
    }
    .into_any()
}

/// The state a new follow-up starts in (the server function's `state` argument).
#[component]
fn StartAs(form: FormState) -> impl IntoView {
    let chosen = form.value("state");
    let error = form.field_error("state");
    view! {
        <fieldset class="field">
            <legend>"Start as"</legend>
            <label class="radio"><input type="radio" name="state" value="proposed" checked=chosen != "committed" />" Proposed — an idea to discuss"</label>
            <label class="radio"><input type="radio" name="state" value="committed" checked=chosen == "committed" />" Committed — someone owns it and it has a due date"</label>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}

#[component]
fn FollowUpFields(
    form: FormState,
    targets: Vec<TargetOption>,
    people: Vec<Person>,
    due_policy: String,
) -> impl IntoView {
    let due_hint = if due_policy.is_empty() {
        "Needed before it can be committed.".to_owned()
    } else {
        format!(
            "Needed before it can be committed. Left empty, committing sets it by the team's \
             policy — {due_policy}."
        )
    };
    // An owner named in free text before accounts existed stays until someone picks a person.
    let named = form.value(&html_name("owner"));
    let legacy = form.value(&html_name("owner_id")).is_empty() && !named.is_empty();
    let mut owners: Vec<(String, String)> = Vec::new();
    if legacy {
        owners.push((String::new(), format!("“{named}” (named before accounts)")));
    }
    owners.push(("none".to_owned(), "No owner yet".to_owned()));
    owners.extend(
        people
            .into_iter()
            .map(|p| (p.id.to_string(), p.display_name)),
    );
    let changes: Vec<(String, String)> = targets
        .iter()
        .filter(|t| t.parameter_id.is_none())
        .map(|t| (t.change_id.to_string(), t.label.clone()))
        .collect();
    let parameters: Vec<(String, String)> = targets
        .iter()
        .filter_map(|t| t.parameter_id.map(|p| (p.to_string(), t.label.clone())))
        .collect();
    view! {
        <TextField form=form.clone() name="title" label="Title" required=true
            placeholder="Give the generic run-command job a safe, low default concurrency" />
        <div class="row">
            <SelectField form=form.clone() name="action_type" label="Type" options=options::action_types() />
            <SelectField form=form.clone() name="priority" label="Priority" options=options::priorities() />
        </div>
        <div class="row">
            <SelectField form=form.clone() name="owner_id" label="Owner" options=owners
                hint="A person with an account here. Needed before it can be committed." />
            <input type="hidden" name=html_name("owner") value=if legacy { named } else { String::new() } />
            <TextField form=form.clone() name="due" label="Due date" kind="date" hint=due_hint />
        </div>
        <div class="row">
            <SelectField form=form.clone() name="change_id" label="Addresses the change" options=changes blank="No change" />
            <SelectField form=form.clone() name="parameter_id" label="…and its parameter" options=parameters blank="No particular parameter"
                hint="Pick the parameter or safeguard this fixes; it must belong to the change chosen." />
        </div>
        <MarkdownField form name="description" label="Description" rows=4 />
    }
}
