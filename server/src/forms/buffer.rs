//! Reads a plain form's body before the server function does, so that a failed form can be
//! brought back with what was typed (see `flash`), and refuses one too large to read.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header;

use app::error::AppError;
use app::error::response::Format;

use super::is_server_function;

/// Largest plain form accepted: three Markdown fields at their 20,000-character limit,
/// form-encoded (a non-ASCII character can take 9 bytes), fit well within it.
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A plain form's body as it was posted, as a request extension.
#[derive(Clone, Debug)]
pub struct Submitted(pub Bytes);

/// Whether a request is a plain HTML form (no JavaScript) posted to a server function: the
/// browser accepts a page back and sends the fields form-encoded.
pub fn is_plain_form(request: &Request) -> bool {
    let headers = request.headers();
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    is_server_function(request)
        && header(header::ACCEPT).is_some_and(|v| v.contains("text/html"))
        && header(header::CONTENT_TYPE)
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The layer: a plain form's body is read into memory and kept as [`Submitted`]; one larger
/// than [`MAX_FORM_BYTES`] is answered 413 (`TooLarge`) and never reaches the server function.
pub async fn buffer_plain_forms(request: Request, next: Next) -> Response {
    if !is_plain_form(&request) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return AppError::TooLarge(
            "The form is larger than Debrief accepts (1 MB); nothing was saved.".to_owned(),
        )
        .into_response_for(Format::Html)
        .into_response();
    };
    parts.extensions.insert(Submitted(bytes.clone()));
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::post;
    use tower::ServiceExt;

    /// A server function that says how many bytes it was sent and whether they were kept.
    fn app() -> Router {
        Router::new()
            .route(
                "/api/incidents/create",
                post(|request: Request| async move {
                    let kept = request.extensions().get::<Submitted>().map(|s| s.0.len());
                    let read = to_bytes(request.into_body(), usize::MAX)
                        .await
                        .map(|b| b.len())
                        .unwrap_or_default();
                    format!("read {read}, kept {kept:?}")
                }),
            )
            .layer(axum::middleware::from_fn(buffer_plain_forms))
    }

    async fn post_form(accept: &str, body: Vec<u8>) -> (u16, String) {
        let request = Request::post("/api/incidents/create")
            .header("accept", accept)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("a request");
        let response = app().oneshot(request).await.expect("an answer");
        let status = response.status().as_u16();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_plain_form_reaches_the_server_function_whole_and_is_kept() {
        let (status, body) = post_form("text/html", b"form%5Btitle%5D=Outage".to_vec()).await;
        assert_eq!((status, body.as_str()), (200, "read 22, kept Some(22)"));
    }

    #[tokio::test]
    async fn a_script_s_post_is_not_buffered() {
        let (status, body) = post_form("application/json", b"title=Outage".to_vec()).await;
        assert_eq!((status, body.as_str()), (200, "read 12, kept None"));
    }

    #[tokio::test]
    async fn an_oversized_form_is_too_large_and_says_so() {
        let (status, body) = post_form("text/html", vec![b'a'; MAX_FORM_BYTES + 1]).await;
        assert_eq!(status, 413);
        assert!(
            body.contains("The form is larger than Debrief accepts (1 MB); nothing was saved."),
            "{body}"
        );
        let (status, _) = post_form("text/html", vec![b'a'; MAX_FORM_BYTES]).await;
        assert_eq!(status, 200, "exactly the limit is accepted");
    }
}
