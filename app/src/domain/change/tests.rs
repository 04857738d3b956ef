use super::*;
use crate::domain::time::tests::{approx, range};
use chrono::FixedOffset;

fn utc0() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

fn form() -> ChangeForm {
    ChangeForm {
        summary: "Restarted the Java applications".into(),
        kind: "job_run".into(),
        system: "Jenkins".into(),
        identifier: "generic run-command job".into(),
        link: "https://jenkins.example.com/job/run-command/1234".into(),
        at: "2020-03-23T10:27".into(),
        precision: "approximate".into(),
        started_by: "engineer running the change".into(),
        plan: "Deploy with Chef; run chef-client; restart in sequence".into(),
        reviewer: "senior engineer, not involved in the change".into(),
        relation: "confirmed_trigger".into(),
        rationale: "Concurrency was left unset.".into(),
        ..ChangeForm::default()
    }
}

#[test]
fn a_follow_up_target_is_named_by_system_identifier_and_parameter() {
    let mut change = Change {
        id: 1,
        incident_id: 1,
        change: form().parse(&utc0()).unwrap(),
        parameters: vec![
            Parameter {
                version: 1,
                id: 10,
                change_id: 1,
                parameter: NewParameter {
                    name: "concurrency".into(),
                    value: String::new(),
                    is_default: true,
                },
            },
            Parameter {
                version: 1,
                id: 11,
                change_id: 1,
                parameter: NewParameter {
                    name: "environment".into(),
                    value: "production".into(),
                    is_default: false,
                },
            },
        ],
    };
    assert_eq!(
        change.target_label(None),
        "Jenkins · generic run-command job"
    );
    assert_eq!(
        change.target_label(Some(10)),
        "Jenkins · generic run-command job — parameter concurrency, took the default"
    );
    assert_eq!(
        change.target_label(Some(11)),
        "Jenkins · generic run-command job — parameter environment"
    );
    assert_eq!(
        change.target_label(Some(99)),
        "Jenkins · generic run-command job"
    );
    change.change.identifier.clear();
    assert_eq!(change.name(), "Jenkins: Restarted the Java applications");
}

#[test]
fn a_parameter_name_may_be_used_once_per_change_ignoring_case() {
    let stored = |id, name: &str| Parameter {
        version: 1,
        id,
        change_id: 1,
        parameter: NewParameter {
            name: name.into(),
            value: "1".into(),
            is_default: false,
        },
    };
    let change = Change {
        id: 1,
        incident_id: 1,
        change: form().parse(&utc0()).unwrap(),
        parameters: vec![stored(10, "concurrency"), stored(11, "timeout")],
    };
    let renamed = |name: &str| NewParameter {
        name: name.into(),
        value: "2".into(),
        is_default: true,
    };
    let error = change
        .check_parameter_name(&renamed("Concurrency"), None)
        .unwrap_err();
    assert_eq!(
        error.get("name"),
        Some("This change already has a parameter named \"Concurrency\".")
    );
    assert!(
        change
            .check_parameter_name(&renamed("Concurrency"), Some(10))
            .is_ok()
    );
    assert!(
        change
            .check_parameter_name(&renamed("timeout"), Some(10))
            .is_err()
    );
    assert!(
        change
            .check_parameter_name(&renamed("retries"), None)
            .is_ok()
    );
}

#[test]
fn kinds_and_relations_have_stable_names() {
    assert_eq!(
        ChangeKind::ALL.map(ChangeKind::as_str),
        [
            "deploy",
            "configuration",
            "job_run",
            "feature_flag",
            "infrastructure",
            "database",
            "manual_operation"
        ]
    );
    assert_eq!(
        ChangeRelation::ALL.map(ChangeRelation::label),
        [
            "Suspected",
            "Confirmed trigger",
            "Contributing factor",
            "Ruled out"
        ]
    );
    for relation in ChangeRelation::ALL {
        assert_eq!(ChangeRelation::parse(relation.as_str()), Some(relation));
    }
}

#[test]
fn a_valid_form_becomes_a_change() {
    let change = form().parse(&utc0()).unwrap();
    assert_eq!(change.kind, ChangeKind::JobRun);
    assert_eq!(change.relation, ChangeRelation::ConfirmedTrigger);
    assert_eq!(change.time, Some(approx(10, 27)));
    assert_eq!(
        change.link.as_deref(),
        Some("https://jenkins.example.com/job/run-command/1234")
    );
    assert_eq!(change.rationale_md, "Concurrency was left unset.");
}

