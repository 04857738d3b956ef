//! `GET /api/v1/incidents` and `GET /api/v1/incidents/{id}`: the incidents an integration
//! reads (published ones, as a viewer), newest first, and one postmortem's export.

use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;

use super::schema::{ApiError, IncidentPage, IncidentParams, IncidentSummary, PostmortemExport};
use crate::domain::incident::{IncidentStatus, Severity};
use crate::domain::integration::TokenScope;
use crate::error::AppError;
use crate::server::AppState;

/// The incidents, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/incidents",
    tag = "read",
    params(IncidentParams),
    responses(
        (status = 200, description = "A page of incidents, newest first", body = IncidentPage),
        (status = 400, description = "A bad filter, limit or cursor", body = ApiError),
        (status = 401, description = "No live token", body = ApiError),
        (status = 403, description = "The token lacks the read scope", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub(super) async fn list(State(state): State<AppState>, request: Request) -> Response {
    let params = super::query::<IncidentParams>(&request);
    super::answer(
        state,
        request,
        TokenScope::Read,
        (StatusCode::OK, None),
        async |_| page(params?).await,
    )
    .await
}

async fn page(params: IncidentParams) -> Result<IncidentPage, AppError> {
    use crate::server::repo::incidents::{IncidentFilter, page_before};
    let state = crate::server::request::state()?;
    let user = crate::server::access::require(crate::domain::account::Role::Viewer)?;
    let at = super::page_at(&params.limit, &params.cursor)?;
    let before = match at.after {
        None => None,
        Some((key, id)) if key == "i" => Some(id),
        Some(_) => return Err(not_this_list()),
    };
    let filter = IncidentFilter {
        status: choice::<IncidentStatus>(&params.status, "status")?,
        severity: choice::<Severity>(&params.severity, "severity")?,
        field_value: None,
    };
    let published_only = !crate::server::visibility::writes_postmortems(&user);
    let found = page_before(&state.db, &filter, published_only, before, at.limit + 1).await?;
    let (found, next) = super::paged(found, at.limit, "i", |i| i.id);
    let seen = crate::server::visibility::seen_by(&state.db, &user, found).await?;
    let items = seen
        .incidents()
        .map(|i| IncidentSummary {
            id: i.id,
            title: i.title.clone(),
            status: i.status.as_str().to_owned(),
            severity: i.severity.as_str().to_owned(),
            services: i.services.clone(),
            impact_started_at: i
                .milestones
                .impact_started
                .as_ref()
                .map(|t| t.point().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            revision: i.revision,
            url: format!("/incidents/{}", i.id),
        })
        .collect();
    Ok(IncidentPage { items, next })
}

/// A filter's value read as one of its choices; empty for none.
///
/// # Errors
/// `BadRequest` listing the choices.
pub(super) fn choice<T: crate::domain::form::Choice>(
    given: &str,
    name: &str,
) -> Result<Option<T>, AppError> {
    if given.trim().is_empty() {
        return Ok(None);
    }
    T::parse(given).map(Some).ok_or_else(|| {
        let names: Vec<&str> = T::all().iter().map(|v| v.as_str()).collect();
        AppError::BadRequest(format!(
            "{name} {given:?} is not one of: {}.",
            names.join(", ")
        ))
    })
}

pub(super) fn not_this_list() -> AppError {
    AppError::BadRequest(
        "This cursor belongs to another list: pass the `next` this list gave.".to_owned(),
    )
}

/// One postmortem: the JSON its export download gives.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}",
    tag = "read",
    params(("id" = i64, Path, description = "The incident's id")),
    responses(
        (status = 200, description = "The postmortem's export (as published, during a correction)", body = PostmortemExport),
        (status = 401, description = "No live token", body = ApiError),
        (status = 403, description = "The token lacks the read scope", body = ApiError),
        (status = 404, description = "No such incident, or one a viewer may not read (a draft)", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub(super) async fn one(State(state): State<AppState>, request: Request) -> Response {
    let id: Option<i64> = request
        .uri()
        .path()
        .trim_start_matches("/api/v1/incidents/")
        .parse()
        .ok();
    super::answer(
        state,
        request,
        TokenScope::Read,
        (StatusCode::OK, None),
        async |_| {
            let id = id.ok_or_else(|| AppError::not_found("This incident"))?;
            crate::server::query::export::postmortem_export(id).await
        },
    )
    .await
}
