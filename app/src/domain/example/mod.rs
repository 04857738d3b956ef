//! The worked example: a real, public postmortem (customer logins failing for about a minute
//! after a restart job ran with its concurrency left at a high default), retold in our own
//! words as domain values. It is the demo data and an acceptance test: every value in it
//! passes the same rules as values entered through the forms. The facts themselves are in `story`.

mod earlier;
mod factors;
mod story;

pub use earlier::{EarlierAttempt, REVIEW_GROUP};
pub use factors::ExampleFactor;

use serde::{Deserialize, Serialize};

use crate::domain::change::{NewChange, NewParameter};
use crate::domain::follow_up::{FollowUpState, NewFollowUp};
use crate::domain::impact::NewImpactFigure;
use crate::domain::incident::{Lessons, NewIncident};
use crate::domain::timeline::NewTimelineEntry;

/// A whole postmortem, before anything is stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkedExample {
    /// The incident, with its milestones.
    pub incident: NewIncident,
    /// What went well, what went wrong, where the team got lucky.
    pub lessons: Lessons,
    /// What happened, in time order.
    pub timeline: Vec<NewTimelineEntry>,
    /// How bad it was.
    pub impact: Vec<NewImpactFigure>,
    /// The change that set it off.
    pub change: NewChange,
    /// The parameters that change ran with.
    pub parameters: Vec<NewParameter>,
    /// What the team will do about it.
    pub follow_ups: Vec<ExampleFollowUp>,
    /// What let the change have impact, each addressed by a follow-up or accepted.
    #[serde(default)]
    pub factors: Vec<ExampleFactor>,
    /// The first attempt at the same change (an incident of its own, without customer impact),
    /// which this one is linked to.
    pub earlier: EarlierAttempt,
}

/// A follow-up of the worked example, with its targets named rather than given as ids (the
/// change and its parameters have no ids until they are stored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExampleFollowUp {
    /// The follow-up; its `change_id` and `parameter_id` are `None`.
    pub follow_up: NewFollowUp,
    /// The name of the parameter of [`WorkedExample::change`] it addresses.
    pub targets_parameter: Option<String>,
    /// Whether it addresses [`WorkedExample::change`].
    pub targets_change: bool,
    /// Where it is in its life.
    pub state: FollowUpState,
}

/// The worked example, built fresh on each call.
///
/// # Errors
/// When a date of the story cannot be built (it cannot happen for the fixed dates it uses; it is
/// an error rather than a panic because loading the example is a request like any other).
pub fn worked_example() -> Result<WorkedExample, story::Untold> {
    Ok(WorkedExample {
        incident: story::incident()?,
        lessons: story::lessons(),
        timeline: story::timeline()?,
        impact: story::impact(),
        change: story::change()?,
        parameters: story::parameters(),
        follow_ups: story::follow_ups(),
        factors: factors::factors(),
        earlier: earlier::earlier_attempt()?,
    })
}

#[cfg(test)]
mod tests {
    use super::story::march_2020;
    use super::*;
    use crate::domain::change::ChangeRelation;
    use crate::domain::change::{ChangeForm, ParameterForm};
    use crate::domain::follow_up::ActionType;
    use crate::domain::follow_up::{FollowUp, FollowUpForm};
    use crate::domain::impact::ImpactForm;
    use crate::domain::incident::{IncidentForm, LessonsForm};
    use crate::domain::time::t_offset;
    use crate::domain::timeline::Marker;
    use crate::domain::timeline::{TimelineEntry, TimelineForm, sort_entries};
    use chrono::FixedOffset;

    fn uk() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn the_milestones_are_in_order_and_about_a_minute_apart() {
        let milestones = worked_example()
            .expect("the worked example")
            .incident
            .milestones;
        assert_eq!(milestones.check_order(), Ok(()));
        assert_eq!(milestones.time_to_detect().unwrap().display(), "≈1 min");
        assert_eq!(milestones.time_to_mitigate().unwrap().display(), "≈1 min");
        assert_eq!(
            milestones.impact_duration().unwrap().display(),
            "≈1 min 30 s"
        );
        assert_eq!(
            milestones.impact_started.unwrap().display_as_entered(),
            "≈ 23 Mar 2020 10:27 (UTC+00:00)"
        );
    }

