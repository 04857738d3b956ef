//! `GET /api/v1/changes` (changes on published postmortems, then those integrations recorded
//! that wait to be linked) and `POST /api/v1/changes` (an integration records a change).

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;

use super::schema::{
    ApiError, ChangePage, ChangeParameter, ChangeParams, ChangeSummary, NewRecordedChange,
    RecordedId,
};
use crate::domain::change::{Change, NewChange};
use crate::domain::integration::TokenScope;
use crate::error::AppError;
use crate::server::AppState;

/// The changes: those on published postmortems by id (during a correction, the published
/// ones), then those recorded by integrations and waiting to be linked, by id.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "read",
    params(ChangeParams),
    responses(
        (status = 200, description = "A page of changes", body = ChangePage),
        (status = 400, description = "A bad filter, limit or cursor", body = ApiError),
        (status = 401, description = "No live token", body = ApiError),
        (status = 403, description = "The token lacks the read scope", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub(super) async fn list(State(state): State<AppState>, request: Request) -> Response {
    let params = super::query::<ChangeParams>(&request);
    super::answer(
        state,
        request,
        TokenScope::Read,
        (StatusCode::OK, None),
        async |_| page(params?).await,
    )
    .await
}

/// Which part of the list a page starts in: "p" changes on postmortems, "r" recorded ones.
const ON_POSTMORTEMS: &str = "p";
const RECORDED: &str = "r";

async fn page(params: ChangeParams) -> Result<ChangePage, AppError> {
    use crate::server::repo::{changes, integrations};
    let state = crate::server::request::state()?;
    let user = crate::server::access::require(crate::domain::account::Role::Viewer)?;
    let at = super::page_at(&params.limit, &params.cursor)?;
    let (on_postmortems, recorded) = match params.source.trim() {
        "" => (true, true),
        "postmortem" => (true, false),
        "recorded" => (false, true),
        other => {
            return Err(AppError::BadRequest(format!(
                "source {other:?} is not one of: postmortem, recorded."
            )));
        }
    };
    let (part, after) = match at.after {
        None if on_postmortems => (ON_POSTMORTEMS, 0),
        None => (RECORDED, 0),
        Some((key, id)) if key == ON_POSTMORTEMS && on_postmortems => (ON_POSTMORTEMS, id),
        Some((key, id)) if key == RECORDED && recorded => (RECORDED, id),
        Some(_) => return Err(super::incidents::not_this_list()),
    };
    let system = Some(params.system.trim()).filter(|s| !s.is_empty());
    let wanted = at.limit + 1;
    let mut items: Vec<(&str, ChangeSummary)> = Vec::new();
    if part == ON_POSTMORTEMS {
        // Changes of postmortems published as they stand come from the live tables; those of
        // postmortems under correction from their published versions, as a viewer reads them.
        let scope = crate::server::query::tracking::Scope::of(&state.db, &user).await?;
        let live = changes::published_after(&state.db, after, system, wanted).await?;
        let matches = |c: &Change| {
            c.id > after
                && system.is_none_or(|s| c.change.system.trim().eq_ignore_ascii_case(s.trim()))
        };
        let mut seen = scope.changes(live, matches);
        seen.truncate(usize::try_from(wanted).unwrap_or(usize::MAX));
        items.extend(seen.into_iter().map(|c| (ON_POSTMORTEMS, on_postmortem(c))));
    }
    if recorded && (items.len() as u64) < wanted {
        let from = if part == RECORDED { after } else { 0 };
        let room = wanted - items.len() as u64;
        let waiting = integrations::waiting_after(&state.db, from, system, room).await?;
        items.extend(waiting.into_iter().map(|r| {
            let mut summary = summary(r.id, None, &r.change.change, Vec::new());
            summary.parameters = r
                .change
                .parameters
                .iter()
                .map(|p| ChangeParameter {
                    name: p.name.clone(),
                    value: p.value.clone(),
                    is_default: p.is_default,
                })
                .collect();
            summary.recorded_by = Some(r.source);
            (RECORDED, summary)
        }));
    }
    let more = items.len() as u64 > at.limit;
    items.truncate(usize::try_from(at.limit).unwrap_or(usize::MAX));
    let next = if more {
        items
            .last()
            .map(|(part, last)| super::encode_cursor(part, last.id))
    } else {
        None
    };
    Ok(ChangePage {
        items: items.into_iter().map(|(_, c)| c).collect(),
        next,
    })
}

fn on_postmortem(c: Change) -> ChangeSummary {
    let parameters = c
        .parameters
        .iter()
        .map(|p| ChangeParameter {
            name: p.parameter.name.clone(),
            value: p.parameter.value.clone(),
            is_default: p.parameter.is_default,
        })
        .collect();
    summary(c.id, Some(c.incident_id), &c.change, parameters)
}

fn summary(
    id: i64,
    incident_id: Option<i64>,
    c: &NewChange,
    parameters: Vec<ChangeParameter>,
) -> ChangeSummary {
    ChangeSummary {
        id,
        source: if incident_id.is_some() {
            "postmortem"
        } else {
            "recorded"
        }
        .to_owned(),
        incident_id,
        kind: c.kind.as_str().to_owned(),
        system: c.system.clone(),
        identifier: c.identifier.clone(),
        summary: c.summary.clone(),
        link: c.link.clone(),
        at: c
            .time
            .as_ref()
            .map(|t| t.point().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        started_by: c.started_by.clone(),
        parameters,
        recorded_by: None,
    }
}

/// An integration records a change (JSON, see [`crate::domain::change::ChangePayload`]).
#[utoipa::path(
    post,
    path = "/api/v1/changes",
    tag = "write",
    request_body(content = NewRecordedChange, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded; listed under Changes for authors to link", body = RecordedId),
        (status = 400, description = "A body that is not the change JSON expected", body = ApiError),
        (status = 401, description = "No live token", body = ApiError),
        (status = 403, description = "The token lacks the write:changes scope", body = ApiError),
        (status = 422, description = "Fields at fault, each named", body = ApiError),
    ),
    security(("bearer" = []))
)]
pub(super) async fn record(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Result<Bytes, _> = axum::body::to_bytes(body, 2 * 1024 * 1024).await;
    let request = Request::from_parts(parts, axum::body::Body::empty());
    super::answer(
        state,
        request,
        TokenScope::WriteChanges,
        (
            StatusCode::CREATED,
            Some("The change was not recorded: correct the fields named."),
        ),
        async |token| {
            let body =
                body.map_err(|_| AppError::TooLarge("The body is larger than 2 MiB.".to_owned()))?;
            recorded(&token.name, &body)
                .await
                .map(|id| RecordedId { id })
        },
    )
    .await
}

/// The id of the change `body` records for the integration `source`.
///
/// # Errors
/// `BadRequest` for a body that is not the change JSON, `Validation` naming each field at
/// fault, `Internal` on a database failure.
async fn recorded(source: &str, body: &[u8]) -> Result<i64, AppError> {
    use crate::server::db::begin_write;
    use crate::server::repo::integrations;
    let state = crate::server::request::state()?;
    let payload: crate::domain::change::ChangePayload =
        serde_json::from_slice(body).map_err(|e| {
            AppError::BadRequest(format!("The body is not the change JSON expected: {e}."))
        })?;
    let recorded = payload.parse().map_err(AppError::from)?;
    let txn = begin_write(&state.db).await?;
    let id = integrations::record(&txn, &recorded, source).await?;
    txn.commit().await?;
    Ok(id)
}