#[test]
fn the_time_link_and_relation_may_be_left_empty() {
    let change = ChangeForm {
        at: String::new(),
        link: "  ".into(),
        relation: String::new(),
        ..form()
    }
    .parse(&utc0())
    .unwrap();
    assert_eq!(change.time, None);
    assert_eq!(change.link, None);
    assert_eq!(change.relation, ChangeRelation::Suspected);
}

#[test]
fn form_errors_are_keyed_by_field() {
    let errors = ChangeForm {
        summary: String::new(),
        kind: "restart".into(),
        system: " ".into(),
        link: "javascript:alert(1)".into(),
        at: "2020-03-23T10:27".into(),
        precision: "range".into(),
        relation: "caused".into(),
        ..form()
    }
    .parse(&utc0())
    .unwrap_err();
    assert_eq!(
        errors.get("summary"),
        Some("What was changed or run is required.")
    );
    assert!(
        errors
            .get("kind")
            .unwrap()
            .contains("“restart” is not a kind of change")
    );
    assert_eq!(errors.get("system"), Some("System is required."));
    assert_eq!(
        errors.get("link"),
        Some("A link must start with http:// or https://.")
    );
    assert!(
        errors
            .get("until")
            .unwrap()
            .contains("A range needs an end")
    );
    assert!(
        errors
            .get("relation")
            .unwrap()
            .contains("Confirmed trigger")
    );
    assert_eq!(errors.0.len(), 6);
}

#[test]
fn only_whole_http_links_are_accepted() {
    for link in ["http://example.com", "HTTPS://example.com/a?b=c"] {
        assert_eq!(parse_link(link), Ok(Some(link.to_owned())));
    }
    for link in ["ftp://example.com", "example.com", "data:text/html,hi"] {
        assert_eq!(
            parse_link(link),
            Err("A link must start with http:// or https://.".into())
        );
    }
    for link in ["https://", "https://example.com/a b"] {
        assert!(parse_link(link).unwrap_err().contains("incomplete"));
    }
}

#[test]
fn the_edit_form_reads_back_the_same_change() {
    let change = form().parse(&utc0()).unwrap();
    assert_eq!(
        ChangeForm::from_change(&change, &utc0()).parse(&utc0()),
        Ok(change.clone())
    );
    let ranged = NewChange {
        time: Some(range((10, 20), (10, 27))),
        link: None,
        ..change
    };
    let edit = ChangeForm::from_change(&ranged, &utc0());
    assert_eq!(edit.until, "2020-03-23T10:27");
    assert_eq!(edit.parse(&utc0()), Ok(ranged));
    let timeless = NewChange {
        time: None,
        ..form().parse(&utc0()).unwrap()
    };
    let edit = ChangeForm::from_change(&timeless, &utc0());
    assert_eq!((edit.at.as_str(), edit.precision.as_str()), ("", ""));
    assert_eq!(edit.parse(&utc0()), Ok(timeless));
}

#[test]
fn defaulted_parameters_are_picked_out() {
    let change = Change {
        id: 1,
        incident_id: 1,
        change: form().parse(&utc0()).unwrap(),
        parameters: [
            ("environment", "production", false),
            ("concurrency", "", true),
            ("timeout", "", true),
        ]
        .into_iter()
        .zip(1..)
        .map(|((name, value, is_default), id)| Parameter {
            version: 1,
            id,
            change_id: 1,
            parameter: NewParameter {
                name: name.into(),
                value: value.into(),
                is_default,
            },
        })
        .collect(),
    };
    let ids: Vec<i64> = change.defaulted_parameters().map(|p| p.id).collect();
    assert_eq!(ids, [2, 3]);
}

#[test]
fn a_blank_change_filled_with_its_required_text_is_a_suspected_job_run() {
    let form = ChangeForm {
        summary: "Restarted the Java applications".into(),
        system: "Jenkins".into(),
        at: "2020-03-23T10:27".into(),
        ..ChangeForm::blank()
    };
    let change = form.parse(&utc0()).unwrap();
    assert_eq!(change.kind, ChangeKind::JobRun);
    assert_eq!(change.relation, ChangeRelation::Suspected);
    assert_eq!(
        change.time.map(|t| t.precision),
        Some(crate::domain::time::Precision::Minute)
    );
}
