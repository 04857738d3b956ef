//! One log line per request: its route template and request id, the same id a user sees in
//! an internal error, and never a secret.

use super::*;

#[tokio::test]
async fn the_log_line_of_a_page_names_its_route_template_not_the_id() {
    captured();
    let app = spawn().await;
    let (status, id, _) =
        get_with_id(&app.client, &app.url("/incidents/123?tab=secret-query")).await;
    assert_eq!(status, 404, "no such incident");
    assert!(is_request_id(&id), "{id}");
    let line = request_line(&id);
    assert_eq!(line["method"], "GET");
    assert_eq!(line["status"], 404);
    assert!(line["latency_ms"].is_u64(), "{line}");
    let route = line["route"].as_str().unwrap();
    assert!(
        route == "/incidents/{id}" || route == "/incidents/:id",
        "{line}"
    );
    let raw = lines_of(&id)
        .iter()
        .map(Value::to_string)
        .collect::<String>();
    assert!(!raw.contains("123"), "{raw}");
    assert!(!raw.contains("secret-query"), "{raw}");
}

#[tokio::test]
async fn a_shared_link_never_logs_its_token() {
    captured();
    let app = spawn().await;
    let token = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2";
    let (status, id, _) = get_with_id(
        &app.anonymous().client,
        &app.url(&format!("/shared/{token}")),
    )
    .await;
    assert_eq!(status, 404, "no such link");
    let line = request_line(&id);
    assert_eq!(line["route"], "/shared/{token}", "{line}");
    assert!(!log_text().contains(token), "the token is in the log");
}

#[tokio::test]
async fn an_internal_error_shows_the_request_id_of_its_log_line_and_header() {
    captured();
    let app = spawn().await;
    let response = failing_incident_write(&app).await;
    assert_eq!(response.status(), 500);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let error: AppError = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(
        error,
        AppError::Internal {
            request_id: id.clone()
        }
    );
    assert!(
        error.to_string().contains(&format!("(request {id})")),
        "{error}"
    );
    assert_eq!(request_line(&id)["status"], 500);
    let logged: Vec<Value> = lines_of(&id)
        .into_iter()
        .filter(|line| line["level"] == "ERROR")
        .collect();
    assert!(
        logged.iter().any(|line| line["message"]
            .as_str()
            .is_some_and(|m| m.contains("incidents"))),
        "the cause is logged under the same id: {logged:?}"
    );

    // A page whose data fails to load shows the id of its own request, rendered elsewhere.
    let (status, page_id, html) = get_with_id(&app.client, &app.url("/")).await;
    assert_eq!(status, 500);
    assert!(
        html.contains(&format!(
            "Something went wrong on the server (request {page_id})."
        )),
        "{html}"
    );
    assert_eq!(request_line(&page_id)["route"], "/");
}

#[tokio::test]
async fn logging_in_sharing_and_using_an_integration_token_leave_no_secret_in_the_log() {
    captured();
    let app = spawn().await;
    let incident = crate::common::incident_of(&app.load_example().await);
    app.publish(incident).await;
    let incident = incident.to_string();
    let share_token: String = app.json(CreateShareLink::PATH, &[("id", &incident)]).await;
    let (status, _) = app
        .anonymous()
        .page(&format!("/shared/{share_token}"))
        .await;
    assert_eq!(status, 200, "the link works");
    let integration_token: String = app
        .json(CreateIntegrationToken::PATH, &[("name", "Jenkins")])
        .await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/changes"))
        .header("authorization", format!("Bearer {integration_token}"))
        .header("content-type", "application/json")
        .body(r#"{"kind":"job_run","system":"Jenkins","summary":"Restart","at":"2020-03-23T10:27:00Z","started_by":"engineer","parameters":[]}"#)
        .send()
        .await
        .expect("an answer");
    assert!(response.status().is_success(), "{}", response.status());
    // A wrong password and a bad token are logged, if at all, without what was typed.
    let (status, _) = app
        .anonymous()
        .log_in(crate::common::ADMIN_EMAIL, "wrong horse battery")
        .await;
    assert_ne!(status, 500);

    let log = log_text();
    assert!(log.contains("/shared/"), "the shared page was logged");
    for (what, secret) in [
        ("the password", PASSWORD),
        ("the wrong password", "wrong horse battery"),
        ("the share token", share_token.as_str()),
        ("the integration token", integration_token.as_str()),
    ] {
        assert!(!log.contains(secret), "{what} is in the log");
    }
}
