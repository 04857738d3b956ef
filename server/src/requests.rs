//! What happens around every request, whatever serves it: an id, one log line, a time limit,
//! and a panic that becomes an opaque 500 instead of a dropped connection.
//!
//! [`track`] is the outermost layer. It gives the request a fresh [`RequestId`] (an id sent by
//! the caller is never used), answers with it in `x-request-id`, and logs one line when the
//! answer is ready: method, route template, status, latency in ms, request id. The route is
//! axum's matched route (`/api/incidents/{id}`), or, for a request no route matched (the Leptos
//! fallback, a 404), the path with every segment that could carry an id or a secret replaced
//! ([`route_template`]). A query string is never logged, nor a raw path.
//!
//! Inside it, [`layers`] adds a time limit for the answer (503 past it) and catches a handler's
//! panic, answered with the same opaque internal error with the request id that a database
//! failure gets, in the shape the caller reads.

use std::any::Any;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderName, HeaderValue, StatusCode};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use app::error::response::Format;
use app::server::request::{CURRENT_REQUEST, RequestId, internal};

/// The response header that carries the request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The log target of the per-request lines (for `RUST_LOG`, e.g. `debrief::request=warn`).
pub const TARGET: &str = "debrief::request";

tokio::task_local! {
    /// The shape of error body the request being served reads, for the panic catcher (which
    /// is not given the request).
    static ERROR_FORMAT: Format;
}

/// `router` with the time limit and the panic catcher around every route (add [`track`] outside
/// them, after any other layer that should see its id).
pub fn layers(router: Router, request_timeout: Duration) -> Router {
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(CatchPanicLayer::custom(panicked))
}

/// See the module documentation.
pub async fn track(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = RequestId::new();
    let method = request.method().clone();
    let route = route_template(
        request
            .extensions()
            .get::<MatchedPath>()
            .map(MatchedPath::as_str),
        request.uri().path(),
    );
    let format = error_format(&request);
    request.extensions_mut().insert(id.clone());
    let mut response = CURRENT_REQUEST
        .scope(id.clone(), ERROR_FORMAT.scope(format, next.run(request)))
        .await;
    let status = response.status().as_u16();
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
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
