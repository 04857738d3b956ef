//! The layers around server functions and pages that make plain HTML forms (no JavaScript) work
//! and give server-function errors their status. Each is a small middleware named for what it
//! does; [`around`] stacks them in the one order that works, outermost first:
//!
//! 1. [`cross_site`]: refuses posts to server functions from other sites (403), so no web page a
//!    Debrief user visits can submit a form that deletes an incident.
//! 2. [`buffer`]: reads a plain form's body (413 past [`buffer::MAX_FORM_BYTES`]) and keeps it
//!    for the flash.
//! 3. [`flash`]: brings a failed plain form back to its page with what was typed and the error.
//! 4. [`redirects`]: a redirect after success stays on this site and drops stale `flash` and
//!    `confirm` parameters.
//! 5. [`status`]: a server function's error gets its status from `AppError` (server functions
//!    answer every error with 500).
//!
//! Every error these layers answer themselves is an `AppError` turned into a response by
//! `app::error::response`, like every other error the server answers.

pub mod buffer;
pub mod cross_site;
pub mod flash;
pub mod redirects;
pub mod status;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use sea_orm::DatabaseConnection;

pub(crate) use redirects::see_other;

/// What the form layers need: the database for flashes, and the site's pages (behind the
/// session middleware) to render a form's page with a flash that is not stored.
#[derive(Clone)]
pub struct Forms {
    pub db: DatabaseConnection,
    pub pages: Router,
}

/// `router` wrapped in the form layers, in the order the module documentation gives.
pub fn around(router: Router, forms: Forms) -> Router {
    // The last layer added is the outermost.
    router
        .layer(from_fn(status::server_function_errors))
        .layer(from_fn(redirects::redirects_stay_on_site))
        .layer(from_fn_with_state(forms, flash::failed_forms_go_back))
        .layer(from_fn(buffer::buffer_plain_forms))
        .layer(from_fn(cross_site::refuse_cross_site))
}

/// Whether a request is for a server function (they all live under `/api/`; the change API's
/// `/api/v1/` too, which no browser form posts to).
fn is_server_function(request: &axum::extract::Request) -> bool {
    request.uri().path().starts_with("/api/")
}
