//! Refuses posts to server functions sent from pages of other sites: without it, any web page a
//! Debrief user visits could submit a form that deletes an incident.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue};

use app::error::AppError;
use app::error::response::Format;

use super::buffer::MAX_FORM_BYTES;
use super::is_server_function;

/// The layer: a cross-site request to a server function is answered 403 (`Forbidden`), as a
/// page for a browser and as the serialized error for a script; anything else passes.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if !(is_server_function(&request) && is_cross_site(request.headers())) {
        return next.run(request).await;
    }
    let format = Format::for_server_function(request.headers());
    // Read the refused body to its end first: a connection left with an unread request body is
    // not reused cleanly by every client.
    let _ = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await;
    AppError::Forbidden(
        "This form was sent from another website, so Debrief refused it.".to_owned(),
    )
    .into_response_for(format)
    .into_response()
}

/// Whether a request comes from a page of another site: the browser says so in
/// `Sec-Fetch-Site`, or its `Origin` names another host than the one it is sending to.
/// Requests without either header (programs, old browsers) are not cross-site forms.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (header("origin"), header("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            origin.split_once("://").map_or(origin, |(_, rest)| rest) != host
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use tower::ServiceExt;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn posts_from_other_sites_are_recognised() {
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "debrief.local:3000")
        ])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "debrief.local")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://debrief.local:3000"),
            ("host", "debrief.local:3000")
        ])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site(&headers(&[])), "programs send no Origin");
    }

    fn app() -> Router {
        Router::new()
            .route("/api/incidents/delete", post(|| async { "deleted" }))
            .layer(axum::middleware::from_fn(refuse_cross_site))
    }

    async fn send(accept: &str, origin: &str) -> (u16, String, String) {
        let request = Request::post("/api/incidents/delete")
            .header("accept", accept)
            .header("origin", origin)
            .header("host", "debrief.local")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("id=1"))
            .expect("a request");
        let response = app().oneshot(request).await.expect("an answer");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, kind, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_cross_site_form_is_forbidden_with_a_page_saying_why() {
        let (status, kind, body) = send("text/html", "https://evil.example").await;
        assert_eq!(status, 403);
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(
            body.contains("This form was sent from another website, so Debrief refused it."),
            "{body}"
        );
    }

    #[tokio::test]
    async fn a_cross_site_script_gets_the_forbidden_error_it_can_decode() {
        use leptos::server_fn::error::FromServerFnError;
        let (status, _, body) = send("*/*", "https://evil.example").await;
        assert_eq!(status, 403);
        assert_eq!(
            AppError::de(body.into()),
            AppError::Forbidden(
                "This form was sent from another website, so Debrief refused it.".to_owned()
            )
        );
    }

    #[tokio::test]
    async fn a_form_from_this_site_passes() {
        let (status, _, body) = send("text/html", "http://debrief.local").await;
        assert_eq!((status, body.as_str()), (200, "deleted"));
    }
}
