//! Linking a change to an incident (`/incidents/:id/changes/new`) and editing it with its
//! parameters (`…/changes/:item`), each parameter marked when it took the system's default.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::{load_part, opened_part, query_param};
use crate::api::changes::{
    AddChange, AddParameter, DeleteChange, DeleteParameter, UpdateChange, UpdateParameter,
    change_for_edit,
};
use crate::api::incidents::incident_context;
use crate::domain::change::{NewParameter, ParameterForm};
use crate::dto::editing::{ChangeEditing, Editing};
use crate::dto::forms::FormFlash;
use crate::dto::postmortem::ParameterRow;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{
    CheckboxField, FormMessage, MarkdownField, SelectField, TextField, TimeField, VersionField,
};
use crate::ui::components::form_state::FormState;
use crate::ui::components::parameter_cells::ParameterCells;
use crate::ui::components::part_form::{DeleteWords, PartFn, PartFormPage, PartPage, PartWords};
use crate::ui::options;

#[component]
pub fn ChangePage() -> impl IntoView {
    let resource = load_part(
        opened_part(),
        |incident| async move {
            incident_context(incident)
                .await
                .map(|context| context.with_form(ChangeEditing::blank()))
        },
        change_for_edit,
    );
    let page = PartPage {
        delete: Some(DeleteChange::part_action),
        after_form: Some(|editing: &Editing<ChangeEditing>, id, flash| {
            let parameters = editing.form.parameters.clone();
            view! { <ParametersEditor change_id=id parameters flash /> }.into_any()
        }),
        ..PartPage::new(
            WORDS,
            AddChange::part_action,
            UpdateChange::part_action,
            fields,
        )
    };
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Changes",
    back: "#changes",
    new_title: "Link a change",
    new_heading: "Link a change",
    new_lead: Some(
        "What was changed or run? After saving you can record the parameters it ran with.",
    ),
    add_button: "Save and add parameters",
    edit_title: |_| "Edit change".to_owned(),
    edit_heading: "Edit change",
    save_button: "Save change",
    edit_cancel: "Back to the postmortem",
    delete: Some(DeleteWords {
        key: "change",
        warning: "This change and its parameters will be removed; follow-ups that targeted it stay, without a target.",
        button: "Delete change",
    }),
    new_needs_author: None,
};

#[component]
fn ParametersEditor(
    change_id: i64,
    parameters: Vec<ParameterRow>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let blank = ParameterForm::default();
    let form = FormState::new(&blank, flash.clone(), AddParameter::PATH);
    view! {
        <section id="parameters" class="parameters-editor">
            <h2>"Parameters it ran with"</h2>
            <p class="hint">"Record every parameter that mattered — especially the ones nobody set, which took the system's default. That is the commonest hidden trigger."</p>
            {if parameters.is_empty() {
                view! { <p class="empty-inline">"No parameters yet."</p> }.into_any()
            } else {
                view! { <table class="parameters">
                    <thead><tr><th>"Parameter"</th><th>"Value"</th><th>"Set by"</th><th></th></tr></thead>
                    <tbody>{parameters.into_iter().map(|p| view! { <ParameterLine p flash=flash.clone() /> }).collect_view()}</tbody>
                </table> }.into_any()
            }}
            <form method="post" action=AddParameter::PATH class="form inline-form">
                <input type="hidden" name="change_id" value=change_id />
                <h3>"Add a parameter"</h3>
                <FormMessage form=form.clone() />
                <div class="row">
                    <TextField form=form.clone() name="name" label="Name" required=true placeholder="concurrency" />
                    <TextField form=form.clone() name="value" label="Value" placeholder="1"
                        hint="Leave empty if it was left unset." />
                </div>
                <CheckboxField form name="is_default" label="Nobody set it: it took the system's default"
                    hint="Tick this when the value came from the job's or tool's default rather than from a person." />
                <button type="submit" class="secondary">"Add parameter"</button>
            </form>
        </section>
    }
}

/// The query parameter that opens one parameter's row for editing: `?edit=parameter-4`.
const EDIT_PARAM: &str = "edit";

