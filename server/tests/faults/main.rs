//! Fault tests (issue 12): the real `server` binary as a child process, as an operator runs it,
//! killed with SIGKILL while writes are in flight ([`crash`]) and driven by 64 concurrent
//! writers ([`writers`]). After each, the database is opened as the fault left it and checked:
//! every acknowledged write present and whole, the database's integrity check, the history and
//! the search index against the records ([`check`]).
//!
//! The short form runs with `cargo test`; `scripts/faults.sh` runs the full form on the release
//! build. Both print a table ([`report`]). Settings, from the environment:
//! - `DEBRIEF_FAULT_ROUNDS`: kills of the crash test (default 5);
//! - `DEBRIEF_FAULT_WRITERS_SECS`: how long the 64 writers write (default 10);
//! - `DEBRIEF_FAULT_SERVER`: the server binary (default: the debug build cargo made);
//! - `DEBRIEF_FAULT_SEED`: the seed of the kill moments, to replay a run (default: the clock);
//! - `DEBRIEF_TEST_POSTGRES`: run on a fresh database on this Postgres server instead of SQLite.
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod check;
mod crash;
mod process;
mod report;
mod writers;
mod writes;

/// A whole number from the environment, or `default`.
pub fn setting(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a whole number")),
        _ => default,
    }
}
