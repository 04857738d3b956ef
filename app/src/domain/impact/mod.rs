//! How bad an incident was, in figures: what was affected, how much (exact, approximate or a
//! range; a share, a rate or money; or not measured, and why), over what window, how it was
//! estimated, and whether customers saw it. Each figure reads as a sentence: "≈500 customer
//! logins failed over ≈1 min". Quantities live in `quantity` and are re-exported here; what
//! figures add up to across incidents (never mixing unlike units) lives in `totals`.

mod quantity;
pub mod totals;

pub use quantity::{Measures, Quantity, RatePer, display_money};

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, checkbox, optional_text, required_text,
};
use crate::domain::time::ApproxDuration;
use quantity::{parse_currency, parse_number};

/// The impact figure form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImpactForm {
    /// What was affected ("customer logins failed"); required.
    pub affected: String,
    /// How the quantity is known: `exact`, `approximate`, `range`, `share`, `rate`, `money` or
    /// `not_measured` (see [`Quantity::kind_str`]); empty means exact. It chooses which of the
    /// other quantity fields are read.
    pub quantity_kind: String,
    /// The number, the lower bound of a range, the percent of a share or the amount of money;
    /// required unless not measured.
    pub quantity: String,
    /// The upper bound; read only for a range.
    pub quantity_high: String,
    /// The unit, e.g. "%" or "requests"; may be empty.
    pub unit: String,
    /// How long it covers, as [`ApproxDuration::parse`] reads it; may be empty.
    pub window: String,
    /// Checkbox: the window is approximate.
    pub window_approx: String,
    /// How the figure was estimated; may be empty.
    pub estimation: String,
    /// Checkbox: customers saw it.
    pub customer_visible: String,
    /// Checkbox: the number of a share, a rate or money is an estimate.
    pub quantity_approx: String,
    /// Per what a rate counts: a [`RatePer::as_str`]; read only for a rate.
    pub rate_per: String,
    /// The currency's three-letter code; read only for money.
    pub currency: String,
    /// Why it was not measured; read only (and required) when not measured.
    pub not_measured_reason: String,
}

/// A valid impact figure, ready to be stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewImpactFigure {
    /// What was affected ("customer logins failed").
    pub affected: String,
    /// How much.
    pub quantity: Quantity,
    /// The unit of the quantity; empty when the quantity counts what was affected. For a share,
    /// what it is a share of ("requests"); for a rate, what is counted ("errors"); always empty
    /// for money and for what was not measured.
    pub unit: String,
    /// How long the figure covers.
    pub window: Option<ApproxDuration>,
    /// How the figure was estimated.
    pub estimation: String,
    /// Whether customers saw it.
    pub customer_visible: bool,
}

impl ImpactForm {
    /// The form a new figure opens with: an approximate quantity that customers saw (a share,
    /// rate or amount chosen instead is an estimate too, until unticked), a rate per minute.
    pub fn blank() -> Self {
        ImpactForm {
            quantity_kind: "approximate".to_owned(),
            customer_visible: "on".to_owned(),
            quantity_approx: "on".to_owned(),
            rate_per: RatePer::Minute.as_str().to_owned(),
            ..ImpactForm::default()
        }
    }