    #[test]
    fn the_impact_reads_as_the_worked_example_sentence() {
        let impact = worked_example().expect("the worked example").impact;
        assert_eq!(impact.len(), 1);
        assert_eq!(
            impact[0].sentence(),
            "≈500 customer logins failed over ≈1 min"
        );
        assert_eq!(
            ImpactForm::from_figure(&impact[0]).parse(),
            Ok(impact[0].clone())
        );
    }

    #[test]
    fn the_incident_and_lessons_pass_their_forms() {
        let example = worked_example().expect("the worked example");
        let form = IncidentForm::from_incident(&example.incident, &uk());
        assert_eq!(form.services, "Login, Java applications, Jenkins");
        assert_eq!(form.parse(&uk()), Ok(example.incident));
        assert_eq!(
            LessonsForm::from_lessons(&example.lessons).parse(),
            Ok(example.lessons)
        );
    }

    #[test]
    fn the_earlier_attempt_passes_its_forms_and_had_no_customer_impact() {
        use crate::domain::relation::RelationForm;
        let example = worked_example().expect("the worked example");
        let earlier = example.earlier;
        assert_eq!(
            earlier.incident.severity,
            crate::domain::incident::Severity::Sev4
        );
        let form = IncidentForm::from_incident(&earlier.incident, &uk());
        assert_eq!(form.parse(&uk()), Ok(earlier.incident.clone()));
        assert_eq!(
            LessonsForm::from_lessons(&earlier.lessons).parse(),
            Ok(earlier.lessons)
        );
        for entry in earlier.timeline {
            assert_eq!(
                TimelineForm::from_entry(&entry, &uk()).parse(&uk()),
                Ok(entry)
            );
        }
        assert_eq!(
            ChangeForm::from_change(&earlier.change, &uk()).parse(&uk()),
            Ok(earlier.change.clone())
        );
        assert_eq!(
            (&earlier.change.system, &earlier.change.identifier),
            (&example.change.system, &example.change.identifier),
            "the same job as the login outage's change"
        );
        assert_eq!(
            earlier.relation.label(),
            "Earlier attempt at the same change"
        );
        let link = RelationForm {
            kind: earlier.relation.as_str().into(),
            related: "1".into(),
            note: earlier.note.clone(),
        };
        assert!(link.parse(2).is_ok());
    }

    #[test]
    fn every_timeline_entry_passes_its_form() {
        for entry in worked_example().expect("the worked example").timeline {
            assert_eq!(
                TimelineForm::from_entry(&entry, &uk()).parse(&uk()),
                Ok(entry)
            );
        }
    }

    #[test]
    fn the_timeline_is_already_in_time_order() {
        let timeline = worked_example().expect("the worked example").timeline;
        let mut entries: Vec<TimelineEntry> = timeline
            .iter()
            .zip(1..)
            .map(|(entry, id)| TimelineEntry {
                id,
                incident_id: 1,
                entry: entry.clone(),
            })
            .collect();
        entries.reverse();
        sort_entries(&mut entries);
        let sorted: Vec<NewTimelineEntry> = entries.into_iter().map(|e| e.entry).collect();
        assert_eq!(sorted, timeline);
    }

    #[test]
    fn the_timeline_marks_detection_owning_up_and_repair() {
        let example = worked_example().expect("the worked example");
        let marked = |marker| {
            example
                .timeline
                .iter()
                .filter(|e| e.marker == Some(marker))
                .collect::<Vec<_>>()
        };
        let detection = marked(Marker::Detection);
        assert_eq!(detection.len(), 1);
        assert_eq!(
            Some(detection[0].time),
            example.incident.milestones.detected
        );
        assert!(
            marked(Marker::KeyMoment)
                .iter()
                .any(|e| e.body_md.contains("I have caused an outage"))
        );
        assert_eq!(marked(Marker::Repair).len(), 1);
        let start = example.incident.milestones.impact_started.unwrap();
        assert_eq!(t_offset(&start, &detection[0].time), "≈T+0:01");
    }

