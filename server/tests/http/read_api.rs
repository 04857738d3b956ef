//! The read API against the real server: scoped integration tokens (401 without a live one,
//! 403 naming the scope a token lacks), what a token reads (a viewer's view: no draft through any
//! endpoint, the published version during a correction), cursor pagination walked to the end,
//! the filters, a tracker moving a follow-up (recorded under the integration's name), and the
//! OpenAPI document checked against real answers.

use std::collections::BTreeSet;

use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

use crate::common::{TestApp, incident_of, spawn};
use app::api::changes::{AddChange, ChangeForEdit, UpdateChange};
use app::api::follow_ups::AddFollowUp;
use app::api::history::IncidentHistory;
use app::api::incidents::{CreateIncident, GetPostmortem, IncidentForEdit, UpdateIncident};
use app::api::integrations::{CreateIntegrationToken, ListIntegrations, RevokeIntegrationToken};
use app::api::review::StartCorrection;
use app::dto::history::HistoryView;
use app::dto::integrations::TokenRow;
use app::dto::postmortem::PostmortemView;

/// A token for an integration with these scopes, as the admin makes it.
async fn token(app: &TestApp, name: &str, scopes: &[&str]) -> String {
    let mut fields = vec![("name", name), ("scopes_offered", "on")];
    for scope in scopes {
        fields.push((
            match *scope {
                "read" => "read",
                "write:changes" => "write_changes",
                "write:follow-ups" => "write_follow_ups",
                other => panic!("no scope {other}"),
            },
            "on",
        ));
    }
    app.json(CreateIntegrationToken::PATH, &fields).await
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("the API answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON, not {text}: {e}"));
    (status, value)
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    send(app, reqwest::Method::GET, Some(token), path, None).await
}

async fn get_ok(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = get(app, token, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn move_to(app: &TestApp, token: &str, follow_up: i64, body: Value) -> (u16, Value) {
    send(
        app,
        reqwest::Method::POST,
        Some(token),
        &format!("/api/v1/follow-ups/{follow_up}/state"),
        Some(body),
    )
    .await
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page of items: {page}"))
        .iter()
        .map(|i| i["id"].as_i64().expect("an id"))
        .collect()
}

/// Every item of a list, walking its pages of `limit`; checks no page is larger.
async fn walk(app: &TestApp, token: &str, path: &str, limit: usize) -> Vec<Value> {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let at = match &cursor {
            Some(c) => format!("{path}{join}limit={limit}&cursor={c}"),
            None => format!("{path}{join}limit={limit}"),
        };
        let page = get_ok(app, token, &at).await;
        let items = page["items"].as_array().expect("items").clone();
        assert!(items.len() <= limit, "{at}: {page}");
        all.extend(items);
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return all,
        }
    }
    panic!("{path} never ends");
}

fn incident_fields(title: &str, severity: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[title]", title.to_owned()),
        ("form[summary]", "Shoppers could not pay.".to_owned()),
        ("form[severity]", severity.to_owned()),
        ("form[services]", "Checkout".to_owned()),
        ("form[impact_started_at]", "2020-03-23T10:27".to_owned()),
        ("form[impact_started_precision]", "minute".to_owned()),
        ("form[detected_at]", "2020-03-23T10:37".to_owned()),
        ("form[detected_precision]", "minute".to_owned()),
        ("zone", "UTC".to_owned()),
    ]
}

fn change_fields(system: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[summary]", "Ran the checkout deploy job".to_owned()),
        ("form[kind]", "job_run".to_owned()),
        ("form[system]", system.to_owned()),
        ("form[identifier]", "deploy-checkout".to_owned()),
        ("form[relation]", "confirmed_trigger".to_owned()),
        ("zone", "UTC".to_owned()),
    ]
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// One incident: its id, its change's and its follow-up's.
#[derive(Clone, Copy, Debug)]
struct Made {
    incident: i64,
    change: i64,
    follow_up: i64,
}

