//! At most so many pages rendered at once.
//!
//! A page is rendered whole before it is sent (`SsrMode::Async`): its rows, its views and its
//! HTML are all in memory until the render ends. Rendering is CPU work, so on two cores 32
//! renders at once finish no sooner than 4 would, but they hold 32 pages' worth of memory at
//! once. [`one_turn_each`] lets [`RenderTurns`] renders run at a time; the others wait for a
//! turn, first come first served, inside the request's time limit.
//!
//! A turn covers the render only. It ends when the page is built, before it is sent, so a
//! slow reader holds its connection but not a turn. Only `GET` and `HEAD` take turns: a request
//! with a body (a form, a server function) could be sent slowly, and reading it inside a turn
//! would let a few slow senders stop every page.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::Method;
use tokio::sync::Semaphore;

/// The turns the page renders of one server share.
#[derive(Clone, Debug)]
pub struct RenderTurns(Arc<Semaphore>);

impl RenderTurns {
    /// `turns` renders at a time (at least one).
    pub fn new(turns: usize) -> Self {
        RenderTurns(Arc::new(Semaphore::new(turns.max(1))))
    }

    /// Two renders per core: one running while another waits for the database.
    pub fn per_core() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self::new(2 * cores)
    }
}

/// Runs a `GET` or `HEAD` request in its turn (see the module); any other passes straight on.
pub async fn one_turn_each(
    State(turns): State<RenderTurns>,
    request: Request,
    next: Next,
) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    // The semaphore is never closed, so acquiring never fails; if it did, render without a turn
    // rather than refuse the page.
    let _turn = turns.0.acquire().await.ok();
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use axum::Router;
    use axum::body::Body;
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// How many renders are running now, and the most that ever ran at once.
    #[derive(Clone, Default)]
    struct Running {
        now: Arc<AtomicUsize>,
        most: Arc<AtomicUsize>,
    }

    impl Running {
        async fn render(&self) -> &'static str {
            let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            self.now.fetch_sub(1, Ordering::SeqCst);
            "page"
        }
    }

    fn app(turns: usize, running: &Running) -> Router {
        let (on_get, on_post) = (running.clone(), running.clone());
        Router::new()
            .route(
                "/page",
                get(move || async move { on_get.render().await })
                    .post(move || async move { on_post.render().await }),
            )
            .layer(from_fn_with_state(RenderTurns::new(turns), one_turn_each))
    }

    fn request(method: Method, path: &str) -> Request {
        Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .expect("a request")
    }

    async fn eight_at_once(method: Method) -> usize {
        let running = Running::default();
        let app = app(2, &running);
        let mut requests = tokio::task::JoinSet::new();
        for _ in 0..8 {
            requests.spawn(app.clone().oneshot(request(method.clone(), "/page")));
        }
        while let Some(answer) = requests.join_next().await {
            let answer = answer.expect("the request's task ends").expect("an answer");
            assert_eq!(answer.status(), 200);
        }
        running.most.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn no_more_pages_render_at_once_than_there_are_turns() {
        assert_eq!(eight_at_once(Method::GET).await, 2);
    }

    #[tokio::test]
    async fn a_request_with_a_body_takes_no_turn() {
        assert_eq!(eight_at_once(Method::POST).await, 8);
    }

    #[tokio::test]
    async fn a_turn_ends_when_the_page_is_built_not_when_it_has_been_read() {
        let running = Running::default();
        let app = app(1, &running);
        // Answered, its body never read: a reader that has stopped reading.
        let unread = app
            .clone()
            .oneshot(request(Method::GET, "/page"))
            .await
            .expect("an answer");
        let next = tokio::time::timeout(
            Duration::from_secs(5),
            app.oneshot(request(Method::GET, "/page")),
        )
        .await
        .expect("the next page gets the only turn")
        .expect("an answer");
        assert_eq!(next.status(), 200);
        drop(unread);
    }
}