    /// Checks the form.
    ///
    /// # Errors
    /// Every problem, under the form field to correct: what was affected is required; numbers
    /// must be finite and not negative; a range needs a low value below its high value; a share
    /// is at most 100 (percent); a rate needs its unit of time, money its currency; what was
    /// not measured needs the reason why; the window must read as a duration.
    pub fn parse(&self) -> Result<NewImpactFigure, FieldErrors> {
        let mut errors = FieldErrors::new();
        let affected = errors.check(
            "affected",
            required_text(&self.affected, "What was affected", MAX_SHORT_TEXT_CHARS),
        );
        let approximate = checkbox(&self.quantity_approx);
        let kind = self.quantity_kind.trim();
        let number = |errors: &mut FieldErrors, what: &str| {
            errors.check("quantity", parse_number(&self.quantity, what))
        };
        let quantity = match kind {
            "" | "exact" => number(&mut errors, "the number").map(Quantity::Exact),
            "approximate" => number(&mut errors, "the number").map(Quantity::Approximate),
            "range" => {
                let low = number(&mut errors, "the number");
                let high = errors.check(
                    "quantity_high",
                    parse_number(&self.quantity_high, "the upper bound of the range"),
                );
                match (low, high) {
                    (Some(low), Some(high)) if low < high => Some(Quantity::Range { low, high }),
                    (Some(_), Some(_)) => {
                        errors.add(
                            "quantity_high",
                            "The upper bound must be greater than the lower bound.",
                        );
                        None
                    }
                    _ => None,
                }
            }
            "share" => match number(&mut errors, "the percent") {
                Some(percent) if percent > 100.0 => {
                    errors.add(
                        "quantity",
                        "A share is a percent from 0 to 100; for more than all of something, \
                         choose a count.",
                    );
                    None
                }
                Some(percent) => Some(Quantity::Share {
                    percent,
                    approximate,
                }),
                None => None,
            },
            "rate" => {
                let value = number(&mut errors, "how many per unit of time");
                let per = RatePer::parse(&self.rate_per).or_else(|| {
                    errors.add(
                        "rate_per",
                        "Choose what the rate is per: second, minute, hour or day.",
                    );
                    None
                });
                value.zip(per).map(|(value, per)| Quantity::Rate {
                    value,
                    approximate,
                    per,
                })
            }
            "money" => {
                let amount = number(&mut errors, "the amount");
                let currency = errors.check("currency", parse_currency(&self.currency));
                amount
                    .zip(currency)
                    .map(|(amount, currency)| Quantity::Money {
                        amount,
                        approximate,
                        currency,
                    })
            }
            "not_measured" => errors
                .check(
                    "not_measured_reason",
                    required_text(
                        &self.not_measured_reason,
                        "Why it was not measured",
                        MAX_SHORT_TEXT_CHARS,
                    )
                    .map_err(|message| {
                        if self.not_measured_reason.trim().is_empty() {
                            "Say why it was not measured, e.g. “no request logs for the window”."
                                .to_owned()
                        } else {
                            message
                        }
                    }),
                )
                .map(|reason| Quantity::NotMeasured { reason }),
            other => {
                errors.add(
                    "quantity_kind",
                    format!(
                        "“{other}” is not a kind of figure; choose exact, approximate, range, \
                         share, rate, money or not measured."
                    ),
                );
                None
            }
        };
        // Money names its currency and what was not measured has no number: a unit would only
        // confuse their sentences, so it is not read.
        let reads_unit = !matches!(kind, "money" | "not_measured");
        let unit = if reads_unit {
            errors
                .check(
                    "unit",
                    optional_text(&self.unit, "Unit", MAX_SHORT_TEXT_CHARS),
                )
                .unwrap_or_default()
        } else {
            String::new()
        };
        let window = errors
            .check("window", ApproxDuration::parse(&self.window))
            .flatten()
            .map(|window| ApproxDuration {
                approximate: window.approximate || checkbox(&self.window_approx),
                ..window
            });
        let estimation = errors
            .check(
                "estimation",
                optional_text(&self.estimation, "Estimation", MAX_MARKDOWN_CHARS),
            )
            .unwrap_or_default();
        match (affected, quantity) {
            (Some(affected), Some(quantity)) if errors.is_empty() => Ok(NewImpactFigure {
                affected,
                quantity,
                unit,
                window,
                estimation,
                customer_visible: checkbox(&self.customer_visible),
            }),
            _ => Err(errors),
        }
    }

