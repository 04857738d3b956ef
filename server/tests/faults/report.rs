//! The table the fault tests print (`--nocapture`, or `scripts/faults.sh`): one row per fault,
//! with the header, printed at once so rows of tests running side by side do not interleave.

/// One fault's result.
pub struct Row {
    pub fault: String,
    pub rounds: String,
    pub acknowledged: u64,
    pub found: u64,
    /// Answers other than 200 (refusals, 5xx, "database is locked").
    pub errors: u64,
    /// Requests without an answer (cut off by the kill).
    pub unanswered: u64,
    pub integrity: String,
    /// Anything else worth a line: throughput, the seed.
    pub note: String,
}

pub fn print(row: &Row) {
    let header = format!(
        "{:<28} {:>6} {:>12} {:>8} {:>6} {:>6} {:>10}  {}",
        "fault", "rounds", "acknowledged", "found", "lost", "errors", "unanswered", "integrity"
    );
    let line = format!(
        "{:<28} {:>6} {:>12} {:>8} {:>6} {:>6} {:>10}  {}",
        row.fault,
        row.rounds,
        row.acknowledged,
        row.found,
        row.acknowledged.saturating_sub(row.found),
        row.errors,
        row.unanswered,
        row.integrity
    );
    println!("\n{header}\n{line}\n  {}\n", row.note);
}
