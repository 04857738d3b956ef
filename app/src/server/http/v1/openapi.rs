//! The OpenAPI document of `/api/v1` (`GET /api/v1/openapi.json`), generated from the handlers'
//! annotations and the types of [`super::schema`]: every route, its parameters, bodies,
//! answers and errors, and the bearer scheme with the scope each route needs.

use axum::Json;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::schema::{
    ApiError, ApiFieldError, ChangePage, ChangeParameter, ChangeSummary, FollowUpPage,
    FollowUpSummary, IncidentPage, IncidentSummary, MovedFollowUp, NewRecordedChange,
    PostmortemExport, RecordedId, StateChange,
};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Debrief API",
        version = "1",
        description = "Read published postmortems, follow-ups and changes; record changes; move follow-ups. Authenticate with an integration token (`Authorization: Bearer <token>`) that has the route's scope: `read`, `write:changes` or `write:follow-ups`. A token reads what a viewer reads: published postmortems only (during a correction, the published version). Lists are pages: pass `next` as `cursor` for the next one."
    ),
    paths(
        super::incidents::list,
        super::incidents::one,
        super::follow_ups::list,
        super::follow_ups::move_state,
        super::changes::list,
        super::changes::record,
    ),
    components(schemas(
        ApiError,
        ApiFieldError,
        IncidentPage,
        IncidentSummary,
        PostmortemExport,
        FollowUpPage,
        FollowUpSummary,
        StateChange,
        MovedFollowUp,
        ChangePage,
        ChangeSummary,
        ChangeParameter,
        NewRecordedChange,
        RecordedId,
    )),
    modifiers(&Bearer),
    tags(
        (name = "read", description = "Needs the `read` scope"),
        (name = "write", description = "Needs `write:changes` (changes) or `write:follow-ups` (follow-up states)"),
    )
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An integration token an admin makes under Integrations.",
                    ))
                    .build(),
            ),
        );
    }
}

/// `GET /api/v1/openapi.json`: public, like any API description.
pub(super) async fn document() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
