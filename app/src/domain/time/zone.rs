//! Reading times from forms: the strings an HTML `datetime-local` input sends, in the time zone
//! of the person entering them. [`Zone`] is all the domain needs of a time zone; the server
//! implements it with a time zone database, tests with fixed offsets.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Timelike, Utc,
};

use super::{PLAUSIBLE_YEARS, Precision, RecordedTime, TimeError, offset_label};
use crate::domain::form::FieldErrors;

/// A time zone, as far as the domain needs one.
pub trait Zone {
    /// What to call it in the interface ("Europe/London", "UTC+01:00").
    fn name(&self) -> String;

    /// The offset in force at an instant.
    fn offset_at(&self, utc: DateTime<Utc>) -> FixedOffset;

    /// Local wall-clock time to UTC, with the offset in force then. A time that happened twice
    /// (clocks went back) is taken the first time.
    ///
    /// # Errors
    /// [`TimeError::NonexistentLocalTime`] for a time the clocks skipped.
    fn to_utc(&self, local: NaiveDateTime) -> Result<(DateTime<Utc>, FixedOffset), TimeError>;
}

impl Zone for FixedOffset {
    fn name(&self) -> String {
        offset_label(self.local_minus_utc() / 60)
    }

    fn offset_at(&self, _utc: DateTime<Utc>) -> FixedOffset {
        *self
    }

    fn to_utc(&self, local: NaiveDateTime) -> Result<(DateTime<Utc>, FixedOffset), TimeError> {
        resolve_local(self, local)
    }
}

impl Zone for Utc {
    fn name(&self) -> String {
        "UTC".to_owned()
    }

    fn offset_at(&self, _utc: DateTime<Utc>) -> FixedOffset {
        self.fix()
    }

    fn to_utc(&self, local: NaiveDateTime) -> Result<(DateTime<Utc>, FixedOffset), TimeError> {
        resolve_local(self, local)
    }
}

/// [`Zone::to_utc`] for any chrono time zone (a `chrono_tz::Tz` on the server): an ambiguous
/// local time resolves to the earlier instant, a skipped one is an error.
///
/// # Errors
/// [`TimeError::NonexistentLocalTime`] when the local time did not happen in `zone`.
pub fn resolve_local<Tz: TimeZone>(
    zone: &Tz,
    local: NaiveDateTime,
) -> Result<(DateTime<Utc>, FixedOffset), TimeError> {
    let resolved = match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(a, b) => {
            if a.with_timezone(&Utc) <= b.with_timezone(&Utc) {
                a
            } else {
                b
            }
        }
        LocalResult::None => {
            return Err(TimeError::NonexistentLocalTime(
                local.format("%-d %b %Y %H:%M").to_string(),
            ));
        }
    };
    Ok((resolved.with_timezone(&Utc), resolved.offset().fix()))
}

/// Reads what an HTML `datetime-local` input sends: "2020-03-23T10:27" or
/// "2020-03-23T10:27:15" (a space instead of the "T", and fractions of a second, are accepted).
///
/// # Errors
/// [`TimeError::Unparseable`] with the text as given.
pub fn parse_local(input: &str) -> Result<NaiveDateTime, TimeError> {
    let text = input.trim();
    let normalised = text.replacen(' ', "T", 1);
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&normalised, format).ok())
        .ok_or_else(|| TimeError::Unparseable(text.to_owned()))
}

