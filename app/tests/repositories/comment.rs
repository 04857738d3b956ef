//! Comments on postmortems: they read back with their anchor and author, list oldest first per
//! incident, delete once, need an incident that exists, and go with it.

use super::*;
use app::domain::account::Role;
use app::domain::comment::{Anchor, Section};
use app::server::repo::comments;

#[tokio::test]
async fn a_comment_reads_back_with_its_anchor_author_and_body() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Commented").await;
    let pat = person(&t.db, "Pat", Role::Viewer).await;
    let before = Utc::now();

    let id = comments::add(
        &t.db,
        incident_id,
        Anchor::TimelineEntry(12),
        (pat, "Pat"),
        "Was the *second* page needed?",
    )
    .await
    .expect("added");

    let stored = comments::get(&t.db, id)
        .await
        .expect("read")
        .expect("the comment just added");
    assert_eq!(
        (
            stored.id,
            stored.incident_id,
            stored.anchor,
            stored.author_id,
            stored.author_name.as_str(),
            stored.body_md.as_str()
        ),
        (
            id,
            incident_id,
            Anchor::TimelineEntry(12),
            Some(pat),
            "Pat",
            "Was the *second* page needed?"
        )
    );
    assert!(stored.created_at >= before && stored.created_at <= Utc::now());
    assert!(comments::get(&t.db, id + 1).await.expect("read").is_none());
}

#[tokio::test]
async fn an_incidents_comments_list_oldest_first_and_only_its_own() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Commented").await;
    let other = plain_incident(&t.db, "Other").await;
    let pat = person(&t.db, "Pat", Role::Viewer).await;
    let mut expected = Vec::new();
    for (incident, anchor, body) in [
        (incident_id, Anchor::Section(Section::Impact), "first"),
        (other, Anchor::Section(Section::Summary), "elsewhere"),
        (incident_id, Anchor::FollowUp(3), "second"),
        (incident_id, Anchor::Section(Section::FollowUps), "third"),
    ] {
        let id = comments::add(&t.db, incident, anchor, (pat, "Pat"), body)
            .await
            .expect("added");
        if incident == incident_id {
            expected.push((id, anchor, body.to_owned()));
        }
    }

    let listed: Vec<(i64, Anchor, String)> = comments::list_for(&t.db, incident_id)
        .await
        .expect("listed")
        .into_iter()
        .map(|c| (c.id, c.anchor, c.body_md))
        .collect();
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn a_comment_is_deleted_once() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Commented").await;
    let pat = person(&t.db, "Pat", Role::Viewer).await;
    let doomed = comments::add(&t.db, incident_id, Anchor::FollowUp(1), (pat, "Pat"), "a")
        .await
        .expect("added");
    let kept = comments::add(&t.db, incident_id, Anchor::FollowUp(1), (pat, "Pat"), "b")
        .await
        .expect("added");

    assert!(comments::delete(&t.db, doomed).await.expect("deleted"));
    assert!(
        !comments::delete(&t.db, doomed)
            .await
            .expect("no database error")
    );

    let left: Vec<i64> = comments::list_for(&t.db, incident_id)
        .await
        .expect("listed")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, [kept]);
}

#[tokio::test]
async fn a_comment_needs_an_incident_and_goes_with_it() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Commented").await;
    let other = plain_incident(&t.db, "Other").await;
    let pat = person(&t.db, "Pat", Role::Viewer).await;
    let doomed = comments::add(&t.db, incident_id, Anchor::FollowUp(1), (pat, "Pat"), "a")
        .await
        .expect("added");
    let kept = comments::add(&t.db, other, Anchor::FollowUp(1), (pat, "Pat"), "b")
        .await
        .expect("added");

    assert!(
        comments::add(&t.db, other + 100, Anchor::FollowUp(1), (pat, "Pat"), "c")
            .await
            .is_err(),
        "no such incident"
    );
    assert!(
        incidents::delete(&t.db, incident_id)
            .await
            .expect("deleted")
    );

    assert!(comments::get(&t.db, doomed).await.expect("read").is_none());
    assert!(comments::get(&t.db, kept).await.expect("read").is_some());
    assert!(
        comments::list_for(&t.db, other + 100)
            .await
            .expect("listed")
            .is_empty()
    );
}
