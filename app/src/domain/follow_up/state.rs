//! The life of a follow-up: which states it may move between, and what each move needs (an
//! owner and a due date to commit, a reason to drop it, evidence to call it verified).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DuePolicies, FollowUp, NewFollowUp, Verification};
use crate::domain::form::{FieldErrors, MAX_MARKDOWN_CHARS, optional_text, required_choice};

labelled_enum! {
    /// Where a follow-up is in its life.
    pub enum FollowUpState {
        /// An idea, not yet agreed.
        Proposed = ("proposed", "Proposed"),
        /// Agreed, with an owner and a due date.
        Committed = ("committed", "Committed"),
        /// Being worked on.
        InProgress = ("in_progress", "In progress"),
        /// Finished, not yet shown to work.
        Done = ("done", "Done"),
        /// Shown to work, with evidence. Final.
        Verified = ("verified", "Verified"),
        /// Decided against, with a reason.
        WontDo = ("wont_do", "Won't do"),
    }
}

impl FollowUpState {
    /// The states a follow-up may move to from this one: proposed → committed or won't do;
    /// committed → in progress, done, won't do or back to proposed; in progress → done, back to
    /// committed, or won't do; done → verified, or in progress to reopen; won't do → proposed to
    /// reconsider; verified is final.
    pub fn next_states(self) -> &'static [FollowUpState] {
        use FollowUpState::*;
        match self {
            Proposed => &[Committed, WontDo],
            Committed => &[InProgress, Done, WontDo, Proposed],
            InProgress => &[Done, Committed, WontDo],
            Done => &[Verified, InProgress],
            Verified => &[],
            WontDo => &[Proposed],
        }
    }

    /// Whether work on it is still to come: proposed, committed or in progress.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Proposed | Self::Committed | Self::InProgress)
    }

    /// Committed or in progress: work promised, so someone owns it by a date.
    pub fn needs_owner_and_due(self) -> bool {
        matches!(self, Self::Committed | Self::InProgress)
    }
}

/// The form that moves a follow-up to another state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TransitionForm {
    /// A [`FollowUpState::as_str`].
    pub to: String,
    /// The reason (for won't do) or the evidence (for verified); ignored otherwise.
    pub note: String,
}

impl TransitionForm {
    /// The state asked for.
    ///
    /// # Errors
    /// Under `to` when it is empty or not a state; under `note` when the note is longer than
    /// any Markdown field may be.
    pub fn target(&self) -> Result<FollowUpState, FieldErrors> {
        let mut errors = FieldErrors::new();
        let state = errors.check("to", required_choice(&self.to, "a state"));
        errors.check(
            "note",
            optional_text(&self.note, "The reason or evidence", MAX_MARKDOWN_CHARS),
        );
        match state {
            Some(state) if errors.is_empty() => Ok(state),
            _ => Err(errors),
        }
    }
}

/// Why a follow-up cannot move to a state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TransitionError {
    /// The state machine does not allow it.
    #[error("A follow-up that is {from} cannot move to {to}; from {from} it can move to: {}.", allowed(*.from))]
    NotAllowed {
        /// Its current state.
        from: FollowUpState,
        /// The state asked for.
        to: FollowUpState,
    },
    /// Won't do without a reason.
    #[error("Say why this won't be done: the reason stays with the follow-up.")]
    ReasonRequired,
    /// Verified without evidence.
    #[error("Describe the evidence that it worked (a test, a drill, a graph) to mark it verified.")]
    EvidenceRequired,
    /// Committed or in progress without an owner and a due date.
    #[error("Give this follow-up an owner and a due date before committing to it or starting it.")]
    OwnerAndDueRequired,
}

fn allowed(from: FollowUpState) -> String {
    let next: Vec<&str> = from.next_states().iter().map(|s| s.label()).collect();
    if next.is_empty() {
        "nothing, it is final".to_owned()
    } else {
        next.join(", ")
    }
}

impl NewFollowUp {
    /// Whether someone owns it by a date, as committing to it requires.
    pub fn has_owner_and_due(&self) -> bool {
        !self.owner.trim().is_empty() && self.due.is_some()
    }

    /// Checks that a follow-up with these fields may be in `state` (created in it, or edited
    /// while in it): committed and in progress need an owner and a due date.
    ///
    /// # Errors
    /// Under `owner` and `due`, whichever is missing.
    pub fn check_fits(&self, state: FollowUpState) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if state.needs_owner_and_due() {
            if self.owner_id.is_none() && self.owner.trim().is_empty() {
                errors.add("owner_id", "A committed follow-up needs an owner.");
            }
            if self.due.is_none() {
                errors.add("due", "A committed follow-up needs a due date.");
            }
        }
        errors.into_result(())
    }
}

