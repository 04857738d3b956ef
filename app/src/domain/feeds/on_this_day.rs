//! "On this day": the same month and day in earlier years, "on this week": the same ISO week,
//! and how long ago each was.

use chrono::{Datelike, NaiveDate};

/// The same month and day as `today` in each year from `since` up to the year before, newest
/// first. 29 February is looked for only in leap years.
pub fn earlier_dates(today: NaiveDate, since: i32) -> Vec<NaiveDate> {
    (since..today.year())
        .rev()
        .filter_map(|year| NaiveDate::from_ymd_opt(year, today.month(), today.day()))
        .collect()
}

/// The same ISO week as `today`'s in each year from `since` up to the year before, newest
/// first, each as its Monday and the next Monday. Week 53 is looked for only in years that
/// have one.
pub fn earlier_weeks(today: NaiveDate, since: i32) -> Vec<(NaiveDate, NaiveDate)> {
    let week = today.iso_week();
    (since..week.year())
        .rev()
        .filter_map(|year| {
            let monday = NaiveDate::from_isoywd_opt(year, week.week(), chrono::Weekday::Mon)?;
            Some((monday, monday.checked_add_days(chrono::Days::new(7))?))
        })
        .collect()
}

/// "1 year ago", "4 years ago".
pub fn years_ago(today: NaiveDate, then: NaiveDate) -> String {
    match today.year() - then.year() {
        1 => "1 year ago".to_owned(),
        n => format!("{n} years ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn earlier_years_are_listed_newest_first_without_this_year() {
        assert_eq!(
            earlier_dates(date(2026, 3, 23), 2020),
            (2020..2026)
                .rev()
                .map(|y| date(y, 3, 23))
                .collect::<Vec<_>>()
        );
        assert!(earlier_dates(date(2026, 3, 23), 2026).is_empty());
    }

    #[test]
    fn the_twenty_ninth_of_february_is_looked_for_in_leap_years_only() {
        assert_eq!(
            earlier_dates(date(2028, 2, 29), 2019),
            vec![date(2024, 2, 29), date(2020, 2, 29)]
        );
    }

    #[test]
    fn the_same_iso_week_is_found_in_earlier_years_and_week_53_only_where_it_exists() {
        // 2026-12-07 is the Monday of 2026-W50.
        assert_eq!(
            earlier_weeks(date(2026, 12, 9), 2024),
            vec![
                (date(2025, 12, 8), date(2025, 12, 15)),
                (date(2024, 12, 9), date(2024, 12, 16)),
            ]
        );
        // 2026-W53 (to 2027-01-03); of the years before, 2020 has a week 53.
        assert_eq!(
            earlier_weeks(date(2027, 1, 2), 2019),
            vec![(date(2020, 12, 28), date(2021, 1, 4))]
        );
    }

    #[test]
    fn years_ago_says_one_year_in_the_singular() {
        assert_eq!(
            years_ago(date(2026, 3, 23), date(2025, 3, 23)),
            "1 year ago"
        );
        assert_eq!(
            years_ago(date(2026, 3, 23), date(2020, 3, 23)),
            "6 years ago"
        );
    }
}
