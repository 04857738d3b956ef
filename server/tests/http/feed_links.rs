//! Where feeds link (issue 15): behind a reverse proxy the request's Host header names the
//! internal server, so with `DEBRIEF_PUBLIC_URL` set the feeds' links and the feed addresses on
//! the account page start with it; without it they start where the request came.

use leptos::server_fn::ServerFn;

use app::api::feeds::MakeFeedKey;
use app::domain::account::Role;

use crate::common::{
    ADMIN_EMAIL, ADMIN_NAME, Browser, PASSWORD, TestApp, incident_of, spawn, spawn_empty_configured,
};

const PUBLIC_URL: &str = "https://debrief.example.com";
/// The Host header a proxy in front would send.
const INTERNAL_HOST: &str = "debrief-1.internal:3000";

/// Makes the logged-in admin's feed key through the account page's plain form and reads the
/// published feed's address the page then shows once.
async fn shown_published_feed(app: &TestApp) -> String {
    let (status, location) = app.submit(MakeFeedKey::PATH, "/account", &[]).await;
    assert_eq!(status, 302, "back to the account page");
    let (_, html) = app.page(&location.expect("a location")).await;
    let address = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.ends_with("/published.atom"))
        .unwrap_or_else(|| panic!("the published feed's address is shown: {html}"))
        .to_owned();
    assert!(
        html.contains(&format!("<code>{address}</code>")),
        "the whole address is shown to copy"
    );
    address
}

/// GETs `path` as a feed reader behind a proxy would reach it: with the internal Host.
async fn through_the_proxy(browser: &Browser, path: &str) -> String {
    let response = browser
        .client
        .get(format!("{}{path}", browser.base))
        .header("host", INTERNAL_HOST)
        .send()
        .await
        .expect("the feed answers");
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.expect("a body")
}

/// The `href`s of an Atom document's `<link>` elements.
fn links(xml: &str) -> Vec<String> {
    xml.split("<link ")
        .skip(1)
        .filter_map(|rest| rest.split("href=\"").nth(1)?.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn with_a_public_url_feeds_and_the_account_page_link_to_it_whatever_the_host_header() {
    let app =
        spawn_empty_configured(|c| c.notify.public_url = Some(format!("{PUBLIC_URL}/"))).await;
    app.add_user(ADMIN_EMAIL, ADMIN_NAME, Role::Admin).await;
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;

    let address = shown_published_feed(&app).await;
    let path = address
        .strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("{address} starts with the public URL"));
    assert!(path.starts_with("/feeds/"), "{path}");

    let xml = through_the_proxy(&app.anonymous(), path).await;
    assert!(
        !xml.contains(INTERNAL_HOST),
        "never the internal host: {xml}"
    );
    let links = links(&xml);
    assert!(
        links.contains(&format!("{PUBLIC_URL}/incidents/{incident}")),
        "{links:?}"
    );
    assert!(
        links.contains(&format!("{PUBLIC_URL}/library")),
        "{links:?}"
    );
    assert!(xml.contains(&format!("<id>{PUBLIC_URL}/incidents/{incident}</id>")));
}

#[tokio::test]
async fn without_a_public_url_feeds_and_the_account_page_link_where_the_request_came() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;

    let address = shown_published_feed(&app).await;
    let path = address
        .strip_prefix(&app.base)
        .unwrap_or_else(|| panic!("{address} starts with {}", app.base));
    let xml = through_the_proxy(&app.anonymous(), path).await;
    let links = links(&xml);
    assert!(
        links.contains(&format!("http://{INTERNAL_HOST}/incidents/{incident}")),
        "{links:?}"
    );
}
