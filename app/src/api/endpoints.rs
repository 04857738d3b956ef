//! Plain HTTP endpoints beside the server functions, for what a browser downloads as a file
//! (CSV). Each runs with the same request context as a server function (the reader, their
//! zone, the state), so it checks access with the same rules.

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{StatusCode, header};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;

use crate::error::AppError;
use crate::server::AppState;

/// A file to hand to the browser.
pub(crate) struct Download {
    pub filename: String,
    pub content_type: &'static str,
    pub body: String,
}

/// The endpoints, for the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/follow-ups/backlog.csv", get(backlog_csv))
        .with_state(state)
}

/// Runs `answer` with the request's context provided, as server functions have it.
async fn in_context<Fut>(
    state: AppState,
    request: Request,
    answer: impl FnOnce() -> Fut,
) -> Response
where
    Fut: std::future::Future<Output = Result<Download, AppError>>,
{
    let (parts, _body) = request.into_parts();
    let owner = Owner::new();
    let result = owner
        .with(|| {
            ScopedFuture::new(async move {
                provide_context(parts);
                provide_context(state);
                answer().await
            })
        })
        .await;
    match result {
        Ok(file) => (
            [
                (header::CONTENT_TYPE, file.content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", file.filename),
                ),
            ],
            file.body,
        )
            .into_response(),
        Err(error) => (
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned())],
            error.to_string(),
        )
            .into_response(),
    }
}

/// The dashboard's query string parameters.
fn query(request: &Request) -> crate::domain::follow_up::DashboardQuery {
    serde_urlencoded::from_str(request.uri().query().unwrap_or_default()).unwrap_or_default()
}

/// The backlog week by week, for the dashboard's filters, as CSV.
async fn backlog_csv(State(state): State<AppState>, request: Request) -> Response {
    let query = query(&request);
    in_context(state, request, move || async move {
        let dashboard = super::dashboard::follow_up_dashboard(
            query.view,
            query.owner,
            query.team,
            query.priority,
            query.incident,
            query.system,
        )
        .await?;
        let header = [
            "week_starting",
            "opened",
            "closed",
            "open_at_end",
            "overdue_at_end",
        ];
        let rows = dashboard.backlog.iter().map(|w| {
            [
                w.starts.to_string(),
                w.opened.to_string(),
                w.closed.to_string(),
                w.open.to_string(),
                w.overdue.to_string(),
            ]
        });
        let body =
            crate::domain::csv::to_csv(std::iter::once(header.map(str::to_owned)).chain(rows));
        Ok(Download {
            filename: "follow-up-backlog.csv".to_owned(),
            content_type: "text/csv; charset=utf-8",
            body,
        })
    })
    .await
}
