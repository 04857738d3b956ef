//! The change API against the real server: per-integration tokens an admin makes and revokes,
//! payload validation that names the field, and a recorded change added to a postmortem.

use crate::common::{incident_of, spawn};
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

use app::api::incidents::GetPostmortem;
use app::api::integrations::{
    CreateIntegrationToken, LinkRecordedChange, ListIntegrations, RecordedChanges,
    RevokeIntegrationToken,
};
use app::dto::integrations::{ChangeLog, TokenRow};
use app::dto::postmortem::PostmortemView;

async fn post(base: &str, token: Option<&str>, body: &str) -> (u16, Value, Option<String>) {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/api/v1/changes"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.expect("the API answers");
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON, not {text}: {e}"));
    (status, value, challenge)
}

fn fields(answer: &Value) -> Vec<String> {
    answer["fields"]
        .as_array()
        .expect("a list of fields")
        .iter()
        .map(|f| f["field"].as_str().expect("a field name").to_owned())
        .collect()
}

fn jenkins_run() -> Value {
    json!({
        "kind": "job_run",
        "system": "Jenkins",
        "identifier": "generic run-command job",
        "summary": "Restart the Java applications",
        "at": "2020-03-23T10:27:00Z",
        "started_by": "engineer running the change",
        "parameters": [
            {"name": "environment", "value": "production"},
            {"name": "concurrency", "value": "", "is_default": true}
        ]
    })
}

#[tokio::test]
async fn an_integration_records_a_change_that_a_team_adds_to_its_postmortem() {
    let app = spawn().await;
    let token: String = app
        .json(
            CreateIntegrationToken::PATH,
            &[("name", "Jenkins on build-01")],
        )
        .await;
    let body = jenkins_run().to_string();

    let (status, answer, challenge) = post(&app.base, None, &body).await;
    assert_eq!(status, 401, "{answer}");
    assert!(challenge.is_some_and(|c| c.starts_with("Bearer")));
    let (status, _, _) = post(&app.base, Some("not-a-token"), &body).await;
    assert_eq!(status, 401);

    let (status, answer, _) = post(&app.base, Some(&token), &body).await;
    assert_eq!(status, 201, "{answer}");
    assert!(answer["id"].as_i64().is_some(), "{answer}");

    let log: ChangeLog = app.json(RecordedChanges::PATH, &[]).await;
    let row = &log.rows[0];
    assert_eq!(row.name, "Jenkins · generic run-command job");
    assert_eq!(row.source, "Jenkins on build-01");
    assert_eq!(
        row.parameters,
        ["environment = production", "concurrency (took the default)"]
    );

    // A team adds it to the postmortem it belongs to, with its parameters.
    let incident = incident_of(&app.load_example().await);
    let change: i64 = app
        .json(
            LinkRecordedChange::PATH,
            &[
                ("id", &row.id.to_string()),
                ("incident_id", &incident.to_string()),
            ],
        )
        .await;
    let pm: PostmortemView = app
        .json(GetPostmortem::PATH, &[("id", &incident.to_string())])
        .await;
    let added = pm
        .changes
        .iter()
        .find(|c| c.id == change)
        .expect("on the postmortem");
    assert_eq!(added.summary, "Restart the Java applications");
    assert!(
        added
            .parameters
            .iter()
            .any(|p| p.name == "concurrency" && p.is_default)
    );
    let log: ChangeLog = app.json(RecordedChanges::PATH, &[]).await;
    assert_eq!(log.rows[0].linked.as_ref().map(|l| l.0), Some(incident));

    // The token was used; revoked, it is refused.
    let tokens: Vec<TokenRow> = app.json(ListIntegrations::PATH, &[]).await;
    assert!(tokens[0].last_used.is_some());
    let (status, body_text) = app
        .call(
            RevokeIntegrationToken::PATH,
            &[("id", &tokens[0].id.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body_text}");
    let (status, answer, _) = post(&app.base, Some(&token), &body).await;
    assert_eq!(status, 401, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("revoked"));
}

#[tokio::test]
async fn a_bad_payload_gets_a_4xx_that_names_the_field() {
    let app = spawn().await;
    let token: String = app
        .json(CreateIntegrationToken::PATH, &[("name", "Deploys")])
        .await;

    let (status, answer, _) = post(&app.base, Some(&token), "{not json").await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("not the change JSON expected")
    );

    let (status, answer, _) = post(
        &app.base,
        Some(&token),
        r#"{"system": "Chef", "sytem": "x"}"#,
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `sytem`"),
        "{answer}"
    );

    let mut bad = jenkins_run();
    bad["kind"] = json!("reboot");
    bad["system"] = json!("");
    bad["at"] = json!("yesterday");
    bad["parameters"][0]["value"] = json!("");
    let (status, answer, _) = post(&app.base, Some(&token), &bad.to_string()).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        fields(&answer),
        ["at", "kind", "system", "parameters[0].value"]
    );

    let log: ChangeLog = app.json(RecordedChanges::PATH, &[]).await;
    assert!(log.rows.is_empty(), "nothing half-recorded");
}

