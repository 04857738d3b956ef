//! How much an impact figure counts, as precisely as it is known (exact, approximate or a
//! low–high range), and how numbers are read from forms and shown.

use serde::{Deserialize, Serialize};

use crate::domain::form::group_thousands;

/// How much was affected, as precisely as it is known.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Counted exactly.
    Exact(f64),
    /// Estimated: shown with "≈".
    Approximate(f64),
    /// Somewhere between two values.
    Range {
        /// The least it can have been.
        low: f64,
        /// The most it can have been.
        high: f64,
    },
}

impl Quantity {
    /// The stable name of its kind, as in the form: `exact`, `approximate` or `range`.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Self::Exact(_) => "exact",
            Self::Approximate(_) => "approximate",
            Self::Range { .. } => "range",
        }
    }

    /// As a person reads it: "500", "≈500", "400–600", "12,000", "2.5" (at most three decimals).
    pub fn display(&self) -> String {
        match *self {
            Self::Exact(value) => display_number(value),
            Self::Approximate(value) => format!("≈{}", display_number(value)),
            Self::Range { low, high } => {
                format!("{}–{}", display_number(low), display_number(high))
            }
        }
    }
}

fn display_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let fixed = format!("{:.3}", value.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let fraction = fraction.trim_end_matches('0');
    // "-0.000" would otherwise keep its sign.
    let sign = if value < 0.0 && (whole != "0" || !fraction.is_empty()) {
        "-"
    } else {
        ""
    };
    let whole = group_thousands(whole);
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// Reads a number as people type it: "500", "2.5", "12,000" (commas only between thousands).
pub(super) fn parse_number(value: &str, what: &str) -> Result<f64, String> {
    let text = value.trim();
    if text.is_empty() {
        return Err(format!("Enter {what}."));
    }
    let whole = text.split('.').next().unwrap_or(text);
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let grouped_well = !whole.contains(',')
        || (!first.is_empty() && first.len() <= 3 && groups.all(|group| group.len() == 3));
    if !grouped_well {
        return Err(format!(
            "“{text}” is not a number: use a dot for decimals and commas only between thousands, like 12,000.5."
        ));
    }
    let number: f64 = text
        .replace(',', "")
        .parse()
        .map_err(|_| format!("“{text}” is not a number; enter digits, like 500 or 2.5."))?;
    if !number.is_finite() {
        Err(format!(
            "“{text}” is not a number we can show; enter digits, like 500 or 2.5."
        ))
    } else if number < 0.0 {
        let mut what = what.chars();
        let first = what.next().map(|c| c.to_uppercase().to_string());
        Err(format!(
            "{}{} cannot be negative.",
            first.unwrap_or_default(),
            what.as_str()
        ))
    } else {
        Ok(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(parse_number("500", "the number"), Ok(500.0));
        assert_eq!(parse_number(" 2.5 ", "the number"), Ok(2.5));
        assert_eq!(parse_number("12,000.5", "the number"), Ok(12_000.5));
        assert_eq!(parse_number("1,234,567", "the number"), Ok(1_234_567.0));
        assert_eq!(parse_number("0", "the number"), Ok(0.0));
        assert_eq!(
            parse_number("-1", "the upper bound"),
            Err("The upper bound cannot be negative.".into())
        );
    }

    #[test]
    fn quantities_are_shown_as_people_write_them() {
        assert_eq!(Quantity::Exact(500.0).display(), "500");
        assert_eq!(Quantity::Approximate(500.0).display(), "≈500");
        assert_eq!(
            Quantity::Range {
                low: 400.0,
                high: 600.0
            }
            .display(),
            "400–600"
        );
        assert_eq!(Quantity::Exact(12_000.0).display(), "12,000");
        assert_eq!(Quantity::Exact(2.5).display(), "2.5");
        assert_eq!(Quantity::Exact(0.0).display(), "0");
        assert_eq!(Quantity::Exact(1_234_567.125).display(), "1,234,567.125");
        assert_eq!(Quantity::Exact(0.1 + 0.2).display(), "0.3");
        assert_eq!(Quantity::Exact(-1_500.0).display(), "-1,500");
        assert_eq!(Quantity::Approximate(999.9996).display(), "≈1,000");
    }

    #[test]
    fn quantity_kinds_have_stable_names() {
        assert_eq!(Quantity::Exact(1.0).kind_str(), "exact");
        assert_eq!(Quantity::Approximate(1.0).kind_str(), "approximate");
        assert_eq!(
            Quantity::Range {
                low: 1.0,
                high: 2.0
            }
            .kind_str(),
            "range"
        );
    }

    #[test]
    fn a_huge_quantity_survives_json_to_the_last_bit() {
        // serde_json's fast float parser read this one a bit off before `float_roundtrip`.
        let quantity = Quantity::Exact(1.565_989_918_117_191_9e308);
        let json = serde_json::to_string(&quantity).unwrap();
        assert_eq!(serde_json::from_str::<Quantity>(&json).unwrap(), quantity);
    }

    #[test]
    fn a_quantity_survives_json() {
        for quantity in [
            Quantity::Exact(500.0),
            Quantity::Approximate(2.5),
            Quantity::Range {
                low: 400.0,
                high: 600.0,
            },
        ] {
            let json = serde_json::to_string(&quantity).unwrap();
            assert_eq!(serde_json::from_str::<Quantity>(&json).unwrap(), quantity);
        }
    }
}
