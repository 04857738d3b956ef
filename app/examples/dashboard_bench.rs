//! How long each statement of the follow-up dashboard (and the changes view's page, which
//! reads with the same scope) takes on a seeded database: opens the
//! SQLite file a `server seed --incidents N` wrote and prints the time of each read the
//! dashboard runs (as a writer, who reads everything, and as a viewer, who reads published
//! postmortems only). A benchmark that prints figures, not a test:
//!
//! `DATABASE_URL=sqlite:///tmp/d.db?mode=rwc target/debug/server seed --incidents 1000`, then
//! `cargo run -p app --features ssr --example dashboard_bench /tmp/d.db [runs]`
// A measuring tool, not a request path: it may stop at the first failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod timing;
use timing::time;

use app::domain::follow_up::{Bucket, DashboardFilter};
use app::server::query::tracking::{Key, Scope};
use chrono::{NaiveTime, Utc};

#[tokio::main]
async fn main() {
    let (path, runs) = timing::args();
    let db = app::server::db::connect(&format!("sqlite://{path}?mode=rw"))
        .await
        .expect("the database opens");
    let today = Utc::now().date_naive();
    let filter = DashboardFilter::default();
    let midnight = |day: chrono::NaiveDate| day.and_time(NaiveTime::MIN).and_utc();
    for (who, scope) in [
        ("writer", Scope::default()),
        (
            "viewer",
            Scope {
                published_only: true,
                corrections: Vec::new(),
            },
        ),
    ] {
        println!("as a {who}:");
        let (scope, db, filter) = (&scope, &db, &filter);
        for (name, key) in [
            ("counts_by owner", Key::Owner),
            ("counts_by team", Key::Team),
            ("counts_by system", Key::System),
        ] {
            time(name, runs, || async move {
                scope.counts_by(db, filter, today, key).await.unwrap()
            })
            .await;
        }
        time("bucket_counts", runs, || async move {
            scope.bucket_counts(db, filter, today).await.unwrap()
        })
        .await;
        time("backlog (12 weeks)", runs, || async move {
            scope
                .backlog(db, filter, today, 12, midnight)
                .await
                .unwrap()
        })
        .await;
        time("changes view, first page", runs, || async move {
            app::server::query::change_insights::page(db, scope, 0)
                .await
                .unwrap()
        })
        .await;
        time("matching page (follow_ups)", runs, || async move {
            let q = scope.matching(filter, today, 0, Some(26));
            app::server::repo::follow_ups::in_subquery(db, q)
                .await
                .unwrap()
        })
        .await;
        time("matching page (changes)", runs, || async move {
            let q = scope.matching(filter, today, 0, Some(26));
            app::server::repo::changes::addressed_by(db, q)
                .await
                .unwrap()
        })
        .await;
        let overdue = filter.in_bucket(Bucket::Overdue);
        let overdue = &overdue;
        time("matching page, overdue view", runs, || async move {
            let q = scope.matching(overdue, today, 0, Some(26));
            app::server::repo::follow_ups::in_subquery(db, q)
                .await
                .unwrap()
        })
        .await;
        time("incidents", runs, || async move {
            scope.incidents(db, None, None).await.unwrap()
        })
        .await;
        for (name, key) in [
            ("names owner", Key::Owner),
            ("names team", Key::Team),
            ("names system", Key::System),
        ] {
            time(
                name,
                runs,
                || async move { scope.names(db, key).await.unwrap() },
            )
            .await;
        }
    }
}
