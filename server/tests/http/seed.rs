//! The benchmark's dataset (`server seed`): what it writes is data the app serves, and the
//! requests the benchmark makes work on it.

use super::*;
use common::{Browser, PASSWORD, on_server};
use server::seed::{AUTHOR_EMAIL, Seed, run};

#[tokio::test]
async fn a_seeded_organisation_is_served_to_its_author_and_takes_the_benchmarks_write() {
    let app = spawn_empty().await;
    let db = app.db.clone();
    let seeded = on_server(async move { run(&db, &Seed { incidents: 30 }, PASSWORD).await })
        .await
        .expect("seeded");
    assert_eq!(seeded.incidents, 30);
    assert_eq!(seeded.timeline_entries, 600);
    assert_eq!(seeded.follow_ups, 150);
    assert_eq!(seeded.changes, 60);
    assert!(seeded.postmortem > 0 && seeded.draft > 0);

    let author = Browser::new(&app.base);
    let (status, _) = author.log_in(AUTHOR_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the seeded author logs in");

    let (status, html) = author
        .page(&format!("/incidents/{}", seeded.postmortem))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Published"), "the postmortem is published");
    for page in [
        "/",
        "/follow-ups",
        "/changes",
        "/metrics",
        "/search?q=rollback",
    ] {
        let (status, _) = author.page(page).await;
        assert_eq!(status, 200, "{page}");
    }

    // The benchmark's write: a timeline entry added to the seeded draft, as a same-site form.
    let response = author
        .client
        .post(author.url(AddTimelineEntry::PATH))
        .header("accept", "application/json")
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("incident_id", seeded.draft.to_string().as_str()),
            ("form[at]", "2026-10-30T10:40"),
            ("form[precision]", "minute"),
            ("form[kind]", "observation"),
            ("form[actor]", "on-call engineer"),
            ("form[body]", "Saw the error rate drop after the rollback."),
            ("zone", "UTC"),
        ])
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);

    let db = app.db.clone();
    let again = on_server(async move { run(&db, &Seed { incidents: 1 }, PASSWORD).await }).await;
    assert!(
        again.is_err(),
        "a database that holds incidents is not seeded again"
    );
}
