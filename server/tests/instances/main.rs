//! Several Debrief instances on one database (issue 13): two real `server` processes, started
//! as an operator starts them behind a load balancer (different ports, the same
//! `DATABASE_URL`), with one person's requests alternating between them. Each test names the
//! instance every request goes through (a round-robin the test can read), and proves that what
//! one instance writes or decides holds on the other:
//! - a session started through one is valid on the other, and logging out through one ends it
//!   on both ([`shared::a_session_started_through_one_instance_is_valid_and_ended_on_both`]);
//! - two edits from one version, one through each instance: the second gets the conflict and
//!   the history is whole ([`shared::an_edit_through_the_other_instance_from_the_same_version_gets_the_conflict`]);
//! - wrong passwords through both count toward one limit
//!   ([`shared::wrong_passwords_through_both_instances_count_toward_one_limit`]);
//! - a plain form's stored error is shown when its redirect is followed through the other
//!   ([`shared::a_failed_plain_form_through_one_instance_shows_its_error_through_the_other`]);
//! - search through one finds what was just written through the other
//!   ([`shared::search_through_one_instance_finds_what_was_just_written_through_the_other`]);
//! - the kept views (dashboard, changes, metrics) of one show a write through the other at once
//!   ([`shared::the_kept_views_of_one_instance_show_a_write_through_the_other_at_once`]);
//! - both print one setup link, and it works through either
//!   ([`shared::the_setup_link_one_instance_prints_works_through_the_other`]);
//! - two servers started at the same moment on a database whose search index is missing both
//!   start, and the index is built once ([`startup`]).
//!
//! On a fresh Postgres database when `DEBRIEF_TEST_POSTGRES` names a server (what several
//! instances are for); otherwise on one SQLite file shared by the two processes, which SQLite
//! supports (WAL across processes on one host) and which checks the same guarantees through
//! SQLite's locks instead of Postgres' (so it runs there too, rather than being skipped).
//! `DEBRIEF_FAULT_SERVER` names another server binary, as for the fault tests.
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

#[path = "../faults/process.rs"]
mod process;

mod delivery;
mod every_event;
mod pair;
mod shared;
mod startup;
