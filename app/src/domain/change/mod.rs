//! The changes behind an incident: what was changed or run, where, when and by whom (a role),
//! with which parameters, each marked when it silently took a default value (the commonest
//! hidden trigger), and the team's judgement of how it relates to the incident. Parameters live
//! in `parameter` and are re-exported here.

mod insights;
mod parameter;
mod recorded;

pub use insights::{
    ChangeInsight, EarlierIncident, FollowUpTally, IncidentRef, ParameterInsight, change_insights,
    earlier_involvement, job_key, same_job,
};
pub use parameter::{NewParameter, Parameter, ParameterForm};
pub use recorded::{ChangePayload, ParameterPayload, RecordedChange};

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, MAX_TITLE_CHARS, choice_or,
    optional_text, parse_link, required_choice, required_text,
};
use crate::domain::time::{RecordedTime, Zone, read_time_fields, to_input_value};

labelled_enum! {
    /// What sort of change it was.
    pub enum ChangeKind {
        /// New code released.
        Deploy = ("deploy", "Deploy"),
        /// Settings changed.
        Configuration = ("configuration", "Configuration"),
        /// A job or script run.
        JobRun = ("job_run", "Job run"),
        /// A feature flag flipped.
        FeatureFlag = ("feature_flag", "Feature flag"),
        /// Servers, networks or cloud resources changed.
        Infrastructure = ("infrastructure", "Infrastructure"),
        /// A schema change, migration or data fix.
        Database = ("database", "Database"),
        /// Something done by hand.
        ManualOperation = ("manual_operation", "Manual operation"),
    }
}

labelled_enum! {
    /// How a change relates to an incident: a judgement, explained by a rationale.
    pub enum ChangeRelation {
        /// Might have caused it; not yet confirmed.
        Suspected = ("suspected", "Suspected"),
        /// Set the incident off.
        ConfirmedTrigger = ("confirmed_trigger", "Confirmed trigger"),
        /// Made it worse or more likely without setting it off.
        Contributing = ("contributing", "Contributing factor"),
        /// Looked at and found unrelated.
        RuledOut = ("ruled_out", "Ruled out"),
    }
}

/// The change form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    /// What was changed or run; required.
    pub summary: String,
    /// A [`ChangeKind::as_str`]; required.
    pub kind: String,
    /// The system that made the change ("Chef", "Jenkins"); required.
    pub system: String,
    /// The job, commit or ticket; may be empty.
    pub identifier: String,
    /// An `http(s)` link to it; may be empty.
    pub link: String,
    /// `datetime-local` value; empty when not known.
    pub at: String,
    /// End of a range; read only when the precision is range.
    pub until: String,
    /// A [`crate::domain::time::Precision::as_str`]; empty means to the minute.
    pub precision: String,
    /// Who or what started it, by role.
    pub started_by: String,
    /// The plan it followed.
    pub plan: String,
    /// Who reviewed the plan, by role.
    pub reviewer: String,
    /// A [`ChangeRelation::as_str`]; empty means suspected.
    pub relation: String,
    /// Why the team judged the relation so, in Markdown.
    pub rationale: String,
}

/// A valid change, ready to be stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewChange {
    /// What was changed or run.
    pub summary: String,
    /// What sort of change it was.
    pub kind: ChangeKind,
    /// The system that made the change.
    pub system: String,
    /// The job, commit or ticket.
    pub identifier: String,
    /// A link to it; only `http://` and `https://` links.
    pub link: Option<String>,
    /// When it was made.
    pub time: Option<RecordedTime>,
    /// Who or what started it, by role.
    pub started_by: String,
    /// The plan it followed.
    pub plan: String,
    /// Who reviewed the plan, by role.
    pub reviewer: String,
    /// How it relates to the incident.
    pub relation: ChangeRelation,
    /// Why the team judged the relation so, in Markdown.
    pub rationale_md: String,
}

impl ChangeForm {
    /// The form a new change opens with: a job run, suspected, its time known to the minute.
    pub fn blank() -> Self {
        ChangeForm {
            kind: ChangeKind::JobRun.as_str().to_owned(),
            relation: ChangeRelation::Suspected.as_str().to_owned(),
            precision: crate::domain::time::Precision::Minute.as_str().to_owned(),
            ..ChangeForm::default()
        }
    }

