//! Pages kept while nothing they show has changed.
//!
//! Rendering a postmortem, the list, the dashboard, changes, metrics, a search or the library
//! costs milliseconds of CPU; reading one again when nothing it shows has changed need not.
//! The database keeps a counter, `read_generations` row `pages`, that triggers move in the same
//! transaction as any change to a table a page shows (migration
//! `m20261201_000230_page_generation`), whichever instance, code path or operator's SQL makes
//! it. [`serve`] reads the counter (one indexed row) before anything else; a page rendered for
//! the same reader, address and counter value is sent again, otherwise the page is rendered,
//! kept and sent.
//!
//! - **Never older than what it shows.** The counter is read before the render, and the render
//!   sees at least what was committed then: a page kept for a value never misses a change made
//!   before the value. A change committed meanwhile moves the counter, so the next request
//!   renders again.
//! - **Per reader.** A page is kept for the reader as the session resolved them (their role,
//!   name, team and zone), the time zone chosen on this browser, and the address the request
//!   came to (links may name it).
//! - **Never a one-off page.** A page showing a form flash or a new secret (`?flash=`,
//!   `?secret=`, or a failed form rendered at once) is read once and never kept, nor is a
//!   response that sets a cookie or is not a 200.
//! - **Its own nonce.** The Content-Security-Policy nonce is fresh for each response: a kept
//!   page's nonce is replaced by the request's before it is sent.
//! - **Bounded.** A page shows "overdue" against today's date, so none is kept longer than
//!   [`LIFETIME`]; at most [`PAGES`] pages of at most [`MAX_BYTES`] each, and a newer counter
//!   value drops them all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use app::dto::forms::{FLASH_PARAM, SECRET_PARAM};
use app::server::flash::InlineFlash;
use app::server::read_cache::{ByGeneration, page_generation};
use app::server::request::ZONE_COOKIE;
use app::server::session::{CurrentUser, cookie};

use crate::headers::RequestNonce;

/// The longest a page is kept, whatever the counter says.
pub const LIFETIME: Duration = Duration::from_secs(60);
/// The most pages kept at once.
pub const PAGES: usize = 64;
/// The largest page kept.
pub const MAX_BYTES: usize = 256 * 1024;

/// The pages one server keeps, and the database whose counter says whether they still hold.
#[derive(Clone)]
pub struct KeptPages {
    pages: Arc<ByGeneration<String, Kept>>,
    renders: Arc<Renders>,
    db: DatabaseConnection,
}

impl KeptPages {
    /// None kept yet.
    pub fn new(db: DatabaseConnection) -> Self {
        KeptPages {
            pages: Arc::new(ByGeneration::new(PAGES)),
            renders: Arc::default(),
            db,
        }
    }

    /// The page kept for `key` at `generation`, unless it has been kept too long.
    fn fresh(&self, generation: i64, key: &String) -> Option<Arc<Kept>> {
        self.pages
            .get(generation, key)
            .filter(|page| page.rendered.elapsed() < LIFETIME)
    }
}

/// The pages being rendered, so that a page many readers ask for at once (after a change, or
/// when its minute is up) is rendered once and the others wait for it: 32 renders of one page
/// at once took 0.5 s where one takes 15 ms.
#[derive(Debug, Default)]
struct Renders(Mutex<HashMap<(i64, String), Arc<Notify>>>);

/// Whether this request renders the page or waited for another's render.
enum Rendering<'a> {
    First(FirstRender<'a>),
    Waited,
}

/// The render of one page at one generation: when it ends (or its request is dropped), the
/// requests waiting for it go on.
struct FirstRender<'a> {
    renders: &'a Renders,
    page: (i64, String),
    done: Arc<Notify>,
}

