//! Adding (`/incidents/:id/follow-ups/new`) and editing (`…/follow-ups/:item`) a follow-up
//! action, with the change (and parameter) it addresses.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, is_new_item, with_flash};
use crate::api::follow_ups::{
    AddFollowUp, DeleteFollowUp, UpdateFollowUp, follow_up_for_edit, follow_up_for_new,
};
use crate::dto::editing::Editing;
use crate::dto::editing::{FollowUpEditing, TargetOption};
use crate::dto::forms::FormFlash;
use crate::dto::people::Person;
use crate::ui::components::badges::StateBadge;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{
    FormMessage, MarkdownField, SelectField, TextField, VersionField,
};
use crate::ui::components::form_state::{FormState, html_name};
use crate::ui::components::loaded::Loaded;
use crate::ui::options;

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let incident = id_param("id");
    let item = id_param("item");
    let is_new = is_new_item();
    let flash = flash_id();
    let data = Resource::new(
        move || (incident.get(), item.get(), is_new.get(), flash.get()),
        |(incident, item, is_new, flash)| {
            with_flash(flash, async move {
                match (incident, item, is_new) {
                    (Some(i), _, true) => follow_up_for_new(i).await.map(|mut e| {
                        e.form.form.action_type = "prevent".into();
                        e.form.form.priority = "p2".into();
                        (e, None)
                    }),
                    (Some(_), Some(id), false) => {
                        follow_up_for_edit(id).await.map(|e| (e, Some(id)))
                    }
                    _ => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|((editing, id), flash): ((Editing<FollowUpEditing>, Option<i64>), Option<FormFlash>)| match id {
            None => view! { <NewFollowUp editing flash /> }.into_any(),
            Some(id) => view! { <EditFollowUp editing flash id /> }.into_any(),
        } />
    }
}

#[component]
fn NewFollowUp(editing: Editing<FollowUpEditing>, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<AddFollowUp>::new();
    let chosen_state = flash
        .as_ref()
        .and_then(|f| f.value("state").map(str::to_owned))
        .unwrap_or_else(|| "proposed".to_owned());
    let form = FormState::new(&editing.form.form, flash, AddFollowUp::PATH, move || {
        action.value().get()
    });
    let state_error = form.field_error("state");
    let back = format!("/incidents/{}#follow-ups", editing.incident_id);
    view! {
        <Title text="Add follow-up" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Follow-ups"</p>
        <h1>"Add a follow-up"</h1>
        <p class="lead">"Target the safeguard that was missing — a dangerous default, a step without confirmation — not the person."</p>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="incident_id" value=editing.incident_id />
            <FormMessage form=form.clone() />
            <FollowUpFields form targets=editing.form.targets people=editing.form.people due_policy=editing.form.due_policy.clone() />
            <fieldset class="field">
                <legend>"Start as"</legend>
                <label class="radio"><input type="radio" name="state" value="proposed" checked=chosen_state != "committed" />" Proposed — an idea to discuss"</label>
                <label class="radio"><input type="radio" name="state" value="committed" checked=chosen_state == "committed" />" Committed — someone owns it and it has a due date"</label>
                <p class="field-error" role="alert">{move || state_error.get()}</p>
            </fieldset>
            <div class="actions">
                <button type="submit">"Add follow-up"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn EditFollowUp(
    editing: Editing<FollowUpEditing>,
    flash: Option<FormFlash>,
    id: i64,
) -> impl IntoView {
    let action = ServerAction::<UpdateFollowUp>::new();
    let delete = ServerAction::<DeleteFollowUp>::new();
    let form = FormState::new(&editing.form.form, flash, UpdateFollowUp::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}#follow-ups", editing.incident_id);
    view! {
        <Title text="Edit follow-up" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Follow-ups"</p>
        <h1>"Edit follow-up"</h1>
        {editing.form.state.map(|s| view! { <p>"State: " <StateBadge state=s />" — change it from the postmortem or the follow-ups list."</p> })}
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="id" value=id />
            <VersionField form=form.clone() version=editing.version />
            <FormMessage form=form.clone() />
            <FollowUpFields form targets=editing.form.targets people=editing.form.people due_policy=editing.form.due_policy.clone() />
            <div class="actions">
                <button type="submit">"Save follow-up"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
        <section class="danger-zone">
            <ConfirmDelete key="follow-up".to_owned() warning="This follow-up will be removed from the postmortem.".to_owned()>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="danger">"Delete follow-up"</button>
                </ActionForm>
            </ConfirmDelete>
        </section>
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
