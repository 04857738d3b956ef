//! Durations between recorded times, which are approximate whenever either end is, and the
//! "T+0:30" offsets that place timeline entries relative to the start of impact.

use serde::{Deserialize, Serialize};

use super::RecordedTime;

/// A length of time, and whether it is only roughly known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApproxDuration {
    /// Whole seconds; negative when the end is before the start.
    pub seconds: i64,
    /// Whether it was computed from, or entered as, an approximate value.
    pub approximate: bool,
}

/// Units for display, largest first, in seconds.
const UNITS: [(u64, &str, &str); 4] = [
    (86_400, "d", "d"),
    (3_600, "h", "h"),
    (60, "min", "m"),
    (1, "s", "s"),
];

/// Longest duration [`ApproxDuration::parse`] accepts: a thousand years is no incident window.
const MAX_PARSED_SECONDS: f64 = 1_000.0 * 366.0 * 86_400.0;

const EXAMPLES: &str = "write it like 90s, 1m 30s, 1.5 h or 2 hours";

impl ApproxDuration {
    /// From `from` to `to`, measured between their points (the midpoint of a range);
    /// approximate when either time is.
    pub fn between(from: &RecordedTime, to: &RecordedTime) -> Self {
        Self {
            seconds: (to.point() - from.point()).num_seconds(),
            approximate: from.is_approximate() || to.is_approximate(),
        }
    }

    /// As a person reads it: "45 s", "1 min", "1 min 30 s", "2 h 5 min", "3 d 4 h" (the two
    /// largest units, zero units left out), "≈" in front when approximate, "−" when negative.
    pub fn display(&self) -> String {
        let prefix = match (self.approximate, self.seconds < 0) {
            (true, true) => "≈−",
            (true, false) => "≈",
            (false, true) => "−",
            (false, false) => "",
        };
        let largest_two: Vec<String> = split(self.seconds.unsigned_abs(), |unit| unit.1)
            .into_iter()
            .skip_while(|(value, _)| *value == 0)
            .take(2)
            .filter(|(value, _)| *value > 0)
            .map(|(value, unit)| format!("{value} {unit}"))
            .collect();
        if largest_two.is_empty() {
            return format!("{prefix}0 s");
        }
        format!("{prefix}{}", largest_two.join(" "))
    }

    /// Reads a duration as people type it: "90s", "1 min", "1m30s", "1h 30m", "2 hours",
    /// "1.5 h", "45 seconds", and what [`Self::display`] writes. A leading "~" or "≈" makes it
    /// approximate. Empty text is no duration.
    ///
    /// # Errors
    /// A message saying what is wrong and showing how to write a duration.
    pub fn parse(input: &str) -> Result<Option<Self>, String> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (approximate, rest) = match text.strip_prefix(['~', '≈']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, text),
        };
        if rest.starts_with(['-', '−']) {
            return Err(format!(
                "A duration cannot be negative; enter how long it lasted ({EXAMPLES})."
            ));
        }
        let not_a_duration = || format!("“{text}” is not a duration; {EXAMPLES}.");
        let tokens = tokenize(rest);
        if tokens.is_empty() {
            return Err(not_a_duration());
        }
        let mut total = 0.0;
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            let Token::Number(number) = token else {
                return Err(not_a_duration());
            };
            let value: f64 = number.parse().map_err(|_| not_a_duration())?;
            let Some(Token::Word(unit)) = tokens.next() else {
                return Err(format!(
                    "Add a unit to {number} in “{text}”: s, min, h or d."
                ));
            };
            let seconds = unit_seconds(&unit).ok_or_else(|| {
                format!("“{unit}” is not a unit of time; use s, min, h or d (or seconds, minutes, hours, days).")
            })?;
            total += value * seconds;
            if tokens.peek() == Some(&Token::Word("and".into())) {
                tokens.next();
            }
        }
        if !total.is_finite() || total > MAX_PARSED_SECONDS {
            return Err(format!(
                "“{text}” is too long to be a duration worth recording."
            ));
        }
        Ok(Some(Self {
            // Within ±MAX_PARSED_SECONDS, so the conversion is exact.
            seconds: total.round() as i64,
            approximate,
        }))
    }

    /// A form value that [`Self::parse`] reads back to the same seconds: every non-zero unit,
    /// compact ("1h 5m", "1m 30s"), without "≈" (approximation is a checkbox on forms).
    pub fn to_input_value(&self) -> String {
        let parts: Vec<String> = split(self.seconds.unsigned_abs(), |unit| unit.2)
            .into_iter()
            .filter(|(value, _)| *value > 0)
            .map(|(value, unit)| format!("{value}{unit}"))
            .collect();
        let sign = if self.seconds < 0 { "-" } else { "" };
        if parts.is_empty() {
            "0s".to_owned()
        } else {
            format!("{sign}{}", parts.join(" "))
        }
    }
}

