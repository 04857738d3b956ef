//! The timeline checks itself: what a careful reviewer would ask of an incident's milestones,
//! timeline and impact windows before approving it. Advisory only: a finding blocks nothing, it
//! says what looks wrong and where to fix it.
//!
//! The checks, and the rules they follow:
//! - **Missing milestones**: each of the four milestones (impact started, detected, mitigated,
//!   resolved) that is not recorded; every derived duration needs them.
//! - **Times in the future**: a milestone or an entry whose earliest possible time is after
//!   "now" (a mistyped date, usually).
//! - **Entries outside the incident without a note**: the incident runs from the earlier of
//!   impact start and the change that set it off (a linked change that is the confirmed trigger
//!   or suspected) to resolution. An entry wholly outside it is background or aftermath, which a
//!   postmortem often needs; the model has no note field besides the entry's required text, so
//!   the entry's kind and marker are its note. Before the incident, changes, decisions, actions
//!   and communications tell the background; an *observation* or *alert*, or a detection,
//!   diagnosis or repair marker, says it belongs to the response and so is unexplained there.
//!   After resolution, actions, decisions and communications (the clean-up, the measuring, the
//!   write-up) and diagnosis or repair markers (the root cause, the lasting fix) are aftermath;
//!   an observation, an alert or a detection marker is unexplained.
//! - **Large unexplained gaps**: from impact start to mitigation (resolution when mitigation is
//!   not recorded), the milestones and the entries between them in time order; a gap of more than
//!   [`LARGE_GAP_MINUTES`] minutes between two neighbours, with no entry, is a finding.
//! - **Detection without a detection entry**: the detection milestone is recorded but no entry
//!   is marked as detection.
//! - **Durations that disagree with the milestones**: the only duration the model states is an
//!   impact figure's window. A figure may count part of the impact, so only a window longer than
//!   the impact could have lasted (resolution's latest time minus impact start's earliest) by
//!   more than a quarter of that, and by more than a minute, is a finding.
//!
//! - **Approximate times without a source note**: an entry whose time is approximate or a range
//!   and which does not say where the time comes from (a log, a message, memory). Milestones have
//!   no source of their own: the entries around them carry it.
//!
//! Pure: "now" is given by the caller. Imports only other domain modules.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::change::{Change, ChangeRelation};
use crate::domain::impact::ImpactFigure;
use crate::domain::incident::{MilestoneKind, Milestones};
use crate::domain::time::{ApproxDuration, Precision, RecordedTime};
use crate::domain::timeline::{EntryKind, Marker, TimelineEntry, sort_entries};

/// A gap between neighbouring moments of the response longer than this is worth a question.
pub const LARGE_GAP_MINUTES: i64 = 30;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FindingKind {
    /// A milestone is not recorded.
    MissingMilestone(MilestoneKind),
    /// A milestone or entry is later than now.
    InTheFuture,
    /// An entry before the incident began, with nothing to say why it is there.
    UnexplainedBefore,
    /// An entry after the impact ended, with nothing to say why it is there.
    UnexplainedAfter,
    /// A long stretch of the response with no entry.
    LargeGap,
    /// The detection milestone is recorded, but no entry is marked as detection.
    DetectionNotMarked,
    /// An impact figure covers longer than the milestones allow.
    DurationDisagrees,
    /// An entry's time is approximate or a range, and nothing says where it comes from.
    ApproximateWithoutSource,
}

/// The place on the postmortem page where a finding is fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FixAt {
    /// The milestones in the page's header.
    Milestones,
    /// One timeline entry, by id.
    Entry(i64),
    /// The timeline section.
    Timeline,
    /// The impact section.
    Impact,
}

impl FixAt {
    /// The id of the element on the postmortem page: "milestones", "entry-12", "timeline",
    /// "impact".
    pub fn fragment(self) -> String {
        match self {
            Self::Milestones => "milestones".to_owned(),
            Self::Entry(id) => format!("entry-{id}"),
            Self::Timeline => "timeline".to_owned(),
            Self::Impact => "impact".to_owned(),
        }
    }
}

/// One thing a careful reviewer would ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// A concrete, blameless sentence naming the times involved.
    pub sentence: String,
    /// Where to fix it.
    pub fix_at: FixAt,
}

