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
    pub weekly_digest: String,
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
            Event::WeeklyDigest => &self.weekly_digest,
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
            Event::WeeklyDigest => &mut self.weekly_digest,
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
/// `not_submitted_days` after its incident was mitigated is brought to its authors, and again
/// every `not_submitted_days` after that until it is submitted.
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

impl NoticePolicy {
    /// Which not-submitted reminder is due at `now` for a draft whose incident was mitigated
    /// at `mitigated`: 1 from `not_submitted_days` after, 2 from twice that, and so on; `None`
    /// before the first.
    pub fn not_submitted_period(
        &self,
        mitigated: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<u32> {
        let every = i64::from(self.not_submitted_days.max(1)) * 86_400;
        let elapsed = now.signed_duration_since(mitigated).num_seconds();
        if elapsed < every {
            return None;
        }
        Some(u32::try_from(elapsed / every).unwrap_or(u32::MAX))
    }

    /// The latest mitigation time whose draft is due its first reminder at `now`.
    pub fn not_submitted_cutoff(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        now.checked_sub_signed(chrono::Duration::days(i64::from(self.not_submitted_days)))
    }
}

/// The most days either setting may have.
pub const MAX_NOTICE_DAYS: u32 = 90;

/// The local hour from which a person's daily digest is written.
pub const DIGEST_LOCAL_HOUR: u32 = 8;

/// Whether a person's weekly digest is due at their local time `local`: on Monday from
/// [`DIGEST_LOCAL_HOUR`] (a person whose Monday passes with no tick, the server being down all
/// day, has no digest that week rather than a late one).
pub fn weekly_digest_due(local: chrono::NaiveDateTime) -> bool {
    use chrono::{Datelike, Timelike};
    local.weekday() == chrono::Weekday::Mon && local.hour() >= DIGEST_LOCAL_HOUR
}

/// Whether a weekly digest may be due anywhere at `utc`: some zone (UTC−12 to UTC+14) is in
/// its Monday from [`DIGEST_LOCAL_HOUR`]. The rest of the week a tick reads nothing for them.
pub fn weekly_digest_due_somewhere(utc: chrono::NaiveDateTime) -> bool {
    // Monday from 08:00 is 16 hours long, so a zone with a part-hour offset is in it when a
    // whole-hour neighbour is.
    (-12..=14).any(|hours| weekly_digest_due(utc + chrono::Duration::hours(hours)))
}

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
    fn the_not_submitted_reminder_comes_every_n_days_after_mitigation() {
        use chrono::{Duration, TimeZone, Utc};
        let policy = NoticePolicy {
            due_soon_days: 3,
            not_submitted_days: 7,
        };
        let mitigated = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
        let at = |days: i64, secs: i64| mitigated + Duration::days(days) + Duration::seconds(secs);
        assert_eq!(policy.not_submitted_period(mitigated, at(7, -1)), None);
        assert_eq!(policy.not_submitted_period(mitigated, at(7, 0)), Some(1));
        assert_eq!(policy.not_submitted_period(mitigated, at(13, 0)), Some(1));
        assert_eq!(policy.not_submitted_period(mitigated, at(14, 0)), Some(2));
        assert_eq!(policy.not_submitted_period(mitigated, at(71, 0)), Some(10));
        // A mitigation time in the future (a mistyped year) is not reminded of.
        assert_eq!(policy.not_submitted_period(mitigated, at(-30, 0)), None);
        assert_eq!(policy.not_submitted_cutoff(at(7, 0)), Some(mitigated));
    }

    #[test]
    fn the_weekly_digest_is_due_on_monday_from_eight_local_and_somewhere_from_sunday_evening() {
        let at = |d: u32, h: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        // 2026-12-07 is a Monday.
        assert!(!weekly_digest_due(at(7, 7)));
        assert!(weekly_digest_due(at(7, 8)));
        assert!(weekly_digest_due(at(7, 23)));
        assert!(!weekly_digest_due(at(8, 9)));
        assert!(!weekly_digest_due(at(6, 9)));
        // Monday 08:00 in UTC+14 is Sunday 18:00 UTC; Monday 23:00 in UTC−12 is Tuesday 11:00.
        assert!(!weekly_digest_due_somewhere(at(6, 17)));
        assert!(weekly_digest_due_somewhere(at(6, 18)));
        assert!(weekly_digest_due_somewhere(at(8, 11)));
        assert!(!weekly_digest_due_somewhere(at(8, 12)));
        assert!(!weekly_digest_due_somewhere(at(10, 9)));
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
