//! Times as people record them during an incident review: often approximate, sometimes only a
//! range, always entered in some local time. This module owns [`RecordedTime`] (an instant in
//! UTC with its precision and the offset it was entered in) and how it is shown.
//!
//! Reading times from forms and the [`Zone`] abstraction live in `zone`, durations and
//! "T+0:30" offsets in `duration`; both are re-exported here so callers write
//! `domain::time::ApproxDuration`. No time zone database here: the server brings one.

mod duration;
mod zone;

pub use duration::{ApproxDuration, t_offset};
pub(crate) use zone::read_time_fields;
pub use zone::{Zone, parse_local, parse_recorded, resolve_local, to_input_value};

use chrono::{DateTime, Datelike, FixedOffset, Offset, Timelike, Utc};
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// How precisely a time is known.
    pub enum Precision {
        /// Known to the second, e.g. from a log line.
        Exact = ("exact", "Exact (to the second)"),
        /// Known to the minute; seconds are dropped.
        Minute = ("minute", "To the minute"),
        /// Roughly this time: shown with "≈", and anything computed from it is approximate.
        Approximate = ("approximate", "Approximate (≈)"),
        /// Somewhere between two times: computations use the midpoint and are approximate.
        Range = ("range", "Range (between … and …)"),
    }
}

/// The years a recorded time may fall in.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A time as someone recorded it: the instant (or range) in UTC, how precisely it is known, and
/// the UTC offset of the clock it was read from, so it can be shown as entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordedTime {
    /// The time, or the start of a range.
    pub at: DateTime<Utc>,
    /// The end of a range; `None` for every other precision.
    pub until: Option<DateTime<Utc>>,
    /// How precisely the time is known.
    pub precision: Precision,
    /// Minutes east of UTC of the local time it was entered in (UK summer time is 60).
    pub offset_minutes: i32,
}

/// Why a time cannot be recorded as given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TimeError {
    /// Precision is range but no end was given.
    #[error("A range needs an end: fill in “until”, or choose another precision.")]
    RangeNeedsEnd,
    /// The end of a range is not after its start.
    #[error("The end of a range must be after its start.")]
    RangeEndNotAfterStart,
    /// An end was given for a precision other than range.
    #[error("Only a range has an end: clear “until”, or choose the precision “Range”.")]
    EndOnlyForRange,
    /// The text is not a date and time.
    #[error("“{0}” is not a date and time; enter it like 2020-03-23T10:27 (seconds optional).")]
    Unparseable(String),
    /// The local time was skipped by a clock change, so it never happened in that zone.
    #[error(
        "{0} did not happen on local clocks (they jumped forward for daylight saving); enter a time before or after the jump."
    )]
    NonexistentLocalTime(String),
    /// The UTC offset is a day or more away from UTC.
    #[error("The UTC offset must be less than 24 hours either side of UTC.")]
    OffsetOutOfRange,
    /// A year outside [`PLAUSIBLE_YEARS`], almost surely a typo.
    #[error("The year {0} looks like a typo: times must fall between the years 1900 and 2200.")]
    ImplausibleYear(i32),
    /// The precision is not one of the known names.
    #[error("“{0}” is not a precision; choose exact, to the minute, approximate or range.")]
    UnknownPrecision(String),
}

/// The dates in displayed times: "23 Mar 2020 10:27".
const MINUTE_FORMAT: &str = "%-d %b %Y %H:%M";

impl RecordedTime {
    /// Checks and builds a recorded time. Fractions of a second are dropped, and minute
    /// precision drops the seconds too.
    ///
    /// # Errors
    /// `until` must be given, and be after `at`, exactly when the precision is a range; the
    /// offset must be less than a day.
    pub fn new(
        at: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        precision: Precision,
        offset_minutes: i32,
    ) -> Result<Self, TimeError> {
        if fixed_offset(offset_minutes).is_none() {
            return Err(TimeError::OffsetOutOfRange);
        }
        // A typo such as year 20020 would otherwise be stored (and some databases refuse it).
        for t in std::iter::once(at).chain(until) {
            if !(PLAUSIBLE_YEARS).contains(&t.year()) {
                return Err(TimeError::ImplausibleYear(t.year()));
            }
        }
        // Sub-second digits are noise no one records, and would not survive an edit form.
        let (at, until) = (whole_second(at), until.map(whole_second));
        let (at, until) = match (precision, until) {
            (Precision::Range, None) => return Err(TimeError::RangeNeedsEnd),
            (Precision::Range, Some(end)) if end <= at => {
                return Err(TimeError::RangeEndNotAfterStart);
            }
            (Precision::Range, Some(end)) => (at, Some(end)),
            (_, Some(_)) => return Err(TimeError::EndOnlyForRange),
            (Precision::Minute, None) => (at.with_second(0).unwrap_or(at), None),
            (Precision::Exact | Precision::Approximate, None) => (at, None),
        };
        Ok(Self {
            at,
            until,
            precision,
            offset_minutes,
        })
    }