/// Everything the checks read of a postmortem.
#[derive(Clone, Copy, Debug)]
pub struct TimelineFacts<'a> {
    /// The incident's milestones.
    pub milestones: &'a Milestones,
    /// Its timeline entries, in any order.
    pub entries: &'a [TimelineEntry],
    /// The changes linked to it.
    pub changes: &'a [Change],
    /// Its impact figures.
    pub impact: &'a [ImpactFigure],
}

/// What a careful reviewer would ask of `facts`, as of `now`: milestones first, then entries in
/// time order, then impact figures. Empty when nothing looks wrong.
pub fn check(facts: TimelineFacts<'_>, now: DateTime<Utc>) -> Vec<Finding> {
    let mut entries = facts.entries.to_vec();
    sort_entries(&mut entries);
    let mut findings = missing_milestones(facts.milestones);
    findings.extend(in_the_future(facts.milestones, &entries, now));
    findings.extend(outside_the_incident(facts, &entries));
    findings.extend(large_gaps(facts.milestones, &entries));
    findings.extend(detection_not_marked(facts.milestones, &entries));
    findings.extend(approximate_without_source(&entries));
    findings.extend(durations_disagree(facts.milestones, facts.impact));
    findings
}

/// A time as entered, without its offset: "23 Mar 2020 10:41", "≈ 23 Mar 2020 10:27".
fn shown(time: &RecordedTime) -> String {
    time.display_in(time.offset())
}

/// "The observation by on-call engineer at 23 Mar 2020 14:00".
fn named(entry: &TimelineEntry) -> String {
    format!(
        "The {} by {} at {}",
        entry.entry.kind.label().to_lowercase(),
        entry.entry.actor,
        shown(&entry.entry.time)
    )
}

fn approximate_without_source(entries: &[TimelineEntry]) -> Vec<Finding> {
    entries
        .iter()
        .filter(|e| {
            matches!(
                e.entry.time.precision,
                Precision::Approximate | Precision::Range
            ) && e.entry.time_source.trim().is_empty()
        })
        .map(|e| Finding {
            kind: FindingKind::ApproximateWithoutSource,
            sentence: format!(
                "{} is approximate, and nothing says where the time comes from (a log, a message, someone's memory).",
                named(e)
            ),
            fix_at: FixAt::Entry(e.id),
        })
        .collect()
}

fn missing_milestones(milestones: &Milestones) -> Vec<Finding> {
    MilestoneKind::ALL
        .into_iter()
        .filter(|&kind| milestones.get(kind).is_none())
        .map(|kind| {
            let why = match kind {
                MilestoneKind::ImpactStarted => "every duration is measured from it",
                MilestoneKind::Detected => "without it there is no time to detect",
                MilestoneKind::Mitigated => "without it there is no time to mitigate",
                MilestoneKind::Resolved => "without it there is no impact duration",
            };
            Finding {
                kind: FindingKind::MissingMilestone(kind),
                sentence: format!("The milestone “{}” is not recorded; {why}.", kind.label()),
                fix_at: FixAt::Milestones,
            }
        })
        .collect()
}

fn in_the_future(
    milestones: &Milestones,
    entries: &[TimelineEntry],
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let milestone_findings = MilestoneKind::ALL.into_iter().filter_map(|kind| {
        let time = milestones.get(kind)?;
        (time.earliest() > now).then(|| Finding {
            kind: FindingKind::InTheFuture,
            sentence: format!(
                "The milestone “{}” is set at {}, which is in the future; check its date.",
                kind.label(),
                shown(time)
            ),
            fix_at: FixAt::Milestones,
        })
    });
    let entry_findings = entries
        .iter()
        .filter(|e| e.entry.time.earliest() > now)
        .map(|e| Finding {
            kind: FindingKind::InTheFuture,
            sentence: format!("{} is in the future; check its date.", named(e)),
            fix_at: FixAt::Entry(e.id),
        });
    milestone_findings.chain(entry_findings).collect()
}

/// The earliest the incident can have begun: impact start, or the change that set it off if
/// that was earlier.
fn incident_start(facts: TimelineFacts<'_>) -> Option<RecordedTime> {
    let trigger = facts
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.change.relation,
                ChangeRelation::ConfirmedTrigger | ChangeRelation::Suspected
            )
        })
        .filter_map(|c| c.change.time);
    facts
        .milestones
        .impact_started
        .into_iter()
        .chain(trigger)
        .min_by_key(RecordedTime::earliest)
}

