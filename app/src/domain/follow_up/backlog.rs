//! The follow-up backlog over time, week by week: how many were opened and closed, and how
//! many were still open and overdue at the end of the week, so a manager sees whether it grows.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{FollowUp, FollowUpState};

/// One week (Monday to Sunday) of the backlog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogWeek {
    /// Its Monday.
    pub starts: NaiveDate,
    /// Follow-ups recorded that week.
    pub opened: u32,
    /// Follow-ups that became done, verified or won't do that week.
    pub closed: u32,
    /// Still open at the end of the week (today, for this week).
    pub open: u32,
    /// Of those, the ones committed to and past their due date.
    pub overdue: u32,
}

/// The Monday of the week holding `day`.
fn monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The backlog for the `weeks` weeks that end with the one holding `today`, oldest first.
/// `day` turns a stored instant into the reader's date. A follow-up counts as overdue at a
/// week's end when it was still open then, its due date had passed, and it is not merely
/// proposed now (a proposal was never promised by a date).
/// The Mondays the backlog's `weeks` weeks start on, oldest first, the last the week holding
/// `today`.
pub fn backlog_weeks(today: NaiveDate, weeks: u32) -> Vec<NaiveDate> {
    let this_week = monday(today);
    (0..weeks)
        .rev()
        .filter_map(|back| this_week.checked_sub_days(Days::new(u64::from(back) * 7)))
        .collect()
}

pub fn backlog_by_week(
    items: &[FollowUp],
    today: NaiveDate,
    weeks: u32,
    day: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> Vec<BacklogWeek> {
    let dated: Vec<(NaiveDate, Option<NaiveDate>, &FollowUp)> = items
        .iter()
        .map(|f| (day(f.created_at), f.closed_at.map(&day), f))
        .collect();
    backlog_weeks(today, weeks)
        .into_iter()
        .map(|starts| {
            let ends = starts + Days::new(6);
            let as_of = ends.min(today);
            let within = |d: NaiveDate| d >= starts && d <= ends;
            let mut week = BacklogWeek {
                starts,
                opened: 0,
                closed: 0,
                open: 0,
                overdue: 0,
            };
            for (created, closed, f) in &dated {
                week.opened += u32::from(within(*created));
                week.closed += u32::from(closed.is_some_and(within));
                let open_then = *created <= as_of && closed.is_none_or(|c| c > as_of);
                week.open += u32::from(open_then);
                week.overdue += u32::from(
                    open_then
                        && f.state != FollowUpState::Proposed
                        && f.follow_up.due.is_some_and(|due| due < as_of),
                );
            }
            week
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::follow_up::tests::{date, follow_up};

    fn at(day: NaiveDate) -> DateTime<Utc> {
        day.and_hms_opt(12, 0, 0).unwrap().and_utc()
    }

    fn item(
        id: i64,
        created: NaiveDate,
        closed: Option<NaiveDate>,
        state: FollowUpState,
        due: Option<NaiveDate>,
    ) -> FollowUp {
        let mut f = follow_up(id);
        f.created_at = at(created);
        f.closed_at = closed.map(at);
        f.state = state;
        f.follow_up.due = due;
        f
    }

    #[test]
    fn weeks_count_opened_closed_open_and_overdue_follow_ups() {
        use FollowUpState::*;
        // Weeks start Monday 6, 13 and 20 April 2020; today is Wednesday 22 April.
        let items = [
            // Opened in week 1, closed in week 2.
            item(
                1,
                date(2020, 4, 6),
                Some(date(2020, 4, 14)),
                Done,
                Some(date(2020, 4, 30)),
            ),
            // Opened in week 1, due 10 April, still committed: overdue from week 1 on.
            item(
                2,
                date(2020, 4, 7),
                None,
                Committed,
                Some(date(2020, 4, 10)),
            ),
            // Opened in week 2, proposed with a past due date: open, never overdue.
            item(
                3,
                date(2020, 4, 15),
                None,
                Proposed,
                Some(date(2020, 4, 16)),
            ),
            // Opened and dropped in week 3.
            item(4, date(2020, 4, 20), Some(date(2020, 4, 21)), WontDo, None),
            // Opened before the chart: open all along, overdue once 15 April passed.
            item(
                5,
                date(2020, 3, 2),
                None,
                InProgress,
                Some(date(2020, 4, 15)),
            ),
        ];
        let weeks = backlog_by_week(&items, date(2020, 4, 22), 3, |t| t.date_naive());
        let rows: Vec<(NaiveDate, u32, u32, u32, u32)> = weeks
            .iter()
            .map(|w| (w.starts, w.opened, w.closed, w.open, w.overdue))
            .collect();
        assert_eq!(
            rows,
            [
                // Sunday 12 April: 1, 2 and 5 open; 2 overdue.
                (date(2020, 4, 6), 2, 0, 3, 1),
                // Sunday 19 April: 2, 3 and 5 open; 2 and 5 overdue.
                (date(2020, 4, 13), 1, 1, 3, 2),
                // Today (22 April): 2, 3 and 5 open; 4 came and went.
                (date(2020, 4, 20), 1, 1, 3, 2),
            ]
        );
    }

    #[test]
    fn an_empty_backlog_still_has_its_weeks() {
        let weeks = backlog_by_week(&[], date(2020, 4, 22), 12, |t| t.date_naive());
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[0].starts, date(2020, 2, 3));
        assert!(weeks.iter().all(|w| w.opened + w.closed + w.open == 0));
    }
}
