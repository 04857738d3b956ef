//! What happens around every request, whatever serves it: an id, one log line, a time limit,
//! and a panic that becomes an opaque 500 instead of a dropped connection.
//!
//! [`track`] is the outermost layer. It gives the request a fresh [`RequestId`] (an id sent by
//! the caller is never used), answers with it in `x-request-id`, and logs one line when the
//! answer is ready: method, route template, status, latency in ms, request id. The route is
//! axum's matched route (`/api/incidents/{id}`), or, for a request no route matched (the Leptos
//! fallback, a 404), the path with every segment that could carry an id or a secret replaced
//! ([`route_template`]). A query string is never logged, nor a raw path. The same values are
//! counted for the operator's metrics ([`crate::ops_metrics`]) in the same place.
//!
//! Inside it, [`layers`] adds a time limit for the answer (503 past it, with a short plain
//! [`TIMED_OUT`] text) and catches a handler's panic, answered with the same opaque internal
//! error with the request id that a database failure gets, in the shape the caller reads.

use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use http::{HeaderName, HeaderValue, StatusCode, header};
use tower_http::catch_panic::CatchPanicLayer;

use crate::ops_metrics::Metrics;

use app::error::response::Format;
use app::server::request::{CURRENT_REQUEST, RequestId, internal};

/// The response header that carries the request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The log target of the per-request lines (for `RUST_LOG`, e.g. `debrief::request=warn`).
pub const TARGET: &str = "debrief::request";

/// The body of the 503 a request past its time limit gets: the handler is dropped, so a write
/// it had not committed is rolled back, not half done.
pub const TIMED_OUT: &str = "Debrief took too long to answer; nothing was lost — try again.";

tokio::task_local! {
    /// The shape of error body the request being served reads, for the panic catcher (which
    /// is not given the request).
    static ERROR_FORMAT: Format;
}

/// `router` with the time limit and the panic catcher around every route (add [`track`] outside
/// them, after any other layer that should see its id).
pub fn layers(router: Router, request_timeout: Duration) -> Router {
    router
        .layer(from_fn_with_state(request_timeout, time_limit))
        .layer(CatchPanicLayer::custom(panicked))
}

/// Answers 503 with [`TIMED_OUT`] when the rest of the stack has not answered within `limit`.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            TIMED_OUT,
        )
            .into_response(),
    }
}

/// See the module documentation. `metrics` counts every answer this logs.
pub async fn track(
    State(metrics): State<Arc<Metrics>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = RequestId::new();
    let method = request.method().clone();
    let matched = request.extensions().get::<MatchedPath>();
    let route = route_template(matched.map(MatchedPath::as_str), request.uri().path());
    let matched = matched.is_some();
    let format = error_format(&request);
    request.extensions_mut().insert(id.clone());
    let mut response = CURRENT_REQUEST
        .scope(id.clone(), ERROR_FORMAT.scope(format, next.run(request)))
        .await;
    let elapsed = started.elapsed();
    metrics.record(&method, &route, matched, response.status(), elapsed);
    let status = response.status().as_u16();
    let latency_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    tracing::info!(
        target: TARGET,
        method = %method,
        route = %route,
        status,
        latency_ms,
        request_id = %id.0,
        "{method} {route} {status} {latency_ms}ms"
    );
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// The route to log for a request: axum's template when a route matched (a nested service's
/// tail written `*`), else `path` with each segment that is not a plain word replaced: numbers
/// by `:id`, the segment after `/shared/` and anything else by `:token`.
pub fn route_template(matched: Option<&str>, path: &str) -> String {
    if let Some(matched) = matched {
        return match matched.find("{*__private__axum") {
            Some(tail) => format!("{}*", &matched[..tail]),
            None => matched.to_owned(),
        };
    }
    let mut template = String::new();
    let mut after_shared = false;
    for segment in path.split('/').skip(1) {
        template.push('/');
        let word = !segment.is_empty()
            && segment.len() <= 40
            && segment
                .chars()
                .all(|c| c.is_ascii_lowercase() || matches!(c, '-' | '_' | '.'));
        if after_shared && !segment.is_empty() {
            template.push_str(":token");
        } else if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
            template.push_str(":id");
        } else if word || segment.is_empty() {
            template.push_str(segment);
        } else {
            template.push_str(":token");
        }
        after_shared = template == "/shared";
    }
    if template.is_empty() {
        template.push('/');
    }
    template
}

/// The shape of error body this request's caller reads, should it end in an internal error.
fn error_format(request: &Request) -> Format {
    let path = request.uri().path();
    if path.starts_with("/api/v1/") {
        Format::Json
    } else if path.starts_with("/api/") {
        Format::for_server_function(request.headers())
    } else {
        Format::Html
    }
}

/// The panic catcher's answer: what it said goes to the log under the request's id, the caller
/// gets the same opaque internal error as for a database failure (through the layers outside,
/// so with the security headers).
fn panicked(payload: Box<dyn Any + Send + 'static>) -> Response {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    let format = ERROR_FORMAT
        .try_with(|format| *format)
        .unwrap_or(Format::Html);
    internal(format!("a handler panicked: {message}"))
        .into_response_for(format)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matched_route_is_logged_as_its_template() {
        assert_eq!(
            route_template(Some("/incidents/{id}"), "/incidents/123"),
            "/incidents/{id}"
        );
        assert_eq!(
            route_template(
                Some("/pkg/{*__private__axum_nest_tail_param}"),
                "/pkg/debrief.js"
            ),
            "/pkg/*"
        );
    }

    #[test]
    fn an_unmatched_path_has_its_ids_and_tokens_replaced() {
        assert_eq!(route_template(None, "/incidents/123"), "/incidents/:id");
        assert_eq!(
            route_template(None, "/incidents/123/timeline/45"),
            "/incidents/:id/timeline/:id"
        );
        assert_eq!(
            route_template(None, "/shared/abcdefghijklmnop"),
            "/shared/:token"
        );
        assert_eq!(route_template(None, "/shared/abc/x"), "/shared/:token/x");
        assert_eq!(route_template(None, "/reset/Zx9-Qa_1"), "/reset/:token");
        assert_eq!(route_template(None, "/"), "/");
        assert_eq!(route_template(None, "/incidents/"), "/incidents/");
        assert_eq!(route_template(None, "/no-such-page"), "/no-such-page");
    }
}
