//! Property tests of every parser of what a person (or a client) sends: times with their
//! precision and offset, durations, quantities, parameters, dashboard and metrics filters, the
//! forms and the import JSON. Each parser must never panic on any text, must read back what its
//! own form or link writes, and must name the field of every problem it reports.
//!
//! One file per parser; the strategies they share live in `strategies`. The case count is kept
//! modest so the suite stays fast in CI.

mod change;
mod dashboard;
mod duration;
mod export;
mod forms;
mod quantity;
mod strategies;
mod time;

use proptest::test_runner::Config;

use crate::domain::form::FieldErrors;

/// The configuration every property here runs with. Failures are not written into the source
/// tree: each one found gets a plain regression test beside the code it fixed.
fn config() -> Config {
    Config {
        failure_persistence: None,
        ..Config::with_cases(256)
    }
}

/// Every problem is filed under one of `fields` and says something.
fn assert_fields_within(errors: &FieldErrors, fields: &[&str]) {
    for error in &errors.0 {
        assert!(
            fields.contains(&error.field.as_str()),
            "error under unknown field {:?} ({}); expected one of {fields:?}",
            error.field,
            error.message
        );
        assert!(
            !error.message.trim().is_empty(),
            "empty message under {:?}",
            error.field
        );
    }
}
