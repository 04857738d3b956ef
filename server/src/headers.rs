//! Security headers on every response, set in one place.
//!
//! Each request gets a fresh Content-Security-Policy nonce: the middleware puts it in the
//! request's extensions, the page render hands it to Leptos (which writes it on the hydration
//! and streaming scripts it emits), and the response carries a policy that lets only scripts
//! with that nonce, or files from this site, run. Stored text that slipped past escaping still
//! could not run a script: it does not know the nonce.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue, header};
use leptos::nonce::Nonce;

/// The nonce of the request being served, for the page render.
#[derive(Clone, Debug)]
pub struct RequestNonce(pub Nonce);

/// The policy for a response whose scripts carry `nonce`.
///
/// Scripts: only this site's files and inline scripts with the nonce; WebAssembly may be
/// compiled (the hydration bundle). No plugins, no `<base>` rewriting, never framed, forms
/// post only here.
#[must_use]
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// See the module documentation.
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    let policy = content_security_policy(&nonce);
    request.extensions_mut().insert(RequestNonce(nonce));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Hands the request's nonce to the page being rendered (called inside Leptos' render context,
/// after leptos_axum has provided the request's parts and a nonce of its own, which this
/// replaces so the header and the scripts agree).
pub fn provide_request_nonce() {
    if let Some(parts) = leptos::prelude::use_context::<http::request::Parts>()
        && let Some(RequestNonce(nonce)) = parts.extensions.get::<RequestNonce>()
    {
        leptos::prelude::provide_context(nonce.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_nonced_inline_scripts_and_forbids_framing_and_plugins() {
        let policy = content_security_policy("abc");
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(directive), "{directive}");
        }
    }
}
