//! Due-date policies: how many weeks a team gives itself, per priority, from committing to a
//! follow-up to its due date. An admin sets them; committing a follow-up without a due date
//! takes the default for its priority.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Priority;
use crate::domain::form::FieldErrors;

/// The longest policy, in weeks (two years).
pub const MAX_POLICY_WEEKS: u32 = 104;

/// Weeks to the due date per priority; a priority without a policy has no default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuePolicies(Vec<(Priority, u32)>);

impl DuePolicies {
    /// Policies from (priority, weeks) pairs; a later pair for the same priority wins.
    pub fn new(pairs: impl IntoIterator<Item = (Priority, u32)>) -> Self {
        let mut policies = Self::default();
        for (priority, weeks) in pairs {
            policies.0.retain(|(p, _)| *p != priority);
            policies.0.push((priority, weeks));
        }
        policies.0.sort();
        policies
    }

    /// The weeks given to `priority`, if there is a policy.
    pub fn weeks(&self, priority: Priority) -> Option<u32> {
        self.0
            .iter()
            .find(|(p, _)| *p == priority)
            .map(|(_, weeks)| *weeks)
    }

    /// Every policy, highest priority first.
    pub fn pairs(&self) -> &[(Priority, u32)] {
        &self.0
    }

    /// The default due date of a follow-up of `priority` committed on `committed_on`.
    pub fn default_due(&self, priority: Priority, committed_on: NaiveDate) -> Option<NaiveDate> {
        let weeks = self.weeks(priority)?;
        committed_on.checked_add_days(Days::new(u64::from(weeks) * 7))
    }

    /// The policy in words, for hints under the due-date field: "P1 — highest: 4 weeks · P2 —
    /// high: 8 weeks"; empty without policies.
    pub fn describe(&self) -> String {
        self.0
            .iter()
            .map(|(priority, weeks)| {
                let unit = if *weeks == 1 { "week" } else { "weeks" };
                format!("{}: {weeks} {unit}", priority.label())
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The policy form: weeks per priority, each empty for no default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyForm {
    pub p1: String,
    pub p2: String,
    pub p3: String,
    pub p4: String,
}

impl PolicyForm {
    /// The form showing `policies`.
    pub fn from_policies(policies: &DuePolicies) -> Self {
        let weeks = |p| policies.weeks(p).map(|w| w.to_string()).unwrap_or_default();
        Self {
            p1: weeks(Priority::P1),
            p2: weeks(Priority::P2),
            p3: weeks(Priority::P3),
            p4: weeks(Priority::P4),
        }
    }

    /// Checks the form.
    ///
    /// # Errors
    /// Under each priority's field whose value is not a whole number of weeks from 1 to 104.
    pub fn parse(&self) -> Result<DuePolicies, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut pairs = Vec::new();
        for (priority, field, value) in [
            (Priority::P1, "p1", &self.p1),
            (Priority::P2, "p2", &self.p2),
            (Priority::P3, "p3", &self.p3),
            (Priority::P4, "p4", &self.p4),
        ] {
            let text = value.trim();
            if text.is_empty() {
                continue;
            }
            match text.parse::<u32>() {
                Ok(weeks) if (1..=MAX_POLICY_WEEKS).contains(&weeks) => {
                    pairs.push((priority, weeks));
                }
                _ => errors.add(
                    field,
                    format!(
                        "“{text}” is not a number of weeks: enter a whole number from 1 to \
                         {MAX_POLICY_WEEKS}, or leave it empty for no default."
                    ),
                ),
            }
        }
        errors.into_result(DuePolicies::new(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::follow_up::tests::date;

    #[test]
    fn the_default_due_date_is_the_policy_weeks_after_committing() {
        let policies = DuePolicies::new([(Priority::P1, 4), (Priority::P2, 8)]);
        let committed = date(2020, 3, 24);
        assert_eq!(
            policies.default_due(Priority::P1, committed),
            Some(date(2020, 4, 21))
        );
        assert_eq!(
            policies.default_due(Priority::P2, committed),
            Some(date(2020, 5, 19))
        );
        assert_eq!(policies.default_due(Priority::P3, committed), None);
        assert_eq!(
            policies.describe(),
            "P1 — highest: 4 weeks · P2 — high: 8 weeks"
        );
        assert_eq!(DuePolicies::default().describe(), "");
    }

    #[test]
    fn the_form_reads_weeks_per_priority_and_names_bad_values_by_field() {
        let form = PolicyForm {
            p1: " 2 ".into(),
            p2: String::new(),
            p3: "12".into(),
            p4: "1".into(),
        };
        let policies = form.parse().unwrap();
        assert_eq!(
            policies.pairs(),
            [(Priority::P1, 2), (Priority::P3, 12), (Priority::P4, 1)]
        );
        assert_eq!(
            PolicyForm::from_policies(&policies),
            PolicyForm {
                p1: "2".into(),
                ..form
            }
        );
        assert_eq!(
            policies.describe(),
            "P1 — highest: 2 weeks · P3 — medium: 12 weeks · P4 — low: 1 week"
        );
        let errors = PolicyForm {
            p1: "0".into(),
            p2: "four".into(),
            p3: "105".into(),
            p4: "-1".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.0.len(), 4);
        assert!(
            errors
                .get("p2")
                .unwrap()
                .starts_with("“four” is not a number of weeks")
        );
    }

    #[test]
    fn a_later_policy_for_the_same_priority_wins() {
        let policies = DuePolicies::new([(Priority::P2, 8), (Priority::P1, 4), (Priority::P2, 6)]);
        assert_eq!(policies.pairs(), [(Priority::P1, 4), (Priority::P2, 6)]);
    }
}
