//! Form fields: a label, the control, a hint and the field's error right beside it.
//! Every control is a plain HTML form control, so forms work without JavaScript.

use leptos::prelude::*;

use super::form_state::{FormState, html_name};
use crate::domain::time::Precision;
use crate::ui::islands::MarkdownHelp;

/// The message line under a field; announced by screen readers when it appears. After a
/// conflicting save it also shows the other person's value.
#[component]
fn FieldMessage(
    id: String,
    error: Signal<Option<String>>,
    hint: Option<String>,
    theirs: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        {hint.map(|h| view! { <p class="hint">{h}</p> })}
        <p class="field-error" id=id role="alert">{move || error.get()}</p>
        {move || theirs.get().map(|value| {
            let shown = if value.is_empty() { "(empty)".to_owned() } else { value };
            view! {
                <div class="theirs">
                    <span class="theirs-label">"Their version: "</span>
                    <span class="theirs-value">{shown}</span>
                </div>
            }
        })}
    }
}

/// The version the form was opened at, posted with it so a save can tell whether someone else
/// saved in between (see `FormState::version`).
#[component]
pub fn VersionField(form: FormState, version: i64) -> impl IntoView {
    let value = form.version(version);
    view! { <input type="hidden" name="version" value=value.get_untracked() prop:value=value /> }
}

/// A one-line text input (also `type="number"`, `"date"`, `"url"`, `"datetime-local"`).
#[component]
pub fn TextField(
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let html = html_name(name);
    let value = form.value(&html);
    let error = form.field_error(name);
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="req" title="required">" *"</span> })}</label>
            <input
                type=kind
                id=id
                name=html
                value=value
                placeholder=placeholder
                step=(kind == "number").then_some("any")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=err_id.clone()
            />
            <FieldMessage id=err_id error=error hint=hint theirs=form.theirs(name) />
        </div>
    }
}

/// A Markdown text area; once the page is interactive, a preview rendered by the server and
/// blameless-wording hints as people type (the [`MarkdownHelp`] island around it).
#[component]
pub fn MarkdownField(
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 5)] rows: u32,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let html = html_name(name);
    let value = form.value(&html);
    let error = form.field_error(name);
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    let hints = crate::domain::blameless::check(&value);
    view! {
        <div class="field markdown" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="req" title="required">" *"</span> })}
                <span class="muted">" (Markdown)"</span>
            </label>
            <MarkdownHelp hints>
                <textarea
                    id=id
                    name=html
                    rows=rows
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=err_id.clone()
                >{crate::ui::raw_text::raw_text(&value)}</textarea>
                <FieldMessage id=err_id error=error hint=hint theirs=form.theirs(name) />
            </MarkdownHelp>
        </div>
    }
}

/// A drop-down of `(value, label)` options.
#[component]
pub fn SelectField(
    form: FormState,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] hint: Option<String>,
    /// An option for "none", with this label.
    #[prop(optional)]
    blank: Option<&'static str>,
) -> impl IntoView {
    let html = html_name(name);
    let current = form.value(&html);
    let error = form.field_error(name);
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=html aria-describedby=err_id.clone()>
                {blank.map(|b| view! { <option value="" selected=current.is_empty()>{b}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == current;
                        view! { <option value=value selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=err_id error=error hint=hint theirs=form.theirs(name) />
        </div>
    }
}

/// A checkbox; posts "on" when ticked and nothing when not.
#[component]
pub fn CheckboxField(
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let html = html_name(name);
    let checked = crate::domain::form::checkbox(&form.value(&html));
    let error = form.field_error(name);
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    view! {
        <div class="field checkbox" class:invalid=move || error.get().is_some()>
            <input type="checkbox" id=id.clone() name=html checked=checked aria-describedby=err_id.clone() />
            <label for=id>{label}</label>
            <FieldMessage id=err_id error=error hint=hint theirs=form.theirs(name) />
        </div>
    }
}

/// A time with its precision: `<prefix>_at`, `<prefix>_precision` and `<prefix>_until` (the end
/// of a range), written in the reader's zone, which the legend names.
#[component]
pub fn TimeField(
    form: FormState,
    /// Field names: `{prefix}at`, `{prefix}until`, `{prefix}precision` (prefix may be "" or end in `_`).
    at: &'static str,
    until: &'static str,
    precision: &'static str,
    label: &'static str,
    zone: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let options: Vec<(String, String)> = Precision::ALL
        .iter()
        .map(|p| (p.as_str().to_owned(), p.label().to_owned()))
        .collect();
    view! {
        <fieldset class="time-field">
            <legend>{label}{required.then_some(view! { <span class="req" title="required">" *"</span> })}
                <span class="zone-label">" — in " {zone}</span>
            </legend>
            <div class="time-row">
                <TextField form=form.clone() name=at label="When" kind="datetime-local" />
                <SelectField form=form.clone() name=precision label="Precision" options=options />
                <TextField form=form.clone() name=until label="Until (for a range)" kind="datetime-local"
                    hint="Only for a range: the latest it could have been." />
            </div>
        </fieldset>
    }
}

/// The error summary at the top of a form.
#[component]
pub fn FormMessage(form: FormState) -> impl IntoView {
    let message = form.message();
    view! {
        {move || message.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
    }
}
