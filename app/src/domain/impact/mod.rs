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
mod tests;
