//! A panicking handler, a request past its time limit and a client that never finishes its
//! request line: each answered or cut off while the server goes on.

use super::*;

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
    let (status, id, body) = get_with_id(&app.client, &app.url("/test/slow")).await;
    assert_eq!(status, 503);
    assert_eq!(
        body,
        "Debrief took too long to answer; nothing was lost \u{2014} try again."
    );
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
