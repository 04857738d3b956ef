//! Integration tokens and the changes integrations record: a token is found by its digest
//! only while live and notes when it was used; a revoke keeps its first time; recorded
//! changes read back exactly, newest first, and note what they were linked to.

use super::*;
use app::domain::change::RecordedChange;
use app::server::repo::integrations;

fn sent(summary: &str) -> RecordedChange {
    RecordedChange {
        change: change(summary),
        parameters: vec![
            parameter("replicas", "12", false),
            parameter("max_surge", "", true),
        ],
    }
}

#[tokio::test]
async fn tokens_list_newest_first_and_start_unused_and_live() {
    let t = fresh_db().await;
    let before = Utc::now();
    let ci = integrations::create_token(&t.db, "CI deploys", "digest-ci", "Pat")
        .await
        .expect("created");
    let flags = integrations::create_token(&t.db, "Feature flags", "digest-flags", "Sam")
        .await
        .expect("created");

    let listed = integrations::list_tokens(&t.db).await.expect("listed");

    let shown: Vec<(i64, &str, &str)> = listed
        .iter()
        .map(|k| (k.id, k.name.as_str(), k.created_by.as_str()))
        .collect();
    assert_eq!(
        shown,
        [(flags, "Feature flags", "Sam"), (ci, "CI deploys", "Pat")]
    );
    assert!(
        listed
            .iter()
            .all(|k| k.last_used_at.is_none() && k.revoked_at.is_none())
    );
    assert!(listed.iter().all(|k| k.created_at >= before));
}

#[tokio::test]
async fn a_live_token_is_found_by_its_digest_and_marked_as_used() {
    let t = fresh_db().await;
    let id = integrations::create_token(&t.db, "CI deploys", "digest-ci", "Pat")
        .await
        .expect("created");
    let before = Utc::now();

    let used = integrations::use_token(&t.db, "digest-ci")
        .await
        .expect("read")
        .expect("a live token");

    assert_eq!((used.id, used.name.as_str()), (id, "CI deploys"));
    let last_used = used.last_used_at.expect("marked as used");
    assert!(last_used >= before && last_used <= Utc::now());
    assert_eq!(
        integrations::list_tokens(&t.db).await.expect("listed")[0].last_used_at,
        Some(last_used),
        "the use is stored"
    );
    assert!(
        integrations::use_token(&t.db, "digest-other")
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_revoked_token_is_found_no_more_and_keeps_its_first_revocation_time() {
    let t = fresh_db().await;
    let id = integrations::create_token(&t.db, "CI deploys", "digest-ci", "Pat")
        .await
        .expect("created");
    let kept = integrations::create_token(&t.db, "Flags", "digest-flags", "Pat")
        .await
        .expect("created");

    assert!(
        integrations::revoke_token(&t.db, id)
            .await
            .expect("revoked")
    );
    let first = integrations::list_tokens(&t.db).await.expect("listed")[1]
        .revoked_at
        .expect("revoked");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert!(
        integrations::revoke_token(&t.db, id)
            .await
            .expect("revoked again")
    );
    assert!(
        !integrations::revoke_token(&t.db, kept + 100)
            .await
            .expect("no database error")
    );

    assert!(
        integrations::use_token(&t.db, "digest-ci")
            .await
            .expect("read")
            .is_none()
    );
    let listed = integrations::list_tokens(&t.db).await.expect("listed");
    assert_eq!(listed[1].revoked_at, Some(first));
    assert_eq!(listed[1].last_used_at, None, "a refused use is not a use");
    assert!(
        integrations::use_token(&t.db, "digest-flags")
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn a_digest_belongs_to_one_token_only() {
    let t = fresh_db().await;
    integrations::create_token(&t.db, "First", "same-digest", "Pat")
        .await
        .expect("created");

    assert!(
        integrations::create_token(&t.db, "Second", "same-digest", "Pat")
            .await
            .is_err()
    );
    assert_eq!(
        integrations::list_tokens(&t.db)
            .await
            .expect("listed")
            .len(),
        1
    );
}

#[tokio::test]
async fn recorded_changes_read_back_exactly_newest_first_up_to_the_limit() {
    let t = fresh_db().await;
    let before = Utc::now();
    let first = integrations::record(&t.db, &sent("Deploy v1"), "CI deploys")
        .await
        .expect("recorded");
    let second = integrations::record(&t.db, &sent("Deploy v2"), "CI deploys")
        .await
        .expect("recorded");
    let third = integrations::record(&t.db, &sent("Deploy v3"), "Flags")
        .await
        .expect("recorded");

    let stored = integrations::get(&t.db, first)
        .await
        .expect("read")
        .expect("the recorded change");
    assert_eq!(stored.id, first);
    assert_eq!(stored.change, sent("Deploy v1"));
    assert_eq!(stored.source, "CI deploys");
    assert_eq!(stored.linked, None);
    assert!(stored.recorded_at >= before);
    let latest: Vec<i64> = integrations::latest(&t.db, 2)
        .await
        .expect("read")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(latest, [third, second]);
    assert!(
        integrations::get(&t.db, third + 1)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_recorded_change_notes_the_incident_change_it_became() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Linked").await;
    let change_id = changes::add(&t.db, incident_id, &change("Deploy"))
        .await
        .expect("added");
    let linked = integrations::record(&t.db, &sent("Deploy"), "CI")
        .await
        .expect("recorded");
    let unlinked = integrations::record(&t.db, &sent("Other"), "CI")
        .await
        .expect("recorded");

    integrations::mark_linked(&t.db, linked, incident_id, change_id)
        .await
        .expect("marked");
    integrations::mark_linked(&t.db, unlinked + 100, incident_id, change_id)
        .await
        .expect("marking nothing is no error");

    let get = |id: i64| {
        let db = t.db.clone();
        async move {
            integrations::get(&db, id)
                .await
                .expect("read")
                .expect("recorded")
        }
    };
    assert_eq!(get(linked).await.linked, Some((incident_id, change_id)));
    assert_eq!(get(unlinked).await.linked, None);
}
