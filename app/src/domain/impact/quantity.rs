//! How much an impact figure counts, as precisely as it is known (exact, approximate or a
//! low–high range), or what else it measures when it is not a count (a share in percent, a rate
//! per unit of time, an amount of money), or why it was not measured; and how numbers are read
//! from forms and shown.

use serde::{Deserialize, Serialize};

use crate::domain::form::group_thousands;

/// How much was affected, as precisely as it is known. The first three count what was
/// affected; the others are not counts, and are never added to them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// A share of requests, users or the like, in percent (0–100): "≈30%".
    Share {
        /// From 0 to 100.
        percent: f64,
        /// Estimated rather than measured: shown with "≈".
        approximate: bool,
    },
    /// So many per unit of time: "≈120 errors per minute" (the unit, "errors", is the figure's).
    Rate {
        /// How many per `per`.
        value: f64,
        /// Estimated rather than measured: shown with "≈".
        approximate: bool,
        /// Per what unit of time.
        per: RatePer,
    },
    /// An amount of money: "$12,000", "≈12,000 CHF".
    Money {
        /// How much.
        amount: f64,
        /// Estimated rather than counted: shown with "≈".
        approximate: bool,
        /// The ISO 4217 code, three capital letters ("USD", "EUR").
        currency: String,
    },
    /// Nobody measured it; the reason says why ("no request logs for the window").
    NotMeasured {
        /// Why it was not measured; never empty.
        reason: String,
    },
}

labelled_enum! {
    /// The unit of time a rate is counted per.
    pub enum RatePer {
        Second = ("second", "per second"),
        Minute = ("minute", "per minute"),
        Hour = ("hour", "per hour"),
        Day = ("day", "per day"),
    }
}

/// Which kind of thing a quantity measures: figures of different kinds (or of one kind in
/// different units) are never added together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measures {
    /// A count: exact, approximate or a range.
    Count,
    /// A percentage.
    Share,
    /// A count per unit of time.
    Rate,
    /// Money.
    Money,
    /// Nothing: it was not measured.
    NotMeasured,
}

impl Quantity {
    /// The stable name of its kind, as in the form: `exact`, `approximate`, `range`, `share`,
    /// `rate`, `money` or `not_measured`.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Self::Exact(_) => "exact",
            Self::Approximate(_) => "approximate",
            Self::Range { .. } => "range",
            Self::Share { .. } => "share",
            Self::Rate { .. } => "rate",
            Self::Money { .. } => "money",
            Self::NotMeasured { .. } => "not_measured",
        }
    }

    /// What it measures.
    pub fn measures(&self) -> Measures {
        match self {
            Self::Exact(_) | Self::Approximate(_) | Self::Range { .. } => Measures::Count,
            Self::Share { .. } => Measures::Share,
            Self::Rate { .. } => Measures::Rate,
            Self::Money { .. } => Measures::Money,
            Self::NotMeasured { .. } => Measures::NotMeasured,
        }
    }

    /// The number it stands for, and the upper bound of a range; `None` when not measured.
    pub fn numbers(&self) -> Option<(f64, Option<f64>)> {
        match *self {
            Self::Exact(value) | Self::Approximate(value) => Some((value, None)),
            Self::Range { low, high } => Some((low, Some(high))),
            Self::Share { percent: value, .. }
            | Self::Rate { value, .. }
            | Self::Money { amount: value, .. } => Some((value, None)),
            Self::NotMeasured { .. } => None,
        }
    }

    /// Whether the number is an estimate (shown with "≈").
    pub fn is_approximate(&self) -> bool {
        match *self {
            Self::Exact(_) | Self::NotMeasured { .. } => false,
            Self::Approximate(_) => true,
            Self::Range { .. } => false,
            Self::Share { approximate, .. }
            | Self::Rate { approximate, .. }
            | Self::Money { approximate, .. } => approximate,
        }
    }

    /// As a person reads it: "500", "≈500", "400–600", "12,000", "2.5" (at most three
    /// decimals); "≈30%"; "≈120 per minute"; "$12,000", "≈12,000 CHF"; "not measured".
    pub fn display(&self) -> String {
        let approx = |approximate: bool| if approximate { "≈" } else { "" };
        match self {
            Self::Exact(value) => display_number(*value),
            Self::Approximate(value) => format!("≈{}", display_number(*value)),
            Self::Range { low, high } => {
                format!("{}–{}", display_number(*low), display_number(*high))
            }
            Self::Share {
                percent,
                approximate,
            } => format!("{}{}%", approx(*approximate), display_number(*percent)),
            Self::Rate {
                value,
                approximate,
                per,
            } => format!(
                "{}{} {}",
                approx(*approximate),
                display_number(*value),
                per.label()
            ),
            Self::Money {
                amount,
                approximate,
                currency,
            } => format!(
                "{}{}",
                approx(*approximate),
                display_money(*amount, currency)
            ),
            Self::NotMeasured { .. } => "not measured".to_owned(),
        }
    }
}

