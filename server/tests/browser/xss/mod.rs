//! Cross-site scripting, end to end: a corpus of hostile text is entered through every field a
//! person (or an integration, or an import) can write, and every page that shows it is opened in
//! headless Chromium, hydrated and without JavaScript. Nothing may run: no payload sets
//! `window.__xss`, no dialog opens, no element carries an injected event handler or a script
//! link, and the console stays clean (a Content-Security-Policy report about an inline script
//! or handler means markup got through, so it fails the test like any other console error).
//! Exports are files, never pages: they must not be served as HTML and must say `nosniff`.
//!
//! Needs Debian's `chromium` and `chromedriver` and the site built by `cargo leptos build`.

mod seed;

use std::time::Duration;

use crate::common::TestApp;
use crate::common::chromium::{Driver, Journey, browser, console_errors};
use fantoccini::Locator;
use serde_json::json;

use seed::{CORPUS, Seeded, seed};

/// What a page must not contain after rendering: injected event handlers, links and sources
/// with script URLs, frames, plugins, `<base>`, refreshes, and scripts the server did not write
/// (every script Debrief writes carries the nonce or is a file of its own).
const INJECTED: &str = "[onerror], [onload], [onclick], [onmouseover], [onfocus], [ontoggle], \
    [onbegin], [href*='script:' i], [src*='script:' i], [action*='script:' i], \
    [formaction*='script:' i], [xlink\\:href*='script:' i], [href^='data:' i], [src^='data:' i], \
    [data^='data:' i], iframe, object, embed, base, math, meta[http-equiv], \
    script:not([nonce]):not([src])";

/// Finds, in the rendered page, any attribute named `on…` (CSS cannot match those by prefix).
const EVENT_HANDLERS: &str = "return Array.from(document.querySelectorAll('*')).flatMap(e => \
    Array.from(e.attributes).filter(a => a.name.toLowerCase().startsWith('on')) \
    .map(a => e.tagName + ' ' + a.name + '=' + a.value));";

/// What shows that a payload reached the page as text: every payload has one of these.
const SHOWN: [&str; 4] = ["__xss", "alert(1)", "msgbox(1)", "data:text/html"];

/// Opens `path` and checks it.
async fn inspect(j: &Journey, app: &TestApp, path: &str) {
    j.open(&app.url(path)).await;
    check(j, path).await;
}

/// Checks the page the browser shows (`what` names it in failures): the payloads are there, as
/// text, and nothing of them ran or became markup.
async fn check(j: &Journey, what: &str) {
    assert!(
        j.client.get_alert_text().await.is_err(),
        "a dialog opened on {what}"
    );
    if j.javascript {
        // Let late handlers (image errors, toggles, focus) fire before looking.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let hook = j
            .client
            .execute("return typeof window.__xss;", vec![])
            .await
            .expect("the page runs the check");
        assert_eq!(hook, json!("undefined"), "a payload ran on {what}");
        let handlers = j
            .client
            .execute(EVENT_HANDLERS, vec![])
            .await
            .expect("the page runs the check");
        assert_eq!(handlers, json!([]), "event handlers injected on {what}");
    }
    // None are expected, so any console error fails: Markdown loses `<img>` (and with it any
    // broken-image 404) to the sanitiser, plain text is never markup, and the pages ask for
    // nothing from elsewhere, so there is nothing for the policy to block. A CSP report (an
    // inline script, an event handler, a `javascript:` URL, an image) means markup got into the
    // page; a hydration error means the server and the browser disagree about the markup.
    let errors = console_errors(&j.client).await;
    assert!(
        errors.is_empty(),
        "the browser console reported errors on {what}: {errors:#?}"
    );
    let injected = j
        .client
        .find_all(Locator::Css(INJECTED))
        .await
        .expect("the page can be searched");
    let mut found = Vec::new();
    for element in injected {
        found.push(element.html(false).await.unwrap_or_default());
    }
    assert!(found.is_empty(), "markup injected on {what}: {found:#?}");
    let text = j
        .client
        .find(Locator::Css("body"))
        .await
        .expect("a body")
        .text()
        .await
        .expect("its text");
    assert!(
        SHOWN.iter().any(|shown| text.contains(shown)),
        "{what} shows no payload, so it checked nothing:\n{text}"
    );
}

