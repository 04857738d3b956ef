//! One mechanism for every form: where its values and errors come from.
//!
//! Values start from the record being edited (or blanks), unless a form flash for this form is
//! present (a post that failed comes back with what was typed). Errors come from that flash:
//! pages are rendered on the server only (islands mode), so a form is always a plain post and
//! its outcome always comes back as a page.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use serde::Serialize;

use crate::dto::forms::FormFlash;
use crate::error::AppError;

/// Values and errors of one form.
#[derive(Clone)]
pub struct FormState {
    values: Arc<HashMap<String, String>>,
    error: Option<Arc<AppError>>,
}

/// The HTML name of a form field: `form[title]` for the server function's `form` argument.
pub fn html_name(field: &str) -> String {
    format!("form[{field}]")
}

impl FormState {
    /// A form posting to the server function at `action_path`, starting from `initial` (a domain
    /// `…Form` struct of strings), with `flash` from a failed post.
    pub fn new<T: Serialize>(initial: &T, flash: Option<FormFlash>, action_path: &str) -> Self {
        let flash = flash.filter(|f| f.action == action_path);
        let mut values: HashMap<String, String> = match serde_json::to_value(initial) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .flat_map(|(k, v)| match v {
                    serde_json::Value::String(s) => vec![(html_name(&k), s)],
                    // A map of checkboxes (a factor's links): `form[links][c12]`.
                    serde_json::Value::Object(inner) => inner
                        .into_iter()
                        .filter_map(|(k2, v)| {
                            v.as_str()
                                .map(|s| (format!("{}[{k2}]", html_name(&k)), s.to_owned()))
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .collect(),
            _ => HashMap::new(),
        };
        // Field errors belong to the form; any other error is shown once, by the page's
        // FlashNotice, while the typed values still come back here.
        let flash_error = flash
            .as_ref()
            .map(|f| f.error.clone())
            .filter(AppError::is_about_fields);
        if let Some(flash) = flash {
            // Unchecked checkboxes are absent from a post: a flash replaces every value.
            for v in values.values_mut() {
                v.clear();
            }
            values.extend(flash.values);
        }
        FormState {
            values: Arc::new(values),
            error: flash_error.map(Arc::new),
        }
    }

    /// The starting value of a field, by its HTML name.
    pub fn value(&self, html: &str) -> String {
        self.values.get(html).cloned().unwrap_or_default()
    }

    /// The error message for a field (by its field name, e.g. `title`).
    pub fn field_error(&self, field: &'static str) -> Signal<Option<String>> {
        self.field_error_named(field.to_owned())
    }

    /// The error message for a field whose name is known only at run time (a template's own
    /// fields).
    pub fn field_error_named(&self, field: String) -> Signal<Option<String>> {
        Signal::stored(
            self.error
                .as_ref()
                .and_then(|e| e.field(&field).map(str::to_owned)),
        )
    }

    /// The other person's value of a field, after a save that conflicted with theirs.
    pub fn theirs(&self, field: &'static str) -> Signal<Option<String>> {
        Signal::stored(
            self.error
                .as_ref()
                .and_then(|e| e.theirs(field).map(str::to_owned)),
        )
    }

    /// The version a save names: the one the form was opened at or, after a conflict, the
    /// other person's, so saving again knowingly replaces theirs.
    pub fn version(&self, opened_at: i64) -> Signal<String> {
        Signal::stored(match self.error.as_deref() {
            Some(AppError::Conflict { version, .. }) => version.to_string(),
            _ => opened_at.to_string(),
        })
    }

    /// The form-wide message: a summary for validation errors, the whole message otherwise.
    pub fn message(&self) -> Signal<Option<String>> {
        Signal::stored(self.error.as_ref().map(ToString::to_string))
    }
}
