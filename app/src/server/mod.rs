//! Server-only code: database access, Markdown rendering, time zones, form flashes.
//!
//! Compiled only with the `ssr` feature. `ui` never imports it; `api` calls into it; it never
//! imports `api` or `ui`.

pub mod access;
pub mod db;
pub mod edit;
pub mod entities;
pub mod flash;
pub mod http;
pub mod markdown;
pub mod notify;
pub mod origin;
pub mod password;
pub mod proxies;
pub mod query;
pub mod read_cache;
pub mod repo;
pub mod request;
pub mod session;
pub mod state;
pub mod visibility;
pub mod zone;

pub use state::AppState;
