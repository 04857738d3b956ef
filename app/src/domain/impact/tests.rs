//! Impact figures: forms read, validated and shown as sentences, kind by kind.

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
