use chrono::FixedOffset;

use super::*;
use crate::domain::change::{ChangeForm, NewParameter, Parameter};
use crate::domain::follow_up::tests::follow_up;

fn change(id: i64, incident_id: i64, system: &str, identifier: &str, relation: &str) -> Change {
    let form = ChangeForm {
        summary: "Restarted the Java applications".into(),
        kind: "job_run".into(),
        system: system.into(),
        identifier: identifier.into(),
        relation: relation.into(),
        ..ChangeForm::default()
    };
    Change {
        id,
        incident_id,
        change: form.parse(&FixedOffset::east_opt(0).unwrap()).unwrap(),
        parameters: Vec::new(),
    }
}

fn with_parameter(mut change: Change, id: i64, name: &str, is_default: bool) -> Change {
    change.parameters.push(Parameter {
        id,
        change_id: change.id,
        version: 1,
        parameter: NewParameter {
            name: name.into(),
            value: if is_default {
                String::new()
            } else {
                "5".into()
            },
            is_default,
        },
    });
    change
}

fn targeting(id: i64, change_id: i64, parameter_id: Option<i64>, state: FollowUpState) -> FollowUp {
    let mut f = follow_up(id);
    f.follow_up.change_id = Some(change_id);
    f.follow_up.parameter_id = parameter_id;
    f.state = state;
    f
}

fn incidents() -> Vec<IncidentRef> {
    (1..=4)
        .map(|id| IncidentRef {
            id,
            title: format!("Incident {id}"),
        })
        .collect()
}

/// The worked example twice (the Jenkins job's concurrency default), a Chef change that
/// contributed once, a suspected and a ruled-out change, and an incident the reader cannot see.
fn sample() -> (Vec<Change>, Vec<FollowUp>) {
    let changes = vec![
        with_parameter(
            change(
                1,
                1,
                "Jenkins",
                "generic run-command job",
                "confirmed_trigger",
            ),
            10,
            "concurrency",
            true,
        ),
        with_parameter(
            change(
                2,
                2,
                "jenkins",
                "Generic run-command job ",
                "confirmed_trigger",
            ),
            20,
            "Concurrency",
            true,
        ),
        change(3, 2, "Chef", "app-restart cookbook", "contributing"),
        change(4, 3, "Chef", "app-restart cookbook", "suspected"),
        change(5, 3, "Terraform", "vpc", "ruled_out"),
        change(
            6,
            9,
            "Jenkins",
            "generic run-command job",
            "confirmed_trigger",
        ),
    ];
    let follow_ups = vec![
        targeting(1, 1, Some(10), FollowUpState::Verified),
        targeting(2, 2, Some(20), FollowUpState::Committed),
        targeting(3, 3, None, FollowUpState::WontDo),
    ];
    (changes, follow_ups)
}

#[test]
fn the_job_that_keeps_hurting_comes_first_with_its_story() {
    let (changes, follow_ups) = sample();
    let insights = change_insights(&changes, &incidents(), &follow_ups);
    assert_eq!(insights.len(), 2, "suspected and ruled out are left out");
    let jenkins = &insights[0];
    assert_eq!(jenkins.name(), "Jenkins · generic run-command job");
    assert_eq!(
        jenkins.triggered.iter().map(|i| i.id).collect::<Vec<_>>(),
        [1, 2],
        "incident 9 is not the reader's to see"
    );
    assert_eq!(
        jenkins.parameters,
        [ParameterInsight {
            name: "concurrency".into(),
            defaulted_in: 2,
            named_by_follow_up: true,
        }]
    );
    assert_eq!(
        jenkins.follow_ups,
        FollowUpTally {
            open: 1,
            verified: 1,
            ..FollowUpTally::default()
        }
    );
    assert_eq!(
        jenkins.sentence(),
        "Jenkins · generic run-command job: confirmed trigger in 2 incidents; the `concurrency` \
         default is the named parameter; 1 follow-up open, 1 verified"
    );
    assert_eq!(
        insights[1].sentence(),
        "Chef · app-restart cookbook: contributing factor in 1 incident; 1 follow-up won't do"
    );
}

#[test]
fn a_default_no_follow_up_names_is_still_reported() {
    let changes = vec![with_parameter(
        change(1, 1, "Chef", "", "confirmed_trigger"),
        10,
        "batch size",
        true,
    )];
    let insights = change_insights(&changes, &incidents(), &[]);
    assert_eq!(
        insights[0].sentence(),
        "Chef: confirmed trigger in 1 incident; `batch size` took its default in 1 incident; \
         no follow-up targets it"
    );
}

#[test]
fn a_new_incident_shows_the_earlier_ones_the_same_job_was_involved_in() {
    let (mut changes, follow_ups) = sample();
    let newest = change(7, 4, "JENKINS", "generic run-command job", "suspected");
    changes.push(newest.clone());
    let earlier = earlier_involvement(&newest, &changes, &incidents(), &follow_ups);
    assert_eq!(
        earlier,
        [
            EarlierIncident {
                incident: IncidentRef {
                    id: 1,
                    title: "Incident 1".into()
                },
                relation: ChangeRelation::ConfirmedTrigger,
                follow_ups: FollowUpTally {
                    verified: 1,
                    ..FollowUpTally::default()
                },
            },
            EarlierIncident {
                incident: IncidentRef {
                    id: 2,
                    title: "Incident 2".into()
                },
                relation: ChangeRelation::ConfirmedTrigger,
                follow_ups: FollowUpTally {
                    open: 1,
                    ..FollowUpTally::default()
                },
            },
        ]
    );
    assert!(
        earlier_involvement(&changes[0], &changes, &incidents(), &follow_ups).is_empty(),
        "the first incident has nothing before it"
    );
    let vpc = change(8, 4, "Terraform", "vpc", "suspected");
    assert!(
        earlier_involvement(&vpc, &changes, &incidents(), &follow_ups).is_empty(),
        "a ruled-out change was not involved"
    );
}

#[test]
fn tallies_read_as_a_phrase() {
    assert_eq!(
        FollowUpTally::default().describe(),
        "no follow-up targets it"
    );
    let tally = FollowUpTally {
        open: 2,
        done: 1,
        verified: 0,
        wont_do: 1,
    };
    assert_eq!(
        tally.describe(),
        "2 follow-ups open, 1 done, awaiting verification, 1 won't do"
    );
}
