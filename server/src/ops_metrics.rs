//! `GET /ops/metrics`: what an operator's Prometheus scrapes, in the text exposition format
//! (version 0.0.4), written here by hand. It owns the counts ([`Metrics`]), their text and the
//! route; it imports nothing of the app but the database handle and the token comparison.
//!
//! The counts are taken by the same layer that writes each request's log line
//! ([`crate::requests::track`]), from the same values: method, route template (never the raw
//! path), status and time until the response head was ready. So a log line and a sample can
//! always be matched, and there is one place that sees every answer.
//!
//! - `debrief_http_requests_total{method,route,status}`: answers, a counter.
//! - `debrief_http_request_duration_seconds{route}`: a histogram over [`BUCKETS`].
//! - `debrief_db_pool_connections_{open,idle,max}`: the database pool at the moment of the
//!   scrape, from sqlx's pool behind sea-orm.
//! - `debrief_write_errors_total`: requests that may write (any method but GET, HEAD, OPTIONS,
//!   TRACE) answered with a server error (5xx). This is where every failed write shows, whatever
//!   became of its database error: `AppError::Internal` (500), a database that is full or read
//!   only, a panic, a write past its time limit (503). Counting where a `DbErr` becomes an
//!   `AppError` would see only the first of those, and would need the app crate to reach the
//!   server's counters. Its limit: Leptos server functions are all POSTs, so a server function
//!   that only reads and fails counts too; `debrief_http_requests_total` by route tells which.
//!
//! Labels stay few: methods outside the standard ones are counted as `OTHER`, and a path no
//! route matched (its template is built from the path, so a scanner could make any number)
//! keeps its own label for the first [`MAX_UNMATCHED_ROUTES`] such templates, then counts as
//! `(other)`.
//!
//! The route answers only when `DEBRIEF_OPS_TOKEN` is set (else a plain 404, to anyone); a
//! request must send `Authorization: Bearer <token>`, compared in constant time, or it gets a
//! 401 with no data. It is served outside the session layer (no login, no session lookup) and
//! never cached.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use sea_orm::{DatabaseConnection, DbBackend};

use crate::config::OpsToken;
use crate::health::plain;

/// The path of the metrics.
pub const PATH: &str = "/ops/metrics";

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The latency histogram's upper bounds in seconds: Prometheus' usual ones, and the default
/// request time limit (30 s) so a timed-out request is told from a merely slow one.
pub const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How many templates of unmatched paths get labels of their own (see the module docs).
pub const MAX_UNMATCHED_ROUTES: usize = 100;

/// The label of the unmatched paths past [`MAX_UNMATCHED_ROUTES`].
pub const OTHER_ROUTE: &str = "(other)";

/// Everything counted since the server started. One per [`crate::startup::Application`].
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<Series>,
    write_errors: AtomicU64,
}

#[derive(Debug, Default)]
struct Series {
    requests: BTreeMap<(&'static str, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    unmatched: BTreeSet<String>,
}

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Per bucket, not cumulative: the answers slower than the bucket before and at most this.
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// The pool's connections at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    pub open: u64,
    pub idle: u64,
    pub max: u64,
}

impl Pool {
    /// The state of `db`'s pool (`None` for a connection that has none, e.g. a mock).
    pub fn of(db: &DatabaseConnection) -> Option<Pool> {
        // The getters panic on the other backend: ask which one it is first.
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                Some(Pool {
                    open: u64::from(pool.size()),
                    idle: pool.num_idle() as u64,
                    max: u64::from(pool.options().get_max_connections()),
                })
            }
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                Some(Pool {
                    open: u64::from(pool.size()),
                    idle: pool.num_idle() as u64,
                    max: u64::from(pool.options().get_max_connections()),
                })
            }
            _ => None,
        }
    }
}

