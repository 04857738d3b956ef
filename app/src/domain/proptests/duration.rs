//! Durations as people type them, and as forms and pages write them.

use proptest::prelude::*;

use super::config;
use super::strategies::{duration, hostile};
use crate::domain::time::ApproxDuration;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_read_as_a_duration_never_panics(input in hostile()) {
        if let Ok(Some(d)) = ApproxDuration::parse(&input) {
            prop_assert!(d.seconds >= 0, "{input:?} read as {d:?}");
        }
    }

    #[test]
    fn a_duration_reads_back_from_its_input_value(d in duration()) {
        let exact = ApproxDuration { approximate: false, ..d };
        prop_assert_eq!(ApproxDuration::parse(&d.to_input_value()), Ok(Some(exact)));
    }

    #[test]
    fn a_displayed_duration_reads_back_within_its_smallest_shown_unit(d in duration()) {
        let read = ApproxDuration::parse(&d.display())
            .map_err(TestCaseError::fail)?
            .ok_or_else(|| TestCaseError::fail("read as no duration"))?;
        // Display keeps the two largest units: what it drops is under an hour.
        prop_assert_eq!(read.approximate, d.approximate);
        prop_assert!(read.seconds <= d.seconds && d.seconds - read.seconds < 3_600, "{:?} → {:?}", d, read);
    }

    #[test]
    fn any_duration_is_displayed_without_panicking(seconds in any::<i64>(), approximate in any::<bool>()) {
        let d = ApproxDuration { seconds, approximate };
        let _ = (d.display(), d.to_input_value());
    }
}
