//! Read paths that ask for the rows on one page: the incident list's pages (order, filters,
//! what a viewer may see), open follow-ups counted per incident, and the earlier incidents of a
//! job, each a bounded query.

use super::*;

async fn page_titles(
    db: &DatabaseConnection,
    published_only: bool,
    offset: u64,
    size: u64,
) -> (Vec<String>, bool) {
    let page = incidents::list_page(db, &IncidentFilter::default(), published_only, offset, size)
        .await
        .expect("a page");
    (
        page.incidents.into_iter().map(|i| i.title).collect(),
        page.more,
    )
}

#[tokio::test]
async fn pages_of_the_list_keep_its_order_ranges_by_their_midpoint_and_undated_last() {
    let t = fresh_db().await;
    incidents::create(
        &t.db,
        &started_at("Ten", at(utc(1, 10, 0, 0), Precision::Exact, 0)),
    )
    .await
    .expect("created");
    incidents::create(
        &t.db,
        &started_at(
            "Range around half past ten",
            between(utc(1, 9, 0, 0), utc(1, 12, 0, 0), 0),
        ),
    )
    .await
    .expect("created");
    plain_incident(&t.db, "Undated").await;
    let moved = incidents::create(
        &t.db,
        &started_at(
            "Eleven, then eight",
            at(utc(1, 11, 0, 0), Precision::Exact, 0),
        ),
    )
    .await
    .expect("created");
    incidents::update(
        &t.db,
        moved,
        &started_at(
            "Eleven, then eight",
            at(utc(1, 8, 0, 0), Precision::Exact, 0),
        ),
    )
    .await
    .expect("updated");

    let order = [
        "Range around half past ten",
        "Ten",
        "Eleven, then eight",
        "Undated",
    ];
    assert_eq!(titles(&t.db, &IncidentFilter::default()).await, order);
    assert_eq!(
        page_titles(&t.db, false, 0, 2).await,
        (vec![order[0].to_owned(), order[1].to_owned()], true)
    );
    assert_eq!(
        page_titles(&t.db, false, 2, 2).await,
        (vec![order[2].to_owned(), order[3].to_owned()], false)
    );
}

#[tokio::test]
async fn a_page_for_viewers_leaves_out_drafts_and_keeps_corrections_of_published_postmortems() {
    let t = fresh_db().await;
    plain_incident(&t.db, "Draft").await;
    assert!(
        !incidents::any_matching(&t.db, &IncidentFilter::default(), true)
            .await
            .expect("read"),
        "a viewer sees nothing yet"
    );
    let published = plain_incident(&t.db, "Published").await;
    incidents::set_review(&t.db, published, IncidentStatus::Published, 1)
        .await
        .expect("published");
    let corrected = plain_incident(&t.db, "Under correction").await;
    incidents::set_review(&t.db, corrected, IncidentStatus::Draft, 2)
        .await
        .expect("corrected");

    assert_eq!(
        page_titles(&t.db, true, 0, 10).await.0,
        ["Under correction", "Published"]
    );
    assert_eq!(
        page_titles(&t.db, false, 0, 10).await.0,
        ["Under correction", "Published", "Draft"]
    );
    assert!(
        incidents::any_matching(&t.db, &IncidentFilter::default(), true)
            .await
            .expect("read")
    );
}

#[tokio::test]
async fn open_follow_ups_are_counted_per_incident_in_one_grouped_query() {
    let t = fresh_db().await;
    let busy = plain_incident(&t.db, "Busy").await;
    let quiet = plain_incident(&t.db, "Quiet").await;
    let done = plain_incident(&t.db, "Done").await;
    for state in [
        FollowUpState::Proposed,
        FollowUpState::Committed,
        FollowUpState::InProgress,
        FollowUpState::Done,
        FollowUpState::Verified,
        FollowUpState::WontDo,
    ] {
        follow_ups::add(&t.db, busy, &follow_up("A step", "Platform team"), state)
            .await
            .expect("added");
    }
    follow_ups::add(
        &t.db,
        done,
        &follow_up("Finished", ""),
        FollowUpState::Verified,
    )
    .await
    .expect("added");

    let mut counts = follow_ups::open_counts(&t.db, &[busy, quiet, done])
        .await
        .expect("counted");
    counts.sort_unstable();
    assert_eq!(
        counts,
        [(busy, 3)],
        "proposed, committed and in progress are open"
    );
}

#[tokio::test]
async fn earlier_incidents_of_a_job_are_the_most_recent_below_matched_as_the_domain_matches_jobs() {
    let t = fresh_db().await;
    let mut ids = Vec::new();
    for n in 0..6 {
        let id = plain_incident(&t.db, &format!("Incident {n}")).await;
        let mut made = change("Rolled out checkout");
        // The same job, however it was typed.
        if n % 2 == 0 {
            made.system = "  KUBERNETES ".into();
            made.identifier = "Checkout v2.14.0".into();
        }
        if n == 3 {
            made.relation = ChangeRelation::RuledOut;
        }
        changes::add(&t.db, id, &made).await.expect("added");
        let mut other = change("Another job");
        other.identifier = "search v1".into();
        changes::add(&t.db, id, &other).await.expect("added");
        ids.push(id);
    }
    let job = [("kubernetes".to_owned(), "checkout v2.14.0".to_owned())];

    let found = changes::incidents_involving(&t.db, &job, ids[5], false, 3)
        .await
        .expect("found");
    assert_eq!(
        found,
        [ids[4], ids[2], ids[1]],
        "newest first, ruled out left out"
    );
    let found = changes::incidents_involving(&t.db, &job, ids[5], false, 10)
        .await
        .expect("found");
    assert_eq!(found, [ids[4], ids[2], ids[1], ids[0]]);

    incidents::set_review(&t.db, ids[1], IncidentStatus::Published, 1)
        .await
        .expect("published");
    let found = changes::incidents_involving(&t.db, &job, ids[5], true, 10)
        .await
        .expect("found");
    assert_eq!(found, [ids[1]], "only published ones for a viewer");
}
