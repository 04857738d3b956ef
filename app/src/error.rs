//! The one error type that crosses the wire between server functions and the browser.
//!
//! Domain errors convert into it; database and other internal failures are logged on the server
//! (see `server::internal`) and reach the client only as [`AppError::Internal`] with a request id.
//! [`AppError::status`] is the single place that maps an error to an HTTP status code, and
//! `response` (server only) the single place that turns an error into an HTTP response.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use crate::domain::form::{FieldError, FieldErrors};

#[cfg(feature = "ssr")]
pub mod response;

/// What can go wrong when calling a server function, as the caller sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; each field's message says what to change.
    #[error("Please correct the fields marked below.")]
    Validation { fields: Vec<FieldError> },
    /// A request that cannot be understood or applied, with a reason a person can act on.
    #[error("{0}")]
    BadRequest(String),
    /// Nobody is logged in (or the session has ended).
    #[error("Please log in to continue.")]
    Unauthorized,
    /// The change API's bearer token is missing, unknown or revoked; the message says which and
    /// how to send a live one. Answered with a `WWW-Authenticate: Bearer` challenge.
    #[error("{0}")]
    BadToken(String),
    /// The logged-in user may not do this; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// A request body larger than Debrief accepts; the message says the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts in a short time; the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// The thing asked for does not exist (or no longer does).
    #[error("{0} was not found. It may have been deleted.")]
    NotFound(String),
    /// Someone else saved the same record since the form was opened. Nothing was saved; the
    /// message says who and when, `theirs` holds their value of each field that differs from
    /// what was submitted, and `version` is the one to save over theirs with.
    #[error("{message}")]
    Conflict {
        message: String,
        version: i64,
        theirs: Vec<(String, String)>,
    },
    /// The database refuses every write until an operator acts (its disk is full, it is
    /// read-only; the reason finishes the sentence). Nothing was saved; reading goes on, and
    /// the same request succeeds once the operator has made room, without a restart.
    #[error(
        "Debrief cannot save right now: {0}. Nothing was saved and what you typed is kept: please save again later, and tell whoever runs Debrief."
    )]
    CannotSave(String),
    /// Something failed on the server; the details are in the server log under this id.
    #[error(
        "Something went wrong on the server (request {request_id}). Nothing was saved; please try again."
    )]
    Internal { request_id: String },
    /// The request never got an answer from the server (offline, server down).
    #[error("Could not reach the Debrief server: {0}")]
    Unreachable(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized | AppError::BadToken(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::TooLarge(_) => 413,
            AppError::TooManyRequests(_) => 429,
            AppError::NotFound(_) => 404,
            AppError::Conflict { .. } => 409,
            AppError::Internal { .. } => 500,
            AppError::CannotSave(_) => 503,
            AppError::Unreachable(_) => 502,
        }
    }

    /// One field's message, when this is a validation error that names it.
    pub fn field(&self, name: &str) -> Option<&str> {
        match self {
            AppError::Validation { fields } => fields
                .iter()
                .find(|f| f.field == name)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }

    /// Whether this error is about the form's fields (shown beside them) rather than the page.
    pub fn is_about_fields(&self) -> bool {
        matches!(
            self,
            AppError::Validation { .. } | AppError::Conflict { .. }
        )
    }

    /// The other person's value of a field, when this is a conflict and theirs differs.
    pub fn theirs(&self, name: &str) -> Option<&str> {
        match self {
            AppError::Conflict { theirs, .. } => theirs
                .iter()
                .find(|(field, _)| field == name)
                .map(|(_, value)| value.as_str()),
            _ => None,
        }
    }

    /// A validation error on a single field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            fields: vec![FieldError {
                field: field.to_owned(),
                message: message.into(),
            }],
        }
    }

    /// An error named after the thing that is missing, e.g. `AppError::not_found("Incident 4")`.
    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation { fields: errors.0 }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => {
                AppError::BadRequest(format!("The submitted form could not be read: {m}"))
            }
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => {
                AppError::Unreachable(m)
            }
            ServerFnErrorErr::Registration(m) => AppError::BadRequest(m),
            other => AppError::Unreachable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_arguments_are_a_bad_request_not_a_server_error() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn validation_errors_answer_422_and_name_their_fields() {
        let e = AppError::invalid("title", "A title is required");
        assert_eq!(e.status(), 422);
        assert_eq!(e.field("title"), Some("A title is required"));
        assert_eq!(e.field("summary"), None);
    }

    #[test]
    fn errors_survive_the_wire_encoding() {
        let e = AppError::Internal {
            request_id: "abc".into(),
        };
        assert_eq!(AppError::de(e.ser()), e);
    }
}