/// `seconds` as a value for every unit, largest first, each named by `name`.
fn split(
    mut seconds: u64,
    name: impl Fn(&(u64, &'static str, &'static str)) -> &'static str,
) -> Vec<(u64, &'static str)> {
    UNITS
        .iter()
        .map(|unit| {
            let value = seconds / unit.0;
            seconds %= unit.0;
            (value, name(unit))
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(String),
    Word(String),
    Other(char),
}

/// Splits "1h30m, 2 hours" into numbers and words; spaces and commas only separate.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c == ',' {
            chars.next();
        } else if c.is_ascii_digit() || c == '.' {
            let mut number = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit() || **d == '.') {
                number.push(d);
                chars.next();
            }
            tokens.push(Token::Number(number));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&l) = chars.peek().filter(|l| l.is_alphabetic()) {
                word.extend(l.to_lowercase());
                chars.next();
            }
            tokens.push(Token::Word(word));
        } else {
            tokens.push(Token::Other(c));
            chars.next();
        }
    }
    tokens
}

fn unit_seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "d" | "day" | "days" => 86_400.0,
        _ => return None,
    })
}

/// Where `t` falls relative to the start of impact, in hours and minutes: "T+0:30", "T−0:05"
/// (before impact started), "T+26:10"; "≈" in front when either time is approximate. Partial
/// minutes are dropped.
pub fn t_offset(impact_start: &RecordedTime, t: &RecordedTime) -> String {
    let duration = ApproxDuration::between(impact_start, t);
    let sign = if duration.seconds < 0 { '−' } else { '+' };
    let minutes = duration.seconds.unsigned_abs() / 60;
    let approx = if duration.approximate { "≈" } else { "" };
    let hours = minutes / 60;
    // Past two days, hours stop being readable ("T−116:57"): count whole days first.
    if hours >= 48 {
        format!(
            "{approx}T{sign}{}d {}:{:02}",
            hours / 24,
            hours % 24,
            minutes % 60
        )
    } else {
        format!("{approx}T{sign}{hours}:{:02}", minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Precision;
    use super::super::tests::{approx, minute, range, utc};
    use super::*;

    fn exact(seconds: i64) -> ApproxDuration {
        ApproxDuration {
            seconds,
            approximate: false,
        }
    }

    fn rough(seconds: i64) -> ApproxDuration {
        ApproxDuration {
            seconds,
            approximate: true,
        }
    }

    #[test]
    fn offsets_of_more_than_two_days_count_days() {
        let start = minute(10, 27);
        let days_before = RecordedTime::new(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2020, 3, 18, 13, 30, 0).unwrap(),
            None,
            Precision::Minute,
            0,
        )
        .expect("valid");
        assert_eq!(t_offset(&start, &days_before), "T−4d 20:57");
    }

    #[test]
    fn durations_between_exact_times_are_exact() {
        let d = ApproxDuration::between(&minute(10, 27), &minute(10, 28));
        assert_eq!(d, exact(60));
        assert_eq!(d.display(), "1 min");
    }

    #[test]
    fn an_approximate_end_makes_the_duration_approximate() {
        assert_eq!(
            ApproxDuration::between(&approx(10, 27), &minute(10, 28)),
            rough(60)
        );
        assert_eq!(
            ApproxDuration::between(&minute(10, 27), &approx(10, 28)).display(),
            "≈1 min"
        );
    }

    #[test]
    fn a_range_is_measured_from_its_midpoint_and_is_approximate() {
        let d = ApproxDuration::between(&minute(10, 27), &range((10, 28), (10, 29)));
        assert_eq!(d, rough(90));
        assert_eq!(d.display(), "≈1 min 30 s");
    }

    #[test]
    fn a_duration_backwards_is_negative() {
        let d = ApproxDuration::between(&minute(10, 28), &minute(10, 23));
        assert_eq!(d.display(), "−5 min");
        assert_eq!(rough(-300).display(), "≈−5 min");
    }

    #[test]
    fn durations_show_their_two_largest_units() {
        assert_eq!(exact(0).display(), "0 s");
        assert_eq!(exact(45).display(), "45 s");
        assert_eq!(exact(60).display(), "1 min");
        assert_eq!(exact(90).display(), "1 min 30 s");
        assert_eq!(exact(2 * 3_600 + 5 * 60 + 59).display(), "2 h 5 min");
        assert_eq!(exact(3_600 + 15).display(), "1 h");
        assert_eq!(exact(3 * 86_400 + 4 * 3_600 + 30).display(), "3 d 4 h");
        assert_eq!(exact(86_400 + 5 * 60).display(), "1 d");
    }

    #[test]
    fn people_can_type_durations_in_many_ways() {
        let cases = [
            ("90s", 90),
            ("1 min", 60),
            ("1m30s", 90),
            ("1h 30m", 5_400),
            ("2 hours", 7_200),
            ("1.5 h", 5_400),
            ("45 seconds", 45),
            ("1 hour and 30 minutes", 5_400),
            ("1 Day, 2 HRS", 93_600),
            ("0s", 0),
        ];
        for (input, seconds) in cases {
            assert_eq!(
                ApproxDuration::parse(input),
                Ok(Some(exact(seconds))),
                "{input}"
            );
        }
    }

    #[test]
    fn a_tilde_or_almost_equal_sign_makes_it_approximate() {
        assert_eq!(ApproxDuration::parse("~1 min"), Ok(Some(rough(60))));
        assert_eq!(ApproxDuration::parse("≈ 2h 5min"), Ok(Some(rough(7_500))));
    }

    #[test]
    fn an_empty_duration_is_none() {
        assert_eq!(ApproxDuration::parse("  "), Ok(None));
    }

    #[test]
    fn durations_that_make_no_sense_are_explained() {
        assert_eq!(
            ApproxDuration::parse("soon"),
            Err("“soon” is not a duration; write it like 90s, 1m 30s, 1.5 h or 2 hours.".into())
        );
        assert_eq!(
            ApproxDuration::parse("90"),
            Err("Add a unit to 90 in “90”: s, min, h or d.".into())
        );
        assert_eq!(
            ApproxDuration::parse("3 weeks"),
            Err("“weeks” is not a unit of time; use s, min, h or d (or seconds, minutes, hours, days).".into())
        );
        assert!(
            ApproxDuration::parse("-5 min")
                .unwrap_err()
                .contains("cannot be negative")
        );
        assert!(
            ApproxDuration::parse("1.2.3 h")
                .unwrap_err()
                .contains("is not a duration")
        );
        assert!(
            ApproxDuration::parse("5 min!")
                .unwrap_err()
                .contains("is not a duration")
        );
        assert!(
            ApproxDuration::parse("~")
                .unwrap_err()
                .contains("is not a duration")
        );
        assert!(
            ApproxDuration::parse("99999999999 d")
                .unwrap_err()
                .contains("too long")
        );
    }

    #[test]
    fn displayed_durations_read_back_the_same() {
        for seconds in [0, 45, 60, 90, 3_600, 7_500, 86_400, 273_600] {
            for d in [exact(seconds), rough(seconds)] {
                // Display keeps two units, which is exact for these values.
                assert_eq!(ApproxDuration::parse(&d.display()), Ok(Some(d)), "{d:?}");
            }
        }
    }

    #[test]
    fn input_values_are_compact_and_read_back_exactly() {
        assert_eq!(exact(3_900).to_input_value(), "1h 5m");
        assert_eq!(exact(90).to_input_value(), "1m 30s");
        assert_eq!(exact(0).to_input_value(), "0s");
        assert_eq!(rough(60).to_input_value(), "1m");
        for seconds in [0, 1, 59, 61, 3_599, 3_661, 90_061, 1_000_000] {
            let d = exact(seconds);
            assert_eq!(ApproxDuration::parse(&d.to_input_value()), Ok(Some(d)));
        }
    }

    #[test]
    fn t_offsets_count_hours_and_minutes_from_impact_start() {
        let start = minute(10, 0);
        assert_eq!(t_offset(&start, &minute(10, 30)), "T+0:30");
        assert_eq!(t_offset(&start, &minute(10, 0)), "T+0:00");
        assert_eq!(t_offset(&start, &minute(9, 55)), "T−0:05");
        let next_day = RecordedTime::new(
            utc(10, 0, 0) + chrono::TimeDelta::minutes(26 * 60 + 10),
            None,
            Precision::Minute,
            0,
        )
        .unwrap();
        assert_eq!(t_offset(&start, &next_day), "T+26:10");
    }

    #[test]
    fn t_offsets_from_or_to_approximate_times_are_approximate() {
        assert_eq!(t_offset(&approx(10, 27), &minute(10, 28)), "≈T+0:01");
        assert_eq!(
            t_offset(&minute(10, 27), &range((10, 28), (10, 29))),
            "≈T+0:01"
        );
        assert_eq!(t_offset(&approx(10, 27), &minute(10, 12)), "≈T−0:15");
    }
}
