//! Linking a change to an incident (`/incidents/:id/changes/new`) and editing it with its
//! parameters (`…/changes/:item`), each parameter marked when it took the system's default.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, is_new_item, query_param, with_flash};
use crate::api::changes::{
    AddChange, AddParameter, DeleteChange, DeleteParameter, UpdateChange, UpdateParameter,
    change_for_edit,
};
use crate::api::incidents::incident_context;
use crate::domain::change::{ChangeForm, NewParameter, ParameterForm};
use crate::dto::editing::ChangeEditing;
use crate::dto::editing::Editing;
use crate::dto::forms::FormFlash;
use crate::dto::postmortem::ParameterRow;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{
    CheckboxField, FormMessage, MarkdownField, SelectField, TextField, TimeField, VersionField,
};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::{Loaded, Refresh};
use crate::ui::components::parameter_cells::ParameterCells;
use crate::ui::options;

#[component]
pub fn ChangePage() -> impl IntoView {
    let incident = id_param("id");
    let item = id_param("item");
    let is_new = is_new_item();
    let flash = flash_id();
    let data = Resource::new(
        move || {
            (
                incident.get(),
                item.get(),
                is_new.get(),
                flash.get(),
                Refresh::get(),
            )
        },
        |(incident, item, is_new, flash, _)| {
            with_flash(flash, async move {
                match (incident, item, is_new) {
                    (Some(i), _, true) => incident_context(i)
                        .await
                        .map(|e| Editing {
                            version: e.version,
                            zone: e.zone,
                            incident_id: e.incident_id,
                            incident_title: e.incident_title,
                            form: ChangeEditing {
                                form: ChangeForm {
                                    kind: "job_run".into(),
                                    relation: "suspected".into(),
                                    precision: "minute".into(),
                                    ..Default::default()
                                },
                                parameters: Vec::new(),
                            },
                        })
                        .map(|e| (e, None)),
                    (Some(_), Some(id), false) => change_for_edit(id).await.map(|e| (e, Some(id))),
                    _ => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|((editing, id), flash): ((Editing<ChangeEditing>, Option<i64>), Option<FormFlash>)| match id {
            None => view! { <NewChange editing flash /> }.into_any(),
            Some(id) => view! { <EditChange editing flash id /> }.into_any(),
        } />
    }
}

#[component]
fn NewChange(editing: Editing<ChangeEditing>, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<AddChange>::new();
    let form = FormState::new(&editing.form.form, flash, AddChange::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}#changes", editing.incident_id);
    view! {
        <Title text="Link a change" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Changes"</p>
        <h1>"Link a change"</h1>
        <p class="lead">"What was changed or run? After saving you can record the parameters it ran with."</p>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="incident_id" value=editing.incident_id />
            <FormMessage form=form.clone() />
            <ChangeFields form zone=editing.zone />
            <div class="actions">
                <button type="submit">"Save and add parameters"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn EditChange(editing: Editing<ChangeEditing>, flash: Option<FormFlash>, id: i64) -> impl IntoView {
    let action = ServerAction::<UpdateChange>::new();
    let delete = ServerAction::<DeleteChange>::new();
    let form = FormState::new(
        &editing.form.form,
        flash.clone(),
        UpdateChange::PATH,
        move || action.value().get(),
    );
    let back = format!("/incidents/{}#changes", editing.incident_id);
    view! {
        <Title text="Edit change" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Changes"</p>
        <h1>"Edit change"</h1>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="id" value=id />
            <VersionField form=form.clone() version=editing.version />
            <FormMessage form=form.clone() />
            <ChangeFields form zone=editing.zone />
            <div class="actions">
                <button type="submit">"Save change"</button>
                <a class="button secondary" href=back>"Back to the postmortem"</a>
            </div>
        </ActionForm>
        <Parameters change_id=id parameters=editing.form.parameters flash />
        <section class="danger-zone">
            <ConfirmDelete key="change".to_owned() warning="This change and its parameters will be removed; follow-ups that targeted it stay, without a target.".to_owned()>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="danger">"Delete change"</button>
                </ActionForm>
            </ConfirmDelete>
        </section>
    }
}

#[component]
fn Parameters(
    change_id: i64,
    parameters: Vec<ParameterRow>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let add = ServerAction::<AddParameter>::new();
    let blank = ParameterForm::default();
    let form = FormState::new(&blank, flash.clone(), AddParameter::PATH, move || {
        add.value().get()
    });
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
            <ActionForm action=add attr:class="form inline-form">
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
            </ActionForm>
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
    let delete = ServerAction::<DeleteParameter>::new();
    if let Some(refresh) = use_context::<Refresh>() {
        Effect::new(move |_| {
            if matches!(delete.value().get(), Some(Ok(_))) {
                refresh.bump()
            }
        });
    }
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
                        <ActionForm action=delete>
                            <input type="hidden" name="id" value=p.id />
                            <button type="submit" class="danger small">"Remove"</button>
                        </ActionForm>
                    </ConfirmDelete>
                </div>
            </td>
        </tr>
    }
}

#[component]
fn EditParameter(p: ParameterRow, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<UpdateParameter>::new();
    let record = ParameterForm::from_parameter(&NewParameter {
        name: p.name.clone(),
        value: p.value.clone(),
        is_default: p.is_default,
    });
    let form = FormState::new(&record, flash, UpdateParameter::PATH, move || {
        action.value().get()
    });
    let location = leptos_router::hooks::use_location();
    let cancel = move || format!("{}#parameters", location.pathname.get());
    view! {
        <ActionForm action=action attr:class="form inline-form" attr:id=format!("parameter-{}", p.id)>
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
        </ActionForm>
    }
}

#[component]
fn ChangeFields(form: FormState, zone: String) -> impl IntoView {
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
}
