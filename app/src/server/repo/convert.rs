//! Reading stored strings back into domain values. A value the domain does not know means the
//! row was written by something else (or a later version): that is a database error, not a panic.

use chrono::{DateTime, Utc};
use sea_orm::DbErr;

use crate::domain::time::{Precision, RecordedTime};

/// Parses a stored enum value with the domain's `parse`, or fails naming the column.
pub(super) fn stored<T>(
    column: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, DbErr> {
    parse(value).ok_or_else(|| DbErr::Custom(format!("unknown value {value:?} in column {column}")))
}

/// Rebuilds a recorded time from its four columns.
pub(super) fn recorded_time(
    at: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    precision: &str,
    offset_minutes: i32,
) -> Result<RecordedTime, DbErr> {
    let precision = stored("precision", precision, Precision::parse)?;
    RecordedTime::new(at, until, precision, offset_minutes)
        .map_err(|e| DbErr::Custom(format!("stored time is inconsistent: {e}")))
}
