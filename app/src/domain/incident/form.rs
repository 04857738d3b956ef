//! The incident form: the strings the browser sends for an incident's fields and its
//! milestones, read into a [`NewIncident`] in the author's time zone, and written back for editing.

use serde::{Deserialize, Serialize};

use super::{IncidentStatus, MilestoneKind, Milestones, NewIncident, parse_services};
use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, MAX_TITLE_CHARS, optional_text,
    required_choice, required_text,
};
use crate::domain::time::{Zone, read_time_fields, to_input_value};

/// The incident form as the browser sends it. Each milestone has three fields named after it:
/// `detected_at`, `detected_until` (for a range) and `detected_precision`.
/// Missing fields read as empty, so a form may leave out milestones it does not show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentForm {
    /// Required, at most 200 characters.
    pub title: String,
    /// Markdown, may be empty.
    pub summary: String,
    /// A [`Severity::as_str`]; required.
    pub severity: String,
    /// Services separated by commas or new lines.
    pub services: String,
    /// `datetime-local` value; empty when not known.
    pub impact_started_at: String,
    /// End of a range; read only when the precision is range.
    pub impact_started_until: String,
    /// A [`crate::domain::time::Precision::as_str`]; empty means to the minute.
    pub impact_started_precision: String,
    /// As `impact_started_at`.
    pub detected_at: String,
    /// As `impact_started_until`.
    pub detected_until: String,
    /// As `impact_started_precision`.
    pub detected_precision: String,
    /// As `impact_started_at`.
    pub mitigated_at: String,
    /// As `impact_started_until`.
    pub mitigated_until: String,
    /// As `impact_started_precision`.
    pub mitigated_precision: String,
    /// As `impact_started_at`.
    pub resolved_at: String,
    /// As `impact_started_until`.
    pub resolved_until: String,
    /// As `impact_started_precision`.
    pub resolved_precision: String,
}

impl IncidentForm {
    /// The form a new incident opens with: SEV3, each milestone known to the minute.
    pub fn blank() -> Self {
        let minute = || crate::domain::time::Precision::Minute.as_str().to_owned();
        IncidentForm {
            severity: super::Severity::Sev3.as_str().to_owned(),
            impact_started_precision: minute(),
            detected_precision: minute(),
            mitigated_precision: minute(),
            resolved_precision: minute(),
            ..IncidentForm::default()
        }
    }

    fn milestone_fields(&self, kind: MilestoneKind) -> [&str; 3] {
        let (at, until, precision) = match kind {
            MilestoneKind::ImpactStarted => (
                &self.impact_started_at,
                &self.impact_started_until,
                &self.impact_started_precision,
            ),
            MilestoneKind::Detected => (
                &self.detected_at,
                &self.detected_until,
                &self.detected_precision,
            ),
            MilestoneKind::Mitigated => (
                &self.mitigated_at,
                &self.mitigated_until,
                &self.mitigated_precision,
            ),
            MilestoneKind::Resolved => (
                &self.resolved_at,
                &self.resolved_until,
                &self.resolved_precision,
            ),
        };
        [at, until, precision]
    }

    fn milestone_fields_mut(&mut self, kind: MilestoneKind) -> [&mut String; 3] {
        match kind {
            MilestoneKind::ImpactStarted => [
                &mut self.impact_started_at,
                &mut self.impact_started_until,
                &mut self.impact_started_precision,
            ],
            MilestoneKind::Detected => [
                &mut self.detected_at,
                &mut self.detected_until,
                &mut self.detected_precision,
            ],
            MilestoneKind::Mitigated => [
                &mut self.mitigated_at,
                &mut self.mitigated_until,
                &mut self.mitigated_precision,
            ],
            MilestoneKind::Resolved => [
                &mut self.resolved_at,
                &mut self.resolved_until,
                &mut self.resolved_precision,
            ],
        }
    }

    /// Checks the form, reading times as wall-clock times in `zone`; milestones may be left
    /// empty. The result is a draft: only the review workflow moves a postmortem on, so an
    /// update keeps the stored status instead.
    ///
    /// # Errors
    /// Every problem, under the form field to correct (`"title"`, `"detected_at"`, …). Milestones
    /// out of order are reported on the later milestone's `_at` field.
    pub fn parse(&self, zone: &dyn Zone) -> Result<NewIncident, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check(
            "title",
            required_text(&self.title, "Title", MAX_TITLE_CHARS),
        );
        let summary_md = errors
            .check(
                "summary",
                optional_text(&self.summary, "Summary", MAX_MARKDOWN_CHARS),
            )
            .unwrap_or_default();
        let severity = errors.check("severity", required_choice(&self.severity, "a severity"));
        let services = parse_services(&self.services);
        if let Some(long) = services
            .iter()
            .find(|s| s.chars().count() > MAX_SHORT_TEXT_CHARS)
        {
            let start: String = long.chars().take(30).collect();
            errors.add(
                "services",
                format!("The service name starting “{start}…” is longer than {MAX_SHORT_TEXT_CHARS} characters; shorten it."),
            );
        }

