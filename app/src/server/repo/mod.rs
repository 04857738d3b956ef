//! Repositories: queries and mutations per aggregate. Each function takes a connection (or a
//! transaction) and speaks in `domain` types; entity models stay inside this module.
//!
//! A function that writes more than one row takes a transaction of its own via
//! `db::begin_write`, so a failure leaves nothing half-written.

pub mod accounts;
pub mod changes;
pub mod comments;
pub mod deliveries;
pub mod example;
pub mod factors;
pub mod feeds;
pub mod follow_ups;
pub mod history;
pub mod impact;
pub mod incidents;
pub mod integrations;
pub mod library;
pub mod mentor_notes;
pub mod metrics;
pub mod outbox;
pub mod participants;
pub mod postmortem;
pub mod published;
pub mod relations;
pub mod review_groups;
pub mod reviews;
pub mod search;
pub mod shares;
pub mod template_admin;
pub mod templates;
pub mod timeline;
pub mod webhooks;

mod convert;
pub mod notices;
mod part;