async fn pages(seeded: &Seeded) -> Vec<String> {
    let id = seeded.hostile;
    let draft = seeded.draft;
    let mut pages = vec![
        "/".to_owned(),
        format!("/incidents/{id}"),
        format!("/incidents/{id}/history"),
        format!("/incidents/{draft}"),
        format!("/incidents/{id}/share"),
        format!("/incidents/{id}/review"),
        format!("/incidents/{draft}/timeline/{}", seeded.timeline),
        format!("/incidents/{draft}/impact/{}", seeded.impact),
        format!("/incidents/{draft}/changes/{}", seeded.change),
        format!("/incidents/{draft}/follow-ups/{}", seeded.follow_up),
        format!("/shared/{}", seeded.share_token),
        "/follow-ups".to_owned(),
        "/follow-ups?view=all".to_owned(),
        "/changes".to_owned(),
        "/metrics".to_owned(),
        "/library".to_owned(),
        "/library?tag=%EF%BD%93%EF%BD%83%EF%BD%92%EF%BD%89%EF%BD%90%EF%BD%94".to_owned(),
        "/library/lists".to_owned(),
        "/search?q=script".to_owned(),
        "/search?q=xss+onerror+javascript".to_owned(),
        format!(
            "/search?q={}",
            url::form_urlencoded::byte_serialize(CORPUS[15].as_bytes()).collect::<String>()
        ),
        "/my-work".to_owned(),
        "/admin/users".to_owned(),
        "/admin/integrations".to_owned(),
    ];
    // The editors: the title in an input, the summary and lessons in textareas.
    pages.push(format!("/incidents/{draft}/edit"));
    pages.push(format!("/incidents/{draft}/lessons"));
    pages.extend(seeded.titled.iter().map(|t| format!("/incidents/{t}")));
    pages
}

async fn logged_in(
    driver: &Driver,
    dir: &std::path::Path,
    javascript: bool,
    app: &TestApp,
) -> Journey {
    let profile = dir.join(if javascript { "on" } else { "off" });
    std::fs::create_dir_all(&profile).expect("a profile directory");
    let j = Journey {
        client: browser(driver, javascript, &profile).await,
        javascript,
    };
    j.open(&app.url("/login")).await;
    j.type_into("email", crate::common::ADMIN_EMAIL).await;
    j.type_into("password", crate::common::PASSWORD).await;
    j.submit("Log in").await;
    j.wait_text("Log out").await;
    j
}

#[tokio::test]
async fn hostile_text_in_every_field_never_runs_on_any_page_with_or_without_javascript() {
    let app = crate::common::spawn().await;
    let seeded = seed(&app).await;
    exports_are_never_served_as_html(&app, &seeded).await;
    let pages = pages(&seeded).await;
    let driver = Driver::start().await;
    let profiles = tempfile::tempdir().expect("profiles");
    for javascript in [true, false] {
        let j = logged_in(&driver, profiles.path(), javascript, &app).await;
        let result = tokio::time::timeout(Duration::from_secs(150), async {
            for page in &pages {
                inspect(&j, &app, page).await;
            }
            // The `</title>` payload stays the title's text.
            j.open(&app.url(&format!("/incidents/{}", seeded.draft)))
                .await;
            let title = j.client.title().await.expect("a title");
            assert!(title.contains(CORPUS[15].trim()), "{title:?}");
            if javascript {
                // Pages rendered in the browser, after client-side navigation, too.
                for (from, link) in [
                    ("/", format!("/incidents/{}", seeded.hostile)),
                    ("/", format!("/incidents/{}", seeded.titled[2])),
                    (
                        &format!("/incidents/{}", seeded.hostile) as &str,
                        format!("/incidents/{}/history", seeded.hostile),
                    ),
                ] {
                    j.open(&app.url(from)).await;
                    j.wait_for(&format!("a[href='{link}']"))
                        .await
                        .click()
                        .await
                        .expect("the link is clickable");
                    let deadline = std::time::Instant::now() + Duration::from_secs(15);
                    while j.client.current_url().await.expect("a URL").path() != link {
                        assert!(std::time::Instant::now() < deadline, "{link} never opened");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    // Something only the destination has: the diffs, or the link to them.
                    j.wait_for(&format!("ol.history, a[href='{link}/history']"))
                        .await;
                    check(&j, &format!("{link} (navigated from {from})")).await;
                }
            }
        })
        .await;
        let _ = j.client.close().await;
        result.expect("every page was checked within the time");
    }
}

/// The Markdown, JSON and CSV downloads carry the payloads as written, as files a browser
/// will not render: not `text/html`, and `nosniff` so it does not guess otherwise.
async fn exports_are_never_served_as_html(app: &TestApp, seeded: &Seeded) {
    for path in [
        format!("/incidents/{}/export.md", seeded.hostile),
        format!("/incidents/{}/export.json", seeded.hostile),
        "/follow-ups/export.csv?view=all".to_owned(),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .send()
            .await
            .expect("the export answers");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let kind = header("content-type");
        assert!(
            !kind.is_empty() && !kind.contains("html"),
            "{path} is served as {kind:?}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        let body = response.text().await.expect("a body");
        assert!(
            body.contains("window.__xss=1"),
            "the export carries the text as written: {path}"
        );
    }
}
