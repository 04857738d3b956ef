//! Postmortem templates (`/admin/templates`, admins only): the list, and the form of one
//! (`/admin/templates/new`, `/admin/templates/:id`): its sections (shown, required before
//! review, prompt, moved up or down by buttons) and its custom fields (key, label, kind, choices
//! one per line, required, prompt; two blank rows add fields, "remove" drops one, buttons move
//! one up or down). A plain form: a failed save comes back with everything typed and each
//! message beside its field. Under the form: retiring the template (or offering it again),
//! deleting it after a confirmation (refused while incidents follow it), and its history.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{flash_id, query_param, with_flash};
use crate::api::template_admin::{DeleteTemplate, RetireTemplate};
use crate::api::templates::{SaveTemplate, template_choices, template_for_edit};
use crate::domain::template::admin::{Direction, Move, sections_in_order};
use crate::domain::template::{FieldKind, SectionKey, TemplateForm, template_form_rows};
use crate::dto::forms::FormFlash;
use crate::dto::template::{TemplateChoice, TemplateEditing};
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::FormMessage;
use crate::ui::components::form_state::{FormState, html_name};
use crate::ui::components::loaded::Loaded;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| template_choices());
    let saved = query_param("saved");
    let deleted = query_param("deleted");
    view! {
        <Title text="Templates" />
        <section class="narrow">
            <h1>"Postmortem templates"</h1>
            <p class="lead">"Which sections a postmortem has, in what order, what must be filled before review, the prompts its authors read, and fields of your own. Incidents that name no template follow the default one."</p>
            <Show when=move || saved.get() == "1">
                <p class="notice notice-ok" role="status">"Saved. Values already written are kept, whatever changed."</p>
            </Show>
            <Show when=move || deleted.get() == "1">
                <p class="notice notice-ok" role="status">"The template was deleted. Its history is kept."</p>
            </Show>
            <Loaded resource=data view=template_list />
            <p><a class="button" href="/admin/templates/new">"New template"</a></p>
        </section>
    }
}

