//! Browser tests: the real server and headless Chromium (a chromedriver per test, JavaScript on
//! and off), run after `cargo leptos build` has built the site. One test binary for the layer.

#[path = "../common/mod.rs"]
mod common;

mod journeys;
mod mentors;
mod team;
mod xss;
