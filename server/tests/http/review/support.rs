//! Helpers the modules share: people and their browsers, the worked example, calling server
//! functions for their JSON answer, the review steps and their forms, and writing part of a
//! postmortem (a timeline entry, a follow-up).

use leptos::server_fn::ServerFn;

use app::api::follow_ups::AddFollowUp;
use app::api::history::IncidentHistory;
use app::api::incidents::{GetPostmortem, LoadWorkedExample};
use app::api::review::{ApprovePostmortem, RequestChanges, ReviewFor};
use app::api::timeline::AddTimelineEntry;
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::dto::history::HistoryView;
use app::dto::review::ReviewView;
use app::error::AppError;

use crate::common::{Browser, PASSWORD, TestApp};

/// The checklist fields of the approval form, in its order.
pub(crate) const CHECKLIST: [&str; 5] = [
    "timeline_complete",
    "impact_quantified",
    "trigger_identified",
    "follow_ups_address_trigger",
    "blameless",
];

pub(crate) fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Calls a server function that must succeed and reads its JSON answer.
pub(crate) async fn json<T: serde::de::DeserializeOwned>(
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> T {
    let (status, body) = browser.call(path, fields).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path} answers {body}: {e}"))
}

/// The error a refused call answers with.
pub(crate) fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

/// A new account with this name and role, and a browser logged in as it.
pub(crate) async fn person(app: &TestApp, name: &str, role: Role) -> Browser {
    let email = format!(
        "{}@example.com",
        name.to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), ".")
    );
    app.add_user(&email, name, role).await;
    let browser = Browser::new(&app.base);
    let (status, _) = browser.log_in(&email, PASSWORD).await;
    assert_eq!(status, 302, "{name} logs in");
    browser
}

/// Loads a worked example as `browser`, who thereby writes it; returns its id.
pub(crate) async fn example(browser: &Browser) -> i64 {
    json(browser, LoadWorkedExample::PATH, &[]).await
}

pub(crate) async fn review(browser: &Browser, id: i64) -> ReviewView {
    json(browser, ReviewFor::PATH, &[("id", &id.to_string())]).await
}

pub(crate) async fn status_of(app: &TestApp, id: i64) -> (IncidentStatus, i32) {
    let view = review(app, id).await;
    (view.status, view.revision)
}

pub(crate) async fn history(browser: &Browser, id: i64) -> HistoryView {
    json(browser, IncidentHistory::PATH, &[("id", &id.to_string())]).await
}

pub(crate) async fn postmortem(browser: &Browser, id: i64) -> (u16, String) {
    browser
        .call(GetPostmortem::PATH, &[("id", &id.to_string())])
        .await
}

/// A step that needs nothing but the incident: submit, publish, start a correction.
pub(crate) async fn take(browser: &Browser, path: &str, id: i64) -> (u16, String) {
    browser.call(path, &[("id", &id.to_string())]).await
}

/// The approval form with every checklist item ticked but `unticked`.
pub(crate) fn approval(id: i64, unticked: &[&str], comments: &str) -> Vec<(String, String)> {
    let mut fields = vec![("id".to_owned(), id.to_string())];
    for item in CHECKLIST {
        if !unticked.contains(&item) {
            fields.push((format!("form[{item}]"), "on".to_owned()));
        }
    }
    fields.push(("form[comments]".to_owned(), comments.to_owned()));
    fields
}

pub(crate) async fn approve(
    browser: &Browser,
    id: i64,
    unticked: &[&str],
    comments: &str,
) -> (u16, String) {
    browser
        .call(
            ApprovePostmortem::PATH,
            &pairs(&approval(id, unticked, comments)),
        )
        .await
}

pub(crate) async fn send_back(browser: &Browser, id: i64, comments: &str) -> (u16, String) {
    browser
        .call(
            RequestChanges::PATH,
            &[("id", &id.to_string()), ("form[comments]", comments)],
        )
        .await
}

fn timeline_fields(incident: i64, body: &str) -> Vec<(String, String)> {
    [
        ("incident_id", incident.to_string().as_str()),
        ("form[at]", "2020-03-23T10:29"),
        ("form[precision]", "minute"),
        ("form[kind]", "action"),
        ("form[actor]", "on-call engineer"),
        ("form[body]", body),
        ("zone", "UTC"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

pub(crate) async fn add_timeline_entry(
    browser: &Browser,
    incident: i64,
    body: &str,
) -> (u16, String) {
    browser
        .call(
            AddTimelineEntry::PATH,
            &pairs(&timeline_fields(incident, body)),
        )
        .await
}

/// Adds a proposed follow-up owned by `owner`; returns the answer.
async fn add_follow_up(
    browser: &Browser,
    incident: i64,
    title: &str,
    owner: &str,
) -> (u16, String) {
    browser
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", &incident.to_string()),
                ("state", "proposed"),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[owner]", owner),
                ("form[due]", "2030-01-31"),
            ],
        )
        .await
}

pub(crate) async fn follow_up(browser: &Browser, incident: i64, title: &str, owner: &str) -> i64 {
    let (status, body) = add_follow_up(browser, incident, title, owner).await;
    assert_eq!(status, 200, "the follow-up {title:?} is added: {body}");
    serde_json::from_str(&body).expect("its id")
}
