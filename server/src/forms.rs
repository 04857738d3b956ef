//! The middleware around server functions that gives errors their status code and brings a
//! plain HTML form back with what was typed.
//!
//! Server functions answer every error with status 500; here the `AppError` in the body is read
//! and the status set from `AppError::status`. When the caller was a plain form (no JavaScript:
//! it accepts `text/html` and posted form data) with a session, the submitted values and the
//! error are stored as a form flash bound to that session and the browser is sent back to the
//! form's page with `?flash=<id>`. A visitor without a session (the login and setup forms) stores
//! nothing: the form's page is rendered at once with the flash and the error's status, as is a
//! flash too large to store.
//! On success, stale `flash` and `confirm` parameters are dropped from the redirect back, and a
//! redirect never leaves this site.
//!
//! It also refuses cross-site posts to server functions (403): without it, any web page a
//! Debrief user visits could submit a form that deletes an incident.

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use app::domain::redirect::same_origin_path;
use app::dto::forms::{CONFIRM_PARAM, FLASH_PARAM, FormFlash};
use app::error::AppError;
use app::server::flash::{InlineFlash, TakenThisRequest};
use app::server::session::SessionId;
use leptos::server_fn::error::{FromServerFnError, SERVER_FN_ERROR_HEADER};
use sea_orm::DatabaseConnection;

/// Largest plain form accepted: three Markdown fields at their 20,000-character limit, form-encoded
/// (a non-ASCII character can take 9 bytes), fit well within it.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// What the form middleware needs: the database for flashes, and the site's pages (behind the
/// session middleware) to render a form's page with a flash that is not stored.
#[derive(Clone)]
pub struct Forms {
    pub db: DatabaseConnection,
    pub pages: Router,
}

/// See the module documentation.
pub async fn form_errors(State(forms): State<Forms>, mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(TakenThisRequest::default());
    if request.uri().path().starts_with("/api/") && is_cross_site(request.headers()) {
        // Read the refused body to its end first: a connection left with an unread request
        // body is not reused cleanly by every client.
        let _ = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await;
        let error = AppError::BadRequest(
            "This form was sent from another website, so Debrief refused it.".to_owned(),
        );
        return (StatusCode::FORBIDDEN, Html(error_page(&error))).into_response();
    }
    let headers = request.headers();
    let plain_form = request.uri().path().starts_with("/api/")
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(same_site_path);
    let action = request.uri().path().to_owned();
    let session = request.extensions().get::<SessionId>().cloned();
    let extensions = request.extensions().clone();
    let page_headers = request.headers().clone();

    let (request, submitted) = if plain_form {
        let (parts, body) = request.into_parts();
        match to_bytes(body, MAX_FORM_BYTES).await {
            Ok(bytes) => (
                Request::from_parts(parts, Body::from(bytes.clone())),
                Some(bytes),
            ),
            Err(_) => {
                let error = AppError::BadRequest(
                    "The form is larger than Debrief accepts (1 MB); nothing was saved.".to_owned(),
                );
                return (StatusCode::PAYLOAD_TOO_LARGE, Html(error_page(&error))).into_response();
            }
        }
    } else {
        (request, None)
    };

    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return without_stale_params(response);
    }

    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX)
        .await
        .unwrap_or_else(|_| Bytes::new());
    let error = AppError::de(bytes.clone());
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);

    if let Some(submitted) = submitted {
        if let Some(back) = back {
            let flash = FormFlash {
                action,
                values: kept_values(&submitted),
                error: error.clone(),
            };
            if let Some(SessionId(session)) = &session {
                match app::server::flash::store(&forms.db, session, &flash).await {
                    Ok(Some(id)) => return see_other(&with_param(&back, FLASH_PARAM, &id)),
                    Ok(None) => {}
                    Err(e) => tracing::error!("could not store a form flash: {e}"),
                }
            }
            let page = PageRequest {
                path: back,
                headers: page_headers,
                extensions,
            };
            if let Some(rendered) = render_with_flash(&forms.pages, page, flash, status).await {
                return rendered;
            }
        }
        // A plain form we cannot send back: show the message as a page.
        return (status, Html(error_page(&error))).into_response();
    }

    parts.status = status;
    parts.headers.remove(header::LOCATION);
    Response::from_parts(parts, Body::from(bytes))
}