impl FollowUp {
    /// Checks a move to `to`, returning the new state, won't-do reason and evidence. Won't do
    /// takes `note` as its reason and verified as its evidence, and neither may be blank;
    /// committed and in progress need an owner and a due date. The reason and evidence are kept
    /// while the follow-up moves on and cleared when it becomes open again (reopened,
    /// reconsidered).
    ///
    /// # Errors
    /// The first rule the move breaks.
    pub fn transition(
        &self,
        to: FollowUpState,
        note: &str,
    ) -> Result<(FollowUpState, Option<String>, Option<String>), TransitionError> {
        if !self.state.next_states().contains(&to) {
            return Err(TransitionError::NotAllowed {
                from: self.state,
                to,
            });
        }
        let note = note.trim();
        let follow_up = &self.follow_up;
        if to.needs_owner_and_due() && !follow_up.has_owner_and_due() {
            return Err(TransitionError::OwnerAndDueRequired);
        }
        let (mut reason, mut evidence) = if to.is_open() {
            (None, None)
        } else {
            (self.wont_do_reason.clone(), self.evidence.clone())
        };
        match to {
            FollowUpState::WontDo if note.is_empty() => {
                return Err(TransitionError::ReasonRequired);
            }
            FollowUpState::WontDo => reason = Some(note.to_owned()),
            FollowUpState::Verified if note.is_empty() => {
                return Err(TransitionError::EvidenceRequired);
            }
            FollowUpState::Verified => evidence = Some(note.to_owned()),
            _ => {}
        }
        Ok((to, reason, evidence))
    }
}

/// What a move needs to know besides the follow-up: when it happens, the team's due-date
/// policies, and who makes it.
#[derive(Clone, Debug)]
pub struct MoveContext<'a> {
    pub now: DateTime<Utc>,
    /// Today in the mover's zone, from which a policy's default due date counts.
    pub today: NaiveDate,
    pub policies: &'a DuePolicies,
    /// The mover's account id and name (recorded as the verifier when verifying).
    pub by: (i64, String),
}

