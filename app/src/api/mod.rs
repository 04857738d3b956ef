//! Server functions: one file per aggregate, thin. Each checks its input through the domain,
//! calls a repository, and returns domain types or small view DTOs whose times are already
//! formatted in the reader's time zone (so the zone database never ships to the browser).
//!
//! Every function here is a public HTTP endpoint under `/api` with an explicit, stable path.

pub mod account;
pub mod changes;
pub mod comments;
pub mod dashboard;
pub mod export;
pub mod factors;
pub mod feeds;
pub mod flash;
pub mod follow_ups;
pub mod history;
pub mod impact;
pub mod incidents;
pub mod insights;
pub mod integrations;
pub mod library;
pub mod mentor_notes;
pub mod metrics;
pub mod my_work;
pub mod notices;
pub mod participants;
pub mod policies;
pub mod relations;
pub mod review;
pub mod review_groups;
pub mod search;
pub mod settings;
pub mod share;
pub mod template_admin;
pub mod templates;
pub mod timeline;
pub mod users;
pub mod webhooks;

// The machinery every endpoint file uses, by its short name (`super::state()`,
// `super::access::require`, `super::edit::Edit`): it lives in `server`.
#[cfg(feature = "ssr")]
pub(crate) use crate::server::request::*;
#[cfg(feature = "ssr")]
pub(crate) use crate::server::{access, edit};
