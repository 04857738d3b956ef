//! What the impact figures of many incidents come to, honestly: counts are added up only with
//! counts of the same unit (or, without a unit, of the same thing affected), money only within
//! one currency; shares and rates are never added up (the highest is shown, and says so); and
//! figures nobody measured are shown as "not measured", never as 0.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::quantity::display_number;
use super::{ImpactFigure, Measures, Quantity, display_money};

/// One line of the totals: like figures, and what they come to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactTotal {
    /// What the figures on this line measure.
    pub measures: Measures,
    /// What they are about: "customer logins failed", "requests", "Money in USD".
    pub what: String,
    /// What they come to: "≈1,500", "400–600", "$12,000", "highest ≈30%", "not measured".
    pub value: String,
    /// How the value was made, for the reader: "added up", "highest; shares are not added
    /// up", and for what was not measured, why not.
    pub how: String,
    /// How many figures are on this line.
    pub figures: usize,
    /// How many incidents they come from.
    pub incidents: usize,
}

/// The figures on one line, as they are gathered.
#[derive(Default)]
struct Line {
    what: String,
    low: f64,
    high: f64,
    any_range: bool,
    any_approximate: bool,
    /// The highest figure, for shares and rates.
    highest: Option<Quantity>,
    currency: String,
    reasons: Vec<String>,
    figures: usize,
    incidents: BTreeSet<i64>,
}

/// The line a figure belongs on: figures share a line only when they measure the same kind
/// of thing in the same unit.
fn line_of(figure: &ImpactFigure) -> (Measures, String, String) {
    let f = &figure.figure;
    let unit = f.unit.trim();
    let affected = f.affected.trim();
    match &f.quantity {
        // Before shares were a kind, a share was a count with "%" as its unit.
        Quantity::Exact(_) | Quantity::Approximate(_) | Quantity::Range { .. } if unit == "%" => {
            (Measures::Share, String::new(), "Shares (percent)".into())
        }
        Quantity::Exact(_) | Quantity::Approximate(_) | Quantity::Range { .. } => {
            if unit.is_empty() {
                (
                    Measures::Count,
                    affected.to_lowercase(),
                    affected.to_owned(),
                )
            } else {
                (
                    Measures::Count,
                    format!("\u{1}{}", unit.to_lowercase()),
                    unit.to_owned(),
                )
            }
        }
        Quantity::Share { .. } if unit.is_empty() || unit == "%" => {
            (Measures::Share, String::new(), "Shares (percent)".into())
        }
        Quantity::Share { .. } => (
            Measures::Share,
            unit.to_lowercase(),
            format!("Share of {unit}"),
        ),
        Quantity::Rate { per, .. } => {
            let what = if unit.is_empty() {
                format!("Rate {}", per.label())
            } else {
                format!("{unit} {}", per.label())
            };
            (
                Measures::Rate,
                format!("{} {}", unit.to_lowercase(), per.as_str()),
                what,
            )
        }
        Quantity::Money { currency, .. } => (
            Measures::Money,
            currency.clone(),
            format!("Money in {currency}"),
        ),
        Quantity::NotMeasured { .. } => {
            (Measures::NotMeasured, String::new(), "Not measured".into())
        }
    }
}

/// Whether `a` is more than `b`, comparing the most each can have been.
fn more_than(a: &Quantity, b: &Quantity) -> bool {
    let most = |q: &Quantity| q.numbers().map_or(0.0, |(low, high)| high.unwrap_or(low));
    most(a) > most(b)
}

