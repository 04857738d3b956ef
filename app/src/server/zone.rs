//! Time zones by IANA name (chrono-tz), as the domain's `Zone` trait. Server-only: the zone
//! database stays out of the browser bundle, and pages receive times already formatted.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::time::{TimeError, Zone};

/// The zone used when a person has not chosen one.
pub const DEFAULT_ZONE: &str = "UTC";

/// A named zone such as `Europe/London`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedZone(pub Tz);

impl NamedZone {
    /// Looks a zone up by its IANA name; `None` for a name chrono-tz does not know.
    pub fn parse(name: &str) -> Option<Self> {
        name.trim().parse::<Tz>().ok().map(NamedZone)
    }

    /// Every zone name a person can choose, sorted.
    pub fn all_names() -> Vec<&'static str> {
        let mut names: Vec<&'static str> =
            chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        names.sort_unstable();
        names
    }
}

impl Default for NamedZone {
    fn default() -> Self {
        NamedZone(Tz::UTC)
    }
}

impl Zone for NamedZone {
    fn name(&self) -> String {
        self.0.name().to_owned()
    }

    fn offset_at(&self, utc: DateTime<Utc>) -> FixedOffset {
        self.0.offset_from_utc_datetime(&utc.naive_utc()).fix()
    }

    fn to_utc(&self, local: NaiveDateTime) -> Result<(DateTime<Utc>, FixedOffset), TimeError> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                Ok((t.with_timezone(&Utc), t.offset().fix()))
            }
            LocalResult::None => Err(TimeError::NonexistentLocalTime(format!(
                "{} does not exist in {} (the clocks skip it)",
                local.format("%Y-%m-%d %H:%M"),
                self.0.name()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn london_in_summer_is_an_hour_ahead_of_utc() {
        let zone = NamedZone::parse("Europe/London").expect("known zone");
        let local = NaiveDate::from_ymd_opt(2020, 7, 1)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("valid");
        let (utc, offset) = zone.to_utc(local).expect("exists");
        assert_eq!(offset.local_minus_utc(), 3600);
        assert_eq!(utc.to_rfc3339(), "2020-07-01T11:00:00+00:00");
    }

    #[test]
    fn a_time_the_clocks_skip_is_an_error_not_a_guess() {
        let zone = NamedZone::parse("Europe/London").expect("known zone");
        let skipped = NaiveDate::from_ymd_opt(2020, 3, 29)
            .and_then(|d| d.and_hms_opt(1, 30, 0))
            .expect("valid");
        assert!(zone.to_utc(skipped).is_err());
    }

    #[test]
    fn unknown_zone_names_are_refused() {
        assert!(NamedZone::parse("Mars/Olympus").is_none());
        assert!(NamedZone::all_names().contains(&"Europe/London"));
    }
}
