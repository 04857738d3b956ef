//! How long the metrics page's read takes on a seeded database: opens the SQLite file a
//! `server seed --incidents N` wrote (migrating it, and so measuring its incidents once if the
//! seed predates their measures) and prints, as a writer (who reads everything) and as a viewer
//! (published postmortems only), the time of the read the page runs now
//! (`query::metrics::metrics`: SQL filters, a grouped count and the narrow columns) beside the
//! in-memory computation it replaced (`query::metrics::in_memory`: every incident with its
//! milestones), for no filter, a severity, a service and a period. A benchmark that prints
//! figures, not a test:
//!
//! `DATABASE_URL=sqlite:///tmp/m.db?mode=rwc target/debug/server seed --incidents 1000`, then
//! `cargo run -p app --features ssr --example metrics_bench /tmp/m.db [runs]`
// A measuring tool, not a request path: it may stop at the first failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod timing;
use timing::time;

use std::time::Instant;

use app::domain::account::{Role, User};
use app::domain::metrics::{MetricsFilter, MetricsQuery};
use app::server::query::metrics::{in_memory, metrics};
use app::server::zone::NamedZone;

fn filter(from: &str, to: &str, severity: &str, service: &str) -> MetricsFilter {
    MetricsQuery {
        from: from.into(),
        to: to.into(),
        severity: severity.into(),
        service: service.into(),
    }
    .parse()
    .0
}

#[tokio::main]
async fn main() {
    let (path, runs) = timing::args();
    let started = Instant::now();
    let db = app::server::db::connect(&format!("sqlite://{path}?mode=rw"))
        .await
        .expect("the database opens");
    println!(
        "connect (migrations, measuring any unmeasured): {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let zone = NamedZone::parse("Europe/London").expect("a known zone");
    let filters = [
        ("no filter", MetricsFilter::default()),
        ("severity sev2", filter("", "", "sev2", "")),
        ("service checkout", filter("", "", "", "checkout")),
        ("one month", filter("2024-03-01", "2024-03-31", "", "")),
    ];
    for role in [Role::Admin, Role::Viewer] {
        let user = User {
            id: 0,
            email: "bench@example.com".to_owned(),
            display_name: "Bench".to_owned(),
            role,
            time_zone: "Europe/London".to_owned(),
            active: true,
            team: String::new(),
        };
        println!("as {role:?}:");
        for (name, filter) in &filters {
            let (db, user, zone) = (&db, &user, &zone);
            let count = metrics(db, user, filter, zone, 1, 50)
                .await
                .unwrap()
                .report
                .count;
            time(
                &format!("{name} ({count}): SQL, page 1"),
                runs,
                || async move { metrics(db, user, filter, zone, 1, 50).await.unwrap() },
            )
            .await;
            time(
                &format!("{name} ({count}): in memory"),
                runs,
                || async move { in_memory(db, user, filter, zone).await.unwrap() },
            )
            .await;
        }
    }
}
