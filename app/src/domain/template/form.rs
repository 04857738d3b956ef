//! The forms of templates: the admin's template form and an incident's field values form, both
//! plain maps of the strings an HTML form sends (their fields depend on the template).
//!
//! Template form fields: `name`; per section `{key}_shown`, `{key}_required`, `{key}_order`,
//! `{key}_prompt`; per custom field row `i` (from 0) `field{i}_key`, `field{i}_label`,
//! `field{i}_kind`, `field{i}_options` (one per line), `field{i}_required`, `field{i}_prompt`
//! and `field{i}_remove`. A row with neither key nor label is left out (a blank row for a new
//! field, or one cleared to remove it).

use std::collections::BTreeMap;

use super::{
    CustomField, Definition, FieldKind, MAX_FIELD_KEY_CHARS, MAX_FIELDS, SectionKey, SectionSetting,
};
use crate::domain::form::{
    FieldErrors, MAX_SHORT_TEXT_CHARS, MAX_TITLE_CHARS, checkbox, optional_text, required_text,
};

/// The template form as the browser sends it, by field name.
pub type TemplateForm = BTreeMap<String, String>;

/// An incident's field values as the browser sends them, by field key.
pub type FieldValuesForm = BTreeMap<String, String>;

/// Longest prompt, in characters.
const MAX_PROMPT_CHARS: usize = 1_000;
/// Most choices a choice field may have.
const MAX_OPTIONS: usize = 50;

/// How many custom field rows the form shows: every row it holds, and two blank ones.
pub fn template_form_rows(form: &TemplateForm) -> usize {
    let held = (0..MAX_FIELDS)
        .rev()
        .find(|i| {
            ["key", "label"].iter().any(|part| {
                form.get(&format!("field{i}_{part}"))
                    .is_some_and(|v| !v.trim().is_empty())
            })
        })
        .map_or(0, |i| i + 1);
    (held + 2).min(MAX_FIELDS)
}

/// The form that edits a template named `name`.
pub fn template_form(name: &str, definition: &Definition) -> TemplateForm {
    let mut form = TemplateForm::new();
    form.insert("name".to_owned(), name.to_owned());
    for (i, s) in definition.sections.iter().enumerate() {
        let k = s.key.as_str();
        if s.shown {
            form.insert(format!("{k}_shown"), "on".to_owned());
        }
        if s.required {
            form.insert(format!("{k}_required"), "on".to_owned());
        }
        form.insert(format!("{k}_order"), (i + 1).to_string());
        form.insert(format!("{k}_prompt"), s.prompt.clone());
    }
    for (i, f) in definition.fields.iter().enumerate() {
        form.insert(format!("field{i}_key"), f.key.clone());
        form.insert(format!("field{i}_label"), f.label.clone());
        form.insert(format!("field{i}_kind"), f.kind.as_str().to_owned());
        form.insert(format!("field{i}_options"), f.options.join("\n"));
        if f.required {
            form.insert(format!("field{i}_required"), "on".to_owned());
        }
        form.insert(format!("field{i}_prompt"), f.prompt.clone());
    }
    form
}

/// A key made of a label: "Customer region" → `customer_region`.
pub fn key_from_label(label: &str) -> String {
    let mut key = String::new();
    for c in label.trim().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_');
    let key = if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("f_{key}")
    } else {
        key.to_owned()
    };
    key.chars().take(MAX_FIELD_KEY_CHARS).collect()
}

pub(super) fn check_key(key: &str) -> Result<(), String> {
    let valid = key.len() <= MAX_FIELD_KEY_CHARS
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "A key is up to {MAX_FIELD_KEY_CHARS} lowercase letters, digits and “_”, starting with a letter (such as customer_region)."
        ))
    }
}

