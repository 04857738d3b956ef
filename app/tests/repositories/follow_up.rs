//! Follow-up actions.

use super::*;

#[tokio::test]
async fn a_follow_up_is_added_in_the_state_given_and_reads_back() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Follow-ups").await;
    let new = NewFollowUp {
        action_type: ActionType::Detect,
        priority: Priority::P1,
        ..follow_up("Alert on login failures", "SRE on-call")
    };

    let follow_up_id = follow_ups::add(&t.db, id, &new, FollowUpState::Committed)
        .await
        .expect("added");

    let stored = follow_ups::get(&t.db, follow_up_id)
        .await
        .expect("read")
        .expect("the follow-up just added");
    assert_eq!(stored.id, follow_up_id);
    assert_eq!(stored.incident_id, id);
    assert_eq!(stored.follow_up, new);
    assert_eq!(stored.state, FollowUpState::Committed);
    assert_eq!(stored.wont_do_reason, None);
    assert_eq!(stored.evidence, None);
}

#[tokio::test]
async fn state_changes_keep_the_reason_or_evidence_they_were_given() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Follow-ups").await;
    let dropped = follow_ups::add(
        &t.db,
        id,
        &follow_up("Rewrite the job", "Platform team"),
        FollowUpState::Committed,
    )
    .await
    .expect("added");
    let finished = follow_ups::add(
        &t.db,
        id,
        &follow_up("Add a canary", "Platform team"),
        FollowUpState::InProgress,
    )
    .await
    .expect("added");
    let get = |follow_up_id: i64| {
        let db = t.db.clone();
        async move {
            follow_ups::get(&db, follow_up_id)
                .await
                .expect("read")
                .expect("the follow-up exists")
        }
    };
    let reason = "Superseded by the safe default";
    let evidence = "Game day on 3 June: the canary stopped a bad deploy";
    let policies = DuePolicies::default();
    let context = MoveContext {
        now: chrono::DateTime::from_timestamp(1_591_000_000, 0).unwrap(),
        today: chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(),
        policies: &policies,
        by: (1, "Grace Hopper".to_owned()),
    };

    let wont_do = get(dropped)
        .await
        .moved(FollowUpState::WontDo, reason, &context)
        .expect("committed can become won't do");
    assert_eq!(
        follow_ups::set_state(&t.db, &wont_do).await.expect("set"),
        Some(id)
    );
    let stored = get(dropped).await;
    assert_eq!(stored.state, FollowUpState::WontDo);
    assert_eq!(stored.wont_do_reason.as_deref(), Some(reason));
    assert_eq!(stored.evidence, None);
    assert_eq!(stored.closed_at, Some(context.now));

    let reconsidered = stored
        .moved(FollowUpState::Proposed, "", &context)
        .expect("won't do can be reconsidered");
    follow_ups::set_state(&t.db, &reconsidered)
        .await
        .expect("set");
    let stored = get(dropped).await;
    assert_eq!(stored.state, FollowUpState::Proposed);
    assert_eq!((stored.wont_do_reason, stored.closed_at), (None, None));

    let done = get(finished)
        .await
        .moved(FollowUpState::Done, "", &context)
        .expect("in progress can be done");
    follow_ups::set_state(&t.db, &done).await.expect("set");
    let verified = get(finished)
        .await
        .moved(FollowUpState::Verified, evidence, &context)
        .expect("done can be verified");
    follow_ups::set_state(&t.db, &verified).await.expect("set");
    let stored = get(finished).await;
    assert_eq!(stored.state, FollowUpState::Verified);
    assert_eq!(stored.evidence.as_deref(), Some(evidence));
    assert_eq!(stored.wont_do_reason, None);
    assert_eq!(stored.follow_up.title, "Add a canary");
    let verification = stored.verified.clone().expect("who verified it is kept");
    assert_eq!(
        (
            verification.by_id,
            verification.by.as_str(),
            verification.at
        ),
        (Some(1), "Grace Hopper", context.now)
    );

    let missing = FollowUp {
        id: finished + 100,
        ..stored
    };
    assert_eq!(
        follow_ups::set_state(&t.db, &missing)
            .await
            .expect("no database error"),
        None
    );
}

#[tokio::test]
async fn due_date_policies_start_at_four_and_eight_weeks_and_can_be_replaced() {
    let t = fresh_db().await;
    let start = follow_ups::policies(&t.db).await.expect("read");
    assert_eq!(start.pairs(), [(Priority::P1, 4), (Priority::P2, 8)]);
    let replaced = DuePolicies::new([(Priority::P3, 12), (Priority::P1, 2)]);
    follow_ups::set_policies(&t.db, &replaced)
        .await
        .expect("saved");
    assert_eq!(follow_ups::policies(&t.db).await.expect("read"), replaced);
}

#[tokio::test]
async fn follow_ups_filter_by_state_and_by_owner_ignoring_case() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    for (incident_id, title, owner, state) in [
        (first, "A", "Platform team", FollowUpState::Committed),
        (first, "B", "SRE on-call", FollowUpState::Proposed),
        (second, "C", "payments-PLATFORM", FollowUpState::Proposed),
        (second, "D", "", FollowUpState::Proposed),
        (first, "E", "Data platform", FollowUpState::Done),
    ] {
        follow_ups::add(&t.db, incident_id, &follow_up(title, owner), state)
            .await
            .expect("added");
    }
    let owner = |o: &str| Some(o.to_owned());

    assert_eq!(
        follow_up_titles(&t.db, &FollowUpFilter::default()).await,
        ["A", "B", "C", "D", "E"]
    );
    assert_eq!(
        follow_up_titles(
            &t.db,
            &FollowUpFilter {
                state: Some(FollowUpState::Proposed),
                ..FollowUpFilter::default()
            }
        )
        .await,
        ["B", "C", "D"]
    );
    assert_eq!(
        follow_up_titles(
            &t.db,
            &FollowUpFilter {
                owner: owner("pLaTfOrM"),
                ..FollowUpFilter::default()
            }
        )
        .await,
        ["A", "C", "E"]
    );
    assert_eq!(
        follow_up_titles(
            &t.db,
            &FollowUpFilter {
                state: Some(FollowUpState::Proposed),
                owner: owner("platform"),
                ..FollowUpFilter::default()
            }
        )
        .await,
        ["C"]
    );
    assert_eq!(
        follow_up_titles(
            &t.db,
            &FollowUpFilter {
                owner: owner("on-CALL"),
                incident_id: Some(first),
                ..FollowUpFilter::default()
            }
        )
        .await,
        ["B"]
    );
    assert_eq!(
        follow_up_titles(
            &t.db,
            &FollowUpFilter {
                owner: owner(""),
                incident_id: Some(second),
                ..FollowUpFilter::default()
            }
        )
        .await,
        ["C", "D"]
    );
    assert!(
        follow_up_titles(
            &t.db,
            &FollowUpFilter {
                owner: owner("nobody"),
                ..FollowUpFilter::default()
            }
        )
        .await
        .is_empty()
    );
}