    /// Checks the form, reading the time as wall-clock time in `zone`.
    ///
    /// # Errors
    /// Every problem, under the form field to correct: the summary, kind and system are
    /// required; a link must be an `http(s)` address; an empty relation means suspected.
    pub fn parse(&self, zone: &dyn Zone) -> Result<NewChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let summary = errors.check(
            "summary",
            required_text(&self.summary, "What was changed or run", MAX_TITLE_CHARS),
        );
        let kind = errors.check("kind", required_choice(&self.kind, "a kind of change"));
        let system = errors.check(
            "system",
            required_text(&self.system, "System", MAX_SHORT_TEXT_CHARS),
        );
        let mut short = |field: &str, value: &str, label: &str, max: usize| {
            errors
                .check(field, optional_text(value, label, max))
                .unwrap_or_default()
        };
        let identifier = short(
            "identifier",
            &self.identifier,
            "Identifier",
            MAX_SHORT_TEXT_CHARS,
        );
        let started_by = short(
            "started_by",
            &self.started_by,
            "Started by",
            MAX_SHORT_TEXT_CHARS,
        );
        let plan = short("plan", &self.plan, "Plan", MAX_MARKDOWN_CHARS);
        let reviewer = short("reviewer", &self.reviewer, "Reviewer", MAX_SHORT_TEXT_CHARS);
        let rationale_md = short(
            "rationale",
            &self.rationale,
            "Rationale",
            MAX_MARKDOWN_CHARS,
        );
        let link = errors.check("link", parse_link(&self.link)).flatten();
        let time = read_time_fields(
            &mut errors,
            "",
            [&self.at, &self.until, &self.precision],
            zone,
        );
        let relation = errors.check(
            "relation",
            choice_or(
                &self.relation,
                "a relation to the incident",
                ChangeRelation::Suspected,
            ),
        );
        match (summary, kind, system, relation) {
            (Some(summary), Some(kind), Some(system), Some(relation)) if errors.is_empty() => {
                Ok(NewChange {
                    summary,
                    kind,
                    system,
                    identifier,
                    link,
                    time,
                    started_by,
                    plan,
                    reviewer,
                    relation,
                    rationale_md,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form for editing `change`, with its time written on the clocks of `zone`.
    pub fn from_change(change: &NewChange, zone: &dyn Zone) -> Self {
        let (at, until, precision) = match &change.time {
            Some(time) => (
                to_input_value(time.at, zone.offset_at(time.at)),
                time.until
                    .map(|until| to_input_value(until, zone.offset_at(until)))
                    .unwrap_or_default(),
                time.precision.as_str().to_owned(),
            ),
            None => Default::default(),
        };
        Self {
            summary: change.summary.clone(),
            kind: change.kind.as_str().to_owned(),
            system: change.system.clone(),
            identifier: change.identifier.clone(),
            link: change.link.clone().unwrap_or_default(),
            at,
            until,
            precision,
            started_by: change.started_by.clone(),
            plan: change.plan.clone(),
            reviewer: change.reviewer.clone(),
            relation: change.relation.as_str().to_owned(),
            rationale: change.rationale_md.clone(),
        }
    }
}

/// A stored change with its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Its database id.
    pub id: i64,
    /// The incident it is linked to.
    pub incident_id: i64,
    /// The change.
    pub change: NewChange,
    /// The parameters it ran with.
    pub parameters: Vec<Parameter>,
}

impl Change {
    /// The parameters that were left unset and took a default: where hidden triggers hide.
    pub fn defaulted_parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(|parameter| parameter.parameter.is_default)
    }

    /// How follow-ups name this change: "Jenkins · generic run-command job", or
    /// "Jenkins: <summary>" when it has no identifier.
    pub fn name(&self) -> String {
        let c = &self.change;
        if c.identifier.is_empty() {
            format!("{}: {}", c.system, c.summary)
        } else {
            format!("{} · {}", c.system, c.identifier)
        }
    }

    /// What a follow-up targets: this change, or one of its parameters
    /// ("Jenkins · generic run-command job — parameter concurrency, took the default").
    /// A parameter id that is not this change's names the change alone.
    pub fn target_label(&self, parameter_id: Option<i64>) -> String {
        let name = self.name();
        match parameter_id.and_then(|id| self.parameters.iter().find(|p| p.id == id)) {
            Some(p) if p.parameter.is_default => {
                format!("{name} — parameter {}, took the default", p.parameter.name)
            }
            Some(p) => format!("{name} — parameter {}", p.parameter.name),
            None => name,
        }
    }

    /// Checks that `parameter` may be recorded on this change under its name: no other parameter
    /// (other than `replacing`, the one being edited) has the same name, ignoring case.
    ///
    /// # Errors
    /// Under `name` when the name is taken.
    pub fn check_parameter_name(
        &self,
        parameter: &NewParameter,
        replacing: Option<i64>,
    ) -> Result<(), FieldErrors> {
        let taken = self.parameters.iter().any(|p| {
            Some(p.id) != replacing && p.parameter.name.eq_ignore_ascii_case(&parameter.name)
        });
        if taken {
            return Err(parameter_name_taken(&parameter.name));
        }
        Ok(())
    }
}

/// The error for a parameter name the change already has.
pub fn parameter_name_taken(name: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(
        "name",
        format!("This change already has a parameter named {name:?}."),
    );
    errors
}

#[cfg(test)]
mod tests;