#[tokio::test]
async fn making_a_token_needs_a_name_and_the_page_shows_it_once() {
    let app = spawn().await;
    let (status, body) = app
        .call(CreateIntegrationToken::PATH, &[("name", "  ")])
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, location) = app
        .submit(
            CreateIntegrationToken::PATH,
            "/admin/integrations",
            &[("name", "Jenkins")],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("back to the page");
    assert!(
        !location.contains("token="),
        "never in the address: {location}"
    );
    let (_, html) = app.page(&location).await;
    let start = html
        .find("<code class=\"token\">")
        .expect("the token is shown")
        + "<code class=\"token\">".len();
    let token = &html[start..start + 64];
    assert!(
        token.chars().all(|c| c.is_ascii_hexdigit()),
        "shown once, to copy: {token}"
    );
    let (_, again) = app.page(&location).await;
    assert!(!again.contains(token), "and only once");
    assert!(html.contains("/api/v1/changes"), "with how to call the API");
}

#[tokio::test]
async fn the_api_s_error_bodies_keep_their_documented_shape() {
    let app = spawn().await;
    let token: String = app
        .json(CreateIntegrationToken::PATH, &[("name", "Deploys")])
        .await;
    let body = jenkins_run().to_string();

    let (status, answer, challenge) = post(&app.base, None, &body).await;
    assert_eq!(status, 401);
    assert_eq!(challenge.as_deref(), Some("Bearer realm=\"debrief\""));
    assert_eq!(
        answer,
        json!({
            "error": "Send the integration's token as `Authorization: Bearer <token>`; an admin makes one under Integrations.",
            "fields": []
        })
    );

    let (status, answer, challenge) = post(&app.base, Some("not-a-token"), &body).await;
    assert_eq!(status, 401);
    assert_eq!(challenge.as_deref(), Some("Bearer realm=\"debrief\""));
    assert_eq!(
        answer,
        json!({ "error": "This token is unknown or has been revoked.", "fields": [] })
    );

    let (status, answer, challenge) = post(&app.base, Some(&token), "{not json").await;
    assert_eq!(status, 400);
    assert_eq!(challenge, None);
    assert_eq!(answer["fields"], json!([]));
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("The body is not the change JSON expected: ")),
        "{answer}"
    );

    let mut bad = jenkins_run();
    bad["system"] = json!("");
    let (status, answer, challenge) = post(&app.base, Some(&token), &bad.to_string()).await;
    assert_eq!(status, 422);
    assert_eq!(challenge, None);
    assert_eq!(
        answer["error"],
        "The change was not recorded: correct the fields named."
    );
    let fields = answer["fields"].as_array().expect("a list");
    assert_eq!(fields.len(), 1, "{answer}");
    assert_eq!(fields[0]["field"], "system");
    assert!(
        fields[0]["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{answer}"
    );
}

#[tokio::test]
async fn a_recorded_change_offers_the_most_recent_postmortems_being_written_not_every_draft() {
    use app::dto::integrations::LINK_CHOICES;
    use app::server::repo::example;
    let app = spawn().await;
    let token: String = app
        .json(CreateIntegrationToken::PATH, &[("name", "Jenkins")])
        .await;
    let (status, answer, _) = post(&app.base, Some(&token), &jenkins_run().to_string()).await;
    assert_eq!(status, 201, "{answer}");
    let db = app.db.clone();
    let drafts = LINK_CHOICES as usize + 5;
    let newest = crate::common::on_server(async move {
        let mut ids = Vec::new();
        for _ in 0..drafts {
            ids.push(example::load_in(&db).await.expect("a draft"));
        }
        ids
    })
    .await;
    let log: ChangeLog = app.json(RecordedChanges::PATH, &[]).await;
    assert_eq!(log.incidents.len(), LINK_CHOICES as usize);
    let offered: Vec<i64> = log.incidents.iter().map(|(id, _)| *id).collect();
    let last = *newest.last().expect("drafts");
    assert!(
        offered.contains(&last),
        "the newest is offered: {offered:?}"
    );
    assert!(
        !offered.contains(&newest[0]),
        "the oldest is not: {offered:?}"
    );
}
