//! What an operator relies on: health endpoints, one log line per request with a route template
//! and a request id (the same id as in the error a user sees), no secrets in the log, a panic
//! that answers 500 while the server goes on, time limits for slow requests and slow clients,
//! and a graceful, bounded shutdown on SIGTERM of the real binary.
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

#[tokio::test]
async fn healthz_answers_ok_to_anyone_without_a_session() {
    let app = spawn_empty().await;
    let response = reqwest::get(app.url("/healthz")).await.expect("an answer");
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_none());
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_is_ready_on_a_current_database_and_says_migrations_when_they_differ() {
    let app = spawn_empty().await;
    let ready = |app: &TestApp| {
        let url = app.url("/readyz");
        async move {
            let response = reqwest::get(url).await.expect("an answer");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    assert_eq!(ready(&app).await, (200, "ok".to_owned()));

    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_from_a_newer_build', 0)",
        )
        .await
        .expect("a migration this build does not know");
    })
    .await;
    assert_eq!(
        ready(&app).await,
        (503, "migrations".to_owned()),
        "a newer build's migration"
    );

    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared(
            "DELETE FROM seaql_migrations WHERE version = 'm29991231_000001_from_a_newer_build' \
             OR version = (SELECT MAX(version) FROM seaql_migrations WHERE version < 'm2999')",
        )
        .await
        .expect("the newest migration of this build forgotten");
    })
    .await;
    assert_eq!(
        ready(&app).await,
        (503, "migrations".to_owned()),
        "a migration of this build not applied"
    );
}

#[tokio::test]
async fn readyz_says_database_when_the_database_does_not_answer() {
    let app = spawn_empty().await;
    let db = app.db.clone();
    on_server(async move { db.close().await.expect("the pool closes") }).await;
    let response = reqwest::get(app.url("/readyz")).await.expect("an answer");
    assert_eq!(response.status(), 503);
    assert_eq!(response.text().await.unwrap(), "database");
    let response = reqwest::get(app.url("/healthz")).await.expect("an answer");
    assert_eq!(response.status(), 200, "the process is still up");
}

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
    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared("ALTER TABLE incidents RENAME TO incidents_gone")
            .await
            .expect("the table renamed")
    })
    .await;
    let response = app
        .client
        .post(app.url(CreateIncident::PATH))
        .form(&super::incident_fields("Logins failed", "All of them"))
        .send()
        .await
        .expect("an answer");
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

/// Routes only tests serve, inside the real app's layers.
fn test_routes() -> Router {
    Router::new()
        .route(
            "/test/panic",
            get(|| async {
                if std::hint::black_box(true) {
                    std::panic::panic_any("a handler that panics");
                }
                "unreachable"
            }),
        )
        .route(
            "/test/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                "late"
            }),
        )
}

#[tokio::test]
async fn a_panicking_handler_answers_an_opaque_500_and_the_server_goes_on() {
    captured();
    let app = spawn_with_routes(|_| {}, test_routes()).await;
    let (status, id, html) = get_with_id(&app.client, &app.url("/test/panic")).await;
    assert_eq!(status, 500);
    assert!(html.contains(&format!("(request {id})")), "{html}");
    assert!(
        !html.contains("a handler that panics"),
        "no internals: {html}"
    );
    assert_eq!(request_line(&id)["status"], 500);
    assert!(
        lines_of(&id).iter().any(|line| line["level"] == "ERROR"
            && line["message"]
                .as_str()
                .is_some_and(|m| m.contains("a handler that panics"))),
        "the panic is logged under the id"
    );
    let response = app.client.get(app.url("/test/panic")).send().await.unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(
        response.headers()["x-content-type-options"],
        "nosniff",
        "an error page has the security headers of any page"
    );
    assert!(response.headers().contains_key("content-security-policy"));
    for _ in 0..3 {
        let (status, _, _) = get_with_id(&app.client, &app.url("/test/panic")).await;
        assert_eq!(status, 500);
    }
    let (status, _, body) = get_with_id(&app.client, &app.url("/healthz")).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, _, _) = get_with_id(&app.client, &app.url("/login")).await;
    assert_eq!(status, 200, "pages still render");
}