/// The totals of `figures` (of any number of incidents), one line per kind and unit: counts
/// first, then shares, rates, money, and what was not measured.
pub fn totals(figures: &[ImpactFigure]) -> Vec<ImpactTotal> {
    let mut lines: BTreeMap<(Measures, String), Line> = BTreeMap::new();
    for figure in figures {
        let (measures, key, what) = line_of(figure);
        let line = lines.entry((measures, key)).or_default();
        if line.figures == 0 {
            line.what = what;
        }
        line.figures += 1;
        line.incidents.insert(figure.incident_id);
        let quantity = &figure.figure.quantity;
        match quantity {
            Quantity::NotMeasured { reason } => {
                let reason = reason.trim().to_owned();
                if !line.reasons.contains(&reason) {
                    line.reasons.push(reason);
                }
            }
            _ if measures == Measures::Share || measures == Measures::Rate => {
                if line.highest.as_ref().is_none_or(|h| more_than(quantity, h)) {
                    line.highest = Some(quantity.clone());
                }
            }
            _ => {
                if let Some((low, high)) = quantity.numbers() {
                    line.low += low;
                    line.high += high.unwrap_or(low);
                    line.any_range |= high.is_some();
                }
                line.any_approximate |= quantity.is_approximate();
                if let Quantity::Money { currency, .. } = quantity {
                    line.currency.clone_from(currency);
                }
            }
        }
    }
    lines
        .into_iter()
        .map(|((measures, _), line)| {
            let approx = if line.any_approximate { "≈" } else { "" };
            let (value, how) = match measures {
                Measures::Count if line.any_range => (
                    format!(
                        "{approx}{}–{}",
                        display_number(line.low),
                        display_number(line.high)
                    ),
                    "added up (low ends, high ends)".to_owned(),
                ),
                Measures::Count => (
                    format!("{approx}{}", display_number(line.low)),
                    "added up".to_owned(),
                ),
                Measures::Money => (
                    format!("{approx}{}", display_money(line.low, &line.currency)),
                    "added up, in this currency only".to_owned(),
                ),
                Measures::Share => (
                    format!("highest {}", share_display(line.highest.as_ref())),
                    "the highest; shares are not added up".to_owned(),
                ),
                Measures::Rate => (
                    format!(
                        "highest {}",
                        line.highest
                            .as_ref()
                            .map(Quantity::display)
                            .unwrap_or_default()
                    ),
                    "the highest; rates are not added up".to_owned(),
                ),
                Measures::NotMeasured => ("not measured".to_owned(), line.reasons.join("; ")),
            };
            ImpactTotal {
                measures,
                what: line.what,
                value,
                how,
                figures: line.figures,
                incidents: line.incidents.len(),
            }
        })
        .collect()
}

