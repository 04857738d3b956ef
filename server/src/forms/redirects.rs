//! Where a browser is sent after a form: never to another site, and never back to a page still
//! carrying the last failure's flash or an open confirmation.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use app::domain::redirect::same_origin_path;
use app::dto::forms::{CONFIRM_PARAM, FLASH_PARAM};

use super::status::Failed;

/// The query parameters that belong to one visit of a page: a flash, a confirmation, and the
/// error leptos puts in the Referer of a failed plain form.
const STALE_PARAMS: &[&str] = &[FLASH_PARAM, CONFIRM_PARAM, "__err", "__path", "__err_fn"];

/// The layer: a redirect that is not a failed server function's (leptos sends plain forms back
/// to the raw Referer) is sent to a path on this site, without stale parameters.
pub async fn redirects_stay_on_site(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.extensions().get::<Failed>().is_some() {
        return response;
    }
    without_stale_params(response)
}

/// A 303 to `location` if it is a path on this site, else to the home page.
pub(crate) fn see_other(location: &str) -> Response {
    let value = same_origin_path(location)
        .and_then(|path| HeaderValue::from_str(path).ok())
        .unwrap_or(HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, value);
    response
}

/// A redirect back after success must not carry the last failure's flash or an open
/// confirmation, and must stay on this site.
fn without_stale_params(mut response: Response) -> Response {
    if !response.status().is_redirection() {
        return response;
    }
    let cleaned = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|location| {
            let location = match same_origin_path(location) {
                Some(path) => path.to_owned(),
                None => same_site_path(location).unwrap_or_else(|| "/".to_owned()),
            };
            strip_params(&location, STALE_PARAMS)
        });
    if let Some(cleaned) = cleaned.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::LOCATION, cleaned);
    }
    response
}

/// The path and query of a Referer, never another site: only what follows the authority, and
/// only when that is a path on this site (see `same_origin_path`).
pub(crate) fn same_site_path(referer: &str) -> Option<String> {
    let rest = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let path = rest.find('/').map(|i| &rest[i..])?;
    same_origin_path(path).map(str::to_owned)
}

/// `location` without the named query parameters.
fn strip_params(location: &str, names: &[&str]) -> String {
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    let (query, fragment) = query
        .split_once('#')
        .map_or((query, None), |(q, f)| (q, Some(f)));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !names.contains(&pair.split('=').next().unwrap_or_default()))
        .collect();
    let mut out = path.to_owned();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// `location` with `name=value` set (and stale flash/confirm parameters dropped).
pub(crate) fn with_param(location: &str, name: &str, value: &str) -> String {
    let base = strip_params(location, STALE_PARAMS);
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{name}={value}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::error::AppError;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use tower::ServiceExt;

    #[test]
    fn the_flash_replaces_an_older_one_and_a_confirmation() {
        assert_eq!(
            with_param(
                "/incidents/1/edit?flash=old&confirm=incident&x=1",
                "flash",
                "new"
            ),
            "/incidents/1/edit?x=1&flash=new"
        );
        assert_eq!(
            with_param("/incidents/new", "flash", "abc"),
            "/incidents/new?flash=abc"
        );
    }

    #[test]
    fn only_the_path_of_a_referer_is_used() {
        assert_eq!(
            same_site_path("http://127.0.0.1:3000/incidents/new?x=1").as_deref(),
            Some("/incidents/new?x=1")
        );
        assert_eq!(same_site_path("https://evil.example//evil.example/x"), None);
        assert_eq!(same_site_path("http://host"), None);
        assert_eq!(same_site_path("http://host/\t/evil.example"), None);
        assert_eq!(same_site_path("http://host/\\evil.example"), None);
    }

    #[test]
    fn successful_redirects_lose_stale_parameters() {
        assert_eq!(
            strip_params("/incidents/2?flash=abc#timeline", &[FLASH_PARAM]),
            "/incidents/2#timeline"
        );
    }

    /// A server function redirecting to `location`, failed or not.
    async fn redirected(location: &'static str, failed: bool) -> Option<String> {
        let app = Router::new()
            .route(
                "/api/x",
                post(move || async move {
                    let mut response =
                        (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
                    if failed {
                        response
                            .extensions_mut()
                            .insert(Failed(AppError::Unauthorized));
                    }
                    response
                }),
            )
            .layer(axum::middleware::from_fn(redirects_stay_on_site));
        let request = Request::post("/api/x").body(Body::empty()).ok()?;
        let response = app.oneshot(request).await.ok()?;
        response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    #[tokio::test]
    async fn a_redirect_after_success_stays_on_this_site_without_stale_parameters() {
        assert_eq!(
            redirected(
                "http://debrief.local/incidents/2?flash=a&confirm=b&x=1",
                false
            )
            .await
            .as_deref(),
            Some("/incidents/2?x=1")
        );
        assert_eq!(
            redirected("https://evil.example", false).await.as_deref(),
            Some("/")
        );
    }

    #[tokio::test]
    async fn a_failed_server_function_s_redirect_is_left_to_the_flash_layer() {
        assert_eq!(
            redirected("/incidents/2?flash=a", true).await.as_deref(),
            Some("/incidents/2?flash=a")
        );
    }
}
