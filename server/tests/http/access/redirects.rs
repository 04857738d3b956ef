//! Where Debrief sends a browser after logging in: only to a path on this site, whatever the
//! `next` parameter says, and never a failure for a `next` that cannot be a header.

use app::api::account::LogIn;
use leptos::server_fn::ServerFn;

use super::support::bare_client;
use crate::common::{ADMIN_EMAIL, PASSWORD, spawn};

/// Logs in through the plain form with `next` written into the body exactly as given (already
/// form-encoded), and returns the status and `Location`.
async fn log_in_with_raw_next(
    app: &crate::common::TestApp,
    raw_next: &str,
) -> (u16, Option<String>) {
    let body = format!(
        "form%5Bemail%5D={}&form%5Bpassword%5D={}&next={raw_next}",
        ADMIN_EMAIL.replace('@', "%40"),
        PASSWORD.replace(' ', "+"),
    );
    let response = bare_client()
        .post(app.url(LogIn::PATH))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("referer", app.url("/login"))
        .body(body)
        .send()
        .await
        .expect("the login answers");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (response.status().as_u16(), location)
}

#[tokio::test]
async fn after_login_a_next_that_leaves_the_site_or_breaks_the_header_goes_home() {
    let app = spawn().await;
    for raw_next in [
        // A browser drops the tab and reads `//evil.example`: another site.
        "/%09/evil.example",
        "%09//evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "/%5Ct/evil",
        "https%3A%2F%2Fevil.example",
        // A line break cannot be put in a header: this once made the server panic.
        "/%0A/evil.example",
        "/x%0D%0ASet-Cookie:%20a=b",
    ] {
        let (status, location) = log_in_with_raw_next(&app, raw_next).await;
        assert_eq!(
            (status, location.as_deref()),
            (302, Some("/")),
            "next={raw_next}"
        );
    }

    let (status, location) = log_in_with_raw_next(&app, "/incidents/3%3Fx%3D1").await;
    assert_eq!(
        (status, location.as_deref()),
        (302, Some("/incidents/3?x=1")),
        "a path on this site is followed"
    );
}
