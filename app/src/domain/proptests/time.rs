//! Times: `datetime-local` text, a time's three form fields (at, until, precision) in any zone,
//! and recorded times built by hand (as an import may hold them).

use chrono::{DateTime, Datelike, Utc};
use proptest::prelude::*;

use super::strategies::{hostile, offset_minutes, one_of, recorded_time_at, zone};
use super::{assert_fields_within, config};
use crate::domain::form::FieldErrors;
use crate::domain::time::{
    ApproxDuration, Precision, RecordedTime, TimeError, parse_local, parse_recorded,
    read_time_fields, t_offset, to_input_value,
};

/// Any instant chrono can hold, to the nanosecond.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (
        DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
        0..1_000_000_000u32,
    )
        .prop_filter_map("an instant", |(s, n)| DateTime::from_timestamp(s, n))
}

/// A recorded time with any fields at all, as a hand-written import may hold it.
fn any_recorded_time() -> impl Strategy<Value = RecordedTime> {
    (
        any_instant(),
        proptest::option::of(any_instant()),
        one_of(&Precision::ALL),
        any::<i32>(),
    )
        .prop_map(|(at, until, precision, offset_minutes)| RecordedTime {
            at,
            until,
            precision,
            offset_minutes,
        })
}

fn form_time() -> impl Strategy<Value = String> {
    prop_oneof![
        hostile(),
        "[ ]?[0-9]{4}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9](:[0-5][0-9])?"
    ]
}

fn precision_text() -> impl Strategy<Value = String> {
    prop_oneof![
        one_of(&Precision::ALL).prop_map(|p| p.as_str().to_owned()),
        hostile()
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_read_as_a_local_time_never_panics(input in hostile()) {
        let _ = parse_local(&input);
    }

    #[test]
    fn any_time_fields_in_any_zone_never_panic_and_name_their_field(
        at in form_time(),
        until in form_time(),
        precision in precision_text(),
        offset in offset_minutes(),
    ) {
        let _ = parse_recorded(&at, &until, &precision, &zone(offset));
        let mut errors = FieldErrors::new();
        let read = read_time_fields(&mut errors, "detected", [&at, &until, &precision], &zone(offset));
        prop_assert!(read.is_none() || errors.is_empty());
        prop_assert!(errors.0.len() <= 1);
        assert_fields_within(&errors, &["detected_at", "detected_until", "detected_precision"]);
    }

    #[test]
    fn a_recorded_time_reads_back_from_its_form_fields(
        (offset, time) in offset_minutes().prop_flat_map(|o| (Just(o), recorded_time_at(o))),
    ) {
        let clocks = zone(offset);
        let at = to_input_value(time.at, clocks);
        let until = time.until.map(|u| to_input_value(u, clocks)).unwrap_or_default();
        prop_assert_eq!(
            parse_recorded(&at, &until, time.precision.as_str(), &clocks),
            Ok(Some(time))
        );
    }

    #[test]
    fn a_recorded_time_survives_json(
        time in offset_minutes().prop_flat_map(recorded_time_at),
    ) {
        let json = serde_json::to_string(&time).expect("serialises");
        prop_assert_eq!(serde_json::from_str::<RecordedTime>(&json).ok(), Some(time));
    }

    #[test]
    fn a_recorded_time_with_any_fields_is_shown_and_measured_without_panicking(
        a in any_recorded_time(),
        b in any_recorded_time(),
    ) {
        let _ = a.display_as_entered();
        let _ = a.display_in(b.offset());
        let _ = (a.point(), a.earliest(), a.latest());
        let _ = ApproxDuration::between(&a, &b).display();
        let _ = t_offset(&a, &b);
        let _ = to_input_value(a.at, b.offset());
    }

    #[test]
    fn building_a_recorded_time_from_any_parts_never_panics(
        at in any_instant(),
        until in proptest::option::of(any_instant()),
        precision in one_of(&Precision::ALL),
        offset in any::<i32>(),
    ) {
        let _ = RecordedTime::new(at, until, precision, offset);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_time_in_an_implausible_year_is_called_a_typo_in_any_zone(
        year in prop_oneof![
            chrono::NaiveDate::MIN.year()..=1898,
            2202..=chrono::NaiveDate::MAX.year(),
        ],
        offset in offset_minutes(),
    ) {
        let text = format!("{}-12-31T23:59", chrono::NaiveDate::from_ymd_opt(year, 12, 31)
            .map(|d| d.format("%Y").to_string())
            .unwrap_or_default());
        prop_assert_eq!(
            parse_recorded(&text, "", "minute", &zone(offset)),
            Err(TimeError::ImplausibleYear(year))
        );
    }
}