impl Metrics {
    /// Counts one answer: `route` is the log line's template, `matched` whether a route matched
    /// (else the template came from the path).
    pub fn record(
        &self,
        method: &Method,
        route: &str,
        matched: bool,
        status: StatusCode,
        elapsed: Duration,
    ) {
        let write = !matches!(
            *method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        );
        if write && status.is_server_error() {
            self.write_errors.fetch_add(1, Ordering::Relaxed);
        }
        let mut series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
        let route = if matched || series.unmatched.contains(route) {
            route.to_owned()
        } else if series.unmatched.len() < MAX_UNMATCHED_ROUTES {
            series.unmatched.insert(route.to_owned());
            route.to_owned()
        } else {
            OTHER_ROUTE.to_owned()
        };
        *series
            .requests
            .entry((method_label(method), route.clone(), status.as_u16()))
            .or_default() += 1;
        let seconds = elapsed.as_secs_f64();
        let histogram = series.latency.entry(route).or_default();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    /// Everything counted, and `pool`, in the text exposition format.
    pub fn render(&self, pool: Option<Pool>) -> String {
        let (requests, latency) = {
            let series = self.series.lock().unwrap_or_else(PoisonError::into_inner);
            (series.requests.clone(), series.latency.clone())
        };
        let mut out = String::new();
        header(
            &mut out,
            "debrief_http_requests_total",
            "counter",
            "Requests answered, by method, route template and status.",
        );
        for ((method, route, status), count) in &requests {
            sample(
                &mut out,
                "debrief_http_requests_total",
                &[
                    ("method", method),
                    ("route", route),
                    ("status", &status.to_string()),
                ],
                &count.to_string(),
            );
        }
        header(
            &mut out,
            "debrief_http_request_duration_seconds",
            "histogram",
            "Time until the response head was ready, by route template.",
        );
        for (route, histogram) in &latency {
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                sample(
                    &mut out,
                    "debrief_http_request_duration_seconds_bucket",
                    &[("route", route), ("le", &bound.to_string())],
                    &cumulative.to_string(),
                );
            }
            sample(
                &mut out,
                "debrief_http_request_duration_seconds_bucket",
                &[("route", route), ("le", "+Inf")],
                &histogram.count.to_string(),
            );
            sample(
                &mut out,
                "debrief_http_request_duration_seconds_sum",
                &[("route", route)],
                &histogram.sum.to_string(),
            );
            sample(
                &mut out,
                "debrief_http_request_duration_seconds_count",
                &[("route", route)],
                &histogram.count.to_string(),
            );
        }
        if let Some(pool) = pool {
            for (name, help, value) in [
                (
                    "debrief_db_pool_connections_open",
                    "Connections the database pool holds open, in use or idle.",
                    pool.open,
                ),
                (
                    "debrief_db_pool_connections_idle",
                    "Open connections of the database pool that no request is using.",
                    pool.idle,
                ),
                (
                    "debrief_db_pool_connections_max",
                    "The most connections the database pool may open.",
                    pool.max,
                ),
            ] {
                header(&mut out, name, "gauge", help);
                sample(&mut out, name, &[], &value.to_string());
            }
        }
        header(
            &mut out,
            "debrief_write_errors_total",
            "counter",
            "Requests that may write (any method but GET, HEAD, OPTIONS, TRACE) answered with a server error (5xx).",
        );
        sample(
            &mut out,
            "debrief_write_errors_total",
            &[],
            &self.write_errors.load(Ordering::Relaxed).to_string(),
        );
        out
    }
}

/// The method as a label: the standard ones by name, any other as `OTHER`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}

/// A metric's `# HELP` and `# TYPE` lines.
fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let help = help.replace('\\', "\\\\").replace('\n', "\\n");
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// One sample line: `name{label="value",…} value`.
fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: &str) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (label, text)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{label}=\"{}\"", escape_label(text));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

/// A label value as the text format writes it: backslash, double quote and line feed escaped.
pub fn escape_label(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[derive(Clone)]
struct Scrape {
    token: OpsToken,
    metrics: Arc<Metrics>,
    db: DatabaseConnection,
}

/// `GET /ops/metrics`: the metrics when `token` is set, else a plain 404 (not the app's page
/// for an unknown path, which would send a stranger to log in first).
pub fn routes<S: Clone + Send + Sync + 'static>(
    token: Option<OpsToken>,
    metrics: Arc<Metrics>,
    db: DatabaseConnection,
) -> Router<S> {
    let Some(token) = token else {
        return Router::new().route(PATH, get(disabled));
    };
    Router::new().route(PATH, get(scrape).with_state(Scrape { token, metrics, db }))
}

async fn disabled() -> Response {
    plain(StatusCode::NOT_FOUND, "not found")
}

