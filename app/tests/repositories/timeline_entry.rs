//! Timeline entries.

use super::*;

#[tokio::test]
async fn timeline_entries_list_in_time_order_whatever_order_they_were_added() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Timeline").await;
    let other = plain_incident(&t.db, "Other").await;
    let rollback = NewTimelineEntry {
        kind: EntryKind::Decision,
        marker: Some(Marker::Repair),
        actor: "incident commander".into(),
        time_source: "incident channel".into(),
        ..entry(at(utc(1, 10, 30, 0), Precision::Minute, 120), "Roll back")
    };
    let added = [
        rollback.clone(),
        entry(
            between(utc(1, 10, 0, 0), utc(1, 10, 20, 0), 120),
            "Errors climb",
        ),
        entry(at(utc(1, 10, 5, 30), Precision::Exact, 120), "Alert fires"),
        entry(
            at(utc(1, 10, 10, 0), Precision::Approximate, 120),
            "Someone notices",
        ),
    ];
    for e in &added {
        timeline::add(&t.db, id, e).await.expect("entry added");
    }
    timeline::add(
        &t.db,
        other,
        &entry(at(utc(1, 10, 1, 0), Precision::Minute, 0), "Elsewhere"),
    )
    .await
    .expect("entry added");

    let listed = timeline::list_for(&t.db, id).await.expect("listed");

    // The range counts from its midpoint (10:10); a tie goes to the entry added first.
    assert_eq!(
        listed
            .iter()
            .map(|e| e.entry.body_md.as_str())
            .collect::<Vec<_>>(),
        [
            "Alert fires",
            "Errors climb",
            "Someone notices",
            "Roll back"
        ]
    );
    assert!(listed.iter().all(|e| e.incident_id == id));
    assert_eq!(listed[3].entry, rollback);
    assert_eq!(listed[1].entry, added[1]);
}

#[tokio::test]
async fn timeline_updates_and_deletes_name_the_incident_they_belong_to() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    let id = timeline::add(
        &t.db,
        second,
        &entry(at(utc(1, 10, 0, 0), Precision::Minute, 0), "Draft wording"),
    )
    .await
    .expect("entry added");
    let rewritten = NewTimelineEntry {
        kind: EntryKind::Communication,
        marker: Some(Marker::KeyMoment),
        ..entry(
            between(utc(1, 10, 0, 0), utc(1, 10, 3, 0), -420),
            "Status page updated",
        )
    };

    assert_eq!(
        timeline::update(&t.db, id, &rewritten)
            .await
            .expect("updated"),
        Some(second)
    );
    let stored = timeline::get(&t.db, id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.entry, rewritten);
    assert_eq!(stored.incident_id, second);
    assert_ne!(stored.incident_id, first);

    assert_eq!(
        timeline::delete(&t.db, id).await.expect("deleted"),
        Some(second)
    );
    assert_eq!(timeline::get(&t.db, id).await.expect("read"), None);
    assert_eq!(
        timeline::update(&t.db, id, &rewritten)
            .await
            .expect("no database error"),
        None
    );
    assert_eq!(
        timeline::delete(&t.db, id)
            .await
            .expect("no database error"),
        None
    );
}
