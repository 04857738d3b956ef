//! Debrief's isomorphic library: compiled for the server (`ssr`) and the browser (`hydrate`).
//!
//! Dependencies point one way: `ui` → `api` → `server` → `domain`, with `dto` (what crosses the
//! wire) beside `domain` for all of them. `domain` is pure and imports nothing of the others;
//! `server` exists only with `ssr`. ARCHITECTURE.md has the map; `layers` tests it.

#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod dto;
pub mod error;
#[cfg(test)]
mod layers;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use ui::{App, shell};

/// The browser entry point. Pages are rendered on the server and are not hydrated as a whole:
/// Leptos' island script calls this, then hydrates each `#[island]` on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