/// "$12,000", "€1,500.5", "£40", else the amount and its code: "12,000 CHF".
pub fn display_money(amount: f64, currency: &str) -> String {
    let number = display_number(amount);
    match currency {
        "USD" => format!("${number}"),
        "EUR" => format!("€{number}"),
        "GBP" => format!("£{number}"),
        code => format!("{number} {code}"),
    }
}

/// Reads a currency code: three letters, in either case ("usd" becomes "USD").
pub(super) fn parse_currency(value: &str) -> Result<String, String> {
    let text = value.trim();
    if text.is_empty() {
        return Err("Enter the currency, as its three-letter code (USD, EUR, GBP).".into());
    }
    if text.len() == 3 && text.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(format!(
            "“{text}” is not a currency code; enter three letters, like USD, EUR or GBP."
        ))
    }
}

pub(super) fn display_number(value: f64) -> String {
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
    fn kinds_that_are_not_counts_are_shown_as_people_write_them() {
        let share = Quantity::Share {
            percent: 30.0,
            approximate: true,
        };
        assert_eq!(share.display(), "≈30%");
        let rate = Quantity::Rate {
            value: 120.0,
            approximate: false,
            per: RatePer::Minute,
        };
        assert_eq!(rate.display(), "120 per minute");
        let money = |currency: &str| Quantity::Money {
            amount: 12_000.0,
            approximate: false,
            currency: currency.into(),
        };
        assert_eq!(money("USD").display(), "$12,000");
        assert_eq!(money("EUR").display(), "€12,000");
        assert_eq!(money("GBP").display(), "£12,000");
        assert_eq!(money("CHF").display(), "12,000 CHF");
        let not_measured = Quantity::NotMeasured {
            reason: "no logs".into(),
        };
        assert_eq!(not_measured.display(), "not measured");
        assert_eq!(not_measured.numbers(), None);
        assert_eq!(share.kind_str(), "share");
        assert_eq!(rate.kind_str(), "rate");
        assert_eq!(money("USD").kind_str(), "money");
        assert_eq!(not_measured.kind_str(), "not_measured");
        assert_eq!(
            [&share, &rate, &money("USD"), &not_measured].map(Quantity::measures),
            [
                Measures::Share,
                Measures::Rate,
                Measures::Money,
                Measures::NotMeasured
            ]
        );
        assert_eq!(Quantity::Exact(1.0).measures(), Measures::Count);
    }

    #[test]
    fn currency_codes_are_three_letters_written_in_capitals() {
        assert_eq!(parse_currency("eur"), Ok("EUR".into()));
        assert!(parse_currency("€").is_err());
        assert!(parse_currency("EURO").is_err());
        assert!(parse_currency("").is_err());
    }

    #[test]
    fn quantities_of_older_exports_still_read() {
        assert_eq!(
            serde_json::from_str::<Quantity>(r#"{"exact":500.0}"#).unwrap(),
            Quantity::Exact(500.0)
        );
        assert_eq!(
            serde_json::from_str::<Quantity>(r#"{"approximate":500.0}"#).unwrap(),
            Quantity::Approximate(500.0)
        );
        assert_eq!(
            serde_json::from_str::<Quantity>(r#"{"range":{"low":400.0,"high":600.0}}"#).unwrap(),
            Quantity::Range {
                low: 400.0,
                high: 600.0
            }
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
            Quantity::Share {
                percent: 30.0,
                approximate: true,
            },
            Quantity::Rate {
                value: 120.0,
                approximate: false,
                per: RatePer::Hour,
            },
            Quantity::Money {
                amount: 12_000.0,
                approximate: true,
                currency: "EUR".into(),
            },
            Quantity::NotMeasured {
                reason: "no request logs for the window".into(),
            },
        ] {
            let json = serde_json::to_string(&quantity).unwrap();
            assert_eq!(serde_json::from_str::<Quantity>(&json).unwrap(), quantity);
        }
    }
}