    /// The earliest the time can be: its start.
    pub fn earliest(&self) -> DateTime<Utc> {
        self.at
    }

    /// The latest the time can be: the end of a range, else the time itself.
    pub fn latest(&self) -> DateTime<Utc> {
        self.until.unwrap_or(self.at)
    }

    /// The single instant used for ordering and durations: the midpoint of a range, else the
    /// time itself.
    pub fn point(&self) -> DateTime<Utc> {
        match (self.precision, self.until) {
            (Precision::Range, Some(until)) => self.at + (until - self.at) / 2,
            _ => self.at,
        }
    }

    /// Whether the time is only roughly known (approximate or a range).
    pub fn is_approximate(&self) -> bool {
        matches!(self.precision, Precision::Approximate | Precision::Range)
    }

    /// The UTC offset it was entered in (UTC if the stored offset is out of range).
    pub fn offset(&self) -> FixedOffset {
        fixed_offset(self.offset_minutes).unwrap_or_else(|| Utc.fix())
    }

    /// The time as a person reads it, on clocks at `offset`: "23 Mar 2020 10:27:15" (exact),
    /// "23 Mar 2020 10:27" (minute), "≈ 23 Mar 2020 10:27" (approximate), "between 23 Mar 2020
    /// 10:25 and 10:30" (range; the end repeats the date only when it differs).
    pub fn display_in(&self, offset: FixedOffset) -> String {
        let start = self.at.with_timezone(&offset);
        match (self.precision, self.until) {
            (Precision::Exact, _) => start.format("%-d %b %Y %H:%M:%S").to_string(),
            (Precision::Minute, _) => start.format(MINUTE_FORMAT).to_string(),
            (Precision::Range, Some(until)) => {
                let end = until.with_timezone(&offset);
                // Compared by year and day, not `date_naive`: that panics for an instant at the
                // ends of chrono's calendar with no local date at `offset` (only a refused import
                // holds one, and its Markdown is still shown); these read the clocks unchecked.
                let end_format = if (end.year(), end.ordinal()) == (start.year(), start.ordinal()) {
                    "%H:%M"
                } else {
                    MINUTE_FORMAT
                };
                format!(
                    "between {} and {}",
                    start.format(MINUTE_FORMAT),
                    end.format(end_format)
                )
            }
            // A range without an end can only come from a struct built by hand; show what is known.
            (Precision::Approximate | Precision::Range, _) => {
                format!("≈ {}", start.format(MINUTE_FORMAT))
            }
        }
    }

    /// The time on the clocks it was entered from, with their offset:
    /// "23 Mar 2020 10:27 (UTC+00:00)".
    pub fn display_as_entered(&self) -> String {
        format!(
            "{} ({})",
            self.display_in(self.offset()),
            offset_label(self.offset_minutes)
        )
    }
}

/// An offset as people write it: 0 → "UTC+00:00", -300 → "UTC−05:00" (with a true minus sign),
/// 330 → "UTC+05:30".
pub fn offset_label(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '−' } else { '+' };
    let minutes = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The offset for a number of minutes east of UTC, if it is less than a day.
pub(crate) fn fixed_offset(offset_minutes: i32) -> Option<FixedOffset> {
    offset_minutes
        .checked_mul(60)
        .and_then(FixedOffset::east_opt)
}

