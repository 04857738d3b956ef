//! What managers look at: which follow-ups are overdue, and the order to review them in.

use chrono::NaiveDate;

use super::FollowUp;

impl FollowUp {
    /// Whether it is committed or in progress and was due before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.state.needs_owner_and_due() && self.follow_up.due.is_some_and(|due| due < today)
    }
}

/// Orders follow-ups for review: overdue first, then by due date (none last), then by priority,
/// then by id.
pub fn sort_for_review(items: &mut [FollowUp], today: NaiveDate) {
    items.sort_by_key(|item| {
        (
            !item.is_overdue(today),
            item.follow_up.due.is_none(),
            item.follow_up.due,
            item.follow_up.priority,
            item.id,
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::follow_up::tests::{date, follow_up};
    use crate::domain::follow_up::{FollowUpState, Priority};

    fn item(id: i64, state: FollowUpState, due: Option<NaiveDate>, priority: Priority) -> FollowUp {
        let mut item = follow_up(id);
        item.state = state;
        item.follow_up.due = due;
        item.follow_up.priority = priority;
        item
    }

    #[test]
    fn committed_or_in_progress_work_past_its_due_date_is_overdue() {
        let today = date(2020, 5, 1);
        let due = |state, day| item(1, state, Some(day), Priority::P2).is_overdue(today);
        assert!(due(FollowUpState::Committed, date(2020, 4, 30)));
        assert!(due(FollowUpState::InProgress, date(2020, 4, 1)));
        assert!(
            !due(FollowUpState::Committed, today),
            "due today is not late yet"
        );
        assert!(!due(FollowUpState::Committed, date(2020, 5, 2)));
        for state in [
            FollowUpState::Proposed,
            FollowUpState::Done,
            FollowUpState::Verified,
            FollowUpState::WontDo,
        ] {
            assert!(!due(state, date(2020, 4, 1)), "{state}");
        }
        assert!(!item(1, FollowUpState::Committed, None, Priority::P1).is_overdue(today));
    }

    #[test]
    fn review_order_is_overdue_then_due_date_then_priority_then_id() {
        use FollowUpState::*;
        let today = date(2020, 5, 1);
        let mut items = vec![
            item(1, Proposed, None, Priority::P1),
            item(2, Committed, Some(date(2020, 6, 1)), Priority::P3),
            item(3, InProgress, Some(date(2020, 4, 20)), Priority::P4),
            item(4, Proposed, Some(date(2020, 4, 1)), Priority::P1),
            item(5, Committed, Some(date(2020, 4, 10)), Priority::P2),
            item(6, Committed, Some(date(2020, 6, 1)), Priority::P1),
            item(7, Proposed, None, Priority::P1),
            item(8, Done, None, Priority::P2),
            item(9, Committed, Some(date(2020, 6, 1)), Priority::P1),
        ];
        sort_for_review(&mut items, today);
        let ids: Vec<i64> = items.iter().map(|item| item.id).collect();
        // Overdue 5 and 3 by due date; then 4 (past due but only proposed, so not overdue);
        // then 1 June by priority and id; then no due date, by priority and id.
        assert_eq!(ids, [5, 3, 4, 6, 9, 2, 1, 7, 8]);
    }
}
