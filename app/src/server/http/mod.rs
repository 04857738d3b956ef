//! Plain HTTP endpoints beside the server functions: what a browser downloads as a file (CSV),
//! run with the same request context as a server function (the reader, their zone, the state)
//! so access is checked by the same rules; and the change API for integrations, authenticated
//! by a bearer token instead of a session.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::HeaderMap;
use http::{StatusCode, header};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;

use crate::error::AppError;
use crate::error::response::{ErrorResponse, Format};
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
        .route("/api/v1/changes", axum::routing::post(record_change))
        .route("/incidents/{id}/export.md", get(export_markdown))
        .route("/incidents/{id}/export.json", get(export_json))
        .route("/follow-ups/export.csv", get(follow_ups_csv))
        .with_state(state.clone())
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

/// `POST /api/v1/changes`: an integration records a change (JSON, see
/// [`crate::domain::change::ChangePayload`]) with `Authorization: Bearer <token>`. Answers 201
/// with the change's id; 401 without a live token; 400 for a body that is not the JSON
/// expected; 422 naming each field at fault. Errors are JSON (see [`Format::Json`]).
async fn record_change(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match recorded_change(&state, &headers, &body).await {
        Ok(id) => (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response(),
        Err(answer) => answer.into_response(),
    }
}

/// The id of the change `body` records for the integration whose token `headers` carry.
///
/// # Errors
/// `BadToken` without a live token, `BadRequest` for a body that is not the change JSON,
/// `Validation` naming each field at fault, `Internal` on a database failure.
async fn recorded_change(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<i64, ErrorResponse> {
    use crate::server::db::begin_write;
    use crate::server::password::token_digest;
    use crate::server::repo::integrations;
    let json = |error: AppError| error.into_response_for(Format::Json);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            json(AppError::BadToken(
                "Send the integration's token as `Authorization: Bearer <token>`; an admin makes one under Integrations."
                    .to_owned(),
            ))
        })?;
    // Each write in a transaction of its own: on SQLite an INSERT or UPDATE … RETURNING run
    // alone commits only after its row has been read, and the driver drops that commit's error
    // (a full disk): the write would be acknowledged and lost. A COMMIT reports it.
    let txn = begin_write(&state.db)
        .await
        .map_err(|e| json(AppError::from(e)))?;
    let used = integrations::use_token(&txn, &token_digest(token))
        .await
        .map_err(|e| json(AppError::from(e)))?;
    txn.commit().await.map_err(|e| json(AppError::from(e)))?;
    let source = used
        .ok_or_else(|| {
            json(AppError::BadToken(
                "This token is unknown or has been revoked.".to_owned(),
            ))
        })?
        .name;
    let payload: crate::domain::change::ChangePayload =
        serde_json::from_slice(body).map_err(|e| {
            json(AppError::BadRequest(format!(
                "The body is not the change JSON expected: {e}."
            )))
        })?;
    let recorded = payload.parse().map_err(|errors| {
        json(AppError::from(errors))
            .headed("The change was not recorded: correct the fields named.")
    })?;
    let txn = begin_write(&state.db)
        .await
        .map_err(|e| json(AppError::from(e)))?;
    let id = integrations::record(&txn, &recorded, &source)
        .await
        .map_err(|e| json(AppError::from(e)))?;
    txn.commit().await.map_err(|e| json(AppError::from(e)))?;
    Ok(id)
}
