//! Read models: what a page shows, assembled from the repositories for one reader. A server
//! function checks who asks and calls one of these; plain downloads call the same ones, so a
//! page and its CSV never disagree. They return DTOs (`crate::dto`), formatted in the reader's
//! zone.

pub mod build;
pub mod change_insights;
pub mod comments;
pub mod dashboard;
pub mod earlier_incidents;
pub mod export;
pub mod factors;
pub mod follow_ups;
pub mod mentor_notes;
pub mod metrics;
pub mod metrics_impact;
pub mod people;
pub mod postmortem;
pub mod relations;
pub mod template;
pub mod tracking;