/// A share as a percentage, also when it was kept as a count with "%" as its unit.
fn share_display(highest: Option<&Quantity>) -> String {
    match highest {
        Some(share @ Quantity::Share { .. }) => share.display(),
        Some(count) => format!("{}%", count.display()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::impact::{NewImpactFigure, RatePer};

    fn figure(incident_id: i64, affected: &str, unit: &str, quantity: Quantity) -> ImpactFigure {
        ImpactFigure {
            id: 0,
            incident_id,
            figure: NewImpactFigure {
                affected: affected.into(),
                quantity,
                unit: unit.into(),
                window: None,
                estimation: String::new(),
                customer_visible: true,
            },
        }
    }

    fn money(amount: f64, currency: &str) -> Quantity {
        Quantity::Money {
            amount,
            approximate: false,
            currency: currency.into(),
        }
    }

    fn line<'a>(totals: &'a [ImpactTotal], what: &str) -> &'a ImpactTotal {
        totals
            .iter()
            .find(|t| t.what == what)
            .unwrap_or_else(|| panic!("no line for {what}: {totals:?}"))
    }

    #[test]
    fn counts_money_and_percents_are_never_added_together() {
        let totals = totals(&[
            figure(
                1,
                "customer logins failed",
                "",
                Quantity::Approximate(500.0),
            ),
            figure(2, "refunds owed", "", money(12_000.0, "USD")),
            figure(
                3,
                "checkout requests failed",
                "requests",
                Quantity::Share {
                    percent: 30.0,
                    approximate: true,
                },
            ),
            figure(4, "refunds owed", "", money(5_000.0, "EUR")),
        ]);
        assert_eq!(totals.len(), 4, "{totals:?}");
        assert_eq!(line(&totals, "customer logins failed").value, "≈500");
        assert_eq!(line(&totals, "Money in USD").value, "$12,000");
        assert_eq!(line(&totals, "Money in EUR").value, "€5,000");
        assert_eq!(line(&totals, "Share of requests").value, "highest ≈30%");
    }

    #[test]
    fn like_counts_are_added_up_and_unlike_ones_kept_apart() {
        let totals = totals(&[
            figure(
                1,
                "customer logins failed",
                "",
                Quantity::Approximate(500.0),
            ),
            figure(2, "Customer logins failed", "", Quantity::Exact(250.0)),
            figure(2, "checkouts failed", "", Quantity::Exact(40.0)),
            figure(
                3,
                "failed",
                "requests",
                Quantity::Range {
                    low: 100.0,
                    high: 200.0,
                },
            ),
            figure(4, "timed out", "Requests", Quantity::Exact(50.0)),
        ]);
        let logins = line(&totals, "customer logins failed");
        assert_eq!(logins.value, "≈750");
        assert_eq!((logins.figures, logins.incidents), (2, 2));
        assert_eq!(line(&totals, "checkouts failed").value, "40");
        let requests = line(&totals, "requests");
        assert_eq!(requests.value, "150–250");
        assert_eq!(requests.figures, 2);
    }

    #[test]
    fn money_is_added_up_within_one_currency() {
        let totals = totals(&[
            figure(1, "refunds", "", money(12_000.0, "USD")),
            figure(
                2,
                "credits",
                "",
                Quantity::Money {
                    amount: 3_000.5,
                    approximate: true,
                    currency: "USD".into(),
                },
            ),
        ]);
        assert_eq!(totals.len(), 1);
        assert_eq!(totals[0].value, "≈$15,000.5");
        assert_eq!(totals[0].incidents, 2);
    }

    #[test]
    fn shares_and_rates_show_their_highest_and_are_not_added_up() {
        let share = |percent| Quantity::Share {
            percent,
            approximate: false,
        };
        let rate = |value, per| Quantity::Rate {
            value,
            approximate: true,
            per,
        };
        let totals = totals(&[
            figure(1, "failed", "requests", share(30.0)),
            figure(2, "failed", "requests", share(80.0)),
            figure(
                3,
                "of checkout requests errored",
                "%",
                Quantity::Approximate(2.5),
            ),
            figure(1, "at the API", "errors", rate(120.0, RatePer::Minute)),
            figure(2, "at the API", "errors", rate(90.0, RatePer::Minute)),
            figure(2, "at the API", "errors", rate(3.0, RatePer::Second)),
        ]);
        assert_eq!(line(&totals, "Share of requests").value, "highest 80%");
        assert_eq!(line(&totals, "Shares (percent)").value, "highest ≈2.5%");
        assert_eq!(
            line(&totals, "errors per minute").value,
            "highest ≈120 per minute"
        );
        assert_eq!(line(&totals, "errors per second").figures, 1);
        assert!(
            line(&totals, "Share of requests")
                .how
                .contains("not added up")
        );
    }

    #[test]
    fn what_was_not_measured_shows_as_not_measured_never_as_zero() {
        let not_measured = |reason: &str| Quantity::NotMeasured {
            reason: reason.into(),
        };
        let totals = totals(&[
            figure(1, "S3 requests failed", "", not_measured("no request logs")),
            figure(
                2,
                "status page updates",
                "",
                not_measured("no request logs"),
            ),
            figure(2, "logins failed", "", Quantity::Exact(10.0)),
        ]);
        let line = line(&totals, "Not measured");
        assert_eq!(line.value, "not measured");
        assert_eq!(line.how, "no request logs");
        assert_eq!((line.figures, line.incidents), (2, 2));
        assert!(!totals.iter().any(|t| t.value == "0"));
        assert_eq!(
            totals.iter().map(|t| t.measures).collect::<Vec<_>>(),
            [Measures::Count, Measures::NotMeasured]
        );
    }
}