fn whole_second(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0).unwrap_or(t)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    /// 23 March 2020 at the given UTC time: the day of the worked example.
    pub(crate) fn utc(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2020, 3, 23, h, m, s).unwrap()
    }

    pub(crate) fn minute(h: u32, m: u32) -> RecordedTime {
        RecordedTime::new(utc(h, m, 0), None, Precision::Minute, 0).unwrap()
    }

    pub(crate) fn approx(h: u32, m: u32) -> RecordedTime {
        RecordedTime::new(utc(h, m, 0), None, Precision::Approximate, 0).unwrap()
    }

    pub(crate) fn range(from: (u32, u32), to: (u32, u32)) -> RecordedTime {
        RecordedTime::new(
            utc(from.0, from.1, 0),
            Some(utc(to.0, to.1, 0)),
            Precision::Range,
            0,
        )
        .unwrap()
    }

    fn east(minutes: i32) -> FixedOffset {
        FixedOffset::east_opt(minutes * 60).unwrap()
    }

    #[test]
    fn precision_names_round_trip_and_match_serde() {
        for precision in Precision::ALL {
            assert_eq!(Precision::parse(precision.as_str()), Some(precision));
            assert_eq!(
                serde_json::to_string(&precision).unwrap(),
                format!("\"{}\"", precision.as_str())
            );
        }
        assert_eq!(Precision::parse("roughly"), None);
        assert_eq!(Precision::Approximate.label(), "Approximate (≈)");
    }

    #[test]
    fn a_range_needs_an_end() {
        assert_eq!(
            RecordedTime::new(utc(10, 25, 0), None, Precision::Range, 0),
            Err(TimeError::RangeNeedsEnd)
        );
    }

    #[test]
    fn a_range_must_end_after_it_starts() {
        for end in [utc(10, 25, 0), utc(10, 24, 0)] {
            assert_eq!(
                RecordedTime::new(utc(10, 25, 0), Some(end), Precision::Range, 0),
                Err(TimeError::RangeEndNotAfterStart)
            );
        }
    }

    #[test]
    fn only_a_range_has_an_end() {
        for precision in [Precision::Exact, Precision::Minute, Precision::Approximate] {
            assert_eq!(
                RecordedTime::new(utc(10, 25, 0), Some(utc(10, 30, 0)), precision, 0),
                Err(TimeError::EndOnlyForRange)
            );
        }
    }

    #[test]
    fn an_offset_of_a_day_or_more_is_rejected() {
        assert_eq!(
            RecordedTime::new(utc(10, 25, 0), None, Precision::Exact, 1440),
            Err(TimeError::OffsetOutOfRange)
        );
        assert_eq!(
            RecordedTime::new(utc(10, 25, 0), None, Precision::Exact, i32::MIN),
            Err(TimeError::OffsetOutOfRange)
        );
        assert!(RecordedTime::new(utc(10, 25, 0), None, Precision::Exact, 14 * 60).is_ok());
    }

    #[test]
    fn a_typo_in_the_year_is_rejected() {
        let far = Utc.with_ymd_and_hms(20020, 3, 23, 10, 27, 0).unwrap();
        assert_eq!(
            RecordedTime::new(far, None, Precision::Minute, 0),
            Err(TimeError::ImplausibleYear(20020))
        );
    }

    #[test]
    fn minute_precision_drops_the_seconds() {
        let t = RecordedTime::new(utc(10, 27, 45), None, Precision::Minute, 0).unwrap();
        assert_eq!(t.at, utc(10, 27, 0));
        let exact = RecordedTime::new(utc(10, 27, 45), None, Precision::Exact, 0).unwrap();
        assert_eq!(exact.at, utc(10, 27, 45));
    }

    #[test]
    fn fractions_of_a_second_are_dropped() {
        let half = chrono::TimeDelta::milliseconds(500);
        let exact = RecordedTime::new(utc(10, 27, 45) + half, None, Precision::Exact, 0).unwrap();
        assert_eq!(exact.at, utc(10, 27, 45));
        let minute = RecordedTime::new(utc(10, 27, 59) + half, None, Precision::Minute, 0).unwrap();
        assert_eq!(minute.at, utc(10, 27, 0));
        let range = RecordedTime::new(
            utc(10, 28, 0),
            Some(utc(10, 28, 0) + half),
            Precision::Range,
            0,
        );
        assert_eq!(range, Err(TimeError::RangeEndNotAfterStart));
    }

    #[test]
    fn a_range_spans_from_its_start_to_its_end_and_is_measured_at_its_midpoint() {
        let t = range((10, 25), (10, 30));
        assert_eq!(t.earliest(), utc(10, 25, 0));
        assert_eq!(t.latest(), utc(10, 30, 0));
        assert_eq!(t.point(), utc(10, 27, 30));
        assert!(t.is_approximate());
    }

    #[test]
    fn a_single_time_is_its_own_earliest_latest_and_point() {
        let t = minute(10, 28);
        assert_eq!(t.earliest(), utc(10, 28, 0));
        assert_eq!(t.latest(), utc(10, 28, 0));
        assert_eq!(t.point(), utc(10, 28, 0));
        assert!(!t.is_approximate());
        assert!(approx(10, 28).is_approximate());
    }

    #[test]
    fn each_precision_is_displayed_as_precisely_as_it_is_known() {
        let utc0 = east(0);
        let exact = RecordedTime::new(utc(10, 27, 15), None, Precision::Exact, 0).unwrap();
        assert_eq!(exact.display_in(utc0), "23 Mar 2020 10:27:15");
        assert_eq!(minute(10, 27).display_in(utc0), "23 Mar 2020 10:27");
        assert_eq!(approx(10, 27).display_in(utc0), "≈ 23 Mar 2020 10:27");
        assert_eq!(
            range((10, 25), (10, 30)).display_in(utc0),
            "between 23 Mar 2020 10:25 and 10:30"
        );
    }

    #[test]
    fn a_range_over_midnight_repeats_the_date_at_its_end() {
        let t = RecordedTime::new(
            utc(23, 50, 0),
            Some(Utc.with_ymd_and_hms(2020, 3, 24, 0, 10, 0).unwrap()),
            Precision::Range,
            0,
        )
        .unwrap();
        assert_eq!(
            t.display_in(east(0)),
            "between 23 Mar 2020 23:50 and 24 Mar 2020 00:10"
        );
        // In UTC−05:00 the same range falls within one day.
        assert_eq!(
            t.display_in(east(-300)),
            "between 23 Mar 2020 18:50 and 19:10"
        );
    }

    /// Found by the property test of mangled exports: only an import can hold such a time (and
    /// refuses it), but its Markdown is still rendered.
    #[test]
    fn a_range_at_the_ends_of_the_calendar_is_shown_on_any_clocks_without_panicking() {
        let (first, last) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        let hour = chrono::TimeDelta::hours(1);
        for (at, until) in [(last - hour, last), (first, first + hour)] {
            let t = RecordedTime {
                at,
                until: Some(until),
                precision: Precision::Range,
                offset_minutes: 0,
            };
            for minutes in [-1439, -1122, -60, 0, 60, 1122, 1439] {
                let shown = t.display_in(east(minutes));
                assert!(shown.starts_with("between "), "{shown}");
            }
        }
        let t = |at, until| RecordedTime {
            at,
            until: Some(until),
            precision: Precision::Range,
            offset_minutes: 0,
        };
        // Shown on the clocks as they read, past the calendar's end; the date repeated only when
        // it differs.
        assert_eq!(
            t(last - hour, last).display_in(east(1122)),
            "between 1 Jan +262143 17:41 and 18:41"
        );
        assert_eq!(
            t(last - hour, last).display_in(east(60)),
            "between 31 Dec +262142 23:59 and 1 Jan +262143 00:59"
        );
        assert_eq!(
            t(first, first + hour).display_in(east(-60)),
            "between 31 Dec -262144 23:00 and 1 Jan -262143 00:00"
        );
    }

    #[test]
    fn days_are_written_without_a_leading_zero() {
        let t = RecordedTime::new(
            Utc.with_ymd_and_hms(2020, 4, 3, 9, 5, 0).unwrap(),
            None,
            Precision::Minute,
            0,
        )
        .unwrap();
        assert_eq!(t.display_in(east(0)), "3 Apr 2020 09:05");
    }

    #[test]
    fn a_time_is_shown_on_the_clocks_it_was_entered_from() {
        let bst = RecordedTime::new(utc(9, 27, 0), None, Precision::Minute, 60).unwrap();
        assert_eq!(bst.display_as_entered(), "23 Mar 2020 10:27 (UTC+01:00)");
        assert_eq!(
            minute(10, 27).display_as_entered(),
            "23 Mar 2020 10:27 (UTC+00:00)"
        );
        assert_eq!(bst.display_in(east(-300)), "23 Mar 2020 04:27");
    }

    #[test]
    fn offsets_are_labelled_with_a_true_minus_sign() {
        assert_eq!(offset_label(0), "UTC+00:00");
        assert_eq!(offset_label(-300), "UTC−05:00");
        assert_eq!(offset_label(330), "UTC+05:30");
        assert_eq!(offset_label(-210), "UTC−03:30");
        assert_eq!(offset_label(60), "UTC+01:00");
    }

    #[test]
    fn a_recorded_time_survives_json() {
        let t = range((10, 28), (10, 29));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<RecordedTime>(&json).unwrap(), t);
    }
}
