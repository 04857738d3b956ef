//! The template's pieces on other pages: the prompt in a postmortem section, the custom fields
//! section (with values from an earlier template), what review still needs, and the template
//! picker of a new incident.

use leptos::prelude::*;

use crate::api::templates::template_choices;
use crate::domain::template::Missing;
use crate::dto::template::{FieldOnPage, TemplateView};
use crate::ui::components::form_state::FormState;

/// What the authors read in a section while writing (nothing when the template has no prompt).
#[component]
pub fn SectionPrompt(prompt: Option<String>) -> impl IntoView {
    prompt
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p class="prompt edit-only">{p}</p> })
}

/// The template's own fields with their values, and values of fields it no longer has (shown
/// whenever there are any, so nothing written is ever out of sight).
#[component]
pub fn CustomFieldsSection(
    template: TemplateView,
    base: String,
    prompt: Option<String>,
) -> impl IntoView {
    if template.fields.is_empty() && template.earlier.is_empty() {
        return None;
    }
    let list = |fields: Vec<FieldOnPage>| {
        view! {
            <dl class="custom-fields">
                {fields.into_iter().map(|f| {
                    let label = if f.required { format!("{} *", f.label) } else { f.label };
                    let empty = f.value.is_empty();
                    let value = if empty { "not filled".to_owned() } else { f.value };
                    view! { <div><dt>{label}</dt><dd class:muted=empty>{value}</dd></div> }
                }).collect_view()}
            </dl>
        }
    };
    let earlier = template.earlier.clone();
    Some(view! {
        <section id="custom-fields">
            <div class="section-head"><h2>"Details"</h2><a class="button small secondary edit-only" href=format!("{base}/fields")>"Edit details"</a></div>
            <SectionPrompt prompt />
            {(!template.fields.is_empty()).then(|| list(template.fields.clone()))}
            {(!earlier.is_empty()).then(|| view! {
                <div class="earlier-fields">
                    <h3>"From an earlier template"</h3>
                    <p class="muted small">"These fields are not in the template “"{template.name.clone()}"”; their values are kept."</p>
                    {list(earlier)}
                </div>
            })}
        </section>
    })
}

/// What the template requires before review that is not there yet, each linking to its place.
#[component]
pub fn MissingBeforeReview(id: i64, missing: Vec<Missing>) -> impl IntoView {
    view! {
        <div class="callout missing-before-review" id="missing">
            <p><strong>"Before submitting for review, fill in:"</strong></p>
            <ul>
                {missing.into_iter().map(|m| view! {
                    <li><a href=format!("/incidents/{id}{}", m.place)>{m.label}</a></li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The template a new incident follows, when there is more than the default one to pick from.
#[component]
pub fn TemplatePicker(form: FormState) -> impl IntoView {
    let choices = Resource::new(|| (), |_| template_choices());
    let current = form.value("template");
    let error = form.field_error("template");
    view! {
        <Suspense>
            {move || Suspend::new({
                let current = current.clone();
                async move {
                    // A retired template is not offered for new incidents.
                    let choices: Vec<_> = choices
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|c| !c.retired)
                        .collect();
                    (choices.len() > 1).then(|| view! {
                        <div class="field" class:invalid=move || error.get().is_some()>
                            <label for="f-template">"Template"</label>
                            <select id="f-template" name="template" aria-describedby="e-template">
                                {choices.into_iter().map(|c| {
                                    let value = if c.is_default { String::new() } else { c.id.to_string() };
                                    let selected = value == current;
                                    view! { <option value=value selected=selected>{c.name}</option> }
                                }).collect_view()}
                            </select>
                            <p class="hint">"Which sections and fields the postmortem has. It can be changed later without losing anything written."</p>
                            <p class="field-error" id="e-template" role="alert">{move || error.get()}</p>
                        </div>
                    })
                }
            })}
        </Suspense>
    }
}
