//! Changes and their parameters: the change and parameter forms, and the change API's JSON.

use proptest::collection::vec;
use proptest::prelude::*;

use super::strategies::{change_at, hostile, offset_minutes, parameter, parameters, zone};
use super::{assert_fields_within, config};
use crate::domain::change::{
    ChangeForm, ChangePayload, ChangeRelation, NewChange, NewParameter, ParameterForm,
    ParameterPayload,
};
use crate::domain::time::{Precision, RecordedTime};

const CHANGE_FIELDS: &[&str] = &[
    "summary",
    "kind",
    "system",
    "identifier",
    "link",
    "at",
    "until",
    "precision",
    "started_by",
    "plan",
    "reviewer",
    "relation",
    "rationale",
];

fn any_parameter_form() -> impl Strategy<Value = ParameterForm> {
    (hostile(), hostile(), hostile()).prop_map(|(name, value, is_default)| ParameterForm {
        name,
        value,
        is_default,
    })
}

fn any_change_form() -> impl Strategy<Value = ChangeForm> {
    (
        (
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
        ),
        (
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
        ),
    )
        .prop_map(
            |(
                (summary, kind, system, identifier, link, at, until),
                (precision, started_by, plan, reviewer, relation, rationale),
            )| ChangeForm {
                summary,
                kind,
                system,
                identifier,
                link,
                at,
                until,
                precision,
                started_by,
                plan,
                reviewer,
                relation,
                rationale,
            },
        )
}

fn any_payload() -> impl Strategy<Value = ChangePayload> {
    (
        (
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
            hostile(),
        ),
        vec(
            (hostile(), hostile(), any::<bool>()).prop_map(|(name, value, is_default)| {
                ParameterPayload {
                    name,
                    value,
                    is_default,
                }
            }),
            0..4,
        ),
    )
        .prop_map(
            |((kind, system, identifier, summary, link, at, started_by), parameters)| {
                ChangePayload {
                    kind,
                    system,
                    identifier,
                    summary,
                    link,
                    at,
                    started_by,
                    parameters,
                }
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_parameter_form_never_panics_and_names_its_fields(form in any_parameter_form()) {
        if let Err(errors) = form.parse() {
            prop_assert!(!errors.is_empty());
            assert_fields_within(&errors, &["name", "value", "is_default"]);
        }
    }

    #[test]
    fn a_parameter_reads_back_from_its_edit_form(p in parameter()) {
        prop_assert_eq!(ParameterForm::from_parameter(&p).parse(), Ok(p));
    }

    #[test]
    fn any_change_form_in_any_zone_never_panics_and_names_its_fields(
        form in any_change_form(),
        offset in offset_minutes(),
    ) {
        if let Err(errors) = form.parse(&zone(offset)) {
            prop_assert!(!errors.is_empty());
            assert_fields_within(&errors, CHANGE_FIELDS);
        }
    }

    #[test]
    fn a_change_reads_back_from_its_edit_form(
        (offset, change) in offset_minutes().prop_flat_map(|o| (Just(o), change_at(o))),
    ) {
        let clocks = zone(offset);
        prop_assert_eq!(ChangeForm::from_change(&change, &clocks).parse(&clocks), Ok(change));
    }

    #[test]
    fn any_change_api_payload_never_panics_and_names_its_json_fields(payload in any_payload()) {
        if let Err(errors) = payload.parse() {
            prop_assert!(!errors.is_empty());
            let mut fields: Vec<String> = [
                "kind", "system", "identifier", "summary", "link", "at", "started_by", "parameters",
            ]
            .map(str::to_owned)
            .to_vec();
            for i in 0..payload.parameters.len() {
                fields.push(format!("parameters[{i}].name"));
                fields.push(format!("parameters[{i}].value"));
            }
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            assert_fields_within(&errors, &fields);
        }
    }

    #[test]
    fn a_recorded_change_reads_back_from_its_json(
        change in change_at(0).prop_map(|c| NewChange {
            // What the API has no field for takes the form's defaults; its times are UTC minutes.
            plan: String::new(),
            reviewer: String::new(),
            rationale_md: String::new(),
            relation: ChangeRelation::Suspected,
            time: c.time.and_then(|t| RecordedTime::new(t.at, None, Precision::Minute, 0).ok()),
            ..c
        }),
        parameters in parameters(),
    ) {
        let payload = ChangePayload {
            kind: change.kind.as_str().to_owned(),
            system: change.system.clone(),
            identifier: change.identifier.clone(),
            summary: change.summary.clone(),
            link: change.link.clone().unwrap_or_default(),
            at: change.time.map(|t| t.at.to_rfc3339()).unwrap_or_default(),
            started_by: change.started_by.clone(),
            parameters: parameters
                .iter()
                .map(|p: &NewParameter| ParameterPayload {
                    name: p.name.clone(),
                    value: p.value.clone(),
                    is_default: p.is_default,
                })
                .collect(),
        };
        let json = serde_json::to_string(&payload).expect("serialises");
        let read: ChangePayload = serde_json::from_str(&json).expect("reads back");
        let recorded = read.parse().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(recorded.change, change);
        prop_assert_eq!(recorded.parameters, parameters);
    }
}