impl Renders {
    async fn first_or_wait(&self, generation: i64, key: &str) -> Rendering<'_> {
        let page = (generation, key.to_owned());
        let waiting = {
            let mut renders = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            match renders.get(&page) {
                // Made under the lock, so the render cannot end before this waits for it.
                Some(done) => Arc::clone(done).notified_owned(),
                None => {
                    let done = Arc::new(Notify::new());
                    renders.insert(page.clone(), Arc::clone(&done));
                    return Rendering::First(FirstRender {
                        renders: self,
                        page,
                        done,
                    });
                }
            }
        };
        waiting.await;
        Rendering::Waited
    }
}

impl Drop for FirstRender<'_> {
    fn drop(&mut self) {
        let mut renders = self
            .renders
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        renders.remove(&self.page);
        self.done.notify_waiters();
    }
}

/// A rendered page: what the render answered, and the nonce its scripts carry.
#[derive(Debug)]
struct Kept {
    headers: HeaderMap,
    body: String,
    nonce: String,
    rendered: Instant,
}

impl Kept {
    /// The page as an answer to a request whose nonce is `nonce`.
    fn answer(&self, nonce: &str) -> Response {
        let mut response = Response::new(Body::from(self.body.replace(&self.nonce, nonce)));
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// Whether a page at `path` may be kept: the documents people read again and again.
fn keeps(path: &str) -> bool {
    matches!(
        path,
        "/" | "/follow-ups" | "/changes" | "/metrics" | "/search" | "/library"
    ) || path
        .strip_prefix("/incidents/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// What a kept page is kept under, when this request may be served one: `None` for anything
/// but a signed-in reader's `GET` of a kept page without a flash or a secret.
fn key(request: &Request) -> Option<String> {
    if request.method() != Method::GET || !keeps(request.uri().path()) {
        return None;
    }
    let one_off = request.uri().query().is_some_and(|query| {
        query.split('&').any(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            name == FLASH_PARAM || name == SECRET_PARAM
        })
    });
    if one_off || request.extensions().get::<InlineFlash>().is_some() {
        return None;
    }
    let CurrentUser(Some(user)) = request.extensions().get::<CurrentUser>()? else {
        return None;
    };
    let headers = request.headers();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    Some(format!(
        "{}\n{user:?}\n{}\n{}\n{}",
        request.uri(),
        cookie(headers, ZONE_COOKIE).unwrap_or_default(),
        header(header::HOST.as_str()),
        header("x-forwarded-proto"),
    ))
}

/// See the module documentation.
pub async fn serve(State(kept): State<KeptPages>, request: Request, next: Next) -> Response {
    let (Some(key), Some(RequestNonce(nonce))) =
        (key(&request), request.extensions().get::<RequestNonce>())
    else {
        return next.run(request).await;
    };
    let nonce = nonce.to_string();
    let generation = match page_generation(&kept.db).await {
        Ok(generation) => generation,
        Err(e) => {
            // The page itself will say what is wrong, or render without the counter.
            tracing::warn!("reading the page generation: {e}");
            return next.run(request).await;
        }
    };
    if let Some(page) = kept.fresh(generation, &key) {
        return page.answer(&nonce);
    }
    // One render per page at a time: the others wait for it, then take what it kept.
    let _rendering = match kept.renders.first_or_wait(generation, &key).await {
        Rendering::First(rendering) => Some(rendering),
        Rendering::Waited => match kept.fresh(generation, &key) {
            Some(page) => return page.answer(&nonce),
            // Not kept (an error page, a cookie): render it for this request too.
            None => None,
        },
    };
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!("reading a rendered page: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if body.len() <= MAX_BYTES
        && let Ok(html) = std::str::from_utf8(&body)
    {
        kept.pages.put(
            generation,
            key,
            Kept {
                headers: parts.headers.clone(),
                body: html.to_owned(),
                nonce,
                rendered: Instant::now(),
            },
        );
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documents_are_kept() {
        for path in [
            "/",
            "/incidents/12",
            "/follow-ups",
            "/changes",
            "/metrics",
            "/search",
            "/library",
        ] {
            assert!(keeps(path), "{path}");
        }
        for path in [
            "/incidents/12/edit",
            "/incidents/new",
            "/incidents/",
            "/account",
            "/my-work",
            "/admin/users",
            "/login",
            "/shared/abc",
        ] {
            assert!(!keeps(path), "{path}");
        }
    }

    fn request(uri: &str, user: Option<app::domain::account::User>) -> Request {
        let mut request = Request::get(uri)
            .header(header::HOST, "debrief.internal")
            .body(Body::empty())
            .expect("a request");
        request.extensions_mut().insert(CurrentUser(user));
        request
    }

    fn reader(id: i64) -> app::domain::account::User {
        app::domain::account::User {
            id,
            email: format!("reader{id}@example.com"),
            display_name: format!("Reader {id}"),
            role: app::domain::account::Role::Viewer,
            time_zone: "Europe/London".to_owned(),
            active: true,
            team: String::new(),
        }
    }

    #[test]
    fn a_page_is_kept_per_reader_and_address_and_never_with_a_flash_or_a_secret() {
        let of = |uri: &str, user| key(&request(uri, user));
        assert!(of("/incidents/3", Some(reader(1))).is_some());
        assert_ne!(
            of("/incidents/3", Some(reader(1))),
            of("/incidents/3", Some(reader(2)))
        );
        assert_ne!(
            of("/?page=2", Some(reader(1))),
            of("/?page=3", Some(reader(1)))
        );
        let mut promoted = reader(1);
        promoted.role = app::domain::account::Role::Author;
        assert_ne!(
            of("/incidents/3", Some(reader(1))),
            of("/incidents/3", Some(promoted)),
            "a new role is another page"
        );
        assert_eq!(of("/incidents/3", None), None, "signed out");
        assert_eq!(of("/incidents/3?flash=abc", Some(reader(1))), None);
        assert_eq!(of("/incidents/3?x=1&secret=abc", Some(reader(1))), None);
        assert!(of("/search?q=flash", Some(reader(1))).is_some());

        let mut zoned = request("/incidents/3", Some(reader(1)));
        zoned.headers_mut().insert(
            header::COOKIE,
            http::HeaderValue::from_static("debrief_tz=Asia/Tokyo"),
        );
        assert_ne!(key(&zoned), of("/incidents/3", Some(reader(1))));

        let mut posted = request("/incidents/3", Some(reader(1)));
        *posted.method_mut() = Method::POST;
        assert_eq!(key(&posted), None);
    }

    #[tokio::test]
    async fn a_page_asked_for_during_its_render_waits_for_it_and_another_does_not() {
        let renders = Arc::new(Renders::default());
        let Rendering::First(first) = renders.first_or_wait(7, "/incidents/3").await else {
            panic!("the first request renders");
        };
        assert!(
            matches!(
                renders.first_or_wait(8, "/incidents/3").await,
                Rendering::First(_)
            ),
            "a newer generation is another render"
        );
        assert!(matches!(
            renders.first_or_wait(7, "/").await,
            Rendering::First(_)
        ));
        let waiter = Arc::clone(&renders);
        let waiting = tokio::spawn(async move {
            matches!(
                waiter.first_or_wait(7, "/incidents/3").await,
                Rendering::Waited
            )
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "waits while the page renders");
        drop(first);
        let waited = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("goes on when the render ends")
            .expect("the task");
        assert!(waited);
    }

    #[tokio::test]
    async fn a_kept_page_carries_the_nonce_of_the_request_it_answers() {
        let page = Kept {
            headers: HeaderMap::new(),
            body: r#"<script nonce="first">a</script><script nonce="first">b</script>"#.to_owned(),
            nonce: "first".to_owned(),
            rendered: Instant::now(),
        };
        let body = axum::body::to_bytes(page.answer("second").into_body(), usize::MAX)
            .await
            .expect("a body");
        assert_eq!(
            body,
            r#"<script nonce="second">a</script><script nonce="second">b</script>"#
        );
    }
}
