//! `GET /ops/metrics`: absent without `DEBRIEF_OPS_TOKEN`, nothing without the token, and with
//! it the requests by route template and status, a latency histogram, the database pool and
//! the writes that failed.

use app::domain::account::Role;

use super::*;
use crate::common::{ADMIN_EMAIL, ADMIN_NAME, spawn_empty_configured};

const TOKEN: &str = "a-test-ops-token-0123456789abcdef0123456789";

async fn spawn_with_token() -> TestApp {
    spawn_empty_configured(|config| {
        config.ops_token = Some(server::config::OpsToken::parse(TOKEN).expect("a valid token"));
    })
    .await
}

/// The metrics as the scraper sees them, asserting how they are served.
async fn scrape(app: &TestApp) -> String {
    let response = app
        .anonymous()
        .client
        .get(app.url("/ops/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().get("set-cookie").is_none(), "no session");
    response.text().await.expect("a body")
}

/// The value of the sample written exactly `series` (name and labels), if there is one.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.strip_prefix(' '))
            .map(|v| v.parse().unwrap_or_else(|_| panic!("not a number: {line}")))
    })
}

#[tokio::test]
async fn without_an_ops_token_the_metrics_route_answers_404() {
    let app = spawn_empty().await;
    let response = app
        .client
        .get(app.url("/ops/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 404);
    assert!(response.headers().get("set-cookie").is_none(), "no session");
    let body = response.text().await.unwrap();
    assert!(!body.contains("debrief_"), "{body}");
}

#[tokio::test]
async fn a_missing_or_wrong_token_gets_401_and_no_metrics() {
    let app = spawn_with_token().await;
    let _ = app.anonymous().page("/login").await;
    let anonymous = app.anonymous();
    let client = &anonymous.client;
    let url = app.url("/ops/metrics");
    let attempts = [
        client.get(&url),
        client
            .get(&url)
            .bearer_auth("a-test-ops-token-0123456789abcdef012345678"),
        client.get(&url).bearer_auth(format!("{TOKEN}x")),
        client.get(&url).basic_auth(TOKEN, Some(TOKEN)),
        client.get(&url).header("authorization", TOKEN),
        client.get(format!("{url}?token={TOKEN}")),
    ];
    for attempt in attempts {
        let response = attempt.send().await.expect("an answer");
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body = response.text().await.unwrap();
        assert!(!body.contains("debrief_"), "no metric in {body}");
        assert!(!body.contains("/login"), "no route in {body}");
    }
}

#[tokio::test]
async fn the_metrics_count_requests_by_route_template_with_a_latency_histogram_and_the_pool() {
    let app = spawn_with_token().await;
    let token = "b7e1c0ffee5a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0";
    let shared = format!("/shared/{token}");
    let (status, _) = app.anonymous().page(&shared).await;
    assert_eq!(status, 404, "no such link");
    let (status, _) = app.anonymous().page("/incidents/4711").await;
    assert!(
        status >= 300,
        "an anonymous reader sees no incident: {status}"
    );

    let before = scrape(&app).await;
    let series =
        r#"debrief_http_requests_total{method="GET",route="/shared/{token}",status="404"}"#;
    assert_eq!(value(&before, series), Some(1.0), "{before}");
    let (status, _) = app.anonymous().page(&shared).await;
    assert_eq!(status, 404);
    let after = scrape(&app).await;
    assert_eq!(value(&after, series), Some(2.0), "{after}");
    for raw in [token, "4711"] {
        assert!(
            !after.contains(raw),
            "a raw path is in the metrics: {after}"
        );
    }
    assert!(
        after.lines().any(|line| line.starts_with(
            r#"debrief_http_requests_total{method="GET",route="/incidents/{id}",status=""#
        )),
        "{after}"
    );
    assert_eq!(
        value(
            &after,
            r#"debrief_http_requests_total{method="GET",route="/ops/metrics",status="200"}"#
        ),
        Some(1.0),
        "the first scrape is counted: {after}"
    );

    let count = value(
        &after,
        r#"debrief_http_request_duration_seconds_count{route="/shared/{token}"}"#,
    );
    assert_eq!(count, Some(2.0), "{after}");
    assert_eq!(
        value(
            &after,
            r#"debrief_http_request_duration_seconds_bucket{route="/shared/{token}",le="+Inf"}"#
        ),
        count,
        "{after}"
    );
    let within_30s = value(
        &after,
        r#"debrief_http_request_duration_seconds_bucket{route="/shared/{token}",le="30"}"#,
    )
    .expect("a 30 s bucket");
    assert!(within_30s <= 2.0, "{after}");
    let sum = value(
        &after,
        r#"debrief_http_request_duration_seconds_sum{route="/shared/{token}"}"#,
    )
    .expect("a sum");
    assert!(sum > 0.0 && sum < 60.0, "{sum}");
    assert!(after.contains("# TYPE debrief_http_request_duration_seconds histogram\n"));
    assert!(after.contains("# TYPE debrief_http_requests_total counter\n"));

    let open = value(&after, "debrief_db_pool_connections_open").expect("open connections");
    let idle = value(&after, "debrief_db_pool_connections_idle").expect("idle connections");
    let max = value(&after, "debrief_db_pool_connections_max").expect("the pool's size");
    assert!(open >= 1.0 && idle <= open && open <= max, "{after}");
    assert!(after.contains("# TYPE debrief_db_pool_connections_open gauge\n"));
    assert_eq!(value(&after, "debrief_write_errors_total"), Some(0.0));
}

#[tokio::test]
async fn a_write_that_fails_in_the_database_is_counted_as_a_write_error() {
    let app = spawn_with_token().await;
    app.add_user(ADMIN_EMAIL, ADMIN_NAME, Role::Admin).await;
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    assert_eq!(
        value(&scrape(&app).await, "debrief_write_errors_total"),
        Some(0.0)
    );
    let response = failing_incident_write(&app).await;
    assert_eq!(response.status(), 500, "the write failed");
    let metrics = scrape(&app).await;
    assert_eq!(
        value(&metrics, "debrief_write_errors_total"),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(
        value(
            &metrics,
            &format!(
                r#"debrief_http_requests_total{{method="POST",route="{}",status="500"}}"#,
                CreateIncident::PATH
            )
        ),
        Some(1.0),
        "{metrics}"
    );

    // A read that fails is a server error, not a failed write.
    let (status, _) = app.page("/").await;
    assert_eq!(status, 500, "the home page cannot read its incidents");
    let metrics = scrape(&app).await;
    assert_eq!(
        value(&metrics, "debrief_write_errors_total"),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(
        value(
            &metrics,
            r#"debrief_http_requests_total{method="GET",route="/",status="500"}"#
        ),
        Some(1.0),
        "{metrics}"
    );
}
