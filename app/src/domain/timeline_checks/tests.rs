//! The timeline checks on the worked example and on crafted timelines, one check a test.

use super::*;
use crate::domain::example::worked_example;
use crate::domain::time::Precision;
use crate::domain::time::tests::{approx, minute, utc};
use crate::domain::timeline::NewTimelineEntry;

struct Postmortem {
    milestones: Milestones,
    entries: Vec<TimelineEntry>,
    changes: Vec<Change>,
    impact: Vec<ImpactFigure>,
}

impl Postmortem {
    fn check(&self) -> Vec<Finding> {
        check(
            TimelineFacts {
                milestones: &self.milestones,
                entries: &self.entries,
                changes: &self.changes,
                impact: &self.impact,
            },
            utc(18, 0, 0),
        )
    }

    fn kinds(&self) -> Vec<FindingKind> {
        self.check().into_iter().map(|f| f.kind).collect()
    }
}

fn example() -> Postmortem {
    let example = worked_example().expect("the worked example");
    Postmortem {
        milestones: example.incident.milestones,
        entries: example
            .timeline
            .into_iter()
            .zip(1..)
            .map(|(entry, id)| TimelineEntry {
                id,
                incident_id: 1,
                entry,
            })
            .collect(),
        changes: vec![Change {
            id: 1,
            incident_id: 1,
            change: example.change,
            parameters: Vec::new(),
        }],
        impact: example
            .impact
            .into_iter()
            .zip(1..)
            .map(|(figure, id)| ImpactFigure {
                id,
                incident_id: 1,
                figure,
            })
            .collect(),
    }
}

fn entry(id: i64, time: RecordedTime, kind: EntryKind, marker: Option<Marker>) -> TimelineEntry {
    TimelineEntry {
        id,
        incident_id: 1,
        entry: NewTimelineEntry {
            time,
            kind,
            marker,
            actor: "on-call engineer".into(),
            body_md: "Something happened.".into(),
            time_source: "incident channel".into(),
        },
    }
}

fn on(day: u32, h: u32, m: u32) -> RecordedTime {
    use chrono::TimeZone;
    RecordedTime::new(
        Utc.with_ymd_and_hms(2020, 3, day, h, m, 0).unwrap(),
        None,
        Precision::Minute,
        0,
    )
    .unwrap()
}

#[test]
fn the_worked_example_raises_no_question() {
    assert_eq!(example().check(), []);
}

#[test]
fn each_missing_milestone_is_a_finding_pointing_at_the_milestones() {
    let mut pm = example();
    pm.milestones.mitigated = None;
    let findings = pm.check();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        findings[0].kind,
        FindingKind::MissingMilestone(MilestoneKind::Mitigated)
    );
    assert_eq!(
        findings[0].sentence,
        "The milestone “Mitigated” is not recorded; without it there is no time to mitigate."
    );
    assert_eq!(findings[0].fix_at.fragment(), "milestones");
}

#[test]
fn an_entry_in_the_future_is_a_finding_pointing_at_the_entry() {
    let mut pm = example();
    pm.entries
        .push(entry(20, on(30, 9, 0), EntryKind::Action, None));
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::InTheFuture],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].sentence,
        "The action by on-call engineer at 30 Mar 2020 09:00 is in the future; check its date."
    );
    assert_eq!(findings[0].fix_at, FixAt::Entry(20));
}

#[test]
fn a_milestone_in_the_future_is_a_finding() {
    let mut pm = example();
    pm.milestones.resolved = Some(on(30, 9, 0));
    assert!(pm.kinds().contains(&FindingKind::InTheFuture));
    assert_eq!(pm.check()[0].fix_at, FixAt::Milestones);
}

#[test]
fn an_observation_before_the_change_is_unexplained() {
    let mut pm = example();
    pm.entries
        .push(entry(20, minute(8, 15), EntryKind::Observation, None));
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::UnexplainedBefore],
        "{findings:?}"
    );
    assert!(
        findings[0]
            .sentence
            .starts_with("The observation by on-call engineer at 23 Mar 2020 08:15 is before the incident began (≈ 23 Mar 2020 10:27)"),
        "{}",
        findings[0].sentence
    );
    assert_eq!(findings[0].fix_at, FixAt::Entry(20));
}

#[test]
fn background_before_the_change_needs_no_note() {
    let mut pm = example();
    pm.entries
        .push(entry(20, minute(8, 15), EntryKind::Decision, None));
    pm.entries.push(entry(
        21,
        minute(8, 20),
        EntryKind::Communication,
        Some(Marker::KeyMoment),
    ));
    assert_eq!(pm.check(), []);
}

#[test]
fn a_detection_marked_entry_after_resolution_is_unexplained() {
    let mut pm = example();
    pm.entries.push(entry(
        20,
        minute(14, 0),
        EntryKind::Action,
        Some(Marker::Detection),
    ));
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::UnexplainedAfter],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].sentence,
        "The action by on-call engineer at 23 Mar 2020 14:00 is after the impact ended \
         (between 23 Mar 2020 10:28 and 10:29), and nothing says why: check its time or the \
         milestone “Resolved (impact ended)”."
    );
}