async fn scrape(State(scrape): State<Scrape>, headers: HeaderMap) -> Response {
    if !bearer(&headers).is_some_and(|given| scrape.token.matches(given)) {
        let mut response = plain(StatusCode::UNAUTHORIZED, "unauthorized");
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        scrape.metrics.render(Pool::of(&scrape.db)),
    )
        .into_response()
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in any case).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_escape_backslash_quote_and_line_feed() {
        assert_eq!(escape_label(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape_label("two\nlines"), "two\\nlines");
        assert_eq!(escape_label("/incidents/{id}"), "/incidents/{id}");
        let metrics = Metrics::default();
        metrics.record(
            &Method::GET,
            "/odd\"route\\\n",
            true,
            StatusCode::OK,
            Duration::from_millis(1),
        );
        let text = metrics.render(None);
        assert!(
            text.contains(
                "debrief_http_requests_total{method=\"GET\",route=\"/odd\\\"route\\\\\\n\",status=\"200\"} 1\n"
            ),
            "{text}"
        );
        assert!(
            text.lines().all(|line| !line.is_empty()),
            "no line is broken by a value: {text}"
        );
    }

    #[test]
    fn every_metric_has_help_and_type_before_its_samples() {
        let metrics = Metrics::default();
        metrics.record(
            &Method::POST,
            "/api/x",
            true,
            StatusCode::INTERNAL_SERVER_ERROR,
            Duration::from_millis(3),
        );
        let text = metrics.render(Some(Pool {
            open: 2,
            idle: 1,
            max: 8,
        }));
        let mut described = BTreeSet::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').expect("a name and a type");
                assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
                described.insert(name.to_owned());
            } else if !line.starts_with("# HELP ") {
                let name = line.split(['{', ' ']).next().expect("a name");
                let family = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|suffix| {
                        name.strip_suffix(suffix)
                            .filter(|base| described.contains(*base))
                    })
                    .unwrap_or(name);
                assert!(described.contains(family), "{name} before its TYPE: {text}");
            }
        }
        assert!(
            text.contains("debrief_db_pool_connections_open 2\n"),
            "{text}"
        );
        assert!(
            text.contains("debrief_db_pool_connections_idle 1\n"),
            "{text}"
        );
        assert!(text.contains("debrief_write_errors_total 1\n"), "{text}");
    }

    #[test]
    fn the_histogram_is_cumulative_and_its_inf_bucket_is_its_count() {
        let metrics = Metrics::default();
        for ms in [1, 7, 7, 300, 45_000] {
            metrics.record(
                &Method::GET,
                "/",
                true,
                StatusCode::OK,
                Duration::from_millis(ms),
            );
        }
        let text = metrics.render(None);
        for (le, count) in [
            ("0.005", 1),
            ("0.01", 3),
            ("0.25", 3),
            ("0.5", 4),
            ("30", 4),
            ("+Inf", 5),
        ] {
            let line = format!(
                "debrief_http_request_duration_seconds_bucket{{route=\"/\",le=\"{le}\"}} {count}\n"
            );
            assert!(text.contains(&line), "{line} in {text}");
        }
        assert!(
            text.contains("debrief_http_request_duration_seconds_count{route=\"/\"} 5\n"),
            "{text}"
        );
        let sum: f64 = text
            .lines()
            .find_map(|line| {
                line.strip_prefix("debrief_http_request_duration_seconds_sum{route=\"/\"} ")
            })
            .and_then(|value| value.parse().ok())
            .expect("a sum");
        assert!((sum - 45.315).abs() < 1e-9, "{sum}");
    }

    #[test]
    fn only_server_errors_of_requests_that_may_write_are_write_errors() {
        let metrics = Metrics::default();
        let at = |method: Method, status: StatusCode| {
            metrics.record(&method, "/r", true, status, Duration::ZERO);
        };
        at(Method::GET, StatusCode::INTERNAL_SERVER_ERROR);
        at(Method::HEAD, StatusCode::SERVICE_UNAVAILABLE);
        at(Method::POST, StatusCode::BAD_REQUEST);
        at(Method::POST, StatusCode::OK);
        assert!(
            metrics
                .render(None)
                .contains("debrief_write_errors_total 0\n")
        );
        at(Method::POST, StatusCode::INTERNAL_SERVER_ERROR);
        at(Method::DELETE, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            metrics
                .render(None)
                .contains("debrief_write_errors_total 2\n")
        );
    }

    #[test]
    fn unmatched_paths_get_a_bounded_number_of_route_labels() {
        let metrics = Metrics::default();
        for n in 0..MAX_UNMATCHED_ROUTES + 5 {
            let route = format!("/scan-{n}");
            metrics.record(
                &Method::GET,
                &route,
                false,
                StatusCode::NOT_FOUND,
                Duration::ZERO,
            );
        }
        metrics.record(
            &Method::GET,
            "/scan-0",
            false,
            StatusCode::NOT_FOUND,
            Duration::ZERO,
        );
        metrics.record(
            &Method::GET,
            "/a/{id}",
            true,
            StatusCode::OK,
            Duration::ZERO,
        );
        let text = metrics.render(None);
        assert!(
            text.contains("route=\"/scan-0\",status=\"404\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("route=\"(other)\",status=\"404\"} 5\n"),
            "{text}"
        );
        assert!(!text.contains("/scan-100\""), "{text}");
        assert!(
            text.contains("route=\"/a/{id}\",status=\"200\"} 1\n"),
            "{text}"
        );
    }

    #[test]
    fn a_bearer_token_is_read_from_the_authorization_header() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert_eq!(bearer(&with("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&with("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(&with("Basic abc")), None);
        assert_eq!(bearer(&with("Bearer")), None);
        assert_eq!(bearer(&HeaderMap::new()), None);
    }
}