    #[test]
    fn the_change_and_its_parameters_pass_their_forms() {
        let example = worked_example().expect("the worked example");
        assert_eq!(
            ChangeForm::from_change(&example.change, &uk()).parse(&uk()),
            Ok(example.change.clone())
        );
        assert_eq!(example.change.relation, ChangeRelation::ConfirmedTrigger);
        for parameter in &example.parameters {
            assert_eq!(
                ParameterForm::from_parameter(parameter).parse(),
                Ok(parameter.clone())
            );
        }
        let defaulted: Vec<String> = example
            .parameters
            .iter()
            .filter(|p| p.is_default)
            .map(NewParameter::describe)
            .collect();
        assert_eq!(
            defaulted,
            ["concurrency = (unset) — took the system default"]
        );
    }

    #[test]
    fn every_follow_up_passes_its_form_and_targets_what_exists() {
        let example = worked_example().expect("the worked example");
        for item in &example.follow_ups {
            assert_eq!(
                FollowUpForm::from_follow_up(&item.follow_up).parse(),
                Ok(item.follow_up.clone())
            );
            assert_eq!(item.follow_up.change_id, None);
            assert_eq!(item.follow_up.parameter_id, None);
            if let Some(name) = &item.targets_parameter {
                assert!(
                    item.targets_change,
                    "a parameter is targeted with its change"
                );
                assert!(example.parameters.iter().any(|p| &p.name == name));
            }
        }
        let parameter_fix = example
            .follow_ups
            .iter()
            .find(|f| f.targets_parameter.as_deref() == Some("concurrency"))
            .unwrap();
        assert_eq!(parameter_fix.follow_up.action_type, ActionType::Prevent);
    }

    #[test]
    fn every_follow_up_state_is_reachable_by_the_rules() {
        let created = march_2020(24, 9, 0).expect("a March 2020 date");
        for item in worked_example().expect("the worked example").follow_ups {
            let proposed = FollowUp {
                id: 1,
                incident_id: 1,
                follow_up: item.follow_up.clone(),
                state: FollowUpState::Proposed,
                wont_do_reason: None,
                evidence: None,
                verified: None,
                closed_at: None,
                created_at: created,
                updated_at: created,
            };
            if item.state != FollowUpState::Proposed {
                assert_eq!(
                    proposed
                        .transition(item.state, "")
                        .map(|(state, _, _)| state),
                    Ok(item.state),
                    "{}",
                    item.follow_up.title
                );
                let due = item.follow_up.due.unwrap();
                assert_eq!(due.format("%Y").to_string(), "2020");
                assert_eq!(item.follow_up.owner, "Platform team");
            }
        }
    }

    #[test]
    fn the_example_is_told_without_blame() {
        let text = serde_json::to_string(&worked_example().expect("the worked example"))
            .unwrap()
            .to_lowercase();
        for phrase in [
            "forgot",
            "human error",
            "should have",
            "careless",
            "blame",
            "their fault",
        ] {
            assert!(!text.contains(phrase), "“{phrase}” in the worked example");
        }
        for entry in worked_example().expect("the worked example").timeline {
            assert!(!entry.actor.is_empty());
            assert!(
                entry.actor.chars().next().unwrap().is_lowercase(),
                "actors are roles, not names: {}",
                entry.actor
            );
        }
    }

    #[test]
    fn the_example_survives_json() {
        let example = worked_example().expect("the worked example");
        let json = serde_json::to_string(&example).unwrap();
        assert_eq!(
            serde_json::from_str::<WorkedExample>(&json).unwrap(),
            example
        );
    }

    #[test]
    fn the_earlier_attempts_impact_was_not_measured_says_why_and_no_customer_saw_it() {
        use crate::domain::impact::Quantity;
        let earlier = worked_example().expect("the worked example").earlier;
        assert_eq!(earlier.impact.len(), 1);
        let figure = &earlier.impact[0];
        assert!(matches!(figure.quantity, Quantity::NotMeasured { .. }));
        assert!(!figure.customer_visible);
        assert_eq!(
            figure.sentence(),
            "metrics from the Java applications were not collected — not measured: the date \
             was not recorded, and nobody measured how long the metrics were missing before \
             the settings were corrected"
        );
        assert_eq!(ImpactForm::from_figure(figure).parse(), Ok(figure.clone()));
        assert!(!REVIEW_GROUP.trim().is_empty());
    }
}
