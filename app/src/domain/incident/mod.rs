//! An incident and its postmortem: title, summary, severity, review status, the services it
//! touched, its four milestones (and the rule that they are in order), and the lessons learned.
//! Milestones live in `milestones`, lessons in `lessons`, the form that creates or edits an
//! incident in `form`; all are re-exported here.

mod form;
mod lessons;
mod milestones;

pub use form::IncidentForm;
pub use lessons::{Lessons, LessonsForm};
pub use milestones::{MilestoneKind, MilestoneOrderError, Milestones};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// How bad an incident was.
    pub enum Severity {
        /// Critical.
        Sev1 = ("sev1", "SEV1"),
        /// Major.
        Sev2 = ("sev2", "SEV2"),
        /// Minor.
        Sev3 = ("sev3", "SEV3"),
        /// No customer impact.
        Sev4 = ("sev4", "SEV4"),
    }
}

impl Severity {
    /// What the level means, in one line, so people pick the same level for the same impact.
    pub fn definition(self) -> &'static str {
        match self {
            Self::Sev1 => {
                "Critical: customers broadly cannot use a core product, or their data is lost or exposed."
            }
            Self::Sev2 => {
                "Major: a core function is degraded for many customers, or a secondary function is down."
            }
            Self::Sev3 => "Minor: few customers are affected, or a workaround exists.",
            Self::Sev4 => "No customer impact: an internal problem or a near miss.",
        }
    }
}

labelled_enum! {
    /// Where a postmortem is in its review.
    pub enum IncidentStatus {
        /// Being written.
        Draft = ("draft", "Draft"),
        /// Waiting for reviewers.
        InReview = ("in_review", "In review"),
        /// Reviewers asked for changes.
        ChangesRequested = ("changes_requested", "Changes requested"),
        /// Reviewers are satisfied.
        Approved = ("approved", "Approved"),
        /// Shared beyond the team.
        Published = ("published", "Published"),
    }
}

/// Reads a list of services typed one per line or separated by commas: trimmed, blanks dropped,
/// repeats (ignoring case) dropped, order kept.
pub fn parse_services(input: &str) -> Vec<String> {
    let mut services: Vec<String> = Vec::new();
    for name in input.split([',', '\n']).map(str::trim) {
        if !name.is_empty()
            && !services
                .iter()
                .any(|s| s.to_lowercase() == name.to_lowercase())
        {
            services.push(name.to_owned());
        }
    }
    services
}

/// A valid incident, ready to be stored (or to replace a stored one's fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewIncident {
    /// A short description of what happened.
    pub title: String,
    /// The summary, in Markdown.
    pub summary_md: String,
    /// How bad it was.
    pub severity: Severity,
    /// Where the postmortem is in its review.
    pub status: IncidentStatus,
    /// The services involved, in the order given.
    pub services: Vec<String>,
    /// When it started, was detected, mitigated and resolved; in order.
    pub milestones: Milestones,
}

/// A stored incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Its database id.
    pub id: i64,
    /// A short description of what happened.
    pub title: String,
    /// The summary, in Markdown.
    pub summary_md: String,
    /// How bad it was.
    pub severity: Severity,
    /// Where the postmortem is in its review.
    pub status: IncidentStatus,
    /// Its revision: 1 until a correction after publishing starts the next.
    pub revision: i32,
    /// The services involved.
    pub services: Vec<String>,
    /// When it started, was detected, mitigated and resolved.
    pub milestones: Milestones,
    /// What the team learned.
    pub lessons: Lessons,
    /// When it was first saved.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// Whether it has been published: it is, or a correction of a published one is under way.
    pub fn was_published(&self) -> bool {
        self.status == IncidentStatus::Published || self.revision > 1
    }

    /// Its editable fields, as the incident form produces them.
    pub fn as_new(&self) -> NewIncident {
        NewIncident {
            title: self.title.clone(),
            summary_md: self.summary_md.clone(),
            severity: self.severity,
            status: self.status,
            services: self.services.clone(),
            milestones: self.milestones.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::tests::{approx, minute, utc};

    #[test]
    fn severities_and_statuses_have_stable_names() {
        assert_eq!(
            Severity::ALL.map(Severity::as_str),
            ["sev1", "sev2", "sev3", "sev4"]
        );
        assert_eq!(
            Severity::ALL.map(Severity::label),
            ["SEV1", "SEV2", "SEV3", "SEV4"]
        );
        assert_eq!(
            IncidentStatus::ALL.map(IncidentStatus::as_str),
            [
                "draft",
                "in_review",
                "changes_requested",
                "approved",
                "published"
            ]
        );
        for status in IncidentStatus::ALL {
            assert_eq!(IncidentStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.as_str())
            );
        }
        assert_eq!(
            IncidentStatus::ChangesRequested.to_string(),
            "Changes requested"
        );
    }

    #[test]
    fn every_severity_has_its_own_one_line_definition() {
        let definitions = Severity::ALL.map(Severity::definition);
        for (i, definition) in definitions.iter().enumerate() {
            assert!(!definition.contains('\n'));
            assert!(definitions[i + 1..].iter().all(|other| other != definition));
        }
        assert!(
            Severity::Sev1
                .definition()
                .contains("cannot use a core product")
        );
        assert!(Severity::Sev4.definition().contains("near miss"));
    }

    #[test]
    fn services_are_split_trimmed_and_deduplicated_in_order() {
        assert_eq!(
            parse_services(" Login, Java applications\nJenkins,, login \r\n\nJENKINS "),
            ["Login", "Java applications", "Jenkins"]
        );
        assert!(parse_services("  ,\n ").is_empty());
    }

    #[test]
    fn a_stored_incident_gives_back_its_editable_fields() {
        let new = NewIncident {
            title: "Customer logins failed".into(),
            summary_md: "All logins failed.".into(),
            severity: Severity::Sev1,
            status: IncidentStatus::Published,
            services: vec!["Login".into()],
            milestones: Milestones {
                impact_started: Some(approx(10, 27)),
                detected: Some(minute(10, 28)),
                ..Milestones::default()
            },
        };
        let stored = Incident {
            id: 7,
            title: new.title.clone(),
            summary_md: new.summary_md.clone(),
            severity: new.severity,
            status: new.status,
            revision: 1,
            services: new.services.clone(),
            milestones: new.milestones.clone(),
            lessons: Lessons::default(),
            created_at: utc(12, 0, 0),
            updated_at: utc(13, 0, 0),
        };
        assert_eq!(stored.as_new(), new);
    }
}