    /// The form for editing `figure`.
    pub fn from_figure(figure: &NewImpactFigure) -> Self {
        let numbers = figure.quantity.numbers();
        let tick = |on: bool| if on { "on" } else { "" }.to_owned();
        let (approximate, rate_per, currency, not_measured_reason) = match &figure.quantity {
            Quantity::Share { approximate, .. } => (*approximate, "", "", ""),
            Quantity::Rate {
                approximate, per, ..
            } => (*approximate, per.as_str(), "", ""),
            Quantity::Money {
                approximate,
                currency,
                ..
            } => (*approximate, "", currency.as_str(), ""),
            Quantity::NotMeasured { reason } => (false, "", "", reason.as_str()),
            Quantity::Exact(_) | Quantity::Approximate(_) | Quantity::Range { .. } => {
                (false, "", "", "")
            }
        };
        Self {
            affected: figure.affected.clone(),
            quantity_kind: figure.quantity.kind_str().to_owned(),
            // `{}` on f64 writes the shortest text that parses back to the same value.
            quantity: numbers.map(|(low, _)| low.to_string()).unwrap_or_default(),
            quantity_high: numbers
                .and_then(|(_, high)| high)
                .map(|high| high.to_string())
                .unwrap_or_default(),
            unit: figure.unit.clone(),
            window: figure
                .window
                .map(|window| window.to_input_value())
                .unwrap_or_default(),
            window_approx: tick(figure.window.is_some_and(|window| window.approximate)),
            estimation: figure.estimation.clone(),
            customer_visible: tick(figure.customer_visible),
            quantity_approx: tick(approximate),
            rate_per: rate_per.to_owned(),
            currency: currency.to_owned(),
            not_measured_reason: not_measured_reason.to_owned(),
        }
    }
}

impl NewImpactFigure {
    /// The figure as a sentence: "≈500 customer logins failed over ≈1 min",
    /// "≈2.5% of checkout requests errored over 10 min" ("%" follows the number directly, other
    /// units after a space); without a window there is no " over …". Each kind that is not a
    /// count reads its own way:
    /// - a share: "≈30% of requests to checkout failed" (unit "requests"),
    /// - a rate: "≈120 errors per minute at the login API" (unit "errors"),
    /// - money: "$12,000 of refunds owed",
    /// - not measured: "S3 requests failed in US-EAST-1 for ≈4 h 17 min — not measured: no
    ///   request logs for the window".
    pub fn sentence(&self) -> String {
        let unit = self.unit.trim();
        let affected = self.affected.trim();
        let mut sentence = match &self.quantity {
            Quantity::NotMeasured { reason } => {
                let mut sentence = affected.to_owned();
                if let Some(window) = self.window {
                    sentence.push_str(" for ");
                    sentence.push_str(&window.display());
                }
                sentence.push_str(" — not measured: ");
                sentence.push_str(reason.trim());
                return sentence;
            }
            Quantity::Share { .. } => {
                let mut sentence = self.quantity.display();
                // An older figure may have kept "%" as its unit.
                if !unit.is_empty() && unit != "%" {
                    sentence.push_str(" of ");
                    sentence.push_str(unit);
                }
                sentence
            }
            Quantity::Rate {
                value,
                approximate,
                per,
            } => {
                let approx = if *approximate { "≈" } else { "" };
                let mut sentence = format!("{approx}{}", quantity::display_number(*value));
                if !unit.is_empty() {
                    sentence.push(' ');
                    sentence.push_str(unit);
                }
                sentence.push(' ');
                sentence.push_str(per.label());
                sentence
            }
            Quantity::Money { .. } => self.quantity.display(),
            Quantity::Exact(_) | Quantity::Approximate(_) | Quantity::Range { .. } => {
                let mut sentence = self.quantity.display();
                match unit {
                    "" => {}
                    "%" => sentence.push('%'),
                    unit => {
                        sentence.push(' ');
                        sentence.push_str(unit);
                    }
                }
                sentence
            }
        };
        if !affected.is_empty() {
            sentence.push(' ');
            sentence.push_str(affected);
        }
        if let Some(window) = self.window {
            sentence.push_str(" over ");
            sentence.push_str(&window.display());
        }
        sentence
    }
}

