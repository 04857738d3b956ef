//! "On this day": the same month and day in earlier years, and how long ago each was.

use chrono::{Datelike, NaiveDate};

/// The same month and day as `today` in each year from `since` up to the year before, newest
/// first. 29 February is looked for only in leap years.
pub fn earlier_dates(today: NaiveDate, since: i32) -> Vec<NaiveDate> {
    (since..today.year())
        .rev()
        .filter_map(|year| NaiveDate::from_ymd_opt(year, today.month(), today.day()))
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