impl FollowUp {
    /// The follow-up after moving to `to` (see [`FollowUp::transition`] for the rules).
    /// Committing or starting one without a due date gives it the policy's default for its
    /// priority. Moving from open to done, verified or won't do sets `closed_at`; moving back
    /// to open clears it and the verification. Verifying records who and when.
    ///
    /// # Errors
    /// The first rule the move breaks.
    pub fn moved(
        &self,
        to: FollowUpState,
        note: &str,
        context: &MoveContext<'_>,
    ) -> Result<FollowUp, TransitionError> {
        let mut next = self.clone();
        if to.needs_owner_and_due() && next.follow_up.due.is_none() {
            next.follow_up.due = context
                .policies
                .default_due(next.follow_up.priority, context.today);
        }
        let (state, reason, evidence) = next.transition(to, note)?;
        next.state = state;
        next.wont_do_reason = reason;
        next.evidence = evidence;
        next.closed_at = match (to.is_open(), self.state.is_open()) {
            (true, _) => None,
            (false, true) => Some(context.now),
            (false, false) => self.closed_at.or(Some(context.now)),
        };
        if to == FollowUpState::Verified {
            next.verified = Some(Verification {
                by_id: Some(context.by.0),
                by: context.by.1.clone(),
                at: context.now,
            });
        } else if to.is_open() {
            next.verified = None;
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::FollowUpState::*;
    use super::*;
    use crate::domain::follow_up::tests::follow_up;

    fn in_state(state: FollowUpState) -> FollowUp {
        FollowUp {
            state,
            ..follow_up(1)
        }
    }

    #[test]
    fn states_have_stable_names_and_labels() {
        assert_eq!(
            FollowUpState::ALL.map(FollowUpState::as_str),
            [
                "proposed",
                "committed",
                "in_progress",
                "done",
                "verified",
                "wont_do"
            ]
        );
        assert_eq!(WontDo.label(), "Won't do");
        assert_eq!(FollowUpState::parse("wont_do"), Some(WontDo));
        assert_eq!(
            serde_json::to_string(&InProgress).unwrap(),
            "\"in_progress\""
        );
    }

    #[test]
    fn the_state_machine_allows_exactly_these_moves() {
        let expected: [(FollowUpState, &[FollowUpState]); 6] = [
            (Proposed, &[Committed, WontDo]),
            (Committed, &[InProgress, Done, WontDo, Proposed]),
            (InProgress, &[Done, Committed, WontDo]),
            (Done, &[Verified, InProgress]),
            (Verified, &[]),
            (WontDo, &[Proposed]),
        ];
        for (from, next) in expected {
            assert_eq!(from.next_states(), next, "from {from}");
        }
    }

    #[test]
    fn every_allowed_move_succeeds_with_an_owner_a_due_date_and_a_note() {
        for from in FollowUpState::ALL {
            for &to in from.next_states() {
                let (state, _, _) = in_state(from)
                    .transition(to, "Drill on 2020-05-01 showed it works.")
                    .unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
                assert_eq!(state, to);
            }
        }
    }

    #[test]
    fn every_other_move_is_refused() {
        for from in FollowUpState::ALL {
            for to in FollowUpState::ALL {
                if !from.next_states().contains(&to) {
                    assert_eq!(
                        in_state(from).transition(to, "a note"),
                        Err(TransitionError::NotAllowed { from, to }),
                        "{from} → {to}"
                    );
                }
            }
        }
        // A sample, spelled out.
        for (from, to) in [
            (Proposed, Done),
            (Proposed, Verified),
            (Proposed, Proposed),
            (Committed, Verified),
            (InProgress, Proposed),
            (Done, Committed),
            (Done, WontDo),
            (Verified, InProgress),
            (WontDo, Committed),
        ] {
            assert!(in_state(from).transition(to, "a note").is_err());
        }
    }

    #[test]
    fn a_refused_move_says_what_is_allowed() {
        assert_eq!(
            in_state(Proposed)
                .transition(Done, "")
                .unwrap_err()
                .to_string(),
            "A follow-up that is Proposed cannot move to Done; from Proposed it can move to: \
             Committed, Won't do."
        );
        assert_eq!(
            in_state(Verified)
                .transition(Proposed, "")
                .unwrap_err()
                .to_string(),
            "A follow-up that is Verified cannot move to Proposed; from Verified it can move to: \
             nothing, it is final."
        );
    }

    #[test]
    fn wont_do_needs_a_reason() {
        for from in [Proposed, Committed, InProgress] {
            assert_eq!(
                in_state(from).transition(WontDo, "  "),
                Err(TransitionError::ReasonRequired)
            );
        }
        assert_eq!(
            in_state(Proposed).transition(WontDo, " The job is being retired. "),
            Ok((WontDo, Some("The job is being retired.".into()), None))
        );
    }

    #[test]
    fn a_note_longer_than_any_markdown_field_is_refused() {
        let form = TransitionForm {
            to: "verified".into(),
            note: "e".repeat(MAX_MARKDOWN_CHARS + 1),
        };
        assert!(form.target().unwrap_err().get("note").is_some());
    }

    #[test]
    fn verified_needs_evidence() {
        assert_eq!(
            in_state(Done).transition(Verified, ""),
            Err(TransitionError::EvidenceRequired)
        );
        assert_eq!(
            in_state(Done).transition(Verified, "Restart drill hit one server first."),
            Ok((
                Verified,
                None,
                Some("Restart drill hit one server first.".into())
            ))
        );
    }

    #[test]
    fn a_committed_follow_up_names_the_missing_owner_and_due_date_by_field() {
        let mut fields = follow_up(1).follow_up;
        assert!(fields.check_fits(Committed).is_ok());
        fields.owner = "  ".into();
        fields.due = None;
        for state in [Committed, InProgress] {
            let errors = fields.check_fits(state).unwrap_err();
            assert_eq!(
                errors.get("owner_id"),
                Some("A committed follow-up needs an owner.")
            );
            assert_eq!(
                errors.get("due"),
                Some("A committed follow-up needs a due date.")
            );
        }
        for state in [Proposed, Done, Verified, WontDo] {
            assert!(fields.check_fits(state).is_ok(), "{state:?}");
        }
    }

    #[test]
    fn committing_or_starting_needs_an_owner_and_a_due_date() {
        let no_owner = FollowUp {
            follow_up: NewFollowUp {
                owner: " ".into(),
                ..follow_up(1).follow_up
            },
            ..in_state(Proposed)
        };
        let no_due = FollowUp {
            follow_up: NewFollowUp {
                due: None,
                ..follow_up(1).follow_up
            },
            ..in_state(Proposed)
        };
        for unready in [&no_owner, &no_due] {
            assert_eq!(
                unready.transition(Committed, ""),
                Err(TransitionError::OwnerAndDueRequired)
            );
            for (from, to) in [
                (Committed, InProgress),
                (Done, InProgress),
                (InProgress, Committed),
            ] {
                let moved = FollowUp {
                    state: from,
                    ..unready.clone()
                };
                assert_eq!(
                    moved.transition(to, ""),
                    Err(TransitionError::OwnerAndDueRequired)
                );
            }
            // Ideas, endings and finished work need neither.
            assert!(unready.transition(WontDo, "Not worth it.").is_ok());
            let committed = FollowUp {
                state: Committed,
                ..unready.clone()
            };
            assert!(committed.transition(Done, "").is_ok());
            assert!(committed.transition(Proposed, "").is_ok());
        }
    }

    #[test]
    fn the_note_is_ignored_by_moves_that_need_none() {
        assert_eq!(
            in_state(Proposed).transition(Committed, "Agreed in the review."),
            Ok((Committed, None, None))
        );
    }

    #[test]
    fn reason_and_evidence_are_kept_moving_on_and_cleared_when_reopened() {
        let dropped = FollowUp {
            wont_do_reason: Some("Not worth it.".into()),
            ..in_state(WontDo)
        };
        assert_eq!(dropped.transition(Proposed, ""), Ok((Proposed, None, None)));

        let done = FollowUp {
            wont_do_reason: Some("An earlier reason.".into()),
            evidence: Some("Old evidence.".into()),
            ..in_state(Done)
        };
        assert_eq!(
            done.transition(Verified, "New evidence."),
            Ok((
                Verified,
                Some("An earlier reason.".into()),
                Some("New evidence.".into())
            ))
        );
        assert_eq!(
            done.transition(InProgress, ""),
            Ok((InProgress, None, None))
        );

        let committed = FollowUp {
            evidence: Some("Evidence.".into()),
            ..in_state(Committed)
        };
        assert_eq!(
            committed.transition(Done, ""),
            Ok((Done, None, Some("Evidence.".into())))
        );
    }

    #[test]
    fn open_states_are_the_ones_with_work_to_come() {
        let open: Vec<FollowUpState> = FollowUpState::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, [Proposed, Committed, InProgress]);
    }

    #[test]
    fn the_transition_form_names_a_state() {
        let form = TransitionForm {
            to: "verified".into(),
            note: "Drill passed.".into(),
        };
        assert_eq!(form.target(), Ok(Verified));
        let errors = TransitionForm {
            to: "finished".into(),
            note: String::new(),
        }
        .target()
        .unwrap_err();
        assert!(
            errors
                .get("to")
                .unwrap()
                .starts_with("“finished” is not a state")
        );
        assert_eq!(
            TransitionForm::default().target().unwrap_err().get("to"),
            Some("Choose a state.")
        );
    }

    fn context(policies: &DuePolicies) -> MoveContext<'_> {
        MoveContext {
            now: DateTime::from_timestamp(1_588_000_000, 0).unwrap(),
            today: crate::domain::follow_up::tests::date(2020, 4, 27),
            policies,
            by: (7, "Grace Hopper".into()),
        }
    }

