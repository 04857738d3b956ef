//! View DTOs: what pages receive to show. Times and durations arrive formatted in the reader's
//! zone and Markdown arrives as sanitised HTML; pages never format dates themselves.

use serde::{Deserialize, Serialize};

use crate::domain::change::{ChangeKind, ChangeRelation};
use crate::domain::follow_up::{ActionType, FollowUpState, Priority};
use crate::domain::incident::{IncidentStatus, Severity};
use crate::domain::timeline::{EntryKind, Marker};

/// A labelled value of the incident header (a milestone or a derived duration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelledValue {
    pub label: String,
    pub value: Option<String>,
}

/// One incident in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentRow {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub started: Option<String>,
    pub impact_headline: Option<String>,
    pub time_to_detect: Option<String>,
    pub open_follow_ups: usize,
}

/// The header of a postmortem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentHeader {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub services: Vec<String>,
    pub summary_html: String,
    pub milestones: Vec<LabelledValue>,
    pub durations: Vec<LabelledValue>,
}

/// One impact figure, as a sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactRow {
    pub id: i64,
    pub sentence: String,
    pub estimation: String,
    pub customer_visible: bool,
}

/// One parameter a change ran with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterRow {
    pub id: i64,
    /// The version its edit form saves against.
    pub version: i64,
    pub name: String,
    pub value: String,
    pub is_default: bool,
}

/// A change linked to the incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: i64,
    pub summary: String,
    pub kind: ChangeKind,
    pub system: String,
    pub identifier: String,
    pub link: Option<String>,
    pub time: Option<String>,
    pub started_by: String,
    pub plan: String,
    pub reviewer: String,
    pub relation: ChangeRelation,
    pub rationale_html: String,
    pub parameters: Vec<ParameterRow>,
    /// Earlier incidents the same system and job were involved in (filled in by the postmortem).
    pub earlier: Vec<crate::domain::change::EarlierIncident>,
}

/// One timeline entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    pub id: i64,
    pub time: String,
    pub t_offset: Option<String>,
    pub kind: EntryKind,
    pub marker: Option<Marker>,
    pub actor: String,
    pub body_html: String,
}

/// The three lessons sections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonsView {
    pub went_well_html: String,
    pub went_wrong_html: String,
    pub lucky_html: String,
}

/// One follow-up action, on a postmortem or in the cross-incident list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRow {
    pub id: i64,
    pub incident_id: i64,
    pub incident_title: String,
    pub title: String,
    pub description_html: String,
    pub action_type: ActionType,
    pub priority: Priority,
    pub owner: String,
    pub due: Option<String>,
    pub state: FollowUpState,
    pub overdue: bool,
    /// What it addresses, e.g. "Jenkins · generic run-command job — parameter concurrency".
    pub target: Option<String>,
    pub change_id: Option<i64>,
    pub wont_do_reason: Option<String>,
    pub evidence: Option<String>,
    /// Who verified it and when: "Grace Hopper, 3 May 2020, 10:12".
    pub verified: Option<String>,
}

/// Everything the postmortem page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostmortemView {
    pub zone: String,
    /// The revision shown: 1 until a correction after publishing starts the next.
    pub revision: i32,
    /// The revision being written, when the reader is shown the published one meanwhile.
    pub correcting: Option<i32>,
    /// Whether the reader may change the postmortem now (an author, while it is being written).
    pub can_edit: bool,
    /// Whether the reader may add, edit and move follow-ups (an author, at any time).
    pub can_edit_follow_ups: bool,
    pub header: IncidentHeader,
    pub impact: Vec<ImpactRow>,
    pub changes: Vec<ChangeView>,
    pub timeline: Vec<TimelineRow>,
    pub lessons: LessonsView,
    pub follow_ups: Vec<FollowUpRow>,
    /// The people who took part, with the part they played.
    pub participants: Vec<super::participants::ParticipantView>,
    /// The people who can be added as participants (for a reader who may edit; else empty).
    pub people: Vec<super::users::Person>,
    /// Comments on its sections, timeline entries and follow-ups, oldest first.
    pub comments: Vec<super::comments::CommentView>,
}

#[cfg(feature = "ssr")]
pub(crate) mod build {
    //! Turning domain values into views, in the reader's zone.

    use super::*;
    use crate::domain::change::Change;
    use crate::domain::follow_up::FollowUp;
    use crate::domain::impact::ImpactFigure;
    use crate::domain::incident::{Incident, MilestoneKind};
    use crate::domain::time::{RecordedTime, Zone, t_offset};
    use crate::domain::timeline::TimelineEntry;
    use crate::server::markdown::render;
    use crate::server::zone::NamedZone;

