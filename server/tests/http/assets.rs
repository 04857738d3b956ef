//! The site's files (bundle, styles, icon): served without a session lookup, precompressed when
//! the build left compressed copies, with caching rules; pages compressed on the fly.

use super::*;
use common::{ADMIN_EMAIL, ADMIN_NAME, PASSWORD, TestApp, on_server, spawn_empty_configured};
use sea_orm::ConnectionTrait;

use app::domain::account::Role;

/// A site as a release build leaves it: a stylesheet with its brotli and gzip copies, a script
/// without copies, the icon at the top.
fn built_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("a temporary directory");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("the pkg directory");
    std::fs::write(pkg.join("debrief.css"), "body { margin: 0 }").expect("the stylesheet");
    std::fs::write(pkg.join("debrief.css.br"), "brotli copy").expect("its brotli copy");
    std::fs::write(pkg.join("debrief.css.gz"), "gzip copy").expect("its gzip copy");
    std::fs::write(pkg.join("debrief.js"), "export default 1;").expect("the script");
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").expect("the icon");
    site
}

async fn serve(site: &tempfile::TempDir) -> TestApp {
    let root = site.path().display().to_string();
    let app = spawn_empty_configured(move |config| config.site_root = root).await;
    app.add_user(ADMIN_EMAIL, ADMIN_NAME, Role::Admin).await;
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    app
}

async fn get(
    browser: &common::Browser,
    path: &str,
    accept_encoding: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = browser
        .client
        .get(browser.url(path))
        .header("accept", "text/html,*/*")
        .header("accept-encoding", accept_encoding)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("a body").to_vec();
    (status, headers, body)
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// With the session store gone, anything that looks a session up fails (503). A logged-in
/// browser still gets every file of the site: none of them looked.
#[tokio::test]
async fn the_sites_files_are_served_without_looking_up_the_session() {
    let site = built_site();
    let app = serve(&site).await;
    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared("ALTER TABLE sessions RENAME TO sessions_gone")
            .await
            .expect("the session store is moved away");
    })
    .await;

    let (status, _, _) = get(&app.browser, "/", "identity").await;
    assert_eq!(status, 503, "a page looks the session up, and cannot");
    for file in ["/pkg/debrief.css", "/pkg/debrief.js", "/favicon.svg"] {
        let (status, _, _) = get(&app.browser, file, "identity").await;
        assert_eq!(status, 200, "{file} is served without a session lookup");
    }
    let (status, _, _) = get(&app.browser, "/pkg/missing.wasm", "identity").await;
    assert_eq!(status, 404, "a missing file is not found, without a lookup");
}

/// Anyone gets the site's files; pages, and server functions, stay behind the login.
#[tokio::test]
async fn only_the_sites_files_are_served_to_someone_not_logged_in() {
    let site = built_site();
    let app = serve(&site).await;
    let stranger = app.anonymous();
    for file in ["/pkg/debrief.css", "/favicon.svg"] {
        let (status, _, _) = get(&stranger, file, "identity").await;
        assert_eq!(status, 200, "{file} is served to anyone");
    }
    let (status, headers, _) = get(&stranger, "/incidents/1", "identity").await;
    assert_eq!(status, 303, "a page sends a stranger to log in");
    assert!(header(&headers, "location").starts_with("/login?next="));
    let (status, _) = stranger
        .call(
            app::api::incidents::ListIncidents::PATH,
            &[("status", ""), ("severity", "")],
        )
        .await;
    assert_eq!(status, 401, "a server function answers a stranger itself");
}

#[tokio::test]
async fn the_sites_files_come_from_their_compressed_copies_and_are_revalidated_under_plain_names() {
    let site = built_site();
    let app = serve(&site).await;

    let (status, headers, body) = get(&app.browser, "/pkg/debrief.css", "gzip, br").await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-encoding"), "br");
    assert_eq!(body, b"brotli copy");
    assert_eq!(header(&headers, "content-type"), "text/css");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert!(
        header(&headers, "vary")
            .to_ascii_lowercase()
            .contains("accept-encoding"),
        "caches keep one copy per encoding"
    );

    let (_, headers, body) = get(&app.browser, "/pkg/debrief.css", "gzip").await;
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert_eq!(body, b"gzip copy");

    let (_, headers, body) = get(&app.browser, "/pkg/debrief.css", "identity").await;
    assert_eq!(header(&headers, "content-encoding"), "");
    assert_eq!(body, b"body { margin: 0 }");

    let (status, headers, _) = get(&app.browser, "/pkg/missing.js", "br").await;
    assert_eq!(status, 404);
    assert_eq!(
        header(&headers, "cache-control"),
        "",
        "a missing file is not cached"
    );
}

#[tokio::test]
async fn pages_are_gzipped_on_the_fly_and_never_kept_by_shared_caches() {
    let site = built_site();
    let app = serve(&site).await;
    // gzip, also where brotli is accepted: brotli costs a page far more CPU and memory to make.
    for (accepted, encoding) in [("gzip, br", "gzip"), ("gzip", "gzip")] {
        let (status, headers, body) = get(&app.browser, "/", accepted).await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), encoding);
        assert!(!body.starts_with(b"<!DOCTYPE"), "the body is compressed");
        assert_eq!(header(&headers, "cache-control"), "private, no-cache");
    }
    for accepted in ["identity", "br"] {
        let (_, headers, body) = get(&app.browser, "/", accepted).await;
        assert_eq!(header(&headers, "content-encoding"), "", "{accepted}");
        assert!(body.starts_with(b"<!DOCTYPE html>"), "{accepted}");
    }
}
