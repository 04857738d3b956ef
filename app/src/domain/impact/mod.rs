//! How bad an incident was, in figures: what was affected, how much (exact, approximate or a
//! range), over what window, how it was estimated, and whether customers saw it. Each figure
//! reads as a sentence: "≈500 customer logins failed over ≈1 min". Quantities live in
//! `quantity` and are re-exported here.

mod quantity;

pub use quantity::Quantity;

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, checkbox, optional_text, required_text,
};
use crate::domain::time::ApproxDuration;
use quantity::parse_number;

/// The impact figure form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImpactForm {
    /// What was affected ("customer logins failed"); required.
    pub affected: String,
    /// How the quantity is known: `exact`, `approximate` or `range` (see
    /// [`Quantity::kind_str`]); empty means exact.
    pub quantity_kind: String,
    /// The number, or the lower bound of a range; required.
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
}

/// A valid impact figure, ready to be stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewImpactFigure {
    /// What was affected ("customer logins failed").
    pub affected: String,
    /// How much.
    pub quantity: Quantity,
    /// The unit of the quantity; empty when the quantity counts what was affected.
    pub unit: String,
    /// How long the figure covers.
    pub window: Option<ApproxDuration>,
    /// How the figure was estimated.
    pub estimation: String,
    /// Whether customers saw it.
    pub customer_visible: bool,
}

impl ImpactForm {
    /// The form a new figure opens with: an approximate quantity that customers saw.
    pub fn blank() -> Self {
        ImpactForm {
            quantity_kind: "approximate".to_owned(),
            customer_visible: "on".to_owned(),
            ..ImpactForm::default()
        }
    }

    /// Checks the form.
    ///
    /// # Errors
    /// Every problem, under the form field to correct: what was affected is required; numbers
    /// must be finite and not negative; a range needs a low value below its high value; the
    /// window must read as a duration.
    pub fn parse(&self) -> Result<NewImpactFigure, FieldErrors> {
        let mut errors = FieldErrors::new();
        let affected = errors.check(
            "affected",
            required_text(&self.affected, "What was affected", MAX_SHORT_TEXT_CHARS),
        );
        let low = errors.check("quantity", parse_number(&self.quantity, "the number"));
        let quantity = match self.quantity_kind.trim() {
            "" | "exact" => low.map(Quantity::Exact),
            "approximate" => low.map(Quantity::Approximate),
            "range" => {
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
            other => {
                errors.add(
                    "quantity_kind",
                    format!(
                        "“{other}” is not a kind of figure; choose exact, approximate or range."
                    ),
                );
                None
            }
        };
        let unit = errors
            .check(
                "unit",
                optional_text(&self.unit, "Unit", MAX_SHORT_TEXT_CHARS),
            )
            .unwrap_or_default();
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
        let (low, high) = match figure.quantity {
            Quantity::Exact(value) | Quantity::Approximate(value) => (value, None),
            Quantity::Range { low, high } => (low, Some(high)),
        };
        let tick = |on: bool| if on { "on" } else { "" }.to_owned();
        Self {
            affected: figure.affected.clone(),
            quantity_kind: figure.quantity.kind_str().to_owned(),
            // `{}` on f64 writes the shortest text that parses back to the same value.
            quantity: low.to_string(),
            quantity_high: high.map(|high| high.to_string()).unwrap_or_default(),
            unit: figure.unit.clone(),
            window: figure
                .window
                .map(|window| window.to_input_value())
                .unwrap_or_default(),
            window_approx: tick(figure.window.is_some_and(|window| window.approximate)),
            estimation: figure.estimation.clone(),
            customer_visible: tick(figure.customer_visible),
        }
    }
}

impl NewImpactFigure {
    /// The figure as a sentence: "≈500 customer logins failed over ≈1 min",
    /// "≈2.5% of checkout requests errored over 10 min" ("%" follows the number directly, other
    /// units after a space); without a window there is no " over …".
    pub fn sentence(&self) -> String {
        let mut sentence = self.quantity.display();
        match self.unit.trim() {
            "" => {}
            "%" => sentence.push('%'),
            unit => {
                sentence.push(' ');
                sentence.push_str(unit);
            }
        }
        let affected = self.affected.trim();
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
