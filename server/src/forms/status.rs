//! Gives a server function's error its HTTP status. Server functions answer every error with
//! 500 and the serialized `AppError` as the body; this layer decodes that error once and answers
//! it the one way every error is answered (`app::error::response`), keeping the serialized body
//! for a caller asking for JSON (an island, an integration), which decodes it; a plain form post
//! goes back to its page with a flash instead.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, header};
use leptos::server_fn::error::{FromServerFnError, SERVER_FN_ERROR_HEADER};

use app::error::AppError;
use app::error::response::Format;

/// The error a server function failed with, as a response extension, for the layers outside
/// this one (a failed plain form goes back to its page with it).
#[derive(Clone, Debug)]
pub struct Failed(pub AppError);

/// The layer: see the module documentation. Leptos also sends a failed plain form back to the
/// raw Referer; that redirect is dropped (the `flash` layer sends it back instead).
pub async fn server_function_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let error = AppError::de(to_bytes(body, usize::MAX).await.unwrap_or_default());
    let (answer, body) = error
        .clone()
        .into_response_for(Format::ServerFunction)
        .into_response()
        .into_parts();
    parts.status = answer.status;
    parts.headers.remove(header::LOCATION);
    parts.headers.remove(header::CONTENT_LENGTH);
    replace_headers(&mut parts.headers, answer.headers);
    parts.extensions.insert(Failed(error));
    Response::from_parts(parts, body)
}

/// `headers` with every header `answer` sets replaced by the answer's values.
fn replace_headers(headers: &mut HeaderMap, answer: HeaderMap) {
    let mut current = None;
    for (name, value) in answer {
        if let Some(name) = name {
            headers.insert(name.clone(), value);
            current = Some(name);
        } else if let Some(name) = &current {
            headers.append(name.clone(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use http::HeaderValue;
    use tower::ServiceExt;

    /// A server function failing with `error` as leptos answers it: 500, the error header, the
    /// serialized error, and for a browser a redirect back to the Referer.
    fn failing(error: AppError) -> Router {
        Router::new()
            .route(
                "/api/incidents/update",
                post(move || {
                    let error = error.clone();
                    async move {
                        let mut response = (
                            http::StatusCode::INTERNAL_SERVER_ERROR,
                            [
                                (SERVER_FN_ERROR_HEADER, "/api/incidents/update"),
                                ("location", "/incidents/1/edit?__err=x"),
                                ("content-type", "application/json"),
                            ],
                            error.ser(),
                        )
                            .into_response();
                        response
                            .headers_mut()
                            .append("set-cookie", HeaderValue::from_static("a=1"));
                        response
                            .headers_mut()
                            .append("set-cookie", HeaderValue::from_static("b=2"));
                        response
                    }
                }),
            )
            .route("/api/incidents/create", post(|| async { "created" }))
            .layer(axum::middleware::from_fn(server_function_errors))
    }

    async fn call(app: Router, path: &str) -> Response {
        let request = Request::post(path).body(Body::empty()).expect("a request");
        app.oneshot(request).await.expect("an answer")
    }

    #[tokio::test]
    async fn a_server_function_error_gets_its_status_and_keeps_its_body() {
        let error = AppError::Forbidden("Only authors may edit.".into());
        let response = call(failing(error.clone()), "/api/incidents/update").await;
        assert_eq!(response.status().as_u16(), 403);
        assert!(response.headers().get(header::LOCATION).is_none());
        assert!(response.headers().contains_key(SERVER_FN_ERROR_HEADER));
        assert_eq!(
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .collect::<Vec<_>>(),
            ["a=1", "b=2"],
            "what the server function set is kept"
        );
        assert_eq!(
            response.extensions().get::<Failed>().map(|f| &f.0),
            Some(&error)
        );
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        assert_eq!(AppError::de(body), error);
    }

    #[tokio::test]
    async fn every_status_comes_from_the_error() {
        for (error, status) in [
            (AppError::invalid("title", "A title is required"), 422),
            (AppError::Unauthorized, 401),
            (AppError::not_found("Incident 4"), 404),
            (
                AppError::Internal {
                    request_id: "r".into(),
                },
                500,
            ),
        ] {
            let response = call(failing(error.clone()), "/api/incidents/update").await;
            assert_eq!(response.status().as_u16(), status, "{error:?}");
        }
    }

    #[tokio::test]
    async fn a_success_passes_untouched() {
        let response = call(failing(AppError::Unauthorized), "/api/incidents/create").await;
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.extensions().get::<Failed>().is_none());
    }
}
