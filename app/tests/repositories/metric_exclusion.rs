//! Incidents left out of the metrics: one reason per incident, the latest replacing the
//! earlier, counted again once included, and gone with the incident.

use super::*;
use app::server::repo::metrics;

#[tokio::test]
async fn an_exclusion_keeps_one_reason_per_incident_the_latest() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "Game day").await;
    let second = plain_incident(&t.db, "Test alert").await;
    assert!(metrics::exclusions(&t.db).await.expect("read").is_empty());

    metrics::exclude(&t.db, first, "A planned exercise", "Pat")
        .await
        .expect("excluded");
    metrics::exclude(&t.db, second, "Not a real incident", "Sam")
        .await
        .expect("excluded");
    metrics::exclude(&t.db, first, "A game day, not an outage", "Ada")
        .await
        .expect("excluded again");

    let mut listed = metrics::exclusions(&t.db).await.expect("read");
    listed.sort();
    assert_eq!(
        listed,
        [
            (first, "A game day, not an outage".into(), "Ada".into()),
            (second, "Not a real incident".into(), "Sam".into()),
        ]
    );
}

#[tokio::test]
async fn an_included_incident_counts_again_and_including_twice_is_harmless() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "Game day").await;
    let second = plain_incident(&t.db, "Test alert").await;
    metrics::exclude(&t.db, first, "Exercise", "Pat")
        .await
        .expect("excluded");
    metrics::exclude(&t.db, second, "Test", "Pat")
        .await
        .expect("excluded");

    metrics::include(&t.db, first).await.expect("included");
    metrics::include(&t.db, first)
        .await
        .expect("included again");

    let ids: Vec<i64> = metrics::exclusions(&t.db)
        .await
        .expect("read")
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(ids, [second]);
}

#[tokio::test]
async fn only_an_incident_that_exists_can_be_excluded_and_its_exclusion_goes_with_it() {
    let t = fresh_db().await;
    let doomed = plain_incident(&t.db, "Doomed").await;
    let kept = plain_incident(&t.db, "Kept").await;
    metrics::exclude(&t.db, doomed, "Exercise", "Pat")
        .await
        .expect("excluded");
    metrics::exclude(&t.db, kept, "Test", "Pat")
        .await
        .expect("excluded");

    assert!(
        metrics::exclude(&t.db, kept + 100, "Nothing", "Pat")
            .await
            .is_err()
    );
    assert!(incidents::delete(&t.db, doomed).await.expect("deleted"));

    let ids: Vec<i64> = metrics::exclusions(&t.db)
        .await
        .expect("read")
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(ids, [kept]);
}

#[tokio::test]
async fn a_refused_new_reason_keeps_the_earlier_exclusion() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Game day").await;
    metrics::exclude(&t.db, id, "A planned exercise", "Pat")
        .await
        .expect("excluded");
    refuse_inserts(&t.db, "metric_exclusions", "NEW.reason = 'refused'").await;

    assert!(metrics::exclude(&t.db, id, "refused", "Sam").await.is_err());

    assert_eq!(
        metrics::exclusions(&t.db).await.expect("read"),
        [(id, "A planned exercise".into(), "Pat".into())]
    );
}
