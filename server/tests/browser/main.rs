//! Browser tests: the real server and headless Chromium (a chromedriver per test, JavaScript on
//! and off), run after `cargo leptos build` has built the site. One test binary for the layer.
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod causes;
mod islands;
mod journeys;
mod mentors;
mod team;
mod xss;