/// Reads the template form: its name and definition.
///
/// # Errors
/// Every problem, each under the field to correct.
pub fn parse_template_form(form: &TemplateForm) -> Result<(String, Definition), FieldErrors> {
    let get = |name: &str| form.get(name).map_or("", String::as_str);
    let mut errors = FieldErrors::new();
    let name = errors
        .check("name", required_text(get("name"), "Name", MAX_TITLE_CHARS))
        .unwrap_or_default();
    let mut sections: Vec<(i64, usize, SectionSetting)> = Vec::new();
    for (default_place, key) in SectionKey::ALL.into_iter().enumerate() {
        let k = key.as_str();
        let shown = checkbox(get(&format!("{k}_shown")));
        let required = checkbox(get(&format!("{k}_required")));
        if required && !key.can_be_required() {
            errors.add(
                &format!("{k}_required"),
                "This section cannot be required as a whole: make its fields required instead.",
            );
        } else if required && !shown {
            errors.add(
                &format!("{k}_required"),
                "A hidden section cannot be required: show it, or untick “required”.",
            );
        }
        let order_text = get(&format!("{k}_order")).trim();
        let order = if order_text.is_empty() {
            i64::try_from(default_place + 1).unwrap_or_default()
        } else {
            match order_text.parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    errors.add(
                        &format!("{k}_order"),
                        "The order is a whole number: sections are shown from the lowest.",
                    );
                    0
                }
            }
        };
        let prompt = errors
            .check(
                &format!("{k}_prompt"),
                optional_text(get(&format!("{k}_prompt")), "The prompt", MAX_PROMPT_CHARS),
            )
            .unwrap_or_default();
        sections.push((
            order,
            default_place,
            SectionSetting {
                key,
                shown,
                required,
                prompt,
            },
        ));
    }
    sections.sort_by_key(|(order, place, _)| (*order, *place));
    let mut fields: Vec<CustomField> = Vec::new();
    for i in 0..MAX_FIELDS {
        let field = |part: &str| format!("field{i}_{part}");
        let label_text = get(&field("label")).trim();
        let key_text = get(&field("key")).trim();
        if (label_text.is_empty() && key_text.is_empty()) || checkbox(get(&field("remove"))) {
            continue;
        }
        let label = errors
            .check(
                &field("label"),
                required_text(label_text, "The label", MAX_SHORT_TEXT_CHARS),
            )
            .unwrap_or_default();
        let key = if key_text.is_empty() {
            key_from_label(&label)
        } else {
            key_text.to_owned()
        };
        if errors.check(&field("key"), check_key(&key)).is_some()
            && fields.iter().any(|f| f.key == key)
        {
            errors.add(
                &field("key"),
                format!("Another field already has the key “{key}”: each needs its own."),
            );
        }
        let kind = match FieldKind::parse(get(&field("kind"))) {
            Some(kind) => kind,
            None => {
                errors.add(&field("kind"), "Choose text, number, choice or date.");
                FieldKind::Text
            }
        };
        let mut options: Vec<String> = Vec::new();
        for line in get(&field("options")).lines().map(str::trim) {
            if !line.is_empty() && !options.iter().any(|o| o == line) {
                options.push(line.to_owned());
            }
        }
        if kind == FieldKind::Choice {
            if options.is_empty() {
                errors.add(
                    &field("options"),
                    "A choice field needs its choices, one per line.",
                );
            } else if options.len() > MAX_OPTIONS
                || options
                    .iter()
                    .any(|o| o.chars().count() > MAX_SHORT_TEXT_CHARS)
            {
                errors.add(
                    &field("options"),
                    format!(
                        "At most {MAX_OPTIONS} choices of at most {MAX_SHORT_TEXT_CHARS} characters each."
                    ),
                );
            }
        } else {
            options.clear();
        }
        let prompt = errors
            .check(
                &field("prompt"),
                optional_text(get(&field("prompt")), "The prompt", MAX_PROMPT_CHARS),
            )
            .unwrap_or_default();
        fields.push(CustomField {
            key,
            label,
            kind,
            options,
            required: checkbox(get(&field("required"))),
            prompt,
        });
    }
    errors.into_result((
        name,
        Definition {
            sections: sections.into_iter().map(|(_, _, s)| s).collect(),
            fields,
        },
    ))
}