/// What a page request made for a failed plain form inherits from the form's post.
struct PageRequest {
    /// The form's page (a path on this site).
    path: String,
    /// The post's headers: its cookies, language and host.
    headers: http::HeaderMap,
    /// The post's extensions: the peer address and what the session middleware found.
    extensions: http::Extensions,
}

/// The form's page rendered for this request with `flash` handed to it directly (nothing
/// stored), answered with the error's status; `None` when the page does not render (it
/// redirects, e.g. to the login page, or fails).
async fn render_with_flash(
    pages: &Router,
    page: PageRequest,
    flash: FormFlash,
    status: StatusCode,
) -> Option<Response> {
    use tower::ServiceExt;
    let id = app::server::password::random_token();
    let mut request = Request::get(with_param(&page.path, FLASH_PARAM, &id))
        .body(Body::empty())
        .ok()?;
    *request.extensions_mut() = page.extensions;
    request.extensions_mut().insert(TakenThisRequest::default());
    request.extensions_mut().insert(InlineFlash { id, flash });
    let headers = request.headers_mut();
    for name in [
        header::COOKIE,
        header::HOST,
        header::ACCEPT_LANGUAGE,
        header::USER_AGENT,
    ] {
        if let Some(value) = page.headers.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    headers.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
    let mut response = pages.clone().oneshot(request).await.ok()?;
    if response.status() != StatusCode::OK {
        return None;
    }
    *response.status_mut() = status;
    Some(response)
}

/// What a flash keeps of a submitted form: everything but passwords and tokens, which are never
/// stored (the person types them again).
fn kept_values(submitted: &[u8]) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> =
        serde_urlencoded::from_bytes(submitted).unwrap_or_default();
    values.retain(|(name, _)| !name.contains("password") && !name.contains("token"));
    values
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

/// Whether a request comes from a page of another site: the browser says so in
/// `Sec-Fetch-Site`, or its `Origin` names another host than the one it is sending to.
/// Requests without either header (programs, old browsers) are not cross-site forms.
fn is_cross_site(headers: &http::HeaderMap) -> bool {
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

/// A redirect back after success must not carry the last failure's flash or an open
/// confirmation, and must stay on this site (leptos sends plain forms back to the raw Referer).
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
            strip_params(
                &location,
                &[FLASH_PARAM, CONFIRM_PARAM, "__err", "__path", "__err_fn"],
            )
        });
    if let Some(cleaned) = cleaned.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::LOCATION, cleaned);
    }
    response
}

/// The path and query of a Referer, never another site: only what follows the authority, and
/// only when that is a path on this site (see `same_origin_path`).
fn same_site_path(referer: &str) -> Option<String> {
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
fn with_param(location: &str, name: &str, value: &str) -> String {
    let base = strip_params(
        location,
        &[FLASH_PARAM, CONFIRM_PARAM, "__err", "__path", "__err_fn"],
    );
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{name}={value}")
}

fn error_page(error: &AppError) -> String {
    let message = error
        .to_string()
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
    fn passwords_and_tokens_are_never_kept_in_a_flash() {
        let kept = kept_values(
            b"form%5Bemail%5D=a%40b.io&form%5Bpassword%5D=secret&form%5Bnew_password%5D=x&token=t",
        );
        assert_eq!(kept, vec![("form[email]".to_owned(), "a@b.io".to_owned())]);
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
    fn posts_from_other_sites_are_recognised() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = http::HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_static(v));
            }
            map
        };
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

    #[test]
    fn successful_redirects_lose_stale_parameters() {
        assert_eq!(
            strip_params("/incidents/2?flash=abc#timeline", &[FLASH_PARAM]),
            "/incidents/2#timeline"
        );
    }
}
