//! Data transfer objects: every value a server function returns or a page receives, in one
//! place. Compiled for the server and the browser alike; plain data with serde, no behaviour
//! beyond small helpers. Times arrive formatted in the reader's zone and Markdown as sanitised
//! HTML, so pages never format dates or render Markdown themselves. `api` builds them (through
//! `server::query`), `ui` shows them; neither imports the other for them.

pub mod comment;
pub mod dashboard;
pub mod editing;
pub mod factors;
pub mod feeds;
pub mod forms;
pub mod history;
pub mod insights;
pub mod integrations;
pub mod library;
pub mod mentor_notes;
pub mod metrics;
pub mod my_work;
pub mod people;
pub mod postmortem;
pub mod relation;
pub mod review;
pub mod review_group;
pub mod search;
pub mod settings;
pub mod share;
pub mod template;
pub mod webhooks;
