//! `GET /healthz` and `GET /readyz` for load balancers, orchestrators and operators.
//!
//! Served outside the session layer, like the site's files: no login, no session lookup, and
//! they say nothing about the data. `/healthz` answers whenever the process serves HTTP at all;
//! `/readyz` answers 200 only when the database answers within [`DATABASE_BOUND`] and its
//! applied migrations are exactly this build's, else 503 with one word saying which
//! (`database` or `migrations`); the details go to the log, never to the caller.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderValue, StatusCode, header};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// How long `/readyz` waits for each of its database questions: a probe that hangs is worse
/// than one that says "not ready".
pub const DATABASE_BOUND: Duration = Duration::from_secs(2);

/// The two routes, on their own state so they need nothing of the app's.
pub fn routes<S: Clone + Send + Sync + 'static>(db: DatabaseConnection) -> Router<S> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz).with_state(db))
}

async fn healthz() -> Response {
    plain(StatusCode::OK, "ok")
}

async fn readyz(State(db): State<DatabaseConnection>) -> Response {
    match not_ready(&db).await {
        None => plain(StatusCode::OK, "ok"),
        Some(reason) => plain(StatusCode::SERVICE_UNAVAILABLE, reason),
    }
}

/// Why the server is not ready to serve, in one word, or `None` when it is.
async fn not_ready(db: &DatabaseConnection) -> Option<&'static str> {
    match tokio::time::timeout(DATABASE_BOUND, db.execute_unprepared("SELECT 1")).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            tracing::warn!("readyz: the database does not answer: {e}");
            return Some("database");
        }
        Err(_) => {
            tracing::warn!("readyz: the database did not answer within {DATABASE_BOUND:?}");
            return Some("database");
        }
    }
    // Read-only: a probe never creates the migrations table. An applied migration this build
    // does not know (a newer server ran) is an error here, as much a mismatch as a pending one.
    match tokio::time::timeout(
        DATABASE_BOUND,
        Migrator::get_pending_migrations_read_only(db),
    )
    .await
    {
        Ok(Ok(pending)) if pending.is_empty() => None,
        Ok(Ok(pending)) => {
            tracing::warn!(
                "readyz: {} migration(s) of this build are not applied",
                pending.len()
            );
            Some("migrations")
        }
        Ok(Err(e)) => {
            tracing::warn!("readyz: the applied migrations are not this build's: {e}");
            Some("migrations")
        }
        Err(_) => {
            tracing::warn!("readyz: reading the migrations took longer than {DATABASE_BOUND:?}");
            Some("database")
        }
    }
}

/// A short plain-text answer that no cache keeps.
pub(crate) fn plain(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}
