//! The Debrief server: configuration, startup and the router around the `app` crate.
//!
//! `main.rs` is a thin wrapper so tests can build an [`startup::Application`] on port 0.

// The pages' view types are deep (a `<form>`'s type holds the types of all its fields), and
// the server lays out their rendering: the default limit of 128 is not enough.
#![recursion_limit = "256"]

pub mod assets;
pub mod backup;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod export_all;
pub mod forms;
pub mod headers;
pub mod health;
pub mod kept_pages;
pub mod migrate_to;
pub mod ops_metrics;
pub mod reminders;
pub mod renders;
pub mod requests;
pub mod seed;
pub mod serve;
pub mod sessions;
pub mod startup;
pub mod telemetry;
