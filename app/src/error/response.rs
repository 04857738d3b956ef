//! How an [`AppError`] becomes an HTTP response: the one place, used by server functions (through
//! the form layers of the `server` binary), plain forms, downloads and the change API alike.
//!
//! The status always comes from [`AppError::status`]; the body takes the shape the caller reads
//! ([`Format`]). Server only: the browser build never answers a request.

use axum::Json;
use axum::response::{Html, IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use server_fn::ContentType;
use server_fn::error::FromServerFnError;

use super::AppError;

/// The shape of error body a caller reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A server function's caller asking for JSON, not a page (an island, an integration): the
    /// serialized `AppError`, which it decodes back into the error.
    ServerFunction,
    /// An integration on the JSON API: `{"error": message, "fields": [{"field", "message"}]}`,
    /// the shape the README documents (`fields` is empty unless the error names fields).
    Json,
    /// A browser that shows the answer as a page (a plain form without JavaScript).
    Html,
    /// A file download: the message as plain text.
    Text,
}

impl Format {
    /// For a caller of a server function: a page for a browser that accepts HTML (a plain form
    /// posts with `Accept: text/html`), the serialized error for everyone else.
    pub fn for_server_function(headers: &HeaderMap) -> Self {
        let accepts_html = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if accepts_html {
            Format::Html
        } else {
            Format::ServerFunction
        }
    }
}

/// An error on its way to a caller: see [`AppError::into_response_for`].
#[derive(Clone, Debug)]
pub struct ErrorResponse {
    error: AppError,
    format: Format,
    headline: Option<String>,
}

impl AppError {
    /// This error as an answer to a caller that reads `format`, with the status from
    /// [`AppError::status`]. Return it from a handler or call `into_response` on it.
    pub fn into_response_for(self, format: Format) -> ErrorResponse {
        ErrorResponse {
            error: self,
            format,
            headline: None,
        }
    }

    /// The HTTP status this error is answered with, as `http` spells it.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl ErrorResponse {
    /// Says `headline` instead of the error's own message, for a caller that was not filling in
    /// a form: the change API says what was not recorded rather than "the fields marked below".
    /// A server function's caller always gets the error itself.
    pub fn headed(mut self, headline: impl Into<String>) -> Self {
        self.headline = Some(headline.into());
        self
    }
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        let ErrorResponse {
            error,
            format,
            headline,
        } = self;
        let status = error.status_code();
        let message = headline.unwrap_or_else(|| error.to_string());
        let mut response = match format {
            Format::ServerFunction => (
                status,
                [(
                    header::CONTENT_TYPE,
                    <<AppError as FromServerFnError>::Encoder as ContentType>::CONTENT_TYPE,
                )],
                error.ser(),
            )
                .into_response(),
            Format::Json => {
                let fields: Vec<serde_json::Value> = match &error {
                    AppError::Validation { fields } => fields
                        .iter()
                        .map(|e| serde_json::json!({ "field": e.field, "message": e.message }))
                        .collect(),
                    _ => Vec::new(),
                };
                (
                    status,
                    Json(serde_json::json!({ "error": message, "fields": fields })),
                )
                    .into_response()
            }
            Format::Html => (status, Html(error_page(&message))).into_response(),
            Format::Text => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message,
            )
                .into_response(),
        };
        if matches!(error, AppError::BadToken(_)) {
            // RFC 6750: a 401 for a bearer token says which scheme to use.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"debrief\""),
            );
        }
        response
    }
}