/// One parameter: a table row, or, while `?edit=parameter-<id>` is open, its edit form.
#[component]
fn ParameterLine(p: ParameterRow, flash: Option<FormFlash>) -> impl IntoView {
    let key = format!("parameter-{}", p.id);
    let editing = {
        let open = query_param(EDIT_PARAM);
        let key = key.clone();
        move || open.get() == key
    };
    let shown = p.clone();
    view! {
        <Show when=editing fallback=move || view! { <ParameterRowView p=shown.clone() /> }>
            <tr class="editing">
                <td colspan="4"><EditParameter p=p.clone() flash=flash.clone() /></td>
            </tr>
        </Show>
    }
}

#[component]
fn ParameterRowView(p: ParameterRow) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let edit_href = move || {
        format!(
            "{}?{EDIT_PARAM}=parameter-{}#parameter-{}",
            location.pathname.get(),
            p.id,
            p.id
        )
    };
    view! {
        <tr class:defaulted=p.is_default id=format!("parameter-{}", p.id)>
            <ParameterCells p=p.clone() />
            <td>
                <div class="row-actions">
                    <a class="button secondary small" href=edit_href rel="nofollow"
                        aria-label=format!("Edit parameter {}", p.name)>"Edit"</a>
                    <ConfirmDelete key=format!("parameter-{}", p.id) label="Remove…" warning=format!("The parameter {} will be removed.", p.name)>
                        <form method="post" action=DeleteParameter::PATH>
                            <input type="hidden" name="id" value=p.id />
                            <button type="submit" class="danger small">"Remove"</button>
                        </form>
                    </ConfirmDelete>
                </div>
            </td>
        </tr>
    }
}

#[component]
fn EditParameter(p: ParameterRow, flash: Option<FormFlash>) -> impl IntoView {
    let record = ParameterForm::from_parameter(&NewParameter {
        name: p.name.clone(),
        value: p.value.clone(),
        is_default: p.is_default,
    });
    let form = FormState::new(&record, flash, UpdateParameter::PATH);
    let location = leptos_router::hooks::use_location();
    let cancel = move || format!("{}#parameters", location.pathname.get());
    view! {
        <form method="post" action=UpdateParameter::PATH class="form inline-form" id=format!("parameter-{}", p.id)>
            <input type="hidden" name="id" value=p.id />
            <VersionField form=form.clone() version=p.version />
            <h3>{format!("Edit parameter {}", p.name)}</h3>
            <FormMessage form=form.clone() />
            <div class="row">
                <TextField form=form.clone() name="name" label="Name" required=true />
                <TextField form=form.clone() name="value" label="Value"
                    hint="Leave empty if it was left unset." />
            </div>
            <CheckboxField form name="is_default" label="Nobody set it: it took the system's default" />
            <div class="actions">
                <button type="submit">"Save parameter"</button>
                <a class="button secondary" href=cancel>"Cancel"</a>
            </div>
        </form>
    }
}

fn fields(form: FormState, editing: &Editing<ChangeEditing>, _new: bool) -> AnyView {
    let zone = editing.zone.clone();
    view! {
        <input type="hidden" name="zone" value=zone.clone() />
        <TextField form=form.clone() name="summary" label="What was changed or run" required=true
            placeholder="Restart of all Java applications after the JMX configuration change" />
        <div class="row">
            <SelectField form=form.clone() name="kind" label="Kind" options=options::change_kinds() />
            <TextField form=form.clone() name="system" label="System" required=true placeholder="Jenkins" />
        </div>
        <div class="row">
            <TextField form=form.clone() name="identifier" label="Job, commit or identifier" placeholder="generic run-command job" />
            <TextField form=form.clone() name="link" label="Link" kind="url" placeholder="https://…" />
        </div>
        <TimeField form=form.clone() at="at" until="until" precision="precision" label="When it ran" zone />
        <div class="row">
            <TextField form=form.clone() name="started_by" label="Started by (a role or system)" placeholder="engineer running the change" />
            <TextField form=form.clone() name="reviewer" label="Plan reviewed by (a role)" placeholder="senior engineer not involved in the change" />
        </div>
        <TextField form=form.clone() name="plan" label="The plan" placeholder="Deploy in Chef; run chef-client; restart the apps in sequence" />
        <SelectField form=form.clone() name="relation" label="Its relation to this incident" options=options::relations() />
        <MarkdownField form name="rationale" label="Why we think so" rows=4
            hint="The evidence for this judgement." />
    }
    .into_any()
}