/// The value for an HTML `datetime-local` input showing `t` on clocks at `offset`:
/// "2020-03-23T10:27", with ":15" added when the seconds are not zero.
pub fn to_input_value(t: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = t.with_timezone(&offset);
    let format = if local.second() == 0 && local.nanosecond() == 0 {
        "%Y-%m-%dT%H:%M"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    local.format(format).to_string()
}

/// Builds a recorded time from a form's strings: `at` and `until` as `datetime-local` values in
/// `zone`, `precision` as [`Precision::as_str`] (empty means to the minute, what the input
/// offers). `until` is read only for a range. The offset stored is the one in force at `at`.
///
/// # Errors
/// Any [`TimeError`]: text that is not a time, a time the clocks skipped, a range without a
/// proper end, an unknown precision.
pub fn parse_recorded(
    at: &str,
    until: &str,
    precision: &str,
    zone: &dyn Zone,
) -> Result<Option<RecordedTime>, TimeError> {
    parse_parts(at, until, precision, zone).map_err(|(_, error)| error)
}

/// [`Zone::to_utc`], where a local time in a year no offset brings within [`PLAUSIBLE_YEARS`] is
/// a typo in the year: near the ends of the calendar chrono cannot place it at all, which would
/// otherwise read as a clock change.
fn to_utc(
    zone: &dyn Zone,
    local: NaiveDateTime,
) -> Result<(DateTime<Utc>, FixedOffset), TimeError> {
    // Offsets are under a day, so a UTC year in range has a local year at most one off.
    let year = local.year();
    if year < PLAUSIBLE_YEARS.start() - 1 || year > PLAUSIBLE_YEARS.end() + 1 {
        return Err(TimeError::ImplausibleYear(year));
    }
    zone.to_utc(local)
}

/// Which of a time's three form fields a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    At,
    Until,
    Precision,
}

fn parse_parts(
    at: &str,
    until: &str,
    precision: &str,
    zone: &dyn Zone,
) -> Result<Option<RecordedTime>, (Part, TimeError)> {
    let precision_text = precision.trim();
    let precision = if precision_text.is_empty() {
        Precision::Minute
    } else {
        Precision::parse(precision_text).ok_or_else(|| {
            (
                Part::Precision,
                TimeError::UnknownPrecision(precision_text.to_owned()),
            )
        })?
    };
    if at.trim().is_empty() {
        return Ok(None);
    }
    let (start, offset) = parse_local(at)
        .and_then(|local| to_utc(zone, local))
        .map_err(|error| (Part::At, error))?;
    let end = match precision {
        Precision::Range if until.trim().is_empty() => {
            return Err((Part::Until, TimeError::RangeNeedsEnd));
        }
        Precision::Range => Some(
            parse_local(until)
                .and_then(|local| to_utc(zone, local))
                .map_err(|error| (Part::Until, error))?
                .0,
        ),
        _ => None,
    };
    RecordedTime::new(start, end, precision, offset.local_minus_utc() / 60)
        .map(Some)
        .map_err(|error| {
            let part = match error {
                TimeError::RangeNeedsEnd | TimeError::RangeEndNotAfterStart => Part::Until,
                _ => Part::At,
            };
            (part, error)
        })
}

