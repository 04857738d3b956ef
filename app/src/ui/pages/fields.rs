//! An incident's own fields (`/incidents/:id/fields`): the values of its template's custom
//! fields, each checked by its kind, the values of fields from an earlier template (kept, read
//! only), and which template the postmortem follows.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, with_flash};
use crate::api::templates::{SetIncidentTemplate, UpdateFieldValues, fields_for_edit};
use crate::domain::template::FieldKind;
use crate::dto::editing::Editing;
use crate::dto::forms::FormFlash;
use crate::dto::template::{FieldShown, FieldsEditing};
use crate::ui::components::fields::{FormMessage, VersionField};
use crate::ui::components::form_state::{FormState, html_name};
use crate::ui::components::loaded::Loaded;

#[component]
pub fn FieldsPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => fields_for_edit(id).await,
                    None => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|(editing, flash): (Editing<FieldsEditing>, Option<FormFlash>)| view! { <FieldsEditor editing flash /> } />
    }
}

#[component]
fn FieldsEditor(editing: Editing<FieldsEditing>, flash: Option<FormFlash>) -> impl IntoView {
    let values: BTreeMap<String, String> = editing
        .form
        .fields
        .iter()
        .map(|f| (f.key.clone(), f.value.clone()))
        .collect();
    let form = FormState::new(&values, flash.clone(), UpdateFieldValues::PATH);
    let template_form = FormState::new(
        &BTreeMap::from([("template".to_owned(), editing.form.template_id.to_string())]),
        flash,
        SetIncidentTemplate::PATH,
    );
    let template_error = template_form.field_error("template");
    let id = editing.incident_id;
    let back = format!("/incidents/{id}#custom-fields");
    let f = editing.form;
    view! {
        <Title text=format!("Details: {}", editing.incident_title) />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Details"</p>
        <h1>"Details"</h1>
        <p class="lead">"The fields of the template “"{f.template_name.clone()}"”."</p>
        {if f.fields.is_empty() {
            view! { <p class="empty-inline">"This template has no fields of its own."</p> }.into_any()
        } else {
            view! {
                <form method="post" action=UpdateFieldValues::PATH class="form" id="field-values">
                    <input type="hidden" name="id" value=id />
                    <VersionField form=form.clone() version=editing.version />
                    <FormMessage form=form.clone() />
                    {f.fields.iter().cloned().map(|field| view! { <ValueField form=form.clone() field /> }).collect_view()}
                    <div class="actions">
                        <button type="submit">"Save details"</button>
                        <a class="button secondary" href=back.clone()>"Cancel"</a>
                    </div>
                </form>
            }.into_any()
        }}
        {(!f.earlier.is_empty()).then(|| view! {
            <section class="earlier-fields">
                <h2>"From an earlier template"</h2>
                <p class="muted small">"These fields are not in this template; their values are kept as they were written."</p>
                <dl class="custom-fields">
                    {f.earlier.iter().map(|e| view! { <div><dt>{e.label.clone()}</dt><dd>{e.value.clone()}</dd></div> }).collect_view()}
                </dl>
            </section>
        })}
        <section>
            <h2>"Template"</h2>
            <form method="post" action=SetIncidentTemplate::PATH class="form" id="incident-template">
                <input type="hidden" name="id" value=id />
                <FormMessage form=template_form.clone() />
                <div class="field" class:invalid=move || template_error.get().is_some()>
                    <label for="f-template">"Template"</label>
                    <select id="f-template" name="template" aria-describedby="e-template">
                        {f.templates.iter().map(|c| {
                            let selected = c.id == f.template_id;
                            view! { <option value=c.id selected=selected>{c.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p class="hint">"Changing the template loses nothing: values of fields the new one lacks are kept and shown as from an earlier template."</p>
                    <p class="field-error" id="e-template" role="alert">{move || template_error.get()}</p>
                </div>
                <div class="actions"><button type="submit" class="secondary">"Change template"</button></div>
            </form>
        </section>
    }
}

/// One custom field's control, by its kind, with its prompt and its error beside it.
#[component]
fn ValueField(form: FormState, field: FieldShown) -> impl IntoView {
    let html = html_name(&field.key);
    let current = form.value(&html);
    let error = form.field_error_named(field.key.clone());
    let id = format!("f-{}", field.key);
    let err_id = format!("e-{}", field.key);
    let control = match field.kind {
        FieldKind::Choice => view! {
            <select id=id.clone() name=html aria-describedby=err_id.clone()>
                <option value="" selected=current.is_empty()>"—"</option>
                {field.options.iter().map(|o| {
                    let selected = *o == current;
                    view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::Text => view! {
            <textarea id=id.clone() name=html rows=3 aria-describedby=err_id.clone()>{current}</textarea>
        }
        .into_any(),
        FieldKind::Number | FieldKind::Date => view! {
            <input
                type=if field.kind == FieldKind::Number { "text" } else { "date" }
                inputmode=(field.kind == FieldKind::Number).then_some("decimal")
                id=id.clone()
                name=html
                value=current
                aria-describedby=err_id.clone()
            />
        }
        .into_any(),
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{field.label.clone()}{field.required.then_some(view! { <span class="req" title="required before review">" *"</span> })}</label>
            {control}
            {(!field.prompt.is_empty()).then(|| view! { <p class="hint">{field.prompt.clone()}</p> })}
            <p class="field-error" id=err_id role="alert">{move || error.get()}</p>
        </div>
    }
}
