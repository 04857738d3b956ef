//! Black-box HTTP tests: the real server on port 0 with a temporary database, called as a
//! browser without JavaScript and as a program would. One test binary for the whole layer (it
//! links the app once); one module per subject.
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod access;
mod assets;
mod change_api;
mod comments;
mod connections;
mod corrections;
mod delivery;
mod escaping;
mod export_import;
mod factor_links;
mod factors;
mod feed_links;
mod feeds;
mod follow_through;
mod history;
mod impact_kinds;
mod incidents;
mod insights;
mod kept_pages;
mod kept_views;
mod language;
mod library;
mod mentor_notes;
mod mentor_notes_everywhere;
mod metrics;
mod notifications;
mod on_this_day;
mod operations;
mod parts;
mod people;
mod read_api;
mod relations;
mod requests;
mod review;
mod review_groups;
mod review_rounds;
mod scheduled;
mod search;
mod seed;
mod share;
mod startup;
mod statements;
mod template_admin;
mod templates;
mod tick_cost;
mod timeline_checks;
mod webhook_edit;
mod weight;
mod zones;

use app::api::changes::{AddParameter, UpdateParameter};
use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::incidents::{CreateIncident, DeleteIncident, UpdateLessons};
use app::api::timeline::AddTimelineEntry;
use common::{spawn, spawn_empty, text_of};
use leptos::server_fn::ServerFn;

fn incident_fields<'a>(title: &'a str, summary: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[title]", title),
        ("form[summary]", summary),
        ("form[severity]", "sev2"),
        ("form[services]", "Login"),
        ("form[impact_started_at]", "2020-03-23T10:27"),
        ("form[impact_started_precision]", "approximate"),
        ("form[detected_at]", "2020-03-23T10:28"),
        ("form[detected_precision]", "minute"),
    ]
}

/// The number in the first `id="<prefix>N"` of the page whose element contains `containing`.
fn element_id(html: &str, prefix: &str, containing: &str) -> String {
    html.split(&format!("id=\"{prefix}"))
        .skip(1)
        .find(|chunk| chunk.contains(containing))
        .and_then(|chunk| chunk.split('"').next())
        .unwrap_or_else(|| panic!("no element with id {prefix}… containing {containing:?}"))
        .to_owned()
}

fn id_from(location: &str) -> &str {
    location
        .trim_start_matches("/incidents/")
        .split(['/', '#', '?'])
        .next()
        .expect("an id")
}
