//! What each person chooses to hear by email ([`EmailChoices`]), and the admin's schedule for
//! the reminders Debrief sends by itself ([`NoticePolicy`]).

use serde::{Deserialize, Serialize};

use super::Event;
use crate::domain::form::{FieldErrors, checkbox};

/// The events a person turned off for email; every other event reaches them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChoices {
    pub off: Vec<Event>,
}

impl EmailChoices {
    /// Whether email about `event` reaches this person.
    pub fn wants(&self, event: Event) -> bool {
        !self.off.contains(&event)
    }
}

/// The "Email me about" form: one checkbox per event, named by the event's stored name;
/// ticked (`"on"`) means on. A box left unticked posts nothing, so a missing field is off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailChoicesForm {
    pub review_requested: String,
    pub changes_requested: String,
    pub approved: String,
    pub published: String,
    pub follow_up_assigned: String,
    pub follow_ups_due: String,
    pub postmortem_not_submitted: String,
    pub mentioned: String,
}

impl EmailChoicesForm {
    fn field(&self, event: Event) -> &str {
        match event {
            Event::ReviewRequested => &self.review_requested,
            Event::ChangesRequested => &self.changes_requested,
            Event::Approved => &self.approved,
            Event::Published => &self.published,
            Event::FollowUpAssigned => &self.follow_up_assigned,
            Event::FollowUpsDue => &self.follow_ups_due,
            Event::PostmortemNotSubmitted => &self.postmortem_not_submitted,
            Event::Mentioned => &self.mentioned,
        }
    }

    fn field_mut(&mut self, event: Event) -> &mut String {
        match event {
            Event::ReviewRequested => &mut self.review_requested,
            Event::ChangesRequested => &mut self.changes_requested,
            Event::Approved => &mut self.approved,
            Event::Published => &mut self.published,
            Event::FollowUpAssigned => &mut self.follow_up_assigned,
            Event::FollowUpsDue => &mut self.follow_ups_due,
            Event::PostmortemNotSubmitted => &mut self.postmortem_not_submitted,
            Event::Mentioned => &mut self.mentioned,
        }
    }

    /// The form showing `choices`.
    pub fn from_choices(choices: &EmailChoices) -> Self {
        let mut form = Self::default();
        for event in Event::ALL {
            if choices.wants(event) {
                *form.field_mut(event) = "on".to_owned();
            }
        }
        form
    }

    /// The choices the form says.
    pub fn parse(&self) -> EmailChoices {
        EmailChoices {
            off: Event::ALL
                .into_iter()
                .filter(|event| !checkbox(self.field(*event)))
                .collect(),
        }
    }
}

/// How Debrief reminds people by itself: a follow-up is in its owner's daily digest from
/// `due_soon_days` before its due date (and every day once overdue); a postmortem still a draft
/// `not_submitted_days` after its incident was mitigated is brought to its authors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePolicy {
    pub due_soon_days: u32,
    pub not_submitted_days: u32,
}

impl Default for NoticePolicy {
    fn default() -> Self {
        Self {
            due_soon_days: 3,
            not_submitted_days: 7,
        }
    }
}

/// The most days either setting may have.
pub const MAX_NOTICE_DAYS: u32 = 90;

/// The local hour from which a person's daily digest is written.
pub const DIGEST_LOCAL_HOUR: u32 = 8;

/// The admin's form for [`NoticePolicy`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticePolicyForm {
    pub due_soon_days: String,
    pub not_submitted_days: String,
}

impl NoticePolicyForm {
    pub fn from_policy(policy: &NoticePolicy) -> Self {
        Self {
            due_soon_days: policy.due_soon_days.to_string(),
            not_submitted_days: policy.not_submitted_days.to_string(),
        }
    }

    /// The policy the form says.
    ///
    /// # Errors
    /// Under each field that is not a whole number of days from 0 (due soon: only overdue) or
    /// 1 (not submitted) to [`MAX_NOTICE_DAYS`].
    pub fn parse(&self) -> Result<NoticePolicy, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut days = |field: &str, value: &str, least: u32| match value.trim().parse::<u32>() {
            Ok(n) if (least..=MAX_NOTICE_DAYS).contains(&n) => Some(n),
            _ => {
                errors.add(
                    field,
                    format!("Enter a whole number of days from {least} to {MAX_NOTICE_DAYS}."),
                );
                None
            }
        };
        let due = days("due_soon_days", &self.due_soon_days, 0);
        let late = days("not_submitted_days", &self.not_submitted_days, 1);
        match (due, late) {
            (Some(due_soon_days), Some(not_submitted_days)) => errors.into_result(NoticePolicy {
                due_soon_days,
                not_submitted_days,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_on_until_a_person_turns_it_off() {
        let all = EmailChoices::default();
        assert!(Event::ALL.iter().all(|e| all.wants(*e)));
        let form = EmailChoicesForm::from_choices(&all);
        assert_eq!(form.parse(), all);
    }

    #[test]
    fn an_unticked_box_turns_its_event_off_and_only_that_one() {
        let mut form = EmailChoicesForm::from_choices(&EmailChoices::default());
        form.follow_ups_due = String::new();
        let choices = form.parse();
        assert_eq!(choices.off, [Event::FollowUpsDue]);
        assert!(!choices.wants(Event::FollowUpsDue));
        assert!(choices.wants(Event::Mentioned));
    }

    #[test]
    fn notice_days_must_be_whole_numbers_in_range() {
        let form = NoticePolicyForm {
            due_soon_days: "x".into(),
            not_submitted_days: "0".into(),
        };
        let errors = form.parse().expect_err("refused");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["due_soon_days", "not_submitted_days"]);
        let ok = NoticePolicyForm {
            due_soon_days: " 0 ".into(),
            not_submitted_days: "14".into(),
        };
        assert_eq!(
            ok.parse(),
            Ok(NoticePolicy {
                due_soon_days: 0,
                not_submitted_days: 14
            })
        );
    }
}
