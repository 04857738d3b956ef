//! Share links and the marks that keep a part inside the team: a link is found by its digest
//! only, revoked once, listed newest first and gone with its incident; marks read back per
//! part and per incident, and parts that cannot be marked are refused.

use super::*;
use app::domain::account::Role;
use app::domain::history::Part;
use app::server::repo::shares;

#[tokio::test]
async fn a_link_reads_back_by_its_digest_and_by_id_and_starts_unrevoked() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Shared").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let before = Utc::now();

    let id = shares::create(&t.db, incident_id, "digest-one", (pat, "Pat"))
        .await
        .expect("created");

    let link = shares::find(&t.db, "digest-one")
        .await
        .expect("read")
        .expect("found by its digest");
    assert_eq!(
        (
            link.id,
            link.incident_id,
            link.created_by.as_str(),
            link.revoked_at
        ),
        (id, incident_id, "Pat", None)
    );
    assert!(link.created_at >= before && link.created_at <= Utc::now());
    assert_eq!(
        shares::get(&t.db, id).await.expect("read"),
        Some(link.clone())
    );
    assert!(
        shares::find(&t.db, "digest-two")
            .await
            .expect("read")
            .is_none()
    );
    assert!(shares::get(&t.db, id + 1).await.expect("read").is_none());
}

#[tokio::test]
async fn a_digest_belongs_to_one_link_only() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    shares::create(&t.db, first, "same-digest", (pat, "Pat"))
        .await
        .expect("created");

    let again = shares::create(&t.db, second, "same-digest", (pat, "Pat")).await;

    assert!(again.is_err(), "a second link with the same digest");
    assert!(
        shares::list_for(&t.db, second)
            .await
            .expect("listed")
            .is_empty()
    );
    let found = shares::find(&t.db, "same-digest")
        .await
        .expect("read")
        .expect("the first link");
    assert_eq!(found.incident_id, first);
}

#[tokio::test]
async fn revoking_a_link_keeps_the_first_revocation_time_and_the_link_stays_findable() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Shared").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let id = shares::create(&t.db, incident_id, "digest", (pat, "Pat"))
        .await
        .expect("created");
    let other = shares::create(&t.db, incident_id, "other", (pat, "Pat"))
        .await
        .expect("created");

    shares::revoke(&t.db, id).await.expect("revoked");
    let first = shares::find(&t.db, "digest")
        .await
        .expect("read")
        .expect("a revoked link is still found")
        .revoked_at
        .expect("revoked");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    shares::revoke(&t.db, id).await.expect("revoked again");
    shares::revoke(&t.db, id + 100)
        .await
        .expect("revoking no link is no error");

    let again = shares::get(&t.db, id).await.expect("read").expect("link");
    assert_eq!(again.revoked_at, Some(first));
    assert_eq!(
        shares::get(&t.db, other)
            .await
            .expect("read")
            .expect("link")
            .revoked_at,
        None
    );
}

#[tokio::test]
async fn an_incidents_links_list_newest_first_and_go_with_the_incident() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Shared").await;
    let other = plain_incident(&t.db, "Other").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let older = shares::create(&t.db, incident_id, "a", (pat, "Pat"))
        .await
        .expect("created");
    let elsewhere = shares::create(&t.db, other, "b", (pat, "Pat"))
        .await
        .expect("created");
    let newer = shares::create(&t.db, incident_id, "c", (pat, "Pat"))
        .await
        .expect("created");

    let ids: Vec<i64> = shares::list_for(&t.db, incident_id)
        .await
        .expect("listed")
        .iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, [newer, older]);

    assert!(
        incidents::delete(&t.db, incident_id)
            .await
            .expect("deleted")
    );
    assert!(shares::find(&t.db, "a").await.expect("read").is_none());
    assert!(shares::get(&t.db, newer).await.expect("read").is_none());
    assert_eq!(
        shares::get(&t.db, elsewhere)
            .await
            .expect("read")
            .map(|l| l.incident_id),
        Some(other)
    );
}

#[tokio::test]
async fn marks_read_back_per_part_and_per_incident_and_can_be_taken_off() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Marked").await;
    let other = plain_incident(&t.db, "Other").await;
    let here = record_everything(&t.db, incident_id).await;
    let there = record_everything(&t.db, other).await;
    assert!(
        shares::internal_marks(&t.db, incident_id)
            .await
            .expect("read")
            .is_empty(),
        "parts are shared until marked"
    );

    for (part, id) in [
        (Part::TimelineEntry, here.entry),
        (Part::ImpactFigure, here.figure),
        (Part::Change, here.change),
        (Part::FollowUp, here.follow_up),
        (Part::FollowUp, there.follow_up),
    ] {
        shares::set_internal(&t.db, part, id, true)
            .await
            .expect("marked");
    }
    shares::set_internal(&t.db, Part::Change, here.change, false)
        .await
        .expect("unmarked");

    let marks = shares::internal_marks(&t.db, incident_id)
        .await
        .expect("read");
    let expected: std::collections::HashSet<(Part, i64)> = [
        (Part::TimelineEntry, here.entry),
        (Part::ImpactFigure, here.figure),
        (Part::FollowUp, here.follow_up),
    ]
    .into_iter()
    .collect();
    assert_eq!(marks, expected);
    assert_eq!(
        shares::mark_of(&t.db, Part::TimelineEntry, here.entry)
            .await
            .expect("read"),
        Some((incident_id, true))
    );
    assert_eq!(
        shares::mark_of(&t.db, Part::Change, here.change)
            .await
            .expect("read"),
        Some((incident_id, false))
    );
    assert_eq!(
        shares::mark_of(&t.db, Part::Change, there.change)
            .await
            .expect("read"),
        Some((other, false))
    );
    assert_eq!(
        shares::mark_of(&t.db, Part::ImpactFigure, there.figure + 100)
            .await
            .expect("read"),
        None
    );
}

#[tokio::test]
async fn only_entries_figures_changes_and_follow_ups_can_be_marked() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Marked").await;
    let markable: Vec<Part> = Part::ALL
        .into_iter()
        .filter(|p| shares::is_markable(*p))
        .collect();
    assert_eq!(
        markable,
        [
            Part::TimelineEntry,
            Part::ImpactFigure,
            Part::Change,
            Part::FollowUp
        ]
    );

    assert!(
        shares::set_internal(&t.db, Part::Incident, incident_id, true)
            .await
            .is_err()
    );
    assert!(
        shares::mark_of(&t.db, Part::Lessons, incident_id)
            .await
            .is_err()
    );
}
