//! Plain HTTP endpoints beside the server functions: what a browser downloads as a file (CSV),
//! run with the same request context as a server function (the reader, their zone, the state)
//! so access is checked by the same rules; and the API for integrations (`v1`), authenticated
//! by a bearer token instead of a session.

pub mod v1;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::header;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;

use crate::error::AppError;
use crate::error::response::Format;
use crate::server::AppState;

mod feeds;

/// A file to hand to the browser.
pub(crate) struct Download {
    pub filename: String,
    pub content_type: &'static str,
    pub body: String,
}

impl Download {
    /// A CSV file: the header, then the rows.
    fn csv<const N: usize>(
        filename: &str,
        header: [&str; N],
        rows: impl Iterator<Item = [String; N]>,
    ) -> Self {
        Download {
            filename: filename.to_owned(),
            content_type: "text/csv; charset=utf-8",
            body: crate::domain::csv::to_csv(
                std::iter::once(header.map(str::to_owned)).chain(rows),
            ),
        }
    }
}

/// The endpoints, for the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/follow-ups/backlog.csv", get(backlog_csv))
        .route("/incidents/{id}/export.md", get(export_markdown))
        .route("/incidents/{id}/export.json", get(export_json))
        .route("/follow-ups/export.csv", get(follow_ups_csv))
        .with_state(state.clone())
        .merge(v1::routes(state.clone()))
        .merge(feeds::routes(state))
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
        Err(error) => error.into_response_for(Format::Text).into_response(),
    }
}

/// The dashboard's query string parameters.
fn query(request: &Request) -> crate::domain::follow_up::DashboardQuery {
    serde_urlencoded::from_str(request.uri().query().unwrap_or_default()).unwrap_or_default()
}

/// The dashboard for a query string, as its page shows it (same access, same filters).
async fn dashboard(
    query: crate::domain::follow_up::DashboardQuery,
) -> Result<crate::dto::dashboard::Dashboard, AppError> {
    let state = crate::server::request::state()?;
    crate::server::query::dashboard::dashboard(
        &state,
        query,
        crate::server::query::dashboard::Rows::All,
    )
    .await
}

/// The backlog week by week, for the dashboard's filters, as CSV.
async fn backlog_csv(State(state): State<AppState>, request: Request) -> Response {
    let query = query(&request);
    in_context(state, request, move || async move {
        let dashboard = dashboard(query).await?;
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
        Ok(Download::csv("follow-up-backlog.csv", header, rows))
    })
    .await
}

/// An incident id from the path, or a 404 for one that is not a number.
fn path_id(request: &Request) -> Option<i64> {
    request.uri().path().split('/').nth(2)?.parse().ok()
}

/// The postmortem as a Markdown document.
async fn export_markdown(State(state): State<AppState>, request: Request) -> Response {
    let id = path_id(&request);
    in_context(state, request, move || async move {
        let id = id.ok_or_else(|| AppError::not_found("This incident"))?;
        let export = crate::server::query::export::postmortem_export(id).await?;
        Ok(Download {
            filename: crate::server::query::export::file_name(&export.incident.title, "md"),
            content_type: "text/markdown; charset=utf-8",
            body: export.to_markdown(&crate::server::request::zone()),
        })
    })
    .await
}

/// The postmortem as JSON another Debrief imports.
async fn export_json(State(state): State<AppState>, request: Request) -> Response {
    let id = path_id(&request);
    in_context(state, request, move || async move {
        let id = id.ok_or_else(|| AppError::not_found("This incident"))?;
        let export = crate::server::query::export::postmortem_export(id).await?;
        Ok(Download {
            filename: crate::server::query::export::file_name(&export.incident.title, "json"),
            content_type: "application/json",
            body: serde_json::to_string_pretty(&export)
                .map_err(crate::server::request::internal)?,
        })
    })
    .await
}

/// The follow-ups the dashboard's filters show, as CSV.
async fn follow_ups_csv(State(state): State<AppState>, request: Request) -> Response {
    let query = query(&request);
    in_context(state, request, move || async move {
        let dashboard = dashboard(query).await?;
        let header = [
            "id",
            "incident_id",
            "incident",
            "title",
            "type",
            "priority",
            "state",
            "overdue",
            "owner",
            "due",
            "addresses",
            "verified_by",
            "wont_do_reason",
        ];
        let rows = dashboard.rows.iter().map(|r| {
            [
                r.id.to_string(),
                r.incident_id.to_string(),
                r.incident_title.clone(),
                r.title.clone(),
                r.action_type.label().to_owned(),
                r.priority.as_str().to_owned(),
                r.state.as_str().to_owned(),
                r.overdue.to_string(),
                r.owner.clone(),
                r.due.clone().unwrap_or_default(),
                r.target.clone().unwrap_or_default(),
                r.verified.clone().unwrap_or_default(),
                r.wont_do_reason.clone().unwrap_or_default(),
            ]
        });
        Ok(Download::csv("follow-ups.csv", header, rows))
    })
    .await
}
