use super::*;
use crate::domain::follow_up::tests::follow_up;

fn form() -> FactorForm {
    FactorForm {
        statement: "The concurrency parameter took its high default".into(),
        category_id: "1".into(),
        role: "trigger".into(),
        accepted: String::new(),
        accepted_reason: String::new(),
        links: [("p12_34", "on"), ("c15", "on"), ("e56", "on"), ("e7", "on")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    }
}

fn factor(id: i64, role: FactorRole, accepted: Option<&str>) -> Factor {
    Factor {
        id,
        incident_id: 1,
        category: "Missing safeguard".into(),
        factor: NewFactor {
            statement: format!("factor {id}"),
            category_id: 2,
            role,
            accepted_reason: accepted.map(str::to_owned),
            changes: Vec::new(),
            timeline_entries: Vec::new(),
        },
    }
}

fn addressing(id: i64, factor_id: i64, state: FollowUpState) -> FollowUp {
    let mut f = follow_up(id);
    f.follow_up.factor_id = Some(factor_id);
    f.follow_up.title = format!("follow-up {id}");
    f.state = state;
    f
}

#[test]
fn a_valid_form_becomes_a_factor_and_reads_back_the_same() {
    let factor = form().parse().expect("valid");
    assert_eq!(factor.role, FactorRole::Trigger);
    assert_eq!(factor.category_id, 1);
    assert_eq!(
        factor.changes,
        [
            ChangeLink {
                change_id: 12,
                parameter_id: Some(34)
            },
            ChangeLink {
                change_id: 15,
                parameter_id: None
            }
        ]
    );
    assert_eq!(
        factor.timeline_entries,
        [7, 56],
        "in order, not as the keys sort"
    );
    assert_eq!(factor.accepted_reason, None);
    assert_eq!(FactorForm::from_factor(&factor), form());
}

#[test]
fn a_factor_needs_a_statement_a_category_and_a_role() {
    let errors = FactorForm {
        statement: "  ".into(),
        category_id: String::new(),
        role: "culprit".into(),
        ..form()
    }
    .parse()
    .unwrap_err();
    assert!(errors.get("statement").unwrap().contains("required"));
    assert_eq!(errors.get("category_id"), Some("Choose a category."));
    assert!(errors.get("role").is_some());
}

#[test]
fn a_statement_is_short() {
    let errors = FactorForm {
        statement: "x".repeat(MAX_STATEMENT_CHARS + 1),
        ..form()
    }
    .parse()
    .unwrap_err();
    assert!(errors.get("statement").is_some());
}

#[test]
fn a_factor_links_to_several_changes_parameters_and_entries_each_once() {
    let factor = FactorForm {
        links: [
            ("c3", "on"),
            ("p3_9", "on"),
            ("c3 ", ""),
            ("e4", "on"),
            ("e5", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        ..form()
    }
    .parse()
    .expect("valid");
    assert_eq!(
        factor.changes.len(),
        2,
        "the change and one of its parameters"
    );
    assert_eq!(factor.timeline_entries, [4], "an unticked box is no link");
    assert_eq!(
        factor.links_described(),
        "change 3, parameter 9 of change 3, timeline entry 4"
    );
}

#[test]
fn a_link_that_names_nothing_is_refused_under_links() {
    for key in ["x1", "c0", "p3", "p_4", "e-2", "c1_2"] {
        let errors = FactorForm {
            links: [(key.to_owned(), "on".to_owned())].into_iter().collect(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert!(errors.get("links").is_some(), "{key}");
    }
}

#[test]
fn a_link_key_reads_back_as_the_same_link() {
    for link in [
        LinkRef::Change(ChangeLink {
            change_id: 12,
            parameter_id: None,
        }),
        LinkRef::Change(ChangeLink {
            change_id: 12,
            parameter_id: Some(34),
        }),
        LinkRef::Entry(56),
    ] {
        assert_eq!(LinkRef::parse(&link_key(link)), Some(link));
    }
}

#[test]
fn accepting_with_no_action_needs_a_reason_and_a_reason_alone_accepts_nothing() {
    let errors = FactorForm {
        accepted: "on".into(),
        ..form()
    }
    .parse()
    .unwrap_err();
    assert!(errors.get("accepted_reason").unwrap().contains("required"));
    let accepted = FactorForm {
        accepted: "on".into(),
        accepted_reason: "It is how the job is meant to be used.".into(),
        ..form()
    }
    .parse()
    .expect("valid");
    assert_eq!(
        accepted.accepted_reason.as_deref(),
        Some("It is how the job is meant to be used.")
    );
    let not_ticked = FactorForm {
        accepted_reason: "typed, not ticked".into(),
        ..form()
    }
    .parse()
    .expect("valid");
    assert_eq!(not_ticked.accepted_reason, None);
}

#[test]
fn the_check_holds_when_every_factor_is_addressed_or_accepted() {
    let factors = [
        factor(1, FactorRole::Condition, None),
        factor(2, FactorRole::Trigger, None),
        factor(
            3,
            FactorRole::Condition,
            Some("Sensible for its usual use."),
        ),
    ];
    let follow_ups = [
        addressing(10, 1, FollowUpState::Committed),
        addressing(11, 2, FollowUpState::Done),
    ];
    let found = check(&factors, &follow_ups);
    assert!(found.holds());
    assert_eq!(found.refusal(), None);
    assert_eq!(found.factors[0].factor_id, 2, "the trigger comes first");
    assert_eq!(
        found.factors[2].standing,
        Standing::Accepted("Sensible for its usual use.".into())
    );
}

#[test]
fn the_check_fails_on_a_factor_nothing_addresses_or_only_a_follow_up_given_up() {
    let factors = [
        factor(1, FactorRole::Condition, None),
        factor(2, FactorRole::Trigger, None),
    ];
    let follow_ups = [addressing(10, 1, FollowUpState::WontDo)];
    let found = check(&factors, &follow_ups);
    assert!(!found.holds());
    assert_eq!(found.unaddressed().count(), 2);
    let refusal = found.refusal().expect("a refusal");
    assert!(
        refusal.contains("“factor 1”") && refusal.contains("“factor 2”"),
        "{refusal}"
    );
}

#[test]
fn no_factor_is_nothing_to_fail_on() {
    let found = check(&[], &[]);
    assert!(found.holds() && found.is_empty());
}

#[test]
fn a_rollup_reads_as_a_sentence() {
    let rollup = FactorRollup {
        category: "Missing safeguard".into(),
        system: None,
        incidents_total: 3,
        incidents: Vec::new(),
        statements: Vec::new(),
        follow_ups: FollowUpTally {
            open: 1,
            ..FollowUpTally::default()
        },
    };
    assert_eq!(
        rollup.sentence(),
        "Missing safeguard: 3 incidents, 1 follow-up open"
    );
    let none = FactorRollup {
        system: Some("Jenkins".into()),
        incidents_total: 1,
        follow_ups: FollowUpTally::default(),
        ..rollup
    };
    assert_eq!(
        none.sentence(),
        "Missing safeguard in Jenkins: 1 incident, no follow-up addresses it"
    );
}

#[test]
fn a_recurrence_names_the_category_and_the_systems() {
    let r = Recurrence {
        category: "Missing safeguard".into(),
        incidents: Vec::new(),
        total: 2,
        same_system: true,
    };
    assert_eq!(
        r.sentence(&["Jenkins".into()]),
        "Missing safeguard has contributed to 2 other incidents of Jenkins:"
    );
}

#[test]
fn a_category_needs_a_name() {
    assert!(CategoryForm { name: " ".into() }.parse().is_err());
    assert_eq!(
        CategoryForm {
            name: " Recovery ".into()
        }
        .parse(),
        Ok("Recovery".into())
    );
}

#[test]
fn a_factor_published_before_it_had_several_links_reads_its_one_change_and_entry() {
    let old = r#"{"statement":"High default","category_id":1,"role":"trigger",
        "change_id":12,"parameter_id":34,"timeline_entry_id":56,"accepted_reason":null}"#;
    let factor: NewFactor = serde_json::from_str(old).expect("it reads");
    assert_eq!(
        factor.changes,
        [ChangeLink {
            change_id: 12,
            parameter_id: Some(34)
        }]
    );
    assert_eq!(factor.timeline_entries, [56]);
    let new = serde_json::to_string(&factor).expect("json");
    assert!(
        !new.contains("change_id\":12,\"parameter_id\":34,\"timeline"),
        "{new}"
    );
    assert_eq!(
        serde_json::from_str::<NewFactor>(&new).expect("reads"),
        factor
    );
}