/// A page saying what went wrong, for a browser that cannot show it on the form's own page.
fn error_page(message: &str) -> String {
    let message = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Debrief</title></head>\
         <body><h1>That did not work</h1><p>{message}</p><p>Use your browser's back button to return to the form.</p></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::FieldError;

    /// One of each variant, with the status it must answer.
    fn every_error() -> Vec<(AppError, u16)> {
        vec![
            (AppError::invalid("title", "A title is required"), 422),
            (AppError::BadRequest("The date is not a date".into()), 400),
            (AppError::Unauthorized, 401),
            (
                AppError::BadToken("This token has been revoked.".into()),
                401,
            ),
            (AppError::Forbidden("Only admins may do this.".into()), 403),
            (
                AppError::TooLarge("The form is larger than 1 MB.".into()),
                413,
            ),
            (
                AppError::TooManyRequests("Try again in a minute.".into()),
                429,
            ),
            (AppError::not_found("Incident 4"), 404),
            (
                AppError::Conflict {
                    message: "Ana saved first.".into(),
                    version: 3,
                    theirs: vec![("title".into(), "Theirs".into())],
                },
                409,
            ),
            (
                AppError::Internal {
                    request_id: "r-1".into(),
                },
                500,
            ),
            (AppError::Unreachable("offline".into()), 502),
            (
                AppError::CannotSave("the disk its database is on is full".into()),
                503,
            ),
        ]
    }

    async fn answer(response: impl IntoResponse) -> (u16, HeaderMap, String) {
        let response = response.into_response();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body in memory");
        (
            status,
            headers,
            String::from_utf8(body.to_vec()).expect("UTF-8"),
        )
    }

    fn content_type(headers: &HeaderMap) -> &str {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn every_error_answers_its_status_in_every_format() {
        for (error, status) in every_error() {
            for format in [
                Format::ServerFunction,
                Format::Json,
                Format::Html,
                Format::Text,
            ] {
                let (got, _, body) = answer(error.clone().into_response_for(format)).await;
                assert_eq!(got, status, "{error:?} as {format:?}: {body}");
            }
        }
    }

    #[tokio::test]
    async fn a_server_function_caller_gets_the_error_back_as_it_was() {
        for (error, _) in every_error() {
            let (_, headers, body) =
                answer(error.clone().into_response_for(Format::ServerFunction)).await;
            assert_eq!(content_type(&headers), "application/json");
            assert_eq!(AppError::de(body.into()), error);
        }
    }

    #[tokio::test]
    async fn a_json_caller_gets_the_message_and_each_field_at_fault() {
        let error = AppError::Validation {
            fields: vec![
                FieldError {
                    field: "at".into(),
                    message: "Give a time".into(),
                },
                FieldError {
                    field: "parameters[0].value".into(),
                    message: "Give a value".into(),
                },
            ],
        };
        let (_, headers, body) = answer(error.into_response_for(Format::Json)).await;
        assert_eq!(content_type(&headers), "application/json");
        let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(
            value,
            serde_json::json!({
                "error": "Please correct the fields marked below.",
                "fields": [
                    {"field": "at", "message": "Give a time"},
                    {"field": "parameters[0].value", "message": "Give a value"},
                ],
            })
        );
        for (error, _) in every_error() {
            let message = error.to_string();
            let (_, _, body) = answer(error.into_response_for(Format::Json)).await;
            let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
            assert_eq!(value["error"], message.as_str());
        }
    }

    #[tokio::test]
    async fn a_headline_replaces_the_message_but_not_the_fields() {
        let error = AppError::invalid("system", "Name the system");
        let (status, _, body) = answer(
            error
                .into_response_for(Format::Json)
                .headed("The change was not recorded: correct the fields named."),
        )
        .await;
        assert_eq!(status, 422);
        let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(
            value["error"],
            "The change was not recorded: correct the fields named."
        );
        assert_eq!(value["fields"][0]["field"], "system");
    }

    #[tokio::test]
    async fn a_browser_gets_a_page_with_the_message_escaped() {
        for (error, _) in every_error() {
            let message = error.to_string();
            let (_, headers, body) = answer(error.into_response_for(Format::Html)).await;
            assert!(content_type(&headers).starts_with("text/html"));
            assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
            assert!(body.contains(&format!("<p>{message}</p>")), "{body}");
        }
        let (_, _, body) = answer(
            AppError::BadRequest("<script>alert(1)</script> & more".into())
                .into_response_for(Format::Html),
        )
        .await;
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
        assert!(!body.contains("<script>"));
    }

    #[tokio::test]
    async fn a_download_gets_the_message_as_plain_text() {
        for (error, _) in every_error() {
            let message = error.to_string();
            let (_, headers, body) = answer(error.into_response_for(Format::Text)).await;
            assert_eq!(content_type(&headers), "text/plain; charset=utf-8");
            assert_eq!(body, message);
        }
    }

    #[tokio::test]
    async fn only_a_bad_token_is_challenged_for_a_bearer_token() {
        for (error, _) in every_error() {
            let challenged = matches!(error, AppError::BadToken(_));
            for format in [Format::Json, Format::Text, Format::ServerFunction] {
                let (_, headers, _) = answer(error.clone().into_response_for(format)).await;
                assert_eq!(
                    headers
                        .get(header::WWW_AUTHENTICATE)
                        .and_then(|v| v.to_str().ok()),
                    challenged.then_some("Bearer realm=\"debrief\""),
                    "{error:?} as {format:?}"
                );
            }
        }
    }

    #[test]
    fn a_plain_form_is_answered_with_a_page_and_a_script_with_the_error() {
        let with_accept = |accept: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
            headers
        };
        assert_eq!(
            Format::for_server_function(&with_accept("text/html,application/xhtml+xml")),
            Format::Html
        );
        assert_eq!(
            Format::for_server_function(&with_accept("application/json")),
            Format::ServerFunction
        );
        assert_eq!(
            Format::for_server_function(&with_accept("*/*")),
            Format::ServerFunction
        );
        assert_eq!(
            Format::for_server_function(&HeaderMap::new()),
            Format::ServerFunction
        );
    }
}