fn template_list(templates: Vec<TemplateChoice>) -> impl IntoView {
    view! {
        <ul class="template-list">
            {templates.into_iter().map(|t| view! {
                <li>
                    <a href=format!("/admin/templates/{}", t.id)>{t.name}</a>
                    {t.is_default.then_some(view! { " "<span class="badge">"default"</span> })}
                    {t.retired.then_some(view! { " "<span class="badge">"retired"</span>" "<span class="muted small">"not offered for new incidents"</span> })}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn TemplateFormPage() -> impl IntoView {
    let params = use_params_map();
    // `new` (or anything that is not an id) opens a new template.
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| with_flash(flash, template_for_edit(id)),
    );
    view! {
        <Loaded resource=data view=|(editing, flash): (TemplateEditing, Option<FormFlash>)| view! { <TemplateEditor editing flash /> } />
    }
}

/// The values a failed post came back with, by field name (without `form[…]`).
fn posted(flash: &FormFlash) -> TemplateForm {
    flash
        .values
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("form[")
                .and_then(|k| k.strip_suffix(']'))
                .map(|k| (k.to_owned(), v.clone()))
        })
        .collect()
}

#[component]
fn TemplateEditor(editing: TemplateEditing, flash: Option<FormFlash>) -> impl IntoView {
    let flash = flash.filter(|f| f.action == SaveTemplate::PATH);
    let flash_or_saved = flash.as_ref().map_or_else(|| editing.form.clone(), posted);
    let rows = template_form_rows(&flash_or_saved);
    let form = FormState::new(&editing.form, flash, SaveTemplate::PATH);
    let heading = if editing.id == 0 {
        "New template".to_owned()
    } else {
        format!(
            "Template “{}”",
            editing.form.get("name").cloned().unwrap_or_default()
        )
    };
    let order = sections_in_order(&flash_or_saved);
    let last = order.len().saturating_sub(1);
    let section_rows = order
        .into_iter()
        .enumerate()
        .map(|(n, key)| view! { <SectionRow form=form.clone() key first={n == 0} last={n == last} /> })
        .collect_view();
    let field_rows = (0..rows)
        .map(|i| view! { <FieldRow form=form.clone() i last={i + 1 == rows} /> })
        .collect_view();
    let admin = (editing.id != 0).then(|| view! { <TemplateAdmin editing=editing.clone() /> });
    view! {
        <Title text=heading.clone() />
        <p class="crumbs"><a href="/admin/templates">"Templates"</a>" / "{heading.clone()}</p>
        <h1>{heading}</h1>
        {editing.is_default.then_some(view! { <p class="notice">"The default template: incidents that name no template follow it."</p> })}
        <form method="post" action=SaveTemplate::PATH class="form" id="template-form">
            <input type="hidden" name="id" value=editing.id />
            <FormMessage form=form.clone() />
            <Text form=form.clone() name="name".to_owned() label="Name" />
            <h2>"Sections"</h2>
            <p class="hint">"Sections are shown in this order: move one up or down with its arrows (that saves the template). The summary is always in the page's header. A required section must be filled before the postmortem is submitted for review."</p>
            <table class="template-sections">
                <thead><tr><th>"Section"</th><th>"Shown"</th><th>"Required"</th><th>"Order"</th><th>"Prompt for the authors"</th></tr></thead>
                <tbody>{section_rows}</tbody>
            </table>
            <h2>"Fields of your own"</h2>
            <p class="hint">"Shown in the postmortem's Details section, in exports, search and the incident list's filter. Values are kept under the key: a field removed later keeps its values, shown as from an earlier template. Leave a row blank to add nothing."</p>
            {field_rows}
            <div class="actions">
                <button type="submit">"Save template"</button>
                <a class="button secondary" href="/admin/templates">"Cancel"</a>
            </div>
        </form>
        {admin}
    }
}

/// A "move up" or "move down" button of the template form: it posts the form with `moving`,
/// which moves the row and saves.
#[component]
fn MoveButton(moving: Move, label: String, disabled: bool) -> impl IntoView {
    let arrow = match moving {
        Move::Section(_, Direction::Up) | Move::Field(_, Direction::Up) => "↑",
        _ => "↓",
    };
    view! {
        <button type="submit" class="small secondary move" name="moving" value=moving.value()
            aria-label=label.clone() title=label disabled=disabled>{arrow}</button>
    }
}

/// Retiring the template (or offering it again), deleting it, and its history.
#[component]
fn TemplateAdmin(editing: TemplateEditing) -> impl IntoView {
    let id = editing.id;
    let retire_form = (!editing.is_default).then(|| {
        let (button, hint, value) = if editing.retired {
            (
                "Offer it again",
                "Retired: it is not offered for new incidents, and keeps working on the incidents that follow it.",
                "",
            )
        } else {
            (
                "Retire template",
                "A retired template is no longer offered for new incidents; incidents that follow it keep it.",
                "on",
            )
        };
        view! {
            <form method="post" action=RetireTemplate::PATH class="inline-form" id="retire-template">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="retired" value=value />
                <p class="hint">{hint}</p>
                <button type="submit" class="secondary">{button}</button>
            </form>
        }
    });
    let deleting = if editing.is_default {
        view! { <p class="muted small">"The default template cannot be deleted or retired: incidents that name no template follow it."</p> }.into_any()
    } else if editing.in_use > 0 {
        let follow = if editing.in_use == 1 {
            "1 incident follows this template".to_owned()
        } else {
            format!("{} incidents follow this template", editing.in_use)
        };
        let sentence = format!("{follow}: it cannot be deleted. Retire it instead.");
        view! { <p class="muted small" id="cannot-delete">{sentence}</p> }.into_any()
    } else {
        view! {
            <ConfirmDelete key="template".to_owned() label="Delete template…"
                warning="No incident follows this template; it will be deleted (its history is kept).".to_owned()>
                <form method="post" action=DeleteTemplate::PATH class="inline-form" id="delete-template">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="danger">"Delete template"</button>
                </form>
            </ConfirmDelete>
        }
        .into_any()
    };
    view! {
        <section class="template-admin" id="template-admin">
            <h2>"Retire, delete, history"</h2>
            {retire_form}
            {deleting}
            <p><a href=format!("/admin/templates/{id}/history")>"History of this template"</a></p>
        </section>
    }
}

/// The error beside a field, by its name in the form.
#[component]
fn Error(form: FormState, name: String) -> impl IntoView {
    let error = form.field_error_named(name.clone());
    view! { <p class="field-error" id=format!("e-{name}") role="alert">{move || error.get()}</p> }
}

#[component]
fn Text(
    form: FormState,
    name: String,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let html = html_name(&name);
    let value = form.value(&html);
    let error = form.field_error_named(name.clone());
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=format!("f-{name}")>{label}</label>
            <input type="text" id=format!("f-{name}") name=html value=value aria-describedby=format!("e-{name}") />
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <Error form name />
        </div>
    }
}

#[component]
fn Check(form: FormState, name: String, label: String) -> impl IntoView {
    let html = html_name(&name);
    let checked = crate::domain::form::checkbox(&form.value(&html));
    view! {
        <input type="checkbox" id=format!("f-{name}") name=html checked=checked aria-label=label />
        <Error form name />
    }
}

#[component]
fn SectionRow(form: FormState, key: SectionKey, first: bool, last: bool) -> impl IntoView {
    let k = key.as_str();
    let order = html_name(&format!("{k}_order"));
    let prompt = html_name(&format!("{k}_prompt"));
    let label = key.label();
    view! {
        <tr id=format!("section-{k}")>
            <th scope="row">{key.label()}</th>
            <td><Check form=form.clone() name=format!("{k}_shown") label=format!("Show {}", key.label()) /></td>
            <td>{key.can_be_required().then(|| view! { <Check form=form.clone() name=format!("{k}_required") label=format!("{} required before review", key.label()) /> })}</td>
            <td class="move-buttons">
                <input type="hidden" name=order.clone() value=form.value(&order) />
                <MoveButton moving=Move::Section(key, Direction::Up) label=format!("Move {label} up") disabled=first />
                <MoveButton moving=Move::Section(key, Direction::Down) label=format!("Move {label} down") disabled=last />
                <Error form=form.clone() name=format!("{k}_order") />
            </td>
            <td>
                <input type="text" name=prompt.clone() value=form.value(&prompt) aria-label=format!("Prompt for {}", key.label()) />
                <Error form name=format!("{k}_prompt") />
            </td>
        </tr>
    }
}

#[component]
fn FieldRow(form: FormState, i: usize, last: bool) -> impl IntoView {
    let name = |part: &str| format!("field{i}_{part}");
    let kind_html = html_name(&name("kind"));
    let kind = form.value(&kind_html);
    let options_html = html_name(&name("options"));
    let kinds: BTreeMap<usize, FieldKind> = FieldKind::ALL.into_iter().enumerate().collect();
    view! {
        <fieldset class="template-field" id=format!("field-row-{i}")>
            <legend>{format!("Field {}", i + 1)}</legend>
            <div class="move-buttons">
                <MoveButton moving=Move::Field(i, Direction::Up) label=format!("Move field {} up", i + 1) disabled={i == 0} />
                <MoveButton moving=Move::Field(i, Direction::Down) label=format!("Move field {} down", i + 1) disabled=last />
            </div>
            <div class="row">
                <Text form=form.clone() name=name("label") label="Label" />
                <Text form=form.clone() name=name("key") label="Key" hint="Optional: made of the label when empty." />
                <div class="field">
                    <label for=format!("f-{}", name("kind"))>"Kind"</label>
                    <select id=format!("f-{}", name("kind")) name=kind_html>
                        {kinds.into_values().map(|k| {
                            let selected = k.as_str() == kind;
                            view! { <option value=k.as_str() selected=selected>{k.label()}</option> }
                        }).collect_view()}
                    </select>
                    <Error form=form.clone() name=name("kind") />
                </div>
            </div>
            <div class="field">
                <label for=format!("f-{}", name("options"))>"Choices (for a choice field, one per line)"</label>
                <textarea id=format!("f-{}", name("options")) name=options_html.clone() rows=3>{form.value(&options_html)}</textarea>
                <Error form=form.clone() name=name("options") />
            </div>
            <Text form=form.clone() name=name("prompt") label="Prompt for the authors" />
            <label><Check form=form.clone() name=name("required") label="Required before review".to_owned() />" Required before review"</label>
            <label><Check form name=name("remove") label="Remove this field".to_owned() />" Remove this field (its values are kept)"</label>
        </fieldset>
    }
}
