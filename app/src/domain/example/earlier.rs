//! The worked example's earlier incident: the first attempt at the same JMX change, which broke
//! metrics collection for the Java applications without affecting customers, in the days
//! before 23 March 2020 (the exact date is not recorded, so its times are ranges). The login
//! outage links to it as "earlier attempt at the same change". Its impact was never counted: its
//! one figure is "not measured", with why, and not customer visible. The two incidents are
//! reviewed together, in one review group ([`REVIEW_GROUP`]).

use chrono::{DateTime, Utc};

use super::story::{Untold, march_2020};
use crate::domain::change::{ChangeKind, ChangeRelation, NewChange};
use crate::domain::impact::{NewImpactFigure, Quantity};
use crate::domain::incident::{IncidentStatus, Lessons, Milestones, NewIncident, Severity};
use crate::domain::relation::RelationKind;
use crate::domain::time::{Precision, RecordedTime};
use crate::domain::timeline::{EntryKind, Marker, NewTimelineEntry};

/// The earlier incident, and how the login outage is related to it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EarlierAttempt {
    pub incident: NewIncident,
    pub lessons: Lessons,
    pub timeline: Vec<NewTimelineEntry>,
    /// Its change: the same job as the login outage's.
    pub change: NewChange,
    /// The relation as the login outage reads it.
    pub relation: RelationKind,
    pub note: String,
    /// Its impact: what went missing, not measured.
    #[serde(default)]
    pub impact: Vec<NewImpactFigure>,
}

/// The review group the example's two incidents are reviewed in.
pub const REVIEW_GROUP: &str = "JMX settings rollout, March 2020";

const ENGINEERS: &str = "platform engineers";

fn between(from: DateTime<Utc>, until: DateTime<Utc>) -> Result<RecordedTime, Untold> {
    RecordedTime::new(from, Some(until), Precision::Range, 0).map_err(|e| e.to_string())
}

/// The days it happened in: before the corrected settings went out (from 18 March).
fn those_days() -> Result<RecordedTime, Untold> {
    between(march_2020(16, 9, 0)?, march_2020(18, 9, 0)?)
}

pub(super) fn earlier_attempt() -> Result<EarlierAttempt, Untold> {
    let when = those_days()?;
    Ok(EarlierAttempt {
        incident: NewIncident {
            title: "Metrics collection broke in the first JMX rollout".into(),
            summary_md: "In the days before 23 March 2020 (the exact date is not recorded), the \
                         first attempt at rolling out new JMX settings (how the Java \
                         applications' metrics are collected) broke metrics collection for the \
                         Java applications. Customers were not affected: the applications kept \
                         serving; only their metrics were missing.\n\n\
                         **Severity: SEV4.** An internal problem without customer impact."
                .into(),
            severity: Severity::Sev4,
            status: IncidentStatus::Draft,
            services: vec!["Java applications".into(), "Metrics".into()],
            milestones: Milestones {
                impact_started: Some(when),
                detected: None,
                mitigated: None,
                resolved: None,
            },
        },
        lessons: Lessons {
            went_well_md: "- The missing metrics were noticed and the settings corrected before \
                           anyone outside the team was affected."
                .into(),
            went_wrong_md: "- The new settings reached production before they had been tried in \
                            non-production environments."
                .into(),
            lucky_md: String::new(),
        },
        timeline: vec![
            entry(
                when,
                EntryKind::Change,
                None,
                "Roll out the first version of the new JMX settings to the Java applications \
                 and restart them with Jenkins' generic run-command job.",
            ),
            entry(
                when,
                EntryKind::Observation,
                Some(Marker::Detection),
                "Metrics from the Java applications stop arriving: the new JMX settings broke \
                 metrics collection. The applications keep serving; customers are not affected.",
            ),
            entry(
                when,
                EntryKind::Decision,
                Some(Marker::Repair),
                "Correct the settings, and send the corrected version to non-production \
                 environments first, more slowly than usual.",
            ),
        ],
        change: NewChange {
            summary: "Restart of the Java applications during the first JMX settings rollout"
                .into(),
            kind: ChangeKind::JobRun,
            system: "Jenkins".into(),
            identifier: "generic run-command job".into(),
            link: None,
            time: Some(when),
            started_by: ENGINEERS.into(),
            plan: String::new(),
            reviewer: String::new(),
            relation: ChangeRelation::Contributing,
            rationale_md: "The restart applied the first version of the JMX settings; the \
                           settings themselves broke metrics collection."
                .into(),
        },
        relation: RelationKind::EarlierAttempt,
        note: "It broke metrics collection; customers were not affected.".into(),
        impact: vec![NewImpactFigure {
            affected: "metrics from the Java applications were not collected".into(),
            quantity: Quantity::NotMeasured {
                reason: "the date was not recorded, and nobody measured how long the metrics \
                         were missing before the settings were corrected"
                    .into(),
            },
            unit: String::new(),
            window: None,
            estimation: String::new(),
            customer_visible: false,
        }],
    })
}

fn entry(
    time: RecordedTime,
    kind: EntryKind,
    marker: Option<Marker>,
    body: &str,
) -> NewTimelineEntry {
    NewTimelineEntry {
        time,
        kind,
        marker,
        actor: ENGINEERS.into(),
        body_md: body.into(),
        // Every time of this incident is the same range: only the days are remembered.
        time_source: "memory; the date was not recorded".into(),
    }
}
