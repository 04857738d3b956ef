//! What an operator relies on: health endpoints, one log line per request with a route template
//! and a request id (the same id as in the error a user sees), no secrets in the log, a panic
//! that answers 500 while the server goes on, time limits for slow requests and slow clients,
//! a graceful, bounded shutdown on SIGTERM of the real binary, the operator's metrics, and a
//! clear answer to writes while the database refuses them (a full disk, a read-only database).
//!
//! The log is captured by installing the server's own JSON subscriber (`server::telemetry`)
//! on a buffer, once for this test binary: it holds the lines of every test that runs after,
//! which is what "no secret in the log" should be checked against.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use app::api::incidents::CreateIncident;
use app::api::integrations::CreateIntegrationToken;
use app::api::share::CreateShareLink;
use app::error::AppError;
use axum::Router;
use axum::routing::get;
use leptos::server_fn::ServerFn;
use sea_orm::ConnectionTrait;
use serde_json::Value;
use server::telemetry::{LogFormat, subscriber};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing_subscriber::EnvFilter;

use crate::common::{
    PASSWORD, TestApp, on_server, site_root, spawn, spawn_empty, spawn_with_routes,
};

mod health;
mod limits;
mod logs;
mod metrics;
mod shutdown;
mod storage;

/// Makes the database fail every write of an incident (its table renamed away, behind the app's
/// back) and posts one: the answer of a write that failed in the database.
async fn failing_incident_write(app: &TestApp) -> reqwest::Response {
    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared("ALTER TABLE incidents RENAME TO incidents_gone")
            .await
            .expect("the table renamed")
    })
    .await;
    app.client
        .post(app.url(CreateIncident::PATH))
        .form(&crate::incident_fields("Logins failed", "All of them"))
        .send()
        .await
        .expect("an answer")
}

/// The log lines of this test binary since the first test here asked for them.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn captured() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        tracing::subscriber::set_global_default(subscriber(
            LogFormat::Json,
            EnvFilter::new("info,sqlx=warn,sea_orm=warn"),
            move || writer.clone(),
        ))
        .expect("no other subscriber in this test binary");
        logs
    })
}

fn log_text() -> String {
    String::from_utf8_lossy(&captured().0.lock().unwrap()).into_owned()
}

/// Every captured line, each parsed as the JSON object it must be.
fn log_lines() -> Vec<Value> {
    log_text()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}")))
        .collect()
}

/// The captured lines that carry `request_id`.
fn lines_of(request_id: &str) -> Vec<Value> {
    log_lines()
        .into_iter()
        .filter(|line| line["request_id"] == request_id)
        .collect()
}

/// The one request line (target `debrief::request`, with a status) of `request_id`.
fn request_line(request_id: &str) -> Value {
    let lines: Vec<Value> = lines_of(request_id)
        .into_iter()
        .filter(|line| line["target"] == "debrief::request" && line["status"].is_u64())
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "one request line for {request_id}: {lines:?}"
    );
    lines[0].clone()
}

/// GETs `path` with `browser`; returns status, `x-request-id` and body.
async fn get_with_id(client: &reqwest::Client, url: &str) -> (u16, String, String) {
    let response = client
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("every answer names its request")
        .to_owned();
    (status, id, response.text().await.expect("a body"))
}

fn is_request_id(id: &str) -> bool {
    id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit())
}