/// A stored impact figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactFigure {
    /// Its database id.
    pub id: i64,
    /// The incident it measures.
    pub incident_id: i64,
    /// The figure.
    pub figure: NewImpactFigure,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logins() -> NewImpactFigure {
        NewImpactFigure {
            affected: "customer logins failed".into(),
            quantity: Quantity::Approximate(500.0),
            unit: String::new(),
            window: Some(ApproxDuration {
                seconds: 60,
                approximate: true,
            }),
            estimation: "count of failed login requests in load-balancer logs".into(),
            customer_visible: true,
        }
    }

    fn form() -> ImpactForm {
        ImpactForm {
            affected: "customer logins failed".into(),
            quantity_kind: "approximate".into(),
            quantity: "500".into(),
            window: "1 min".into(),
            window_approx: "on".into(),
            estimation: "count of failed login requests in load-balancer logs".into(),
            customer_visible: "on".into(),
            ..ImpactForm::default()
        }
    }

    #[test]
    fn the_worked_example_reads_as_a_sentence() {
        assert_eq!(
            logins().sentence(),
            "≈500 customer logins failed over ≈1 min"
        );
    }

    #[test]
    fn a_percentage_follows_its_number_directly() {
        let figure = NewImpactFigure {
            affected: "of checkout requests errored".into(),
            quantity: Quantity::Approximate(2.5),
            unit: "%".into(),
            window: Some(ApproxDuration {
                seconds: 600,
                approximate: false,
            }),
            ..logins()
        };
        assert_eq!(
            figure.sentence(),
            "≈2.5% of checkout requests errored over 10 min"
        );
    }

    #[test]
    fn other_units_follow_after_a_space_and_no_window_means_no_over() {
        let figure = NewImpactFigure {
            affected: "of payments delayed".into(),
            quantity: Quantity::Range {
                low: 400.0,
                high: 600.0,
            },
            unit: "GBP".into(),
            window: None,
            ..logins()
        };
        assert_eq!(figure.sentence(), "400–600 GBP of payments delayed");
    }

    #[test]
    fn a_valid_form_becomes_a_figure() {
        assert_eq!(form().parse(), Ok(logins()));
    }

    #[test]
    fn numbers_may_group_thousands_with_commas() {
        let figure = ImpactForm {
            quantity_kind: "range".into(),
            quantity: "12,000".into(),
            quantity_high: "1,250,000.5".into(),
            ..form()
        }
        .parse()
        .unwrap();
        assert_eq!(
            figure.quantity,
            Quantity::Range {
                low: 12_000.0,
                high: 1_250_000.5
            }
        );
    }

    #[test]
    fn an_empty_kind_means_exact() {
        let figure = ImpactForm {
            quantity_kind: String::new(),
            ..form()
        }
        .parse()
        .unwrap();
        assert_eq!(figure.quantity, Quantity::Exact(500.0));
    }

    #[test]
    fn the_window_is_approximate_when_ticked_or_written_with_a_tilde() {
        let ticked = form().parse().unwrap().window.unwrap();
        assert!(ticked.approximate);
        let written = ImpactForm {
            window: "~1 min".into(),
            window_approx: String::new(),
            ..form()
        };
        assert!(written.parse().unwrap().window.unwrap().approximate);
        let exact = ImpactForm {
            window_approx: String::new(),
            ..form()
        };
        assert!(!exact.parse().unwrap().window.unwrap().approximate);
        let none = ImpactForm {
            window: String::new(),
            ..form()
        };
        assert_eq!(none.parse().unwrap().window, None);
    }

    #[test]
    fn form_errors_are_keyed_by_field() {
        let errors = ImpactForm {
            affected: String::new(),
            quantity: "-3".into(),
            window: "a while".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.get("affected"),
            Some("What was affected is required.")
        );
        assert_eq!(
            errors.get("quantity"),
            Some("The number cannot be negative.")
        );
        assert!(
            errors
                .get("window")
                .unwrap()
                .contains("“a while” is not a duration")
        );
        assert_eq!(errors.0.len(), 3);
    }

    #[test]
    fn numbers_must_be_finite_and_well_written() {
        for (input, expected) in [
            ("", "Enter the number."),
            ("lots", "is not a number; enter digits"),
            ("inf", "is not a number we can show"),
            ("NaN", "is not a number we can show"),
            ("1e400", "is not a number we can show"),
            ("1,5", "use a dot for decimals"),
            ("12,00", "use a dot for decimals"),
            (",500", "use a dot for decimals"),
        ] {
            let errors = ImpactForm {
                quantity: input.into(),
                ..form()
            }
            .parse()
            .unwrap_err();
            assert!(
                errors.get("quantity").unwrap().contains(expected),
                "{input}: {errors}"
            );
        }
    }

    #[test]
    fn a_range_needs_a_low_value_below_its_high_value() {
        let range = |low: &str, high: &str| {
            ImpactForm {
                quantity_kind: "range".into(),
                quantity: low.into(),
                quantity_high: high.into(),
                ..form()
            }
            .parse()
        };
        for (low, high) in [("600", "400"), ("500", "500")] {
            assert_eq!(
                range(low, high).unwrap_err().get("quantity_high"),
                Some("The upper bound must be greater than the lower bound.")
            );
        }
        assert_eq!(
            range("400", "").unwrap_err().get("quantity_high"),
            Some("Enter the upper bound of the range.")
        );
        assert_eq!(
            range("400", "-1").unwrap_err().get("quantity_high"),
            Some("The upper bound of the range cannot be negative.")
        );
        assert!(range("400", "600").is_ok());
    }

    #[test]
    fn an_unknown_kind_of_figure_is_reported() {
        let errors = ImpactForm {
            quantity_kind: "guess".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert!(errors.get("quantity_kind").unwrap().contains("“guess”"));
    }

    #[test]
    fn the_edit_form_reads_back_the_same_figure() {
        let figures = [
            logins(),
            NewImpactFigure {
                quantity: Quantity::Range {
                    low: 0.1,
                    high: 12_345.678_9,
                },
                unit: "%".into(),
                window: Some(ApproxDuration {
                    seconds: 93_784,
                    approximate: false,
                }),
                customer_visible: false,
                ..logins()
            },
            NewImpactFigure {
                quantity: Quantity::Exact(3.0),
                window: None,
                estimation: String::new(),
                ..logins()
            },
        ];
        for figure in figures {
            assert_eq!(ImpactForm::from_figure(&figure).parse(), Ok(figure));
        }
    }

    fn kind(kind: &str) -> ImpactForm {
        ImpactForm {
            quantity_kind: kind.into(),
            ..form()
        }
    }

    #[test]
    fn a_share_is_a_percent_that_may_be_estimated_and_reads_as_a_share_of_its_unit() {
        let figure = ImpactForm {
            affected: "to checkout failed".into(),
            quantity: "30".into(),
            unit: "requests".into(),
            quantity_approx: "on".into(),
            window: "10 min".into(),
            window_approx: String::new(),
            ..kind("share")
        }
        .parse()
        .unwrap();
        assert_eq!(
            figure.quantity,
            Quantity::Share {
                percent: 30.0,
                approximate: true
            }
        );
        assert_eq!(
            figure.sentence(),
            "≈30% of requests to checkout failed over 10 min"
        );
        let measured = ImpactForm {
            quantity: "100".into(),
            unit: String::new(),
            ..kind("share")
        }
        .parse()
        .unwrap();
        assert_eq!(
            measured.sentence(),
            "100% customer logins failed over ≈1 min"
        );
    }

    #[test]
    fn a_share_above_a_hundred_percent_is_refused_under_the_number() {
        let errors = ImpactForm {
            quantity: "130".into(),
            ..kind("share")
        }
        .parse()
        .unwrap_err();
        assert!(
            errors
                .get("quantity")
                .unwrap()
                .starts_with("A share is a percent from 0 to 100")
        );
        let errors = ImpactForm {
            quantity: String::new(),
            ..kind("share")
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("quantity"), Some("Enter the percent."));
    }

    #[test]
    fn a_rate_counts_per_a_unit_of_time() {
        let figure = ImpactForm {
            affected: "at the login API".into(),
            quantity: "120".into(),
            unit: "errors".into(),
            quantity_approx: "on".into(),
            rate_per: "minute".into(),
            ..kind("rate")
        }
        .parse()
        .unwrap();
        assert_eq!(
            figure.quantity,
            Quantity::Rate {
                value: 120.0,
                approximate: true,
                per: RatePer::Minute
            }
        );
        assert_eq!(
            figure.sentence(),
            "≈120 errors per minute at the login API over ≈1 min"
        );
        let errors = ImpactForm {
            rate_per: "fortnight".into(),
            ..kind("rate")
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.get("rate_per"),
            Some("Choose what the rate is per: second, minute, hour or day.")
        );
    }

    #[test]
    fn money_has_a_currency_and_no_unit() {
        let figure = ImpactForm {
            affected: "of refunds owed".into(),
            quantity: "12,000".into(),
            unit: "ignored".into(),
            currency: " usd ".into(),
            window: String::new(),
            ..kind("money")
        }
        .parse()
        .unwrap();
        assert_eq!(
            figure.quantity,
            Quantity::Money {
                amount: 12_000.0,
                approximate: false,
                currency: "USD".into()
            }
        );
        assert_eq!(figure.unit, "");
        assert_eq!(figure.sentence(), "$12,000 of refunds owed");
        let francs = NewImpactFigure {
            quantity: Quantity::Money {
                amount: 12_000.0,
                approximate: true,
                currency: "CHF".into(),
            },
            ..figure
        };
        assert_eq!(francs.sentence(), "≈12,000 CHF of refunds owed");
        for (currency, expected) in [
            ("", "Enter the currency"),
            ("dollars", "“dollars” is not a currency code"),
            ("U$D", "is not a currency code"),
        ] {
            let errors = ImpactForm {
                currency: currency.into(),
                ..kind("money")
            }
            .parse()
            .unwrap_err();
            assert!(
                errors.get("currency").unwrap().contains(expected),
                "{currency}: {errors}"
            );
        }
    }

    #[test]
    fn what_was_not_measured_needs_no_number_but_says_why() {
        let form = ImpactForm {
            affected: "S3 GET, LIST, PUT and DELETE requests failed in US-EAST-1".into(),
            quantity: String::new(),
            unit: "requests".into(),
            window: "4h 17m".into(),
            window_approx: "on".into(),
            not_measured_reason: " no request logs for the window ".into(),
            ..kind("not_measured")
        };
        let figure = form.parse().unwrap();
        assert_eq!(
            figure.quantity,
            Quantity::NotMeasured {
                reason: "no request logs for the window".into()
            }
        );
        assert_eq!(
            figure.sentence(),
            "S3 GET, LIST, PUT and DELETE requests failed in US-EAST-1 for ≈4 h 17 min — not \
             measured: no request logs for the window"
        );
        let without_window = NewImpactFigure {
            window: None,
            ..figure
        };
        assert_eq!(
            without_window.sentence(),
            "S3 GET, LIST, PUT and DELETE requests failed in US-EAST-1 — not measured: no \
             request logs for the window"
        );
        let errors = ImpactForm {
            not_measured_reason: "  ".into(),
            ..form
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.get("not_measured_reason"),
            Some("Say why it was not measured, e.g. “no request logs for the window”.")
        );
        assert_eq!(errors.0.len(), 1, "the number is not asked for: {errors}");
    }

    #[test]
    fn the_kind_chooses_which_fields_are_read() {
        // A count ignores what only a share, rate, money or not-measured figure reads.
        let figure = ImpactForm {
            rate_per: "fortnight".into(),
            currency: "not a code".into(),
            quantity_approx: "on".into(),
            ..form()
        }
        .parse();
        assert_eq!(figure, Ok(logins()));
    }

    #[test]
    fn every_kind_reads_back_from_its_edit_form() {
        let figures = [
            Quantity::Share {
                percent: 30.0,
                approximate: true,
            },
            Quantity::Rate {
                value: 2.5,
                approximate: false,
                per: RatePer::Second,
            },
            Quantity::Money {
                amount: 12_000.5,
                approximate: true,
                currency: "EUR".into(),
            },
            Quantity::NotMeasured {
                reason: "no request logs for the window".into(),
            },
        ];
        for quantity in figures {
            let unit = match quantity {
                Quantity::Money { .. } | Quantity::NotMeasured { .. } => String::new(),
                _ => "requests".into(),
            };
            let figure = NewImpactFigure {
                quantity,
                unit,
                ..logins()
            };
            assert_eq!(ImpactForm::from_figure(&figure).parse(), Ok(figure));
        }
    }

    #[test]
    fn a_blank_figure_filled_with_its_required_text_is_approximate_and_seen_by_customers() {
        let form = ImpactForm {
            affected: "customer logins failed".into(),
            quantity: "500".into(),
            ..ImpactForm::blank()
        };
        let figure = form.parse().unwrap();
        assert_eq!(figure.quantity, Quantity::Approximate(500.0));
        assert!(figure.customer_visible);
        assert_eq!(figure.window, None);
    }
}