/// Reads the three form fields of one time (`{prefix}_at`, `{prefix}_until`,
/// `{prefix}_precision`, or `at`, `until`, `precision` when `prefix` is empty), recording any
/// problem under the field it concerns. `None` when no time was entered or it was wrong.
pub(crate) fn read_time_fields(
    errors: &mut FieldErrors,
    prefix: &str,
    [at, until, precision]: [&str; 3],
    zone: &dyn Zone,
) -> Option<RecordedTime> {
    match parse_parts(at, until, precision, zone) {
        Ok(time) => time,
        Err((part, error)) => {
            let name = match part {
                Part::At => "at",
                Part::Until => "until",
                Part::Precision => "precision",
            };
            let field = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}_{name}")
            };
            errors.add(&field, error.to_string());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::utc;
    use super::*;
    use chrono::{NaiveDate, TimeDelta};

    fn east(minutes: i32) -> FixedOffset {
        FixedOffset::east_opt(minutes * 60).unwrap()
    }

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    /// UK clocks in 2020: GMT, then BST (UTC+1) from 29 March 01:00 UTC to 25 October 01:00 UTC.
    /// Enough of a real zone to test clock changes without a time zone database.
    #[derive(Clone, Copy, Debug)]
    struct Uk2020;

    impl Uk2020 {
        fn offset_of_utc(utc: &NaiveDateTime) -> FixedOffset {
            let summer = local(2020, 3, 29, 1, 0)..local(2020, 10, 25, 1, 0);
            east(if summer.contains(utc) { 60 } else { 0 })
        }
    }

    impl TimeZone for Uk2020 {
        type Offset = FixedOffset;

        fn from_offset(_: &FixedOffset) -> Self {
            Uk2020
        }

        fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<FixedOffset> {
            self.offset_from_local_datetime(&local.and_hms_opt(12, 0, 0).unwrap())
        }

        fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<FixedOffset> {
            let candidates: Vec<FixedOffset> = [east(0), east(60)]
                .into_iter()
                .filter(|offset| {
                    let utc = *local - TimeDelta::seconds(offset.local_minus_utc().into());
                    Self::offset_of_utc(&utc) == *offset
                })
                .collect();
            match candidates[..] {
                [one] => LocalResult::Single(one),
                // Listed latest-first on purpose: resolve_local must not rely on the order.
                [gmt, bst] => LocalResult::Ambiguous(gmt, bst),
                _ => LocalResult::None,
            }
        }

        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            Self::offset_of_utc(&utc.and_hms_opt(12, 0, 0).unwrap())
        }

        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            Self::offset_of_utc(utc)
        }
    }

    impl Zone for Uk2020 {
        fn name(&self) -> String {
            "Europe/London".into()
        }
        fn offset_at(&self, utc: DateTime<Utc>) -> FixedOffset {
            Self::offset_of_utc(&utc.naive_utc())
        }
        fn to_utc(&self, local: NaiveDateTime) -> Result<(DateTime<Utc>, FixedOffset), TimeError> {
            resolve_local(self, local)
        }
    }

    #[test]
    fn datetime_local_values_are_read_with_or_without_seconds() {
        assert_eq!(
            parse_local("2020-03-23T10:27"),
            Ok(local(2020, 3, 23, 10, 27))
        );
        assert_eq!(
            parse_local(" 2020-03-23 10:27:15 "),
            Ok(local(2020, 3, 23, 10, 27) + TimeDelta::seconds(15))
        );
        assert_eq!(
            parse_local("2020-03-23T10:27:15.500"),
            Ok(local(2020, 3, 23, 10, 27) + TimeDelta::milliseconds(15_500))
        );
    }

    #[test]
    fn text_that_is_not_a_time_is_unparseable() {
        for input in [
            "",
            "yesterday",
            "2020-03-23",
            "23/03/2020 10:27",
            "2020-02-30T10:00",
        ] {
            assert_eq!(
                parse_local(input),
                Err(TimeError::Unparseable(input.trim().to_owned()))
            );
        }
        assert_eq!(
            TimeError::Unparseable("yesterday".into()).to_string(),
            "“yesterday” is not a date and time; enter it like 2020-03-23T10:27 (seconds optional)."
        );
    }

    #[test]
    fn input_values_show_seconds_only_when_there_are_some() {
        assert_eq!(to_input_value(utc(10, 27, 0), east(0)), "2020-03-23T10:27");
        assert_eq!(
            to_input_value(utc(10, 27, 15), east(0)),
            "2020-03-23T10:27:15"
        );
        assert_eq!(to_input_value(utc(23, 30, 0), east(60)), "2020-03-24T00:30");
    }

    #[test]
    fn a_fixed_offset_is_named_by_its_offset() {
        assert_eq!(east(-300).name(), "UTC−05:00");
        assert_eq!(east(-300).offset_at(utc(10, 0, 0)), east(-300));
        assert_eq!(Utc.name(), "UTC");
    }

    #[test]
    fn a_form_time_is_converted_to_utc_and_keeps_its_offset() {
        let t = parse_recorded("2020-03-23T11:27", "", "minute", &east(60))
            .unwrap()
            .unwrap();
        assert_eq!(t.at, utc(10, 27, 0));
        assert_eq!(t.offset_minutes, 60);
        assert_eq!(t.precision, Precision::Minute);
    }

    #[test]
    fn an_empty_time_is_not_recorded() {
        assert_eq!(parse_recorded("  ", "", "exact", &Utc), Ok(None));
    }

    #[test]
    fn an_empty_precision_means_to_the_minute() {
        let t = parse_recorded("2020-03-23T10:27:40", "", "", &Utc)
            .unwrap()
            .unwrap();
        assert_eq!(t.precision, Precision::Minute);
        assert_eq!(t.at, utc(10, 27, 0));
    }

    #[test]
    fn until_is_read_only_for_a_range() {
        let approx = parse_recorded("2020-03-23T10:27", "rubbish", "approximate", &Utc)
            .unwrap()
            .unwrap();
        assert_eq!(approx.until, None);
        let range = parse_recorded("2020-03-23T10:28", "2020-03-23T10:29", "range", &Utc)
            .unwrap()
            .unwrap();
        assert_eq!(range.until, Some(utc(10, 29, 0)));
    }

    #[test]
    fn range_errors_come_from_the_form_strings() {
        assert_eq!(
            parse_recorded("2020-03-23T10:28", "", "range", &Utc),
            Err(TimeError::RangeNeedsEnd)
        );
        assert_eq!(
            parse_recorded("2020-03-23T10:28", "2020-03-23T10:20", "range", &Utc),
            Err(TimeError::RangeEndNotAfterStart)
        );
        assert_eq!(
            parse_recorded("2020-03-23T10:28", "soon", "range", &Utc),
            Err(TimeError::Unparseable("soon".into()))
        );
        assert_eq!(
            parse_recorded("2020-03-23T10:28", "", "roughly", &Utc),
            Err(TimeError::UnknownPrecision("roughly".into()))
        );
    }

    #[test]
    fn a_time_at_the_end_of_the_calendar_is_a_typo_in_the_year_not_a_clock_change() {
        let last = NaiveDate::MAX.and_hms_opt(23, 59, 0).unwrap();
        let first = NaiveDate::MIN.and_hms_opt(0, 0, 0).unwrap();
        for (local, clocks) in [(last, east(-60)), (first, east(60))] {
            let text = local.format("%Y-%m-%dT%H:%M").to_string();
            assert_eq!(
                parse_recorded(&text, "", "minute", &clocks),
                Err(TimeError::ImplausibleYear(local.year())),
                "{text}"
            );
        }
    }

    #[test]
    fn a_time_the_clocks_skipped_is_rejected() {
        assert_eq!(
            parse_recorded("2020-03-29T01:30", "", "minute", &Uk2020),
            Err(TimeError::NonexistentLocalTime("29 Mar 2020 01:30".into()))
        );
    }

    #[test]
    fn a_time_that_happened_twice_is_taken_the_first_time() {
        let t = parse_recorded("2020-10-25T01:30", "", "minute", &Uk2020)
            .unwrap()
            .unwrap();
        assert_eq!(t.offset_minutes, 60);
        assert_eq!(t.at.naive_utc(), local(2020, 10, 25, 0, 30));
    }

    #[test]
    fn each_time_takes_the_offset_in_force_on_its_own_date() {
        let winter = parse_recorded("2020-03-23T10:27", "", "minute", &Uk2020)
            .unwrap()
            .unwrap();
        assert_eq!((winter.at, winter.offset_minutes), (utc(10, 27, 0), 0));
        let summer = parse_recorded("2020-06-01T10:27", "", "minute", &Uk2020)
            .unwrap()
            .unwrap();
        assert_eq!(summer.at.naive_utc(), local(2020, 6, 1, 9, 27));
        assert_eq!(summer.display_as_entered(), "1 Jun 2020 10:27 (UTC+01:00)");
    }

    #[test]
    fn form_field_errors_land_on_the_field_to_correct() {
        let mut errors = FieldErrors::new();
        let read = |errors: &mut FieldErrors, prefix, fields| {
            read_time_fields(errors, prefix, fields, &Utc)
        };
        assert_eq!(read(&mut errors, "detected", ["later", "", "minute"]), None);
        assert_eq!(
            read(&mut errors, "resolved", ["2020-03-23T10:28", "", "range"]),
            None
        );
        assert_eq!(
            read(&mut errors, "", ["2020-03-23T10:28", "", "nearly"]),
            None
        );
        assert!(errors.get("detected_at").unwrap().contains("“later”"));
        assert_eq!(
            errors.get("resolved_until"),
            Some(TimeError::RangeNeedsEnd.to_string().as_str())
        );
        assert!(errors.get("precision").unwrap().contains("“nearly”"));
        assert_eq!(errors.0.len(), 3);

        let mut clean = FieldErrors::new();
        assert_eq!(read(&mut clean, "detected", ["", "", ""]), None);
        assert!(read(&mut clean, "", ["2020-03-23T10:28", "", ""]).is_some());
        assert!(clean.is_empty());
    }
}
