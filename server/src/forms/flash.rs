//! Brings a failed plain form (no JavaScript) back to its page with what was typed and the
//! error. With a session, the submitted values and the error are stored as a form flash bound
//! to that session and the browser is sent back to the form's page with `?flash=<id>`. A
//! visitor without a session (the login and setup forms) stores nothing: the form's page is
//! rendered at once with the flash and the error's status, as is a flash too large to store,
//! and one for a write the database refused (`AppError::CannotSave`): storing the flash would
//! be a write too, and one that squeezes into a nearly full disk would then fail to be taken.
//! A form that cannot be sent back is answered with the error as a page.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use app::dto::forms::{FLASH_PARAM, FormFlash};
use app::error::AppError;
use app::error::response::Format;
use app::server::flash::{InlineFlash, TakenThisRequest};
use app::server::session::SessionId;

use super::Forms;
use super::buffer::Submitted;
use super::redirects::{same_site_path, see_other, with_param};
use super::status::Failed;

/// The layer: see the module documentation. Every request also gets the [`TakenThisRequest`]
/// its page reads flashes through.
pub async fn failed_forms_go_back(
    State(forms): State<Forms>,
    mut request: Request,
    next: Next,
) -> Response {
    request.extensions_mut().insert(TakenThisRequest::default());
    let Some(Submitted(submitted)) = request.extensions().get::<Submitted>().cloned() else {
        return next.run(request).await;
    };
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(same_site_path);
    let action = request.uri().path().to_owned();
    let session = request.extensions().get::<SessionId>().cloned();
    let mut extensions = request.extensions().clone();
    extensions.remove::<Submitted>();
    let headers = request.headers().clone();

    let response = next.run(request).await;
    let Some(Failed(error)) = response.extensions().get::<Failed>().cloned() else {
        return response;
    };
    if let Some(back) = back {
        let status = error.status_code();
        let flash = FormFlash {
            action,
            values: kept_values(&submitted),
            error: error.clone(),
        };
        if let Some(SessionId(session)) = &session
            && !matches!(error, AppError::CannotSave(_))
        {
            match app::server::flash::store(&forms.db, session, &flash).await {
                Ok(Some(id)) => return see_other(&with_param(&back, FLASH_PARAM, &id)),
                Ok(None) => {}
                Err(e) => tracing::error!("could not store a form flash: {e}"),
            }
        }
        let page = PageRequest {
            path: back,
            headers,
            extensions,
        };
        if let Some(rendered) = render_with_flash(&forms.pages, page, flash, status).await {
            return rendered;
        }
    }
    error.into_response_for(Format::Html).into_response()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens_are_never_kept_in_a_flash() {
        let kept = kept_values(
            b"form%5Bemail%5D=a%40b.io&form%5Bpassword%5D=secret&form%5Bnew_password%5D=x&token=t",
        );
        assert_eq!(kept, vec![("form[email]".to_owned(), "a@b.io".to_owned())]);
    }
}