#[test]
fn aftermath_after_resolution_needs_no_note() {
    let mut pm = example();
    pm.entries.push(entry(
        20,
        minute(14, 0),
        EntryKind::Action,
        Some(Marker::Repair),
    ));
    assert_eq!(pm.check(), []);
}

#[test]
fn a_long_silence_between_impact_start_and_mitigation_is_a_gap() {
    let mut pm = example();
    pm.milestones.mitigated = Some(approx(11, 30));
    pm.milestones.resolved = Some(minute(11, 35));
    pm.impact.clear();
    pm.entries
        .push(entry(20, minute(11, 25), EntryKind::Action, None));
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::LargeGap],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].sentence,
        "Nothing is recorded for ≈40 min while the impact lasted, between ≈ 23 Mar 2020 \
         10:45 and 23 Mar 2020 11:25: what happened meanwhile?"
    );
    assert_eq!(findings[0].fix_at, FixAt::Entry(20));
}

#[test]
fn a_gap_of_half_an_hour_or_less_is_no_finding() {
    let mut pm = example();
    // The last entry is at ≈10:45: exactly half an hour before mitigation.
    pm.milestones.mitigated = Some(minute(11, 15));
    pm.milestones.resolved = Some(minute(11, 20));
    pm.impact.clear();
    assert_eq!(pm.check(), []);
}

#[test]
fn a_detection_milestone_without_a_detection_entry_is_a_finding() {
    let mut pm = example();
    for e in &mut pm.entries {
        if e.entry.marker == Some(Marker::Detection) {
            e.entry.marker = None;
        }
    }
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::DetectionNotMarked],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].sentence,
        "The timeline has no entry marked as detection, but the detection milestone is set \
         at 23 Mar 2020 10:28: mark the entry where the problem was noticed, or add one."
    );
    assert_eq!(findings[0].fix_at.fragment(), "timeline");
}

#[test]
fn an_impact_window_longer_than_the_impact_is_a_finding() {
    let mut pm = example();
    pm.impact[0].figure.window = Some(ApproxDuration {
        seconds: 3_600,
        approximate: true,
    });
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::DurationDisagrees],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].sentence,
        "The impact figure “≈500 customer logins failed over ≈1 h” covers ≈1 h, but the \
         milestones say the impact lasted ≈1 min 30 s: check the figure's window or the \
         milestones."
    );
    assert_eq!(findings[0].fix_at.fragment(), "impact");
}

#[test]
fn an_impact_window_shorter_than_the_impact_is_no_finding() {
    let mut pm = example();
    pm.impact[0].figure.window = Some(ApproxDuration {
        seconds: 10,
        approximate: false,
    });
    assert_eq!(pm.check(), []);
}

#[test]
fn a_triggering_change_earlier_than_impact_start_moves_the_start_back() {
    let mut pm = example();
    pm.changes[0].change.time = Some(minute(8, 0));
    pm.entries
        .push(entry(20, minute(8, 15), EntryKind::Observation, None));
    assert_eq!(pm.check(), []);
    pm.changes[0].change.relation = ChangeRelation::RuledOut;
    assert_eq!(pm.kinds(), [FindingKind::UnexplainedBefore]);
}

#[test]
fn an_approximate_entry_without_its_time_source_is_a_finding_pointing_at_the_entry() {
    let mut pm = example();
    let mut guessed = entry(20, approx(10, 40), EntryKind::Action, None);
    guessed.entry.time_source = "  ".into();
    pm.entries.push(guessed);
    let findings = pm.check();
    assert_eq!(
        findings.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FindingKind::ApproximateWithoutSource],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].sentence,
        "The action by on-call engineer at ≈ 23 Mar 2020 10:40 is approximate, and nothing says \
         where the time comes from (a log, a message, someone's memory)."
    );
    assert_eq!(findings[0].fix_at, FixAt::Entry(20));
}

#[test]
fn an_entry_to_the_minute_needs_no_time_source_and_a_sourced_approximate_one_is_fine() {
    let mut pm = example();
    let mut logged = entry(20, minute(10, 40), EntryKind::Action, None);
    logged.entry.time_source = String::new();
    pm.entries.push(logged);
    pm.entries
        .push(entry(21, approx(10, 41), EntryKind::Action, None));
    assert_eq!(pm.check(), []);
}

#[test]
fn every_approximate_entry_of_the_worked_example_says_where_its_time_comes_from() {
    let pm = example();
    let approximate = pm
        .entries
        .iter()
        .filter(|e| e.entry.time.precision != Precision::Minute)
        .collect::<Vec<_>>();
    assert!(approximate.len() >= 5, "{approximate:?}");
    assert!(
        approximate
            .iter()
            .all(|e| !e.entry.time_source.trim().is_empty())
    );
}
