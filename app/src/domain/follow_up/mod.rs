//! Follow-up actions: what the team will do so the system cannot fail the same way again, who
//! owns each and by when, and the life of each from an idea to verified (with evidence that it
//! worked) or won't do (with a reason). The state machine lives in `state`, what managers review
//! (overdue, review order) in `review`; both are re-exported here.

mod backlog;
mod dashboard;
mod policy;
mod review;
mod state;

pub use backlog::{BacklogWeek, backlog_by_week, backlog_weeks};
pub use dashboard::{
    Bucket, DUE_SOON_DAYS, DashboardFilter, DashboardQuery, GroupCounts, Tracked, bucket_counts,
    counts_by, encode, ranked,
};
pub use policy::{DuePolicies, PolicyForm};
pub use review::sort_for_review;
pub use state::{FollowUpState, MoveContext, TransitionError, TransitionForm};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, MAX_TITLE_CHARS, optional_text,
    required_choice, required_text,
};

labelled_enum! {
    /// What a follow-up does about the incident.
    pub enum ActionType {
        /// Stops it happening again.
        Prevent = ("prevent", "Prevent"),
        /// Makes it less harmful or shorter when it does.
        Mitigate = ("mitigate", "Mitigate"),
        /// Notices it sooner.
        Detect = ("detect", "Detect"),
        /// Changes how people work: reviews, checklists, approvals.
        Process = ("process", "Process"),
        /// Shares knowledge: training, documentation.
        Educate = ("educate", "Educate"),
    }
}

labelled_enum! {
    /// How soon a follow-up should be done; P1 first.
    #[derive(PartialOrd, Ord)]
    pub enum Priority {
        /// Do first.
        P1 = ("p1", "P1 — highest"),
        /// Soon.
        P2 = ("p2", "P2 — high"),
        /// In the normal course of work.
        P3 = ("p3", "P3 — medium"),
        /// When there is time.
        P4 = ("p4", "P4 — low"),
    }
}

/// The follow-up form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpForm {
    /// Required, at most 200 characters.
    pub title: String,
    /// Markdown, may be empty.
    pub description: String,
    /// An [`ActionType::as_str`]; required.
    pub action_type: String,
    /// A [`Priority::as_str`]; required.
    pub priority: String,
    /// The owner picked from the people of this Debrief: a user id; "none" for no owner; empty
    /// to keep the free-text `owner` (named before accounts existed).
    pub owner_id: String,
    /// A free-text owner, from before accounts; read only when `owner_id` is empty.
    pub owner: String,
    /// "YYYY-MM-DD" or empty.
    pub due: String,
    /// The id of the change it addresses, or empty.
    pub change_id: String,
    /// The id of the parameter of that change it addresses, or empty.
    pub parameter_id: String,
    /// The id of the contributing factor it addresses, or empty.
    pub factor_id: String,
}

/// A valid follow-up, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFollowUp {
    /// What will be done.
    pub title: String,
    /// More detail, in Markdown.
    pub description_md: String,
    /// What it does about the incident.
    pub action_type: ActionType,
    /// How soon.
    pub priority: Priority,
    /// The person who owns it, when picked from the people of this Debrief.
    pub owner_id: Option<i64>,
    /// Who owns it by name: the person's name when `owner_id` is set (as it was when they were
    /// picked), else free text named before accounts existed.
    pub owner: String,
    /// When it is due.
    pub due: Option<NaiveDate>,
    /// The change it addresses.
    pub change_id: Option<i64>,
    /// The parameter (of that change) it addresses: the missing safeguard.
    pub parameter_id: Option<i64>,
    /// The contributing factor it addresses (exports from before factors have none).
    #[serde(default)]
    pub factor_id: Option<i64>,
}

fn parse_due(value: &str) -> Result<Option<NaiveDate>, String> {
    let text = value.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("“{text}” is not a date; enter it like 2020-04-30."))
}

impl FollowUpForm {
    /// The form a new follow-up opens with: a high-priority action that prevents a recurrence.
    pub fn blank() -> Self {
        FollowUpForm {
            action_type: ActionType::Prevent.as_str().to_owned(),
            priority: Priority::P2.as_str().to_owned(),
            ..FollowUpForm::default()
        }
    }

