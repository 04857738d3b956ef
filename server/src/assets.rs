//! The site's built files (the wasm bundle, its JS, the CSS, the icon): served outside the
//! session layer, from the brotli or gzip file the build wrote beside each one when the browser
//! accepts it, with cache lifetimes that match their names.
//!
//! A release build made by `scripts/start.sh` (`LEPTOS_HASH_FILES=true cargo leptos build
//! --release --precompress`) names the bundle, its JS and the CSS after a hash of their content
//! and writes the hashes to `hash.txt` beside the server binary, where Leptos reads them to write
//! the names into every page. Such a file never changes under its name: browsers may keep it for
//! a year without asking again. Unhashed files (a debug build, the icon) are revalidated.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::middleware::map_response;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use tower_http::services::{ServeDir, ServeFile};

/// The name cargo-leptos gives the bundle, its JS and the CSS (`output-name`, here the project's
/// name in `[workspace.metadata.leptos]`).
pub const OUTPUT_NAME: &str = "debrief";

/// For a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For a file that keeps its name when it changes: kept, but checked before each use.
pub const REVALIDATE: &str = "no-cache";
/// For pages: they show what one person may see, so no shared cache keeps them, and the browser
/// asks again each time.
pub const PAGE: &str = "private, no-cache";

/// Where Leptos looks for the hash file: `hash.txt` beside the running executable.
pub fn hash_file() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    exe.parent().map(|dir| dir.join("hash.txt"))
}

/// Whether the site in `site_root` was built with hashed names: `hash_file` names a JS file
/// that is in its `pkg` directory. A hash file left from an older build, or none (a debug build,
/// a test binary), means plain names.
pub fn hashed_names(hash_file: &Path, site_root: &Path) -> bool {
    let Ok(hashes) = std::fs::read_to_string(hash_file) else {
        return false;
    };
    hashes
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(kind, _)| kind.trim() == "js")
        .is_some_and(|(_, hash)| {
            site_root
                .join("pkg")
                .join(format!("{OUTPUT_NAME}.{}.js", hash.trim()))
                .is_file()
        })
}

/// The routes of the site's files: `/pkg/…` and each file at the top of `site_root` (listed
/// once, at start-up). Nothing here looks at the session.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, hashed: bool) -> Router<S> {
    let pkg_cache = if hashed { IMMUTABLE } else { REVALIDATE };
    let pkg = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(map_response(move |response: Response| async move {
            cached(response, pkg_cache)
        }));
    let mut top = Router::new();
    for name in top_level_files(site_root) {
        top = top.route_service(
            &format!("/{name}"),
            ServeFile::new(site_root.join(&name))
                .precompressed_br()
                .precompressed_gzip(),
        );
    }
    top.layer(map_response(|response: Response| async move {
        cached(response, REVALIDATE)
    }))
    .merge(pkg)
}

/// Gives a page that says nothing about caching [`PAGE`].
pub async fn page_cache(mut response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE));
    }
    response
}

/// Sets `policy` on a file that was found (a missing file's 404 must not be kept for a year),
/// and tells caches that its bytes depend on the encodings the browser accepts.
fn cached(mut response: Response, policy: &'static str) -> Response {
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        let varies = headers.get_all(header::VARY).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
        });
        if !varies {
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
    }
    response
}

/// The files directly in `site_root` (the icon and whatever else `public/` holds), without the
/// compressed copies; only names that are plain path segments.
fn top_level_files(site_root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            !name.ends_with(".br")
                && !name.ends_with(".gz")
                && !name.starts_with('.')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        })
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir_all(dir.path().join("pkg")).expect("pkg");
        for file in files {
            std::fs::write(dir.path().join(file), "x").expect("a file");
        }
        dir
    }

    #[test]
    fn names_are_hashed_when_the_hash_file_names_a_bundle_that_is_there() {
        let site = site(&["pkg/debrief.AbC-1_x.js", "pkg/debrief.Zz9.wasm"]);
        let hashes = site.path().join("hash.txt");
        std::fs::write(&hashes, "js: AbC-1_x\nwasm: Zz9\ncss: Q\n").expect("hash file");
        assert!(hashed_names(&hashes, site.path()));
    }

    #[test]
    fn names_are_plain_without_a_hash_file_or_with_one_from_another_build() {
        let site = site(&["pkg/debrief.js", "pkg/debrief.wasm"]);
        let hashes = site.path().join("hash.txt");
        assert!(!hashed_names(&hashes, site.path()));
        std::fs::write(&hashes, "js: old\nwasm: old\n").expect("hash file");
        assert!(!hashed_names(&hashes, site.path()));
    }

    async fn cache_control(router: Router, path: &str) -> (StatusCode, String) {
        use tower::ServiceExt;
        let request = http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("a request");
        let response = router.oneshot(request).await.expect("an answer");
        let policy = response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.status(), policy)
    }

    #[tokio::test]
    async fn hashed_files_are_kept_for_a_year_and_plain_ones_revalidated() {
        let site = site(&["pkg/debrief.h4sh.js", "favicon.svg"]);
        let hashed = routes::<()>(site.path(), true);
        assert_eq!(
            cache_control(hashed.clone(), "/pkg/debrief.h4sh.js").await,
            (StatusCode::OK, IMMUTABLE.to_owned())
        );
        assert_eq!(
            cache_control(hashed.clone(), "/favicon.svg").await,
            (StatusCode::OK, REVALIDATE.to_owned())
        );
        assert_eq!(
            cache_control(hashed, "/pkg/debrief.other.js").await,
            (StatusCode::NOT_FOUND, String::new())
        );
        let plain = routes::<()>(site.path(), false);
        assert_eq!(
            cache_control(plain, "/pkg/debrief.h4sh.js").await,
            (StatusCode::OK, REVALIDATE.to_owned())
        );
    }

    #[test]
    fn top_level_files_leave_out_compressed_copies_and_directories() {
        let site = site(&[
            "favicon.svg",
            "favicon.svg.br",
            "favicon.svg.gz",
            "robots.txt",
        ]);
        assert_eq!(top_level_files(site.path()), ["favicon.svg", "robots.txt"]);
    }
}