#[tokio::test]
async fn a_request_past_the_time_limit_is_answered_503() {
    let app = spawn_with_routes(
        |config| config.limits.request_timeout = Duration::from_secs(1),
        test_routes(),
    )
    .await;
    let started = Instant::now();
    let (status, id, _) = get_with_id(&app.client, &app.url("/test/slow")).await;
    assert_eq!(status, 503);
    assert!(is_request_id(&id));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_client_that_sends_half_a_request_line_is_disconnected() {
    let app = spawn_with_routes(
        |config| config.limits.header_read_timeout = Duration::from_secs(1),
        Router::new(),
    )
    .await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /healthz HT").await.unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer)).await;
    assert!(closed.is_ok(), "the connection is still open after 10 s");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // An idle connection is closed too.
    let mut idle = tokio::net::TcpStream::connect(&address).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut answer)).await;
    assert!(
        closed.is_ok(),
        "an idle connection is still open after 10 s"
    );
    // Others are served meanwhile and after.
    let (status, _, _) = get_with_id(&app.client, &app.url("/healthz")).await;
    assert_eq!(status, 200);
}

/// The real binary, serving a fresh SQLite database on a free port; its stderr lines are
/// collected as they come.
struct Process {
    child: std::process::Child,
    port: u16,
    stderr: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

fn start_binary(grace_secs: u64) -> Process {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.path().join("d.db").display()),
        )
        .env("DEBRIEF_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", site_root())
        .env("DEBRIEF_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
        .env("DEBRIEF_SHUTDOWN_GRACE_SECS", grace_secs.to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let pipe = child.stderr.take().unwrap();
    let lines = stderr.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = port_tx.send(port.parse::<u16>().unwrap());
            }
            lines.lock().unwrap().push(line);
        }
    });
    let port = port_rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| {
            panic!(
                "the server did not say where it listens: {:?}",
                stderr.lock().unwrap()
            )
        });
    Process {
        child,
        port,
        stderr,
        _dir: dir,
    }
}

/// Opens a request whose body is only partly sent: the server has accepted it and waits for
/// the rest.
async fn half_sent_post(port: u16) -> tokio::net::TcpStream {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let body_start = "form%5Bemail%5D=nobody%40example.com";
    let head = format!(
        "POST /api/account/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body_start}",
        body_start.len() + "&form%5Bpassword%5D=x".len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_and_exits_0_within_the_grace_period() {
    let mut server = start_binary(3);
    let base = format!("http://127.0.0.1:{}", server.port);
    let client = reqwest::Client::new();
    let (status, _, _) = get_with_id(&client, &format!("{base}/readyz")).await;
    assert_eq!(status, 200);

    // A load running through the signal.
    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut load = Vec::new();
    for _ in 0..4 {
        let client = client.clone();
        let url = format!("{base}/healthz");
        let running = running.clone();
        load.push(tokio::spawn(async move {
            let (mut answered, mut refused, mut other) = (0u64, 0u64, Vec::new());
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                match client.get(&url).send().await {
                    Ok(response) => {
                        assert_eq!(response.status(), 200, "no request fails while stopping");
                        response.text().await.expect("a whole body");
                        answered += 1;
                    }
                    Err(e) if e.is_connect() => {
                        refused += 1;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => {
                        other.push(e.to_string());
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
            (answered, refused, other)
        }));
    }
    // One request that will be finished after the signal, one that never will.
    let mut finishing = half_sent_post(server.port).await;
    let _stalled = half_sent_post(server.port).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let signalled = Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    finishing.write_all(b"&form%5Bpassword%5D=x").await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        Duration::from_secs(5),
        finishing.read_to_string(&mut answer),
    )
    .await
    .expect("the request in flight is answered")
    .expect("a whole answer");
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    assert!(!answer.starts_with("HTTP/1.1 5"), "{answer}");

    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM with a 3 s grace period"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = signalled.elapsed();
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    assert!(
        exit.success(),
        "{exit:?}: {:?}",
        server.stderr.lock().unwrap()
    );
    assert!(
        took >= Duration::from_millis(2500),
        "it waited for the stalled request, up to the grace period: {took:?}"
    );

    let (mut answered, mut other) = (0, Vec::new());
    for task in load {
        let (a, _refused, o) = task.await.unwrap();
        answered += a;
        other.extend(o);
    }
    assert!(answered > 0);
    // Every request the server accepted has its line; a request it logged but the client did
    // not get whole would make more lines than answers.
    std::thread::sleep(Duration::from_millis(200));
    let stderr = server.stderr.lock().unwrap().clone();
    let logged = stderr
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["route"] == "/healthz" && line["status"] == 200)
        .count() as u64;
    assert_eq!(
        logged, answered,
        "requests the server answered but the load lost (errors: {other:?})"
    );
    assert!(
        stderr
            .iter()
            .all(|line| serde_json::from_str::<Value>(line).is_ok()),
        "every line is JSON: {stderr:?}"
    );
}