/// An incident with a change by `system` and a committed follow-up of `priority` addressing
/// it; published when `publish`.
async fn incident(
    app: &TestApp,
    title: &str,
    severity: &str,
    system: &str,
    priority: &str,
    publish: bool,
) -> Made {
    let incident: i64 = app
        .json(
            CreateIncident::PATH,
            &pairs(&incident_fields(title, severity)),
        )
        .await;
    let mut fields = change_fields(system);
    fields.push(("incident_id", incident.to_string()));
    let change: i64 = app.json(AddChange::PATH, &pairs(&fields)).await;
    let follow_up: i64 = app
        .json(
            AddFollowUp::PATH,
            &pairs(&[
                ("form[title]", format!("Guard {title}")),
                ("form[action_type]", "prevent".to_owned()),
                ("form[priority]", priority.to_owned()),
                ("form[owner]", "Platform team".to_owned()),
                ("form[due]", "2030-01-31".to_owned()),
                ("form[change_id]", change.to_string()),
                ("incident_id", incident.to_string()),
                ("state", "committed".to_owned()),
            ]),
        )
        .await;
    if publish {
        app.publish(incident).await;
    }
    Made {
        incident,
        change,
        follow_up,
    }
}

async fn record_change(app: &TestApp, token: &str, system: &str) -> i64 {
    let (status, body) = send(
        app,
        reqwest::Method::POST,
        Some(token),
        "/api/v1/changes",
        Some(json!({
            "kind": "deploy",
            "system": system,
            "identifier": "release 42",
            "summary": "Deployed the payment service",
            "at": "2020-03-23T10:20:00Z",
            "parameters": [{"name": "canary", "value": "", "is_default": true}]
        })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("an id")
}

const READS: [&str; 4] = [
    "/api/v1/incidents",
    "/api/v1/incidents/1",
    "/api/v1/follow-ups",
    "/api/v1/changes",
];

#[tokio::test]
async fn a_call_without_a_live_token_is_refused_and_one_without_the_scope_is_told_which_it_lacks() {
    let app = spawn().await;
    let writer = token(&app, "Deploys", &["write:changes"]).await;
    let reader = token(&app, "Dashboards", &["read"]).await;
    let revoked = token(&app, "Old tracker", &["read", "write:follow-ups"]).await;
    let tokens: Vec<TokenRow> = app.json(ListIntegrations::PATH, &[]).await;
    let old = tokens
        .iter()
        .find(|t| t.name == "Old tracker")
        .expect("listed");
    app.json::<()>(RevokeIntegrationToken::PATH, &[("id", &old.id.to_string())])
        .await;

    for path in READS {
        let (status, body) = send(&app, reqwest::Method::GET, None, path, None).await;
        assert_eq!(status, 401, "{path}: {body}");
        for bad in ["not-a-token", revoked.as_str()] {
            let (status, body) = get(&app, bad, path).await;
            assert_eq!(status, 401, "{path}: {body}");
        }
        let (status, body) = get(&app, &writer, path).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains("`read`")),
            "names the scope: {body}"
        );
    }
    let (status, body) = send(
        &app,
        reqwest::Method::POST,
        Some(&reader),
        "/api/v1/changes",
        Some(json!({"kind": "deploy", "system": "CI", "summary": "x"})),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("`write:changes`")),
        "{body}"
    );
    let (status, body) = move_to(&app, &reader, 1, json!({"state": "done"})).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("`write:follow-ups`")),
        "{body}"
    );
    let (status, body) = move_to(&app, &revoked, 1, json!({"state": "done"})).await;
    assert_eq!(status, 401, "{body}");
    // The reader reads.
    assert_eq!(get(&app, &reader, "/api/v1/incidents").await.0, 200);
}

#[tokio::test]
async fn a_token_made_without_choosing_scopes_records_changes_as_every_token_did_and_reads_nothing()
{
    let app = spawn().await;
    let legacy: String = app
        .json(CreateIntegrationToken::PATH, &[("name", "Jenkins")])
        .await;
    let tokens: Vec<TokenRow> = app.json(ListIntegrations::PATH, &[]).await;
    assert_eq!(tokens[0].scopes, ["write:changes"]);
    record_change(&app, &legacy, "Jenkins").await;
    assert_eq!(get(&app, &legacy, "/api/v1/changes").await.0, 403);
}

