//! Review decisions: each reads back with its revision, reviewer, ticked checklist and
//! comments; an incident's decisions list newest first and go with the incident.

use super::*;
use app::domain::account::Role;
use app::domain::review::{ChecklistItem, Decision, ReviewStep};
use app::server::repo::reviews::{self, StoredReview};

fn decision(step: ReviewStep, checked: &[ChecklistItem], comments: &str) -> Decision {
    Decision {
        step,
        checked: checked.to_vec(),
        comments: comments.to_owned(),
    }
}

#[tokio::test]
async fn decisions_read_back_newest_first_with_their_checklist_in_order() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Reviewed").await;
    let other = plain_incident(&t.db, "Other").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let rev = person(&t.db, "Rev", Role::Reviewer).await;
    let submitted = decision(ReviewStep::Submit, &[], "");
    let sent_back = decision(
        ReviewStep::RequestChanges,
        &[ChecklistItem::Blameless, ChecklistItem::TimelineComplete],
        "The timeline misses *detection*.\n\nSecond paragraph.",
    );
    let approved = decision(ReviewStep::Approve, &ChecklistItem::ALL, "");
    let before = Utc::now();
    reviews::record(&t.db, incident_id, 1, (pat, "Pat"), &submitted)
        .await
        .expect("recorded");
    reviews::record(&t.db, other, 1, (pat, "Pat"), &submitted)
        .await
        .expect("recorded");
    reviews::record(&t.db, incident_id, 1, (rev, "Rev"), &sent_back)
        .await
        .expect("recorded");
    reviews::record(&t.db, incident_id, 2, (rev, "Rev"), &approved)
        .await
        .expect("recorded");

    let listed = reviews::list_for(&t.db, incident_id).await.expect("listed");

    let without_time: Vec<(i32, Option<i64>, &str, &Decision)> = listed
        .iter()
        .map(|r| {
            (
                r.revision,
                r.reviewer_id,
                r.reviewer_name.as_str(),
                &r.decision,
            )
        })
        .collect();
    assert_eq!(
        without_time,
        [
            (2, Some(rev), "Rev", &approved),
            (1, Some(rev), "Rev", &sent_back),
            (1, Some(pat), "Pat", &submitted),
        ]
    );
    assert!(listed.iter().all(|r| r.at >= before && r.at <= Utc::now()));
}

#[tokio::test]
async fn an_incidents_decisions_go_with_it() {
    let t = fresh_db().await;
    let doomed = plain_incident(&t.db, "Doomed").await;
    let kept = plain_incident(&t.db, "Kept").await;
    let rev = person(&t.db, "Rev", Role::Reviewer).await;
    let publish = decision(ReviewStep::Publish, &[], "");
    for incident in [doomed, kept] {
        reviews::record(&t.db, incident, 1, (rev, "Rev"), &publish)
            .await
            .expect("recorded");
    }

    assert!(incidents::delete(&t.db, doomed).await.expect("deleted"));

    assert!(
        reviews::list_for(&t.db, doomed)
            .await
            .expect("listed")
            .is_empty()
    );
    let left: Vec<StoredReview> = reviews::list_for(&t.db, kept).await.expect("listed");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].decision, publish);
    assert!(
        reviews::record(&t.db, doomed, 1, (rev, "Rev"), &publish)
            .await
            .is_err(),
        "no decision on an incident that does not exist"
    );
}
