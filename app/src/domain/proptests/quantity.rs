//! Impact figures: numbers as people type them, and the figure form.

use proptest::prelude::*;
use proptest::sample::select;

use super::strategies::{amount, hostile, impact_figure};
use super::{assert_fields_within, config};
use crate::domain::impact::{ImpactForm, Quantity};

const FIELDS: &[&str] = &[
    "affected",
    "quantity_kind",
    "quantity",
    "quantity_high",
    "unit",
    "window",
    "window_approx",
    "estimation",
    "customer_visible",
    "quantity_approx",
    "rate_per",
    "currency",
    "not_measured_reason",
];

/// A kind the form knows, more often than not, so that the fields it reads are reached.
fn kind() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "exact", "approximate", "range", "share", "rate", "money", "not_measured",
        ])
        .prop_map(str::to_owned),
        1 => hostile(),
    ]
    .boxed()
}

fn any_form() -> impl Strategy<Value = ImpactForm> {
    (
        (hostile(), kind(), hostile(), hostile()),
        (hostile(), hostile(), hostile(), hostile(), hostile()),
        (hostile(), hostile(), hostile(), hostile()),
    )
        .prop_map(
            |(
                (affected, quantity_kind, quantity, quantity_high),
                (unit, window, window_approx, estimation, customer_visible),
                (quantity_approx, rate_per, currency, not_measured_reason),
            )| ImpactForm {
                affected,
                quantity_kind,
                quantity,
                quantity_high,
                unit,
                window,
                window_approx,
                estimation,
                customer_visible,
                quantity_approx,
                rate_per,
                currency,
                not_measured_reason,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_impact_form_never_panics_and_names_its_fields(form in any_form()) {
        match form.parse() {
            Ok(figure) => {
                let _ = figure.sentence();
                let numbers = match figure.quantity.numbers() {
                    Some((low, Some(high))) => {
                        prop_assert!(low < high);
                        vec![low, high]
                    }
                    Some((value, None)) => vec![value],
                    None => Vec::new(),
                };
                if let Quantity::Share { percent, .. } = figure.quantity {
                    prop_assert!(percent <= 100.0);
                }
                prop_assert!(numbers.iter().all(|v| v.is_finite() && *v >= 0.0));
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                assert_fields_within(&errors, FIELDS);
            }
        }
    }

    #[test]
    fn a_figure_reads_back_from_its_edit_form(figure in impact_figure()) {
        prop_assert_eq!(ImpactForm::from_figure(&figure).parse(), Ok(figure));
    }

    #[test]
    fn a_quantity_survives_json(figure in impact_figure()) {
        let json = serde_json::to_string(&figure.quantity).expect("serialises");
        prop_assert_eq!(serde_json::from_str::<Quantity>(&json).ok(), Some(figure.quantity.clone()));
    }

    #[test]
    fn a_displayed_number_reads_back_to_within_its_three_decimals(value in amount()) {
        let form = ImpactForm {
            affected: "requests failed".into(),
            quantity: Quantity::Exact(value).display(),
            ..ImpactForm::default()
        };
        let read = match form.parse().map_err(|e| TestCaseError::fail(e.to_string()))?.quantity {
            Quantity::Exact(read) => read,
            other => return Err(TestCaseError::fail(format!("read as {other:?}"))),
        };
        prop_assert!((read - value).abs() <= 0.0005 + value * 1e-12, "{} → {}", value, read);
    }
}