#[tokio::test]
async fn the_admin_ticks_a_new_tokens_scopes_in_the_plain_form_and_sees_them_listed() {
    let app = spawn().await;
    let (status, html) = app.page("/admin/integrations").await;
    assert_eq!(status, 200);
    for name in ["read", "write_changes", "write_follow_ups"] {
        assert!(
            html.contains(&format!("name=\"form[{name}]\""))
                || html.contains(&format!("name=\"{name}\"")),
            "a checkbox for {name}"
        );
    }
    // Nothing ticked: refused, next to the first box, nothing made.
    let (status, body) = app
        .call(
            CreateIntegrationToken::PATH,
            &[("name", "Tracker"), ("scopes_offered", "on")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Tick what the integration may do"), "{body}");
    // Without JavaScript: back to the form, which shows why beside the boxes and keeps the name
    // and the boxes as they were sent.
    let (status, location) = app
        .submit(
            CreateIntegrationToken::PATH,
            "/admin/integrations",
            &[("name", "Tracker"), ("scopes_offered", "on")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back to the form")).await;
    assert!(
        html.contains("Tick what the integration may do"),
        "the reason is shown"
    );
    assert!(html.contains("value=\"Tracker\""), "the name is kept");
    assert!(
        !html.contains("name=\"write_changes\" checked"),
        "an unticked box stays unticked"
    );
    let (status, location) = app
        .submit(
            CreateIntegrationToken::PATH,
            "/admin/integrations",
            &[
                ("name", "Tracker"),
                ("scopes_offered", "on"),
                ("read", "on"),
                ("write_follow_ups", "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = app.page(&location.expect("back to the page")).await;
    assert!(
        html.contains("read, write:follow-ups"),
        "listed with its scopes"
    );
    let tokens: Vec<TokenRow> = app.json(ListIntegrations::PATH, &[]).await;
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].scopes, ["read", "write:follow-ups"]);
}

#[tokio::test]
async fn a_draft_is_invisible_through_every_endpoint() {
    let app = spawn().await;
    let reader = token(&app, "Dashboards", &["read", "write:follow-ups"]).await;
    let draft = incident(
        &app,
        "Secret draft outage",
        "sev1",
        "Zebraform",
        "p1",
        false,
    )
    .await;
    let published = incident(&app, "Checkout stalled", "sev2", "Jenkins", "p2", true).await;
    let example = incident_of(&app.load_example().await);
    let example_page: PostmortemView = app
        .json(GetPostmortem::PATH, &[("id", &example.to_string())])
        .await;
    assert!(
        !example_page.follow_ups.is_empty(),
        "the example has follow-ups"
    );

    let incidents = get_ok(&app, &reader, "/api/v1/incidents").await;
    assert_eq!(ids(&incidents), [published.incident]);
    for hidden in [draft.incident, example] {
        let (status, body) = get(&app, &reader, &format!("/api/v1/incidents/{hidden}")).await;
        assert_eq!(status, 404, "{body}");
    }
    let all = get_ok(&app, &reader, "/api/v1/follow-ups?view=all").await;
    assert_eq!(ids(&all), [published.follow_up]);
    let changes = get_ok(&app, &reader, "/api/v1/changes").await;
    assert_eq!(ids(&changes), [published.change]);
    for filtered in [
        format!("/api/v1/follow-ups?view=all&incident={}", draft.incident),
        "/api/v1/follow-ups?view=all&system=Zebraform".to_owned(),
        "/api/v1/changes?system=Zebraform".to_owned(),
        "/api/v1/incidents?status=draft".to_owned(),
    ] {
        let page = get_ok(&app, &reader, &filtered).await;
        assert_eq!(ids(&page), Vec::<i64>::new(), "{filtered}: {page}");
    }
    for body in [&incidents, &all, &changes] {
        let text = body.to_string();
        assert!(
            !text.contains("Secret draft") && !text.contains("Zebraform"),
            "{text}"
        );
    }
    // Nor may a tracker move its follow-up, nor learn that it exists.
    let (status, body) = move_to(
        &app,
        &reader,
        draft.follow_up,
        json!({"state": "in_progress"}),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = move_to(&app, &reader, 999_999, json!({"state": "in_progress"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn during_a_correction_the_api_reads_the_published_version() {
    let app = spawn().await;
    let reader = token(&app, "Dashboards", &["read"]).await;
    let made = incident(&app, "Checkout stalled", "sev2", "Jenkins", "p2", true).await;
    let id = made.incident.to_string();
    assert_eq!(app.call(StartCorrection::PATH, &[("id", &id)]).await.0, 200);
    let mut fields = incident_fields("Wombat retitled outage", "sev2");
    fields.push(("id", id.clone()));
    fields.push(("version", app.version(IncidentForEdit::PATH, &id).await));
    let (status, body) = app.call(UpdateIncident::PATH, &pairs(&fields)).await;
    assert_eq!(status, 200, "{body}");
    let change = made.change.to_string();
    let mut fields = change_fields("Quokkaform");
    fields.push(("id", change.clone()));
    fields.push(("version", app.version(ChangeForEdit::PATH, &change).await));
    let (status, body) = app.call(UpdateChange::PATH, &pairs(&fields)).await;
    assert_eq!(status, 200, "{body}");

    let incidents = get_ok(&app, &reader, "/api/v1/incidents").await;
    assert_eq!(
        incidents["items"][0]["title"], "Checkout stalled",
        "{incidents}"
    );
    assert_eq!(incidents["items"][0]["status"], "published");
    let export = get_ok(&app, &reader, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(export["incident"]["title"], "Checkout stalled");
    assert_eq!(export["changes"][0]["change"]["system"], "Jenkins");
    let follow_ups = get_ok(&app, &reader, "/api/v1/follow-ups").await;
    assert_eq!(follow_ups["items"][0]["incident_title"], "Checkout stalled");
    assert!(
        follow_ups["items"][0]["addresses"]
            .as_str()
            .is_some_and(|a| a.contains("Jenkins")),
        "{follow_ups}"
    );
    let changes = get_ok(&app, &reader, "/api/v1/changes").await;
    assert_eq!(changes["items"][0]["system"], "Jenkins", "{changes}");
    assert_eq!(ids(&changes), [made.change]);
    let narrowed = get_ok(&app, &reader, "/api/v1/changes?system=quokkaform").await;
    assert_eq!(ids(&narrowed), Vec::<i64>::new());
    for body in [&incidents, &export, &follow_ups, &changes] {
        let text = body.to_string();
        assert!(
            !text.contains("Wombat") && !text.contains("Quokkaform"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn walking_every_page_gives_each_item_exactly_once_in_order() {
    let app = spawn().await;
    let reader = token(&app, "Dashboards", &["read", "write:changes"]).await;
    let mut made = Vec::new();
    for n in 0..5 {
        made.push(incident(&app, &format!("Outage {n}"), "sev2", "Jenkins", "p2", true).await);
    }
    let mut recorded = Vec::new();
    for system in ["Argo", "Argo", "Spinnaker"] {
        recorded.push(record_change(&app, &reader, system).await);
    }

    let incidents: Vec<i64> = walk(&app, &reader, "/api/v1/incidents", 2)
        .await
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect();
    let newest_first: Vec<i64> = made.iter().rev().map(|m| m.incident).collect();
    assert_eq!(incidents, newest_first);
    let follow_ups: Vec<i64> = walk(&app, &reader, "/api/v1/follow-ups", 2)
        .await
        .iter()
        .map(|f| f["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(
        follow_ups,
        made.iter().map(|m| m.follow_up).collect::<Vec<_>>()
    );
    let changes: Vec<(String, i64)> = walk(&app, &reader, "/api/v1/changes", 2)
        .await
        .iter()
        .map(|c| {
            (
                c["source"].as_str().expect("source").to_owned(),
                c["id"].as_i64().expect("id"),
            )
        })
        .collect();
    let mut expected: Vec<(String, i64)> = made
        .iter()
        .map(|m| ("postmortem".to_owned(), m.change))
        .collect();
    expected.extend(recorded.iter().map(|id| ("recorded".to_owned(), *id)));
    assert_eq!(changes, expected);
    // Any page size walks to the same items.
    for limit in [1, 3, 200] {
        let again = walk(&app, &reader, "/api/v1/changes", limit).await;
        assert_eq!(again.len(), expected.len(), "limit {limit}");
    }
    let unique: BTreeSet<i64> = incidents.iter().copied().collect();
    assert_eq!(unique.len(), incidents.len());

    // A cursor the API did not give, or another list's, is refused.
    let page = get_ok(&app, &reader, "/api/v1/incidents?limit=2").await;
    let foreign = page["next"].as_str().expect("more").to_owned();
    for bad in [
        "/api/v1/incidents?cursor=nonsense".to_owned(),
        format!("/api/v1/follow-ups?cursor={foreign}"),
        format!("/api/v1/changes?cursor={foreign}"),
        "/api/v1/incidents?limit=0".to_owned(),
        "/api/v1/follow-ups?limit=201".to_owned(),
        "/api/v1/changes?limit=ten".to_owned(),
    ] {
        let (status, body) = get(&app, &reader, &bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
}

#[tokio::test]
async fn filters_narrow_each_list_and_a_bad_one_is_refused() {
    let app = spawn().await;
    let reader = token(&app, "Dashboards", &["read", "write:changes"]).await;
    let sev1 = incident(&app, "Payments down", "sev1", "Argo", "p1", true).await;
    let sev3 = incident(&app, "Slow search", "sev3", "Jenkins", "p3", true).await;
    let waiting = record_change(&app, &reader, "Spinnaker").await;

    let narrowed = |path: &'static str| {
        let app = &app;
        let reader = reader.clone();
        async move { ids(&get_ok(app, &reader, path).await) }
    };
    assert_eq!(
        narrowed("/api/v1/incidents?severity=sev1").await,
        [sev1.incident]
    );
    assert_eq!(
        narrowed("/api/v1/incidents?status=published").await,
        [sev3.incident, sev1.incident]
    );
    assert_eq!(
        narrowed("/api/v1/follow-ups?priority=p3").await,
        [sev3.follow_up]
    );
    assert_eq!(
        narrowed("/api/v1/follow-ups?system=argo").await,
        [sev1.follow_up]
    );
    assert_eq!(
        narrowed("/api/v1/follow-ups?owner=platform%20team&view=open").await,
        [sev1.follow_up, sev3.follow_up]
    );
    assert_eq!(
        narrowed("/api/v1/follow-ups?view=closed").await,
        Vec::<i64>::new()
    );
    assert_eq!(narrowed("/api/v1/changes?source=recorded").await, [waiting]);
    assert_eq!(
        narrowed("/api/v1/changes?source=postmortem&system=JENKINS").await,
        [sev3.change]
    );
    assert_eq!(
        narrowed("/api/v1/changes?system=spinnaker").await,
        [waiting]
    );

    for bad in [
        "/api/v1/incidents?severity=sev9",
        "/api/v1/incidents?status=lost",
        "/api/v1/incidents?colour=red",
        "/api/v1/follow-ups?view=someday",
        "/api/v1/follow-ups?priority=urgent",
        "/api/v1/follow-ups?incident=seven",
        "/api/v1/changes?source=rumour",
    ] {
        let (status, body) = get(&app, &reader, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_tracker_moves_a_follow_up_to_done_with_a_link_and_its_history_names_the_integration() {
    let app = spawn().await;
    let tracker = token(&app, "Linear", &["write:follow-ups"]).await;
    let made = incident(&app, "Checkout stalled", "sev2", "Jenkins", "p2", true).await;
    let ticket = "https://linear.example/ISSUE-7";

    let (status, body) = move_to(
        &app,
        &tracker,
        made.follow_up,
        json!({"state": "in_progress", "evidence": ticket}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "in_progress");
    // Refused: a move the state does not allow, and the moves people make.
    let (status, body) =
        move_to(&app, &tracker, made.follow_up, json!({"state": "proposed"})).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("committed, in progress or done")),
        "{body}"
    );
    for decision in ["verified", "wont_do"] {
        let (status, body) = move_to(
            &app,
            &tracker,
            made.follow_up,
            json!({"state": decision, "evidence": ticket}),
        )
        .await;
        assert_eq!(status, 409, "{decision}: {body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("a person makes")),
            "{body}"
        );
    }
    for (bad, why) in [
        (json!({"state": "finished"}), "unknown state"),
        (
            json!({"state": "done", "evidence": "javascript:alert(1)"}),
            "not a link",
        ),
        (json!({"to": "done"}), "not the JSON expected"),
    ] {
        let (status, body) = move_to(&app, &tracker, made.follow_up, bad).await;
        assert_eq!(status, 400, "{why}: {body}");
    }
    let (status, body) = move_to(
        &app,
        &tracker,
        made.follow_up,
        json!({"state": "done", "evidence": ticket}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"id": made.follow_up, "state": "done", "evidence": ticket})
    );
    // From done the domain allows verified or reopening only.
    let (status, body) = move_to(
        &app,
        &tracker,
        made.follow_up,
        json!({"state": "committed"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot move to")),
        "{body}"
    );

    let page: PostmortemView = app
        .json(GetPostmortem::PATH, &[("id", &made.incident.to_string())])
        .await;
    let row = page
        .follow_ups
        .iter()
        .find(|f| f.id == made.follow_up)
        .expect("listed");
    assert_eq!(row.state.as_str(), "done");
    assert_eq!(row.evidence.as_deref(), Some(ticket));
    let history: HistoryView = app
        .json(IncidentHistory::PATH, &[("id", &made.incident.to_string())])
        .await;
    let moves: Vec<_> = history
        .entries
        .iter()
        .filter(|e| e.action == "moved")
        .collect();
    assert_eq!(moves.len(), 2, "{moves:?}");
    for entry in moves {
        assert_eq!(entry.who, "Linear (integration)");
        assert!(
            entry.record.iter().any(|(k, v)| k == "link" && v == ticket),
            "{entry:?}"
        );
    }
}

/// A JSON Schema (an OpenAPI 3.1 subset: `$ref` into components, `type` as a name or a list
/// with "null", `properties`, `required`, `items`) checked against a value: every property of an
/// object must be declared (where properties are declared) with its type, every required one
/// present. Returns what is wrong, by path.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, wrong: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "{reference} resolves");
        return check(doc, target, value, at, wrong);
    }
    if let Some(choices) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = choices.iter().any(|c| {
            let mut w = Vec::new();
            check(doc, c, value, at, &mut w);
            w.is_empty()
        });
        if !fits {
            wrong.push(format!("{at}: {value} fits none of {schema}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let typed = types.is_empty()
        || types.contains(&actual)
        || (actual == "integer" && types.contains(&"number"))
        || (actual == "null" && schema["nullable"] == true);
    if !typed {
        wrong.push(format!("{at}: {actual} where the document says {types:?}"));
        return;
    }
    if let (Some(properties), Value::Object(fields)) = (schema["properties"].as_object(), value) {
        for (name, field) in fields {
            match properties.get(name) {
                Some(declared) => check(doc, declared, field, &format!("{at}.{name}"), wrong),
                None => wrong.push(format!("{at}.{name} is not in the document")),
            }
        }
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                wrong.push(format!("{at}.{name} is required but missing"));
            }
        }
    }
    if let (Some(items), Value::Array(values)) = (schema.get("items"), value) {
        for (n, item) in values.iter().enumerate() {
            check(doc, items, item, &format!("{at}[{n}]"), wrong);
        }
    }
}

/// Checks a real answer against the document's schema for `method path` and `status`.
fn conforms(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let schema = &doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !schema.is_null(),
        "the document answers {method} {path} with {status}"
    );
    let mut wrong = Vec::new();
    check(doc, schema, body, "$", &mut wrong);
    assert!(
        wrong.is_empty(),
        "{method} {path} {status}: {wrong:#?}\n{body}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_the_real_answers_match_it() {
    let app = spawn().await;
    let everything = token(
        &app,
        "Everything",
        &["read", "write:changes", "write:follow-ups"],
    )
    .await;
    let writer = token(&app, "Deploys", &["write:changes"]).await;
    let made = incident(&app, "Checkout stalled", "sev2", "Jenkins", "p2", true).await;
    record_change(&app, &everything, "Argo").await;
    let (status, doc) = send(
        &app,
        reqwest::Method::GET,
        None,
        "/api/v1/openapi.json",
        None,
    )
    .await;
    assert_eq!(status, 200, "{doc}");

    let routes: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .as_object()
                .expect("methods")
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("get", "/api/v1/incidents"),
        ("get", "/api/v1/incidents/{id}"),
        ("get", "/api/v1/follow-ups"),
        ("post", "/api/v1/follow-ups/{id}/state"),
        ("get", "/api/v1/changes"),
        ("post", "/api/v1/changes"),
    ]
    .iter()
    .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
    .collect();
    assert_eq!(routes, expected);
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (method, path) in &expected {
        let operation = &doc["paths"][path][method];
        assert!(
            operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty()),
            "{method} {path}"
        );
        for status in ["401", "403"] {
            assert!(
                !operation["responses"][status].is_null(),
                "{method} {path} documents {status}"
            );
        }
    }
    let parameters: Vec<&str> = doc["paths"]["/api/v1/follow-ups"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "view", "owner", "team", "priority", "incident", "system", "limit", "cursor",
    ] {
        assert!(parameters.contains(&name), "{name} in {parameters:?}");
    }

    // Real answers, each checked against the document.
    let answers = [
        (
            "get",
            "/api/v1/incidents",
            "/api/v1/incidents?limit=1".to_owned(),
            None,
        ),
        (
            "get",
            "/api/v1/incidents/{id}",
            format!("/api/v1/incidents/{}", made.incident),
            None,
        ),
        (
            "get",
            "/api/v1/follow-ups",
            "/api/v1/follow-ups?view=all".to_owned(),
            None,
        ),
        ("get", "/api/v1/changes", "/api/v1/changes".to_owned(), None),
        (
            "get",
            "/api/v1/incidents",
            "/api/v1/incidents?cursor=bad".to_owned(),
            None,
        ),
        (
            "get",
            "/api/v1/incidents/{id}",
            "/api/v1/incidents/424242".to_owned(),
            None,
        ),
        (
            "post",
            "/api/v1/follow-ups/{id}/state",
            format!("/api/v1/follow-ups/{}/state", made.follow_up),
            Some(json!({"state": "in_progress", "evidence": "https://tracker.example/1"})),
        ),
        (
            "post",
            "/api/v1/follow-ups/{id}/state",
            format!("/api/v1/follow-ups/{}/state", made.follow_up),
            Some(json!({"state": "verified"})),
        ),
        (
            "post",
            "/api/v1/changes",
            "/api/v1/changes".to_owned(),
            Some(json!({"kind": "deploy", "system": "Argo", "summary": "Rolled out 42"})),
        ),
        (
            "post",
            "/api/v1/changes",
            "/api/v1/changes".to_owned(),
            Some(json!({"kind": "rumour", "system": "", "summary": ""})),
        ),
    ];
    let mut seen_statuses = BTreeSet::new();
    for (method, route, path, body) in answers {
        let verb = if method == "get" {
            reqwest::Method::GET
        } else {
            reqwest::Method::POST
        };
        let (status, answer) =
            send(&app, verb.clone(), Some(&everything), &path, body.clone()).await;
        seen_statuses.insert(status);
        conforms(&doc, method, route, status, &answer);
        let (status, answer) = send(&app, verb.clone(), None, &path, body.clone()).await;
        assert_eq!(status, 401);
        conforms(&doc, method, route, status, &answer);
        if route != "/api/v1/changes" || method == "get" {
            let (status, answer) = send(&app, verb, Some(&writer), &path, body).await;
            assert_eq!(status, 403, "{path}");
            conforms(&doc, method, route, status, &answer);
        }
    }
    assert_eq!(
        seen_statuses,
        BTreeSet::from([200, 201, 400, 404, 409, 422]),
        "every kind of answer was checked"
    );
    // Items were there to check: every field of a non-empty page was compared.
    let changes = get_ok(&app, &everything, "/api/v1/changes").await;
    let sources: BTreeSet<&str> = changes["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["source"].as_str())
        .collect();
    assert_eq!(sources, BTreeSet::from(["postmortem", "recorded"]));

    // And the check fails an answer with a field the document does not declare.
    let mut extra = get_ok(&app, &everything, "/api/v1/follow-ups?view=all").await;
    extra["items"][0]["secret"] = json!("not documented");
    let schema = &doc["paths"]["/api/v1/follow-ups"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut wrong = Vec::new();
    check(&doc, schema, &extra, "$", &mut wrong);
    assert_eq!(wrong, ["$.items[0].secret is not in the document"]);
}
