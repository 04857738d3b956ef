//! Server-only code: database access, Markdown rendering, time zones, form flashes.
//!
//! Compiled only with the `ssr` feature. `ui` never imports it; `api` calls into it.

pub mod db;
pub mod entities;
pub mod flash;
pub mod markdown;
pub mod password;
pub mod proxies;
pub mod repo;
pub mod session;
pub mod state;
pub mod visibility;
pub mod zone;

pub use state::AppState;