    /// Checks the form.
    ///
    /// # Errors
    /// Every problem, under the form field to correct: the title, type and priority are
    /// required; a parameter can only be targeted together with its change.
    pub fn parse(&self) -> Result<NewFollowUp, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check(
            "title",
            required_text(&self.title, "Title", MAX_TITLE_CHARS),
        );
        let description_md = errors
            .check(
                "description",
                optional_text(&self.description, "Description", MAX_MARKDOWN_CHARS),
            )
            .unwrap_or_default();
        let action_type = errors.check(
            "action_type",
            required_choice(&self.action_type, "a type of action"),
        );
        let priority = errors.check("priority", required_choice(&self.priority, "a priority"));
        let (owner_id, owner) = match self.owner_id.trim() {
            "none" => (None, String::new()),
            "" => (
                None,
                errors
                    .check(
                        "owner",
                        optional_text(&self.owner, "Owner", MAX_SHORT_TEXT_CHARS),
                    )
                    .unwrap_or_default(),
            ),
            picked => (
                errors
                    .check(
                        "owner_id",
                        crate::domain::form::picked_id(picked, "a person"),
                    )
                    .flatten(),
                // The person's name is looked up when the follow-up is saved.
                self.owner.trim().to_owned(),
            ),
        };
        let due = errors.check("due", parse_due(&self.due)).flatten();
        let change_id = errors
            .check(
                "change_id",
                crate::domain::form::picked_id(&self.change_id, "a change"),
            )
            .flatten();
        let parameter_id = errors
            .check(
                "parameter_id",
                crate::domain::form::picked_id(&self.parameter_id, "a parameter"),
            )
            .flatten();
        let factor_id = errors
            .check(
                "factor_id",
                crate::domain::form::picked_id(&self.factor_id, "a contributing factor"),
            )
            .flatten();
        if parameter_id.is_some() && self.change_id.trim().is_empty() {
            errors.add(
                "parameter_id",
                "Choose the change this parameter belongs to as well.",
            );
        }
        match (title, action_type, priority) {
            (Some(title), Some(action_type), Some(priority)) if errors.is_empty() => {
                Ok(NewFollowUp {
                    title,
                    description_md,
                    action_type,
                    priority,
                    owner_id,
                    owner,
                    due,
                    change_id,
                    parameter_id,
                    factor_id,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form for editing `follow_up`.
    pub fn from_follow_up(follow_up: &NewFollowUp) -> Self {
        let id = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
        Self {
            title: follow_up.title.clone(),
            description: follow_up.description_md.clone(),
            action_type: follow_up.action_type.as_str().to_owned(),
            priority: follow_up.priority.as_str().to_owned(),
            owner_id: match (follow_up.owner_id, follow_up.owner.is_empty()) {
                (Some(id), _) => id.to_string(),
                (None, true) => "none".to_owned(),
                (None, false) => String::new(),
            },
            owner: follow_up.owner.clone(),
            due: follow_up
                .due
                .map(|due| due.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            change_id: id(follow_up.change_id),
            parameter_id: id(follow_up.parameter_id),
            factor_id: id(follow_up.factor_id),
        }
    }
}

/// Who verified a follow-up, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Their account, when they still have one.
    pub by_id: Option<i64>,
    /// Their name as it was when they verified.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A stored follow-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Its database id.
    pub id: i64,
    /// The incident it came out of.
    pub incident_id: i64,
    /// What it is.
    pub follow_up: NewFollowUp,
    /// Where it is in its life.
    pub state: FollowUpState,
    /// Why it won't be done.
    pub wont_do_reason: Option<String>,
    /// The evidence that it worked.
    pub evidence: Option<String>,
    /// Who verified it and when, once verified.
    pub verified: Option<Verification>,
    /// When it last moved from open to done, verified or won't do; None while open.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it was first saved.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A proposed follow-up with an owner and a due date, ready to be committed.
    pub(crate) fn follow_up(id: i64) -> FollowUp {
        let created = DateTime::from_timestamp(1_585_000_000, 0).unwrap();
        FollowUp {
            id,
            incident_id: 1,
            follow_up: NewFollowUp {
                title: "Make the generic job's default concurrency 1".into(),
                description_md: String::new(),
                action_type: ActionType::Prevent,
                priority: Priority::P2,
                owner_id: None,
                owner: "Platform team".into(),
                due: Some(date(2020, 4, 30)),
                change_id: None,
                parameter_id: None,
                factor_id: None,
            },
            state: FollowUpState::Proposed,
            wont_do_reason: None,
            evidence: None,
            verified: None,
            closed_at: None,
            created_at: created,
            updated_at: created,
        }
    }

    fn form() -> FollowUpForm {
        FollowUpForm {
            title: "Ask for confirmation before a run touches every server".into(),
            description: "Show how many servers a run will touch.".into(),
            action_type: "prevent".into(),
            priority: "p2".into(),
            owner_id: String::new(),
            owner: "Platform team".into(),
            due: "2020-04-30".into(),
            change_id: "12".into(),
            parameter_id: "34".into(),
            factor_id: String::new(),
        }
    }

    #[test]
    fn an_owner_is_a_picked_person_none_or_a_name_from_before_accounts() {
        let owner = |owner_id: &str, owner: &str| {
            let f = FollowUpForm {
                owner_id: owner_id.into(),
                owner: owner.into(),
                ..form()
            }
            .parse()
            .expect("valid");
            (f.owner_id, f.owner)
        };
        assert_eq!(owner("7", ""), (Some(7), String::new()), "named when saved");
        assert_eq!(owner("none", "Platform team"), (None, String::new()));
        assert_eq!(owner("", " Platform team "), (None, "Platform team".into()));
        let errors = FollowUpForm {
            owner_id: "someone".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert!(errors.get("owner_id").is_some());
        let back = |owner_id: Option<i64>, owner: &str| {
            FollowUpForm::from_follow_up(&NewFollowUp {
                owner_id,
                owner: owner.into(),
                ..form().parse().unwrap()
            })
            .owner_id
        };
        assert_eq!(back(Some(7), "Grace Hopper"), "7");
        assert_eq!(back(None, ""), "none");
        assert_eq!(back(None, "Platform team"), "", "the free text is kept");
    }

    #[test]
    fn types_and_priorities_have_stable_names() {
        assert_eq!(
            ActionType::ALL.map(ActionType::as_str),
            ["prevent", "mitigate", "detect", "process", "educate"]
        );
        assert_eq!(
            Priority::ALL.map(Priority::label),
            ["P1 — highest", "P2 — high", "P3 — medium", "P4 — low"]
        );
        assert_eq!(Priority::parse("p4"), Some(Priority::P4));
        assert!(Priority::P1 < Priority::P4, "P1 sorts first");
    }

    #[test]
    fn a_valid_form_becomes_a_follow_up() {
        assert_eq!(
            form().parse(),
            Ok(NewFollowUp {
                title: "Ask for confirmation before a run touches every server".into(),
                description_md: "Show how many servers a run will touch.".into(),
                action_type: ActionType::Prevent,
                priority: Priority::P2,
                owner_id: None,
                owner: "Platform team".into(),
                due: Some(date(2020, 4, 30)),
                change_id: Some(12),
                parameter_id: Some(34),
                factor_id: None,
            })
        );
    }

    #[test]
    fn owner_due_date_and_targets_may_be_left_empty() {
        let follow_up = FollowUpForm {
            owner: String::new(),
            due: String::new(),
            change_id: String::new(),
            parameter_id: String::new(),
            ..form()
        }
        .parse()
        .unwrap();
        assert_eq!(
            (
                follow_up.owner.as_str(),
                follow_up.due,
                follow_up.change_id,
                follow_up.parameter_id
            ),
            ("", None, None, None)
        );
    }

    #[test]
    fn form_errors_are_keyed_by_field() {
        let errors = FollowUpForm {
            title: String::new(),
            action_type: "fix".into(),
            priority: String::new(),
            due: "30/04/2020".into(),
            change_id: "twelve".into(),
            parameter_id: "-3".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("title"), Some("Title is required."));
        assert!(
            errors
                .get("action_type")
                .unwrap()
                .contains("“fix” is not a type of action")
        );
        assert_eq!(errors.get("priority"), Some("Choose a priority."));
        assert_eq!(
            errors.get("due"),
            Some("“30/04/2020” is not a date; enter it like 2020-04-30.")
        );
        assert!(
            errors
                .get("change_id")
                .unwrap()
                .contains("“twelve” is not a change")
        );
        assert!(
            errors
                .get("parameter_id")
                .unwrap()
                .contains("“-3” is not a parameter")
        );
        assert_eq!(errors.0.len(), 6);
    }

    #[test]
    fn a_parameter_can_only_be_targeted_with_its_change() {
        let errors = FollowUpForm {
            change_id: " ".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.get("parameter_id"),
            Some("Choose the change this parameter belongs to as well.")
        );
        assert_eq!(errors.0.len(), 1);
    }

    #[test]
    fn the_edit_form_reads_back_the_same_follow_up() {
        let with_targets = form().parse().unwrap();
        let without = NewFollowUp {
            due: None,
            change_id: None,
            parameter_id: None,
            ..with_targets.clone()
        };
        for follow_up in [with_targets, without] {
            assert_eq!(
                FollowUpForm::from_follow_up(&follow_up).parse(),
                Ok(follow_up)
            );
        }
        assert_eq!(
            FollowUpForm::from_follow_up(&form().parse().unwrap()).due,
            "2020-04-30"
        );
    }

    #[test]
    fn a_blank_follow_up_filled_with_a_title_is_a_high_priority_prevention() {
        let form = FollowUpForm {
            title: "Give the job a safe default concurrency".into(),
            ..FollowUpForm::blank()
        };
        let follow_up = form.parse().unwrap();
        assert_eq!(follow_up.action_type, ActionType::Prevent);
        assert_eq!(follow_up.priority, Priority::P2);
    }
}
