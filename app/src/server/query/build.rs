//! Turning domain values into the views pages show, in the reader's zone.

use crate::domain::change::Change;
use crate::domain::follow_up::FollowUp;
use crate::domain::impact::ImpactFigure;
use crate::domain::incident::{Incident, MilestoneKind};
use crate::domain::time::{RecordedTime, Zone, t_offset};
use crate::domain::timeline::TimelineEntry;
use crate::dto::postmortem::{
    ChangeView, FollowUpRow, ImpactRow, IncidentHeader, LabelledValue, LessonsView, ParameterRow,
    TimelineRow,
};
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
    let duration = |label: &str, d: Option<crate::domain::time::ApproxDuration>| LabelledValue {
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
        time_source: e.entry.time_source.clone(),
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
    let today = crate::server::request::today(zone);
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
        factor: None,
    }
}
