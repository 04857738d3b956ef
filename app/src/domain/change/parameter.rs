//! The parameters a change ran with, each marked when it was left unset and took the system's
//! default: the commonest hidden trigger of an incident.

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, checkbox, optional_text, required_text,
};

/// The parameter form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParameterForm {
    /// The parameter's name; required.
    pub name: String,
    /// The value it ran with; may be empty only when it took the default.
    pub value: String,
    /// Checkbox: left unset, took the default.
    pub is_default: String,
}

/// A valid parameter of a change, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewParameter {
    /// The parameter's name ("concurrency").
    pub name: String,
    /// The value it ran with; when it took the default, what that default was, if known.
    pub value: String,
    /// Whether it was left unset and took the system's default.
    pub is_default: bool,
}

impl ParameterForm {
    /// Checks the form.
    ///
    /// # Errors
    /// Under `name` when it is empty; under `value` when it is empty and the parameter did not
    /// take the default.
    pub fn parse(&self) -> Result<NewParameter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let is_default = checkbox(&self.is_default);
        let name = errors.check(
            "name",
            required_text(&self.name, "Parameter name", MAX_SHORT_TEXT_CHARS),
        );
        let value = errors.check(
            "value",
            optional_text(&self.value, "Value", MAX_MARKDOWN_CHARS),
        );
        if value.as_ref().is_some_and(String::is_empty) && !is_default {
            errors.add(
                "value",
                "Enter the value it ran with, or tick “left unset, took the default”.",
            );
        }
        match (name, value) {
            (Some(name), Some(value)) if errors.is_empty() => Ok(NewParameter {
                name,
                value,
                is_default,
            }),
            _ => Err(errors),
        }
    }

    /// The form for editing `parameter`.
    pub fn from_parameter(parameter: &NewParameter) -> Self {
        Self {
            name: parameter.name.clone(),
            value: parameter.value.clone(),
            is_default: if parameter.is_default { "on" } else { "" }.to_owned(),
        }
    }
}

impl NewParameter {
    /// One line for the postmortem: "concurrency = 1", or "concurrency = (unset) — took the
    /// system default" (followed by the default in brackets when it is known).
    pub fn describe(&self) -> String {
        match (self.is_default, self.value.is_empty()) {
            (true, true) => format!("{} = (unset) — took the system default", self.name),
            (true, false) => format!(
                "{} = (unset) — took the system default ({})",
                self.name, self.value
            ),
            (false, _) => format!("{} = {}", self.name, self.value),
        }
    }
}

/// A stored parameter of a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    /// Its database id.
    pub id: i64,
    /// The change it belongs to.
    pub change_id: i64,
    /// How many times it has been saved (a save names the version it started from).
    pub version: i64,
    /// The parameter.
    pub parameter: NewParameter,
}

impl Parameter {
    /// See [`NewParameter::describe`].
    pub fn describe(&self) -> String {
        self.parameter.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameter(id: i64, name: &str, value: &str, is_default: bool) -> Parameter {
        Parameter {
            version: 1,
            id,
            change_id: 1,
            parameter: NewParameter {
                name: name.into(),
                value: value.into(),
                is_default,
            },
        }
    }

    #[test]
    fn a_parameter_needs_a_value_unless_it_took_the_default() {
        let unset = ParameterForm {
            name: "concurrency".into(),
            value: String::new(),
            is_default: String::new(),
        };
        assert_eq!(
            unset.parse().unwrap_err().get("value"),
            Some("Enter the value it ran with, or tick “left unset, took the default”.")
        );
        let defaulted = ParameterForm {
            is_default: "on".into(),
            ..unset.clone()
        };
        assert_eq!(
            defaulted.parse(),
            Ok(NewParameter {
                name: "concurrency".into(),
                value: String::new(),
                is_default: true,
            })
        );
        let set = ParameterForm {
            value: " 1 ".into(),
            ..unset
        };
        assert_eq!(set.parse().unwrap().value, "1");
    }

    #[test]
    fn a_parameter_needs_a_name() {
        let errors = ParameterForm {
            name: " ".into(),
            value: "production".into(),
            is_default: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("name"), Some("Parameter name is required."));
        assert_eq!(errors.0.len(), 1);
    }

    #[test]
    fn the_parameter_edit_form_reads_back_the_same_parameter() {
        for p in [
            parameter(1, "concurrency", "", true),
            parameter(2, "environment", "production", false),
        ] {
            assert_eq!(
                ParameterForm::from_parameter(&p.parameter).parse(),
                Ok(p.parameter)
            );
        }
    }

    #[test]
    fn parameters_say_when_they_took_the_default() {
        assert_eq!(
            parameter(1, "concurrency", "", true).describe(),
            "concurrency = (unset) — took the system default"
        );
        assert_eq!(
            parameter(1, "concurrency", "1", false).describe(),
            "concurrency = 1"
        );
        assert_eq!(
            parameter(1, "concurrency", "100", true).describe(),
            "concurrency = (unset) — took the system default (100)"
        );
    }
}
