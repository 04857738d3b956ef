//! `GET /api/v1/follow-ups` (the dashboard's filters and SQL, a page by id) and
//! `POST /api/v1/follow-ups/{id}/state` (a tracker moves a follow-up along).

use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;

use super::schema::{
    ApiError, FollowUpPage, FollowUpParams, FollowUpSummary, MovedFollowUp, StateChange,
};
use crate::domain::follow_up::{DashboardQuery, FollowUpState};
use crate::domain::integration::TokenScope;
use crate::error::AppError;
use crate::server::AppState;

/// The follow-ups the dashboard's filters match, by id.
#[utoipa::path(
    get,
    path = "/api/v1/follow-ups",
    tag = "read",
    params(FollowUpParams),
    responses(
        (status = 200, description = "A page of follow-ups, by id", body = FollowUpPage),
        (status = 400, description = "A bad filter, limit or cursor", body = ApiError),
        (status = 401, description = "No live token", body = ApiError),
        (status = 403, description = "The token lacks the read scope", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub(super) async fn list(State(state): State<AppState>, request: Request) -> Response {
    let params = super::query::<FollowUpParams>(&request);
    super::answer(
        state,
        request,
        TokenScope::Read,
        (StatusCode::OK, None),
        async |_| page(params?).await,
    )
    .await
}

async fn page(params: FollowUpParams) -> Result<FollowUpPage, AppError> {
    use crate::server::query::tracking::Scope;
    let state = crate::server::request::state()?;
    let user = crate::server::access::require(crate::domain::account::Role::Viewer)?;
    let at = super::page_at(&params.limit, &params.cursor)?;
    let after = match at.after {
        None => 0,
        Some((key, id)) if key == "f" => id,
        Some(_) => return Err(super::incidents::not_this_list()),
    };
    let (filter, errors) = DashboardQuery {
        view: params.view,
        owner: params.owner,
        team: params.team,
        priority: params.priority,
        incident: params.incident,
        system: params.system,
    }
    .parse();
    if !errors.is_empty() {
        let listed: Vec<String> = errors
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        return Err(AppError::BadRequest(listed.join(" ")));
    }
    let zone = crate::server::request::zone();
    let today = crate::server::request::today(&zone);
    let db = &state.db;
    let scope = Scope::of(db, &user).await?;
    // The page and what it shows of its postmortems, each through the same query of the page's
    // ids (as the dashboard does): nothing binds a list of ids.
    let matching = || scope.matching_after(&filter, today, after, at.limit + 1);
    let found = crate::server::repo::follow_ups::in_subquery(db, matching()).await?;
    let (found, next) = super::paged(found, at.limit, "f", |f| f.id);
    let titles: std::collections::HashMap<i64, String> = scope
        .incidents(db, Some(matching()), None)
        .await?
        .into_iter()
        .collect();
    let linked = scope.changes(
        crate::server::repo::changes::addressed_by(db, matching()).await?,
        |c| found.iter().any(|f| f.follow_up.change_id == Some(c.id)),
    );
    let items = found
        .iter()
        .map(|f| {
            let n = &f.follow_up;
            FollowUpSummary {
                id: f.id,
                incident_id: f.incident_id,
                incident_title: titles.get(&f.incident_id).cloned().unwrap_or_default(),
                title: n.title.clone(),
                action_type: n.action_type.as_str().to_owned(),
                priority: n.priority.as_str().to_owned(),
                state: f.state.as_str().to_owned(),
                overdue: f.is_overdue(today),
                owner: n.owner.clone(),
                due: n.due.map(|d| d.to_string()),
                addresses: n
                    .change_id
                    .and_then(|id| linked.iter().find(|c| c.id == id))
                    .map(|c| c.target_label(n.parameter_id)),
                evidence: f.evidence.clone(),
                wont_do_reason: f.wont_do_reason.clone(),
            }
        })
        .collect();
    Ok(FollowUpPage { items, next })
}

/// The states a tracker may move a follow-up to: the work, not the judgement of it.
const TRACKER_STATES: [FollowUpState; 3] = [
    FollowUpState::Committed,
    FollowUpState::InProgress,
    FollowUpState::Done,
];

/// Moves a follow-up of a published postmortem to committed, in progress or done.
#[utoipa::path(
    post,
    path = "/api/v1/follow-ups/{id}/state",
    tag = "write",
    params(("id" = i64, Path, description = "The follow-up's id")),
    request_body(content = StateChange, content_type = "application/json"),
    responses(
        (status = 200, description = "Moved; recorded in its history under the integration's name", body = MovedFollowUp),
        (status = 400, description = "A body that is not the JSON expected, an unknown state or an evidence that is not an http(s) link", body = ApiError),
        (status = 401, description = "No live token", body = ApiError),
        (status = 403, description = "The token lacks the write:follow-ups scope", body = ApiError),
        (status = 404, description = "No such follow-up, or one of a postmortem a viewer may not read", body = ApiError),
        (status = 409, description = "A move the follow-up's state does not allow, or one a person makes (verified, won't do)", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub(super) async fn move_state(State(state): State<AppState>, request: Request) -> Response {
    let id: Option<i64> = request
        .uri()
        .path()
        .trim_start_matches("/api/v1/follow-ups/")
        .trim_end_matches("/state")
        .parse()
        .ok();
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 64 * 1024).await;
    let request = Request::from_parts(parts, axum::body::Body::empty());
    super::answer(
        state,
        request,
        TokenScope::WriteFollowUps,
        (StatusCode::OK, None),
        async |token| {
            let id = id.ok_or_else(|| AppError::not_found("This follow-up"))?;
            let body = body.map_err(|_| {
                AppError::TooLarge("The body is larger than 64 KiB.".to_owned())
            })?;
            let change: StateChange = serde_json::from_slice(&body).map_err(|e| {
                AppError::BadRequest(format!(
                    "The body is not the JSON expected ({{\"state\": \"in_progress\", \"evidence\": \"https://…\"}}): {e}."
                ))
            })?;
            moved(&token, id, change).await
        },
    )
    .await
}

async fn moved(
    token: &crate::server::repo::integrations::Token,
    id: i64,
    change: StateChange,
) -> Result<MovedFollowUp, AppError> {
    use crate::server::edit::Edit;
    let state = crate::server::request::state()?;
    let to = FollowUpState::parse(&change.state).ok_or_else(|| {
        AppError::BadRequest(format!(
            "state {:?} is not one of: committed, in_progress, done.",
            change.state
        ))
    })?;
    if !TRACKER_STATES.contains(&to) {
        return Err(refused(format!(
            "An integration moves a follow-up to committed, in progress or done; {} is a decision a person makes in Debrief.",
            to.label().to_lowercase()
        )));
    }
    let evidence = match change.evidence.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(link) => Some(
            crate::domain::form::parse_link(link)
                .map_err(|message| AppError::BadRequest(format!("evidence: {message}")))?
                .unwrap_or_default(),
        ),
    };
    let missing = || AppError::not_found(format!("Follow-up {id}"));
    let incident_id = crate::server::repo::follow_ups::get(&state.db, id)
        .await?
        .ok_or_else(missing)?
        .incident_id;
    let edit = Edit::begin_as_integration(&state, incident_id, &super::as_viewer(token))
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => missing(),
            other => other,
        })?;
    let existing = crate::server::repo::follow_ups::get(edit.txn(), id)
        .await?
        .filter(|f| f.incident_id == incident_id)
        .ok_or_else(missing)?;
    let today = crate::server::request::today(&crate::server::request::zone());
    let next = crate::server::edit::move_follow_up(&edit, &existing, to, "", today, evidence)
        .await
        .map_err(|e| match e {
            AppError::Validation { fields } => refused(
                fields
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            other => other,
        })?;
    edit.commit().await?;
    Ok(MovedFollowUp {
        id,
        state: next.state.as_str().to_owned(),
        evidence: next.evidence,
    })
}

fn refused(message: String) -> AppError {
    AppError::Conflict {
        message,
        version: 0,
        theirs: Vec::new(),
    }
}
