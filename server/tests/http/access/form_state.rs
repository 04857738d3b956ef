//! What plain forms (no JavaScript) leave on the server: a failed form's values only for a
//! signed-in session, readable by that session once; nothing at all for a stranger; and a new
//! secret shown once in a page, never in an address.

use app::api::account::LogIn;
use app::api::flash::{GetFlash, TakeSecret};
use app::api::integrations::CreateIntegrationToken;
use app::api::share::CreateShareLink;
use app::dto::forms::FormFlash;
use leptos::server_fn::ServerFn;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::common::{ADMIN_EMAIL, Browser, PASSWORD, TestApp, incident_of, on_server, spawn};

/// How many rows `form_flashes` holds.
async fn stored_flashes(app: &TestApp) -> u64 {
    let db = app.db.clone();
    on_server(async move {
        app::server::entities::form_flashes::Entity::find()
            .count(&db)
            .await
            .expect("counted")
    })
    .await
}

async fn flash(browser: &Browser, id: &str) -> Option<FormFlash> {
    browser.json(GetFlash::PATH, &[("id", id)]).await
}

/// A second browser logged in as the admin: the same person, another session.
async fn second_session(app: &TestApp) -> Browser {
    let browser = app.anonymous();
    let (status, _) = browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302);
    browser
}

#[tokio::test]
async fn a_strangers_failed_login_stores_nothing_and_shows_the_error_with_the_email() {
    let app = spawn().await;
    let stranger = app.anonymous();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .post(stranger.url(LogIn::PATH))
        .header("accept", "text/html")
        .header("referer", stranger.url("/login?next=/follow-ups"))
        .form(&[
            ("form[email]", "someone@example.com"),
            ("form[password]", "not the password"),
            ("next", "/follow-ups"),
        ])
        .send()
        .await
        .expect("the login answers");
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.headers().get("location").is_none());
    let html = response.text().await.expect("a page");
    assert!(html.contains("do not match"), "the error is shown: {html}");
    assert!(
        html.contains("someone@example.com"),
        "the email is kept in the form"
    );
    assert!(!html.contains("not the password"), "the password is not");
    assert!(
        html.contains("value=\"/follow-ups\""),
        "the page to return to is kept"
    );
    assert_eq!(
        stored_flashes(&app).await,
        0,
        "nothing stored for a stranger"
    );

    // Many failures still store nothing.
    for _ in 0..3 {
        let (status, location) = stranger
            .submit(
                CreateIntegrationToken::PATH,
                "/admin/integrations",
                &[("name", "")],
            )
            .await;
        assert!(location.is_none_or(|l| !l.contains("flash=")), "{status}");
    }
    assert_eq!(stored_flashes(&app).await, 0);
}

#[tokio::test]
async fn a_signed_in_flash_is_read_once_and_only_by_its_own_session() {
    let app = spawn().await;
    let (status, location) = app
        .submit(
            CreateIntegrationToken::PATH,
            "/admin/integrations",
            &[("name", "   ")],
        )
        .await;
    assert_eq!(status, 303);
    let location = location.expect("back to the form");
    let id = location
        .split_once("?flash=")
        .map(|(_, id)| id.to_owned())
        .unwrap_or_else(|| panic!("a flash id in {location}"));
    assert_eq!(stored_flashes(&app).await, 1);

    let other = second_session(&app).await;
    assert_eq!(
        flash(&other, &id).await,
        None,
        "another session reads nothing"
    );
    let (_, html) = other.page(&location).await;
    assert!(!html.contains("name is required") && !html.contains("field invalid"));
    assert_eq!(stored_flashes(&app).await, 1, "nor does it delete it");

    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("field invalid"), "the page shows the error");
    assert_eq!(stored_flashes(&app).await, 0, "read once, then deleted");
    let (_, html) = app.page(&location).await;
    assert!(!html.contains("field invalid"), "not shown twice");
    assert_eq!(flash(&app, &id).await, None);
}

#[tokio::test]
async fn an_oversized_failed_form_is_not_stored_but_shown_at_once() {
    let app = spawn().await;
    let long = "x".repeat(app::server::flash::MAX_VALUES_BYTES + 1);
    let response = app
        .client
        .post(app.url(CreateIntegrationToken::PATH))
        .header("accept", "text/html")
        .header("referer", app.url("/admin/integrations"))
        .form(&[("name", long.as_str())])
        .send()
        .await
        .expect("the form answers");
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.expect("a page");
    assert!(html.contains("field invalid"), "the error is shown");
    assert_eq!(stored_flashes(&app).await, 0);
}

#[tokio::test]
async fn a_new_integration_token_is_shown_once_in_the_page_never_in_an_address() {
    let app = spawn().await;
    let (status, location) = app
        .submit(
            CreateIntegrationToken::PATH,
            "/admin/integrations",
            &[("name", "Deploy tool")],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("back to the page");
    assert!(!location.contains("token="), "{location}");
    let (_, html) = app.page(&location).await;
    let token = shown_token(&html).unwrap_or_else(|| panic!("the token is shown: {html}"));
    assert!(!location.contains(&token), "{location}");
    assert_eq!(token.len(), 64);
    let (_, again) = app.page(&location).await;
    assert_eq!(shown_token(&again), None, "shown once");
    assert_eq!(stored_flashes(&app).await, 0);

    // Called from the hydrated app: the token is the answer, and nothing sends the browser
    // to an address with it.
    let response = app
        .client
        .post(app.url(CreateIntegrationToken::PATH))
        .form(&[("name", "CI")])
        .send()
        .await
        .expect("the call answers");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers().get("location").is_none());
    let token: String =
        serde_json::from_str(&response.text().await.expect("a body")).expect("the token");
    assert_eq!(token.len(), 64);
}

#[tokio::test]
async fn a_new_share_link_is_shown_once_in_the_page_never_in_an_address() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;
    let page = format!("/incidents/{incident}/share");
    let (status, location) = app
        .submit(
            CreateShareLink::PATH,
            &page,
            &[("id", &incident.to_string())],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("back to the page");
    assert!(location.starts_with(&page), "{location}");
    assert!(!location.contains("link="), "{location}");
    let (_, html) = app.page(&location).await;
    let start = html.find("/shared/").expect("the new link is shown") + "/shared/".len();
    let token = &html[start..start + 64];
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    assert!(!location.contains(token));
    let secret_id = location
        .split_once("secret=")
        .expect("an id to read it by")
        .1;
    let other = second_session(&app).await;
    assert_eq!(
        other
            .json::<Option<String>>(TakeSecret::PATH, &[("id", secret_id)])
            .await,
        None
    );
    let (_, again) = app.page(&location).await;
    assert!(!again.contains(token), "shown once");
}

/// The integration token a page shows, if any.
fn shown_token(html: &str) -> Option<String> {
    let start = html.find("<code class=\"token\">")? + "<code class=\"token\">".len();
    let end = html[start..].find('<')? + start;
    Some(html[start..end].to_owned())
}