        let mut milestones = Milestones::default();
        let mut times_valid = true;
        for kind in MilestoneKind::ALL {
            let fields = self.milestone_fields(kind);
            let before = errors.0.len();
            milestones.set(
                kind,
                read_time_fields(&mut errors, kind.as_str(), fields, zone),
            );
            times_valid &= errors.0.len() == before;
        }
        // An unreadable time would hide or invent an order problem: check order only when all are read.
        if times_valid && let Err(order) = milestones.check_order() {
            errors.add(&format!("{}_at", order.later.as_str()), order.message);
        }

        match (title, severity) {
            (Some(title), Some(severity)) if errors.is_empty() => Ok(NewIncident {
                title,
                summary_md,
                severity,
                status: IncidentStatus::Draft,
                services,
                milestones,
            }),
            _ => Err(errors),
        }
    }

    /// The form for editing `incident`, with times written on the clocks of `zone`.
    pub fn from_incident(incident: &NewIncident, zone: &dyn Zone) -> Self {
        let mut form = Self {
            title: incident.title.clone(),
            summary: incident.summary_md.clone(),
            severity: incident.severity.as_str().to_owned(),
            services: incident.services.join(", "),
            ..Self::default()
        };
        for kind in MilestoneKind::ALL {
            if let Some(time) = incident.milestones.get(kind) {
                let [at, until, precision] = form.milestone_fields_mut(kind);
                *at = to_input_value(time.at, zone.offset_at(time.at));
                *until = time
                    .until
                    .map(|u| to_input_value(u, zone.offset_at(u)))
                    .unwrap_or_default();
                *precision = time.precision.as_str().to_owned();
            }
        }
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::Severity;
    use crate::domain::time::tests::{approx, minute, utc};
    use crate::domain::time::{Precision, RecordedTime};
    use chrono::FixedOffset;

    fn utc0() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn valid_form() -> IncidentForm {
        IncidentForm {
            title: "Customer logins failed".into(),
            summary: "All logins failed for about a minute.".into(),
            severity: "sev1".into(),
            services: "Login, Jenkins".into(),
            impact_started_at: "2020-03-23T10:27".into(),
            impact_started_precision: "approximate".into(),
            detected_at: "2020-03-23T10:28".into(),
            detected_precision: "minute".into(),
            resolved_at: "2020-03-23T10:28".into(),
            resolved_until: "2020-03-23T10:29".into(),
            resolved_precision: "range".into(),
            ..IncidentForm::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_a_new_incident() {
        let incident = valid_form().parse(&utc0()).unwrap();
        assert_eq!(incident.title, "Customer logins failed");
        assert_eq!(incident.summary_md, "All logins failed for about a minute.");
        assert_eq!(incident.severity, Severity::Sev1);
        assert_eq!(incident.status, IncidentStatus::Draft);
        assert_eq!(incident.services, ["Login", "Jenkins"]);
        assert_eq!(incident.milestones.impact_started, Some(approx(10, 27)));
        assert_eq!(incident.milestones.detected, Some(minute(10, 28)));
        assert_eq!(incident.milestones.mitigated, None);
        let resolved = incident.milestones.resolved.unwrap();
        assert_eq!(
            (resolved.at, resolved.until),
            (utc(10, 28, 0), Some(utc(10, 29, 0)))
        );
    }

    #[test]
    fn times_are_read_in_the_authors_zone() {
        let bst = FixedOffset::east_opt(3_600).unwrap();
        let incident = valid_form().parse(&bst).unwrap();
        let detected = incident.milestones.detected.unwrap();
        assert_eq!(detected.at, utc(9, 28, 0));
        assert_eq!(detected.offset_minutes, 60);
    }

    #[test]
    fn form_errors_are_keyed_by_field() {
        let form = IncidentForm {
            title: "  ".into(),
            summary: "x".repeat(MAX_MARKDOWN_CHARS + 1),
            severity: String::new(),
            detected_at: "about ten".into(),
            resolved_until: String::new(),
            ..valid_form()
        };
        let errors = form.parse(&utc0()).unwrap_err();
        assert_eq!(errors.get("title"), Some("Title is required."));
        assert!(errors.get("summary").unwrap().contains("20,000"));
        assert_eq!(errors.get("severity"), Some("Choose a severity."));
        assert!(errors.get("detected_at").unwrap().contains("“about ten”"));
        assert!(
            errors
                .get("resolved_until")
                .unwrap()
                .contains("A range needs an end")
        );
        assert_eq!(errors.0.len(), 5);
    }

    #[test]
    fn milestones_out_of_order_are_reported_on_the_later_milestone() {
        let form = IncidentForm {
            detected_at: "2020-03-23T10:20".into(),
            ..valid_form()
        };
        let errors = form.parse(&utc0()).unwrap_err();
        assert_eq!(
            errors.get("detected_at"),
            Some(
                "Detected (23 Mar 2020 10:20 (UTC+00:00)) is before Impact started \
                 (≈ 23 Mar 2020 10:27 (UTC+00:00)): milestones must be in order."
            )
        );
        assert_eq!(errors.0.len(), 1);

        let form = IncidentForm {
            mitigated_at: "2020-03-23T10:00".into(),
            ..valid_form()
        };
        assert!(
            form.parse(&utc0())
                .unwrap_err()
                .get("mitigated_at")
                .is_some()
        );
    }

    #[test]
    fn order_is_not_judged_while_a_milestone_is_unreadable() {
        let form = IncidentForm {
            detected_at: "2020-03-23T10:20".into(),
            mitigated_at: "later".into(),
            ..valid_form()
        };
        let errors = form.parse(&utc0()).unwrap_err();
        assert_eq!(errors.get("detected_at"), None);
        assert!(errors.get("mitigated_at").is_some());
    }

    #[test]
    fn an_overlong_service_name_is_reported() {
        let form = IncidentForm {
            services: format!("Login, {}", "s".repeat(MAX_SHORT_TEXT_CHARS + 1)),
            ..valid_form()
        };
        let errors = form.parse(&utc0()).unwrap_err();
        assert!(
            errors
                .get("services")
                .unwrap()
                .contains("longer than 200 characters")
        );
    }

    #[test]
    fn the_edit_form_reads_back_the_same_incident() {
        let bst = FixedOffset::east_opt(3_600).unwrap();
        let mut incident = valid_form().parse(&bst).unwrap();
        incident.milestones.mitigated =
            Some(RecordedTime::new(utc(9, 28, 40), None, Precision::Exact, 60).unwrap());
        let form = IncidentForm::from_incident(&incident, &bst);
        assert_eq!(form.detected_at, "2020-03-23T10:28");
        assert_eq!(form.mitigated_at, "2020-03-23T10:28:40");
        assert_eq!(form.resolved_until, "2020-03-23T10:29");
        assert_eq!(form.resolved_precision, "range");
        assert_eq!(form.detected_until, "");
        assert_eq!(form.services, "Login, Jenkins");
        assert_eq!(form.severity, "sev1");
        assert_eq!(form.parse(&bst), Ok(incident.clone()));

        // Edited from another zone, the same instants are shown on that zone's clocks.
        let form = IncidentForm::from_incident(&incident, &utc0());
        assert_eq!(form.detected_at, "2020-03-23T09:28");
        let reread = form.parse(&utc0()).unwrap();
        assert_eq!(reread.milestones.detected.unwrap().at, utc(9, 28, 0));
    }

    #[test]
    fn a_form_with_missing_fields_deserialises_as_empty() {
        let form: IncidentForm =
            serde_json::from_str(r#"{"title":"Logins failed","severity":"sev2"}"#).unwrap();
        assert_eq!(form.detected_at, "");
        let incident = form.parse(&utc0()).unwrap();
        assert_eq!(incident.milestones, Milestones::default());
        assert!(incident.services.is_empty());
    }

    #[test]
    fn a_blank_incident_filled_with_a_title_is_sev3_with_minute_precise_milestones() {
        let form = IncidentForm {
            title: "Customer logins failed".into(),
            detected_at: "2020-03-23T10:28".into(),
            ..IncidentForm::blank()
        };
        let incident = form.parse(&utc0()).unwrap();
        assert_eq!(incident.severity, Severity::Sev3);
        assert_eq!(
            incident.milestones.detected.map(|t| t.precision),
            Some(Precision::Minute)
        );
        for precision in [
            &form.impact_started_precision,
            &form.mitigated_precision,
            &form.resolved_precision,
        ] {
            assert_eq!(precision, "minute");
        }
    }
}
