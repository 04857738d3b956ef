//! The contributing factors of the worked example: the trigger (the concurrency parameter took
//! its high default) and the conditions that let it have impact, each addressed by one of the
//! example's follow-ups or accepted with no action and a reason, so the example passes the
//! computed check.

use serde::{Deserialize, Serialize};

use crate::domain::factor::{FactorRole, NewFactor};

/// A factor of the worked example, with its category and links named rather than given as ids
/// (nothing has an id until it is stored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExampleFactor {
    /// The factor; its `category_id`, `changes` and `timeline_entries` are filled in when it is
    /// stored.
    pub factor: NewFactor,
    /// The name of its category (one the schema seeds).
    pub category: String,
    /// Whether it points at [`super::WorkedExample::change`].
    pub shows_in_change: bool,
    /// The name of the parameter of that change it points at.
    pub parameter: Option<String>,
    /// The position in [`super::WorkedExample::timeline`] of the entry that shows it.
    pub timeline_entry: Option<usize>,
    /// The positions in [`super::WorkedExample::follow_ups`] of the follow-ups that address it.
    pub addressed_by: Vec<usize>,
}

fn factor(
    statement: &str,
    category: &str,
    role: FactorRole,
    accepted: Option<&str>,
) -> ExampleFactor {
    ExampleFactor {
        factor: NewFactor {
            statement: statement.into(),
            category_id: 0,
            role,
            accepted_reason: accepted.map(str::to_owned),
            changes: Vec::new(),
            timeline_entries: Vec::new(),
        },
        category: category.into(),
        shows_in_change: true,
        parameter: None,
        timeline_entry: None,
        addressed_by: Vec::new(),
    }
}

/// The factors, trigger first.
pub(super) fn factors() -> Vec<ExampleFactor> {
    vec![
        ExampleFactor {
            parameter: Some("concurrency".into()),
            timeline_entry: Some(3),
            // "Make the generic job's default concurrency safe".
            addressed_by: vec![2],
            ..factor(
                "The concurrency parameter was left unset and took the generic job's high default.",
                "Risky default",
                FactorRole::Trigger,
                None,
            )
        },
        ExampleFactor {
            // "Ask for confirmation when a run would touch every server".
            addressed_by: vec![3],
            ..factor(
                "The generic run-command job has fewer safeguards than the dedicated restart job: \
                 it does not start with one server and ask before going on.",
                "Missing safeguard",
                FactorRole::Condition,
                None,
            )
        },
        factor(
            "The generic job's high default concurrency is sensible for its usual use across \
             hundreds of servers.",
            "Risky default",
            FactorRole::Condition,
            Some(
                "The default suits the job's everyday runs; a safe default for restarts and a \
                 confirmation before touching every server (both follow-ups) cover the risk.",
            ),
        ),
        ExampleFactor {
            shows_in_change: false,
            // "Teach the dedicated application-restart job to everyone who plans changes".
            addressed_by: vec![1],
            ..factor(
                "The dedicated application-restart job was not well known to the planner: it is \
                 mostly run as part of deploys.",
                "Knowledge and training",
                FactorRole::Condition,
                None,
            )
        },
        ExampleFactor {
            timeline_entry: Some(2),
            // "Give plans that use the generic run-command job extra scrutiny".
            addressed_by: vec![0],
            ..factor(
                "The plan review covered the steps, not the parameters each step would run with.",
                "Plan and review",
                FactorRole::Condition,
                None,
            )
        },
        ExampleFactor {
            shows_in_change: false,
            timeline_entry: Some(0),
            ..factor(
                "An earlier failed attempt at the same change had raised the stakes.",
                "Pressure and context",
                FactorRole::Condition,
                Some(
                    "The fix for the earlier attempt was tested outside production first, as it \
                     should be; the pressure is noted for reviewers, and no action would remove it.",
                ),
            )
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::super::worked_example;
    use crate::domain::factor::{Factor, FactorForm, FactorRole, check};
    use crate::domain::follow_up::FollowUp;

    #[test]
    fn the_worked_example_s_factors_pass_their_form_and_the_computed_check() {
        let example = worked_example().expect("the worked example");
        let factors: Vec<Factor> = example
            .factors
            .iter()
            .enumerate()
            .map(|(n, f)| Factor {
                id: n as i64 + 1,
                incident_id: 1,
                category: f.category.clone(),
                factor: f.factor.clone(),
            })
            .collect();
        for f in &example.factors {
            let form = FactorForm {
                category_id: "1".into(),
                ..FactorForm::from_factor(&f.factor)
            };
            assert!(form.parse().is_ok(), "{:?}", f.factor.statement);
        }
        let follow_ups: Vec<FollowUp> = example
            .follow_ups
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let mut f = crate::domain::follow_up::tests::follow_up(n as i64 + 1);
                f.follow_up = item.follow_up.clone();
                f.state = item.state;
                f.follow_up.factor_id = example
                    .factors
                    .iter()
                    .position(|x| x.addressed_by.contains(&n))
                    .map(|p| p as i64 + 1);
                f
            })
            .collect();
        let found = check(&factors, &follow_ups);
        assert!(found.holds(), "{found:?}");
        assert_eq!(
            factors
                .iter()
                .filter(|f| f.factor.role == FactorRole::Trigger)
                .count(),
            1
        );
        assert!(
            follow_ups.iter().all(|f| f.follow_up.factor_id.is_some()),
            "every follow-up of the example addresses a factor"
        );
    }
}