fn outside_the_incident(facts: TimelineFacts<'_>, entries: &[TimelineEntry]) -> Vec<Finding> {
    let start = incident_start(facts);
    let end = facts.milestones.resolved;
    let response_marker = |e: &TimelineEntry, markers: &[Marker]| {
        e.entry.marker.is_some_and(|m| markers.contains(&m))
    };
    let seen_not_done =
        |e: &TimelineEntry| matches!(e.entry.kind, EntryKind::Observation | EntryKind::Alert);
    entries
        .iter()
        .filter_map(|e| {
            let time = &e.entry.time;
            if let Some(start) = start.filter(|s| time.latest() < s.earliest()) {
                let unexplained = seen_not_done(e)
                    || response_marker(e, &[Marker::Detection, Marker::Diagnosis, Marker::Repair]);
                return unexplained.then(|| Finding {
                    kind: FindingKind::UnexplainedBefore,
                    sentence: format!(
                        "{} is before the incident began ({}), and nothing says why it belongs \
                         to the response: check its time, or record it as the background it is.",
                        named(e),
                        shown(&start)
                    ),
                    fix_at: FixAt::Entry(e.id),
                });
            }
            if let Some(end) = end.filter(|r| time.earliest() > r.latest()) {
                let unexplained = seen_not_done(e) || response_marker(e, &[Marker::Detection]);
                return unexplained.then(|| Finding {
                    kind: FindingKind::UnexplainedAfter,
                    sentence: format!(
                        "{} is after the impact ended ({}), and nothing says why: check its \
                         time or the milestone “{}”.",
                        named(e),
                        shown(&end),
                        MilestoneKind::Resolved.label()
                    ),
                    fix_at: FixAt::Entry(e.id),
                });
            }
            None
        })
        .collect()
}

fn large_gaps(milestones: &Milestones, entries: &[TimelineEntry]) -> Vec<Finding> {
    let (Some(start), Some(end)) = (
        milestones.impact_started,
        milestones.mitigated.or(milestones.resolved),
    ) else {
        return Vec::new();
    };
    // Each moment: its time, and the entry to fix (None for the milestones that fence it).
    let mut moments: Vec<(RecordedTime, Option<i64>)> = vec![(start, None)];
    moments.extend(
        entries
            .iter()
            .filter(|e| e.entry.time.point() > start.point() && e.entry.time.point() < end.point())
            .map(|e| (e.entry.time, Some(e.id))),
    );
    moments.push((end, None));
    moments
        .windows(2)
        .filter_map(|pair| {
            let [(from, _), (to, entry)] = pair else {
                return None;
            };
            let gap = ApproxDuration::between(from, to);
            (gap.seconds > LARGE_GAP_MINUTES * 60).then(|| Finding {
                kind: FindingKind::LargeGap,
                sentence: format!(
                    "Nothing is recorded for {} while the impact lasted, between {} and {}: \
                     what happened meanwhile?",
                    gap.display(),
                    shown(from),
                    shown(to)
                ),
                fix_at: entry.map_or(FixAt::Timeline, FixAt::Entry),
            })
        })
        .collect()
}

fn detection_not_marked(milestones: &Milestones, entries: &[TimelineEntry]) -> Option<Finding> {
    let detected = milestones.detected?;
    let marked = entries
        .iter()
        .any(|e| e.entry.marker == Some(Marker::Detection));
    (!marked).then(|| Finding {
        kind: FindingKind::DetectionNotMarked,
        sentence: format!(
            "The timeline has no entry marked as detection, but the detection milestone is set \
             at {}: mark the entry where the problem was noticed, or add one.",
            shown(&detected)
        ),
        fix_at: FixAt::Timeline,
    })
}

fn durations_disagree(milestones: &Milestones, impact: &[ImpactFigure]) -> Vec<Finding> {
    let (Some(start), Some(end), Some(lasted)) = (
        milestones.impact_started,
        milestones.resolved,
        milestones.impact_duration(),
    ) else {
        return Vec::new();
    };
    let longest = (end.latest() - start.earliest()).num_seconds();
    let allowed = longest + (longest / 4).max(60);
    impact
        .iter()
        .filter_map(|f| {
            let window = f.figure.window?;
            (window.seconds > allowed).then(|| Finding {
                kind: FindingKind::DurationDisagrees,
                sentence: format!(
                    "The impact figure “{}” covers {}, but the milestones say the impact lasted \
                     {}: check the figure's window or the milestones.",
                    f.figure.sentence(),
                    window.display(),
                    lasted.display()
                ),
                fix_at: FixAt::Impact,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
