//! Changes recorded by integrations (a CI system, a deploy tool) through the change API, before
//! anyone writes a postmortem: what was changed or run, by which system, when, and with which
//! parameters (each marked when it took its default). The same rules as a change typed into a
//! postmortem apply, with each problem named by its JSON field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ChangeForm, NewChange, NewParameter, ParameterForm};
use crate::domain::form::FieldErrors;

/// The most parameters one recorded change may carry.
pub const MAX_PARAMETERS: usize = 100;

/// A parameter as the API receives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParameterPayload {
    pub name: String,
    pub value: String,
    /// Left unset: the system's default applied (`value` may then say what it was).
    pub is_default: bool,
}

/// A change as the API receives it (JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChangePayload {
    /// A [`super::ChangeKind::as_str`]: deploy, configuration, job_run, feature_flag,
    /// infrastructure, database, manual_operation.
    pub kind: String,
    /// The system that made the change ("Jenkins").
    pub system: String,
    /// The job, commit or ticket.
    pub identifier: String,
    /// What was changed or run.
    pub summary: String,
    /// An http(s) link to it.
    pub link: String,
    /// When, as RFC 3339 ("2020-03-23T10:27:00Z").
    pub at: String,
    /// Who or what started it, by role ("deploy pipeline").
    pub started_by: String,
    pub parameters: Vec<ParameterPayload>,
}

/// A valid recorded change, ready to be kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedChange {
    /// The change (its relation to any incident is "suspected" until a team judges it).
    pub change: NewChange,
    pub parameters: Vec<NewParameter>,
}

impl ChangePayload {
    /// Checks the payload.
    ///
    /// # Errors
    /// Every problem, named by its JSON field (`summary`, `at`, `parameters[2].name`).
    pub fn parse(&self) -> Result<RecordedChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let at = match self.at.trim() {
            "" => String::new(),
            text => {
                match DateTime::parse_from_rfc3339(text) {
                    Ok(at) => at.with_timezone(&Utc).format("%Y-%m-%dT%H:%M").to_string(),
                    Err(_) => {
                        errors.add(
                        "at",
                        format!("“{text}” is not an RFC 3339 time; send it like 2020-03-23T10:27:00Z."),
                    );
                        String::new()
                    }
                }
            }
        };
        let form = ChangeForm {
            summary: self.summary.clone(),
            kind: self.kind.clone(),
            system: self.system.clone(),
            identifier: self.identifier.clone(),
            link: self.link.clone(),
            at,
            started_by: self.started_by.clone(),
            ..ChangeForm::default()
        };
        let change = form.parse(&Utc).map_err(|e| errors.0.extend(e.0)).ok();
        if self.parameters.len() > MAX_PARAMETERS {
            errors.add(
                "parameters",
                format!("Send at most {MAX_PARAMETERS} parameters with one change."),
            );
        }
        let mut parameters: Vec<NewParameter> = Vec::new();
        for (i, p) in self.parameters.iter().enumerate() {
            let form = ParameterForm {
                name: p.name.clone(),
                value: p.value.clone(),
                is_default: if p.is_default { "on" } else { "" }.to_owned(),
            };
            match form.parse() {
                Ok(parameter) => {
                    if parameters
                        .iter()
                        .any(|q| q.name.eq_ignore_ascii_case(&parameter.name))
                    {
                        errors.add(
                            &format!("parameters[{i}].name"),
                            format!(
                                "“{}” is sent twice; send each parameter once.",
                                parameter.name
                            ),
                        );
                    }
                    parameters.push(parameter);
                }
                Err(found) => {
                    for e in found.0 {
                        errors.add(&format!("parameters[{i}].{}", e.field), e.message);
                    }
                }
            }
        }
        match change {
            Some(change) if errors.is_empty() => Ok(RecordedChange { change, parameters }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::change::{ChangeKind, ChangeRelation};

    fn payload() -> ChangePayload {
        serde_json::from_str(
            r#"{
                "kind": "job_run",
                "system": "Jenkins",
                "identifier": "generic run-command job",
                "summary": "Restart the Java applications",
                "link": "https://jenkins.example.com/job/run-command/1234",
                "at": "2020-03-23T11:27:00+01:00",
                "started_by": "engineer running the change",
                "parameters": [
                    {"name": "environment", "value": "production"},
                    {"name": "concurrency", "value": "all at once", "is_default": true}
                ]
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn a_valid_payload_becomes_a_change_with_its_parameters() {
        let recorded = payload().parse().unwrap();
        let c = &recorded.change;
        assert_eq!(
            (c.kind, c.relation),
            (ChangeKind::JobRun, ChangeRelation::Suspected)
        );
        assert_eq!(c.system, "Jenkins");
        assert_eq!(
            c.time.as_ref().unwrap().at,
            DateTime::parse_from_rfc3339("2020-03-23T10:27:00Z")
                .unwrap()
                .with_timezone(&Utc)
        );
        assert_eq!(recorded.parameters.len(), 2);
        assert!(recorded.parameters[1].is_default);
    }

    #[test]
    fn every_problem_is_named_by_its_json_field() {
        let bad = ChangePayload {
            kind: "reboot".into(),
            system: String::new(),
            at: "yesterday".into(),
            link: "ftp://x".into(),
            parameters: vec![
                ParameterPayload {
                    name: String::new(),
                    value: "1".into(),
                    is_default: false,
                },
                ParameterPayload {
                    name: "a".into(),
                    value: String::new(),
                    is_default: false,
                },
                ParameterPayload {
                    name: "b".into(),
                    value: "1".into(),
                    is_default: false,
                },
                ParameterPayload {
                    name: "B".into(),
                    value: "2".into(),
                    is_default: false,
                },
            ],
            ..payload()
        };
        let errors = bad.parse().unwrap_err();
        for field in [
            "kind",
            "system",
            "at",
            "link",
            "parameters[0].name",
            "parameters[1].value",
            "parameters[3].name",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors.get("at").unwrap().contains("RFC 3339"));
    }

    #[test]
    fn unknown_fields_are_refused_rather_than_ignored() {
        let result: Result<ChangePayload, _> =
            serde_json::from_str(r#"{"system": "Chef", "sytem": "x"}"#);
        assert!(
            result
                .unwrap_err()
                .to_string()
                .contains("unknown field `sytem`")
        );
    }
}