    #[test]
    fn committing_without_a_due_date_takes_the_policy_for_its_priority() {
        let policies = DuePolicies::new([(crate::domain::follow_up::Priority::P2, 8)]);
        let mut idea = in_state(Proposed);
        idea.follow_up.due = None;
        let committed = idea.moved(Committed, "", &context(&policies)).unwrap();
        assert_eq!(
            committed.follow_up.due,
            Some(crate::domain::follow_up::tests::date(2020, 6, 22)),
            "27 April + 8 weeks"
        );
        idea.follow_up.priority = crate::domain::follow_up::Priority::P4;
        assert_eq!(
            idea.moved(Committed, "", &context(&policies)),
            Err(TransitionError::OwnerAndDueRequired),
            "no policy for P4: the due date must be given"
        );
        let dated = in_state(Proposed);
        assert_eq!(
            dated
                .moved(Committed, "", &context(&policies))
                .unwrap()
                .follow_up
                .due,
            dated.follow_up.due,
            "a due date given is kept"
        );
        assert_eq!(
            idea.moved(WontDo, "Retired.", &context(&policies))
                .unwrap()
                .follow_up
                .due,
            None,
            "only committing takes a default"
        );
    }

    #[test]
    fn verifying_records_who_and_when_and_closing_is_dated() {
        let policies = DuePolicies::default();
        let ctx = context(&policies);
        let done = in_state(InProgress).moved(Done, "", &ctx).unwrap();
        assert_eq!(done.closed_at, Some(ctx.now));
        assert_eq!(done.verified, None);
        let later = MoveContext {
            now: DateTime::from_timestamp(1_589_000_000, 0).unwrap(),
            ..ctx.clone()
        };
        let verified = done.moved(Verified, "Drill passed.", &later).unwrap();
        assert_eq!(verified.closed_at, Some(ctx.now), "closed when it was done");
        let verification = verified.verified.clone().unwrap();
        assert_eq!(
            (
                verification.by_id,
                verification.by.as_str(),
                verification.at
            ),
            (Some(7), "Grace Hopper", later.now)
        );
        assert_eq!(verified.evidence.as_deref(), Some("Drill passed."));
        let reopened = done.moved(InProgress, "", &later).unwrap();
        assert_eq!((reopened.closed_at, reopened.verified), (None, None));
        let dropped = in_state(Proposed).moved(WontDo, "Retired.", &ctx).unwrap();
        assert_eq!(dropped.closed_at, Some(ctx.now));
    }
}