    /// A recorded time in the reader's zone.
    pub fn time(t: &RecordedTime, zone: &NamedZone) -> String {
        t.display_in(zone.offset_at(t.at))
    }

    /// When something was done (a save, a comment, a decision), in the reader's zone:
    /// "24 Nov 2026, 17:42".
    pub fn moment(at: chrono::DateTime<chrono::Utc>, zone: &NamedZone) -> String {
        at.with_timezone(&zone.offset_at(at))
            .format("%-d %b %Y, %H:%M")
            .to_string()
    }

    pub fn header(i: &Incident, zone: &NamedZone) -> IncidentHeader {
        let m = &i.milestones;
        let duration =
            |label: &str, d: Option<crate::domain::time::ApproxDuration>| LabelledValue {
                label: label.to_owned(),
                value: d.map(|d| d.display()),
            };
        IncidentHeader {
            id: i.id,
            title: i.title.clone(),
            severity: i.severity,
            status: i.status,
            services: i.services.clone(),
            summary_html: render(&i.summary_md),
            milestones: MilestoneKind::ALL
                .iter()
                .map(|k| LabelledValue {
                    label: k.label().to_owned(),
                    value: m.get(*k).map(|t| time(t, zone)),
                })
                .collect(),
            durations: vec![
                duration("Time to detect", m.time_to_detect()),
                duration("Time to mitigate", m.time_to_mitigate()),
                duration("Impact duration", m.impact_duration()),
            ],
        }
    }

    pub fn impact(f: &ImpactFigure) -> ImpactRow {
        ImpactRow {
            id: f.id,
            sentence: f.figure.sentence(),
            estimation: f.figure.estimation.clone(),
            customer_visible: f.figure.customer_visible,
        }
    }

    pub fn change(c: &Change, zone: &NamedZone) -> ChangeView {
        let n = &c.change;
        ChangeView {
            id: c.id,
            summary: n.summary.clone(),
            kind: n.kind,
            system: n.system.clone(),
            identifier: n.identifier.clone(),
            link: n.link.clone(),
            time: n.time.as_ref().map(|t| time(t, zone)),
            started_by: n.started_by.clone(),
            plan: n.plan.clone(),
            reviewer: n.reviewer.clone(),
            relation: n.relation,
            rationale_html: render(&n.rationale_md),
            parameters: c
                .parameters
                .iter()
                .map(|p| ParameterRow {
                    id: p.id,
                    version: p.version,
                    name: p.parameter.name.clone(),
                    value: p.parameter.value.clone(),
                    is_default: p.parameter.is_default,
                })
                .collect(),
            earlier: Vec::new(),
        }
    }

    pub fn timeline(
        e: &TimelineEntry,
        impact_start: Option<&RecordedTime>,
        zone: &NamedZone,
    ) -> TimelineRow {
        TimelineRow {
            id: e.id,
            time: time(&e.entry.time, zone),
            t_offset: impact_start.map(|start| t_offset(start, &e.entry.time)),
            kind: e.entry.kind,
            marker: e.entry.marker,
            actor: e.entry.actor.clone(),
            body_html: render(&e.entry.body_md),
        }
    }

    pub fn lessons(i: &Incident) -> LessonsView {
        LessonsView {
            went_well_html: render(&i.lessons.went_well_md),
            went_wrong_html: render(&i.lessons.went_wrong_md),
            lucky_html: render(&i.lessons.lucky_md),
        }
    }

    /// A follow-up with the incident title and the change it targets (from `changes`, when known).
    pub fn follow_up(
        f: &FollowUp,
        incident_title: &str,
        changes: &[Change],
        zone: &NamedZone,
    ) -> FollowUpRow {
        let today = crate::api::today(zone);
        let n = &f.follow_up;
        let target = n
            .change_id
            .and_then(|cid| changes.iter().find(|c| c.id == cid))
            .map(|c| c.target_label(n.parameter_id));
        FollowUpRow {
            id: f.id,
            incident_id: f.incident_id,
            incident_title: incident_title.to_owned(),
            title: n.title.clone(),
            description_html: render(&n.description_md),
            action_type: n.action_type,
            priority: n.priority,
            owner: n.owner.clone(),
            due: n.due.map(|d| d.format("%-d %b %Y").to_string()),
            state: f.state,
            overdue: f.is_overdue(today),
            target,
            change_id: n.change_id,
            wont_do_reason: f.wont_do_reason.clone(),
            evidence: f.evidence.clone(),
            verified: f
                .verified
                .as_ref()
                .map(|v| format!("{}, {}", v.by, moment(v.at, zone))),
        }
    }
}
