//! Stored text in the places Leptos writes out unescaped (`<title>`, `<textarea>`), links that
//! arrive by the JSON import, and the security headers every response carries.

use super::*;
use app::api::export::ImportPostmortem;

/// Markup that ends the element it is written into and runs script if it is not escaped.
const BREAKOUT: &str = "x</title></textarea><img src=x onerror=alert(1)>";

/// The raw HTML holds no element the payload would have made.
fn assert_inert(html: &str, page: &str) {
    let lower = html.to_lowercase();
    assert!(
        !lower.contains("<img src=x onerror"),
        "{page}: the payload became markup:\n{html}"
    );
}

#[tokio::test]
async fn a_title_that_closes_the_title_element_stays_text_on_every_page() {
    let app = spawn().await;
    let (_, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields(BREAKOUT, "Summary"),
        )
        .await;
    let page = location.expect("created");
    for path in [
        page.clone(),
        format!("{page}/edit"),
        format!("{page}/lessons"),
        format!("{page}/history"),
        format!("{page}/review"),
        format!("{page}/share"),
        format!("{page}/timeline/new"),
        "/".to_owned(),
    ] {
        let (status, html) = app.page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(&html, &path);
    }
    let (_, html) = app.page(&page).await;
    let head = html.split("</head>").next().unwrap_or_default();
    assert!(
        head.contains("<title>x&lt;/title&gt;&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt; · Debrief</title>"),
        "the title shows the text typed, escaped:\n{head}"
    );
}

#[tokio::test]
async fn markdown_that_closes_its_textarea_stays_text_in_every_edit_form() {
    let app = spawn().await;
    let (_, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("Textarea breakout", BREAKOUT),
        )
        .await;
    let page = location.expect("created");
    let id = id_from(&page).to_owned();
    let (status, _) = app
        .submit(
            UpdateLessons::PATH,
            &page,
            &[
                ("id", &id),
                ("version", "1"),
                ("form[went_well]", BREAKOUT),
                ("form[went_wrong]", BREAKOUT),
                ("form[lucky]", BREAKOUT),
            ],
        )
        .await;
    assert_eq!(status, 302);
    for path in [format!("{page}/edit"), format!("{page}/lessons")] {
        let (status, html) = app.page(&path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(&html, &path);
        assert!(
            html.contains(
                "x&lt;/title&gt;&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>"
            ),
            "{path}: the textarea holds the text as typed, escaped"
        );
    }
}

#[tokio::test]
async fn an_import_cannot_bring_a_script_link() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, before) = app.page("/").await;
    let (_, _, json) = app.download(&format!("{page}/export.json")).await;
    let mut export: serde_json::Value = serde_json::from_str(&json).expect("the export is JSON");
    export["changes"][0]["change"]["link"] = "javascript:alert(document.domain)".into();
    let (status, body) = app
        .call(ImportPostmortem::PATH, &[("json", &export.to_string())])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("changes[0].change.link") && body.contains("http://"),
        "the error names the field and the rule: {body}"
    );
    let (_, after) = app.page("/").await;
    assert_eq!(
        after.matches("/incidents/").count(),
        before.matches("/incidents/").count(),
        "nothing was imported"
    );
}

/// The headers a response must carry, whatever it is.
async fn security_headers_of(
    app: &crate::common::TestApp,
    path: &str,
) -> reqwest::header::HeaderMap {
    let response = app
        .client
        .get(app.url(path))
        .send()
        .await
        .expect("an answer");
    response.headers().clone()
}

#[tokio::test]
async fn every_response_carries_a_strict_content_security_policy() {
    let app = spawn().await;
    let page = app.load_example().await;
    let mut nonces = Vec::new();
    for path in [
        page.as_str(),
        "/",
        "/login",
        "/no-such-page",
        "/pkg/debrief.css",
        "/follow-ups/export.csv",
        &format!("{page}/export.json"),
    ] {
        let headers = security_headers_of(&app, path).await;
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let policy = header("content-security-policy");
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "script-src 'self' 'nonce-",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} in {policy:?}"
            );
        }
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert_eq!(
            header("cross-origin-opener-policy"),
            "same-origin",
            "{path}"
        );
        if let Some(nonce) = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
        {
            nonces.push(nonce.to_owned());
        }
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 7, "a fresh nonce for every response");
}

#[tokio::test]
async fn the_page_scripts_carry_the_nonce_of_the_policy() {
    let app = spawn().await;
    let page = app.load_example().await;
    let response = app
        .client
        .get(app.url(&page))
        .send()
        .await
        .expect("an answer");
    let policy = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the policy has a nonce")
        .to_owned();
    let html = response.text().await.expect("a body");
    let scripts = html.matches("<script").count();
    assert!(scripts > 0, "the page hydrates with scripts");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script has the policy's nonce:\n{html}"
    );
}
