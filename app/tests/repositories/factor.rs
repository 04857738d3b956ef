//! Contributing factors as stored (`repo::factors`): a factor reads back whole; deleting one
//! leaves the follow-ups that addressed it, addressing nothing; the recurrence of a category
//! prefers incidents of the same systems and falls back to any; the rollup by category and by
//! system counts distinct incidents and the addressing follow-ups by state, and keeps a viewer
//! to published postmortems. A factor keeps several links, in order, and loses one with the
//! change or entry it points at.

use super::*;
use app::domain::factor::{ChangeLink, FactorRole, FactorRollup, NewFactor};
use app::server::repo::factors;

fn factor(statement: &str, category_id: i64, change_id: Option<i64>) -> NewFactor {
    NewFactor {
        statement: statement.into(),
        category_id,
        role: FactorRole::Condition,
        accepted_reason: None,
        changes: change_id
            .map(|change_id| ChangeLink {
                change_id,
                parameter_id: None,
            })
            .into_iter()
            .collect(),
        timeline_entries: Vec::new(),
    }
}

/// An incident with a change of `system`; returns (incident, change).
async fn with_change(
    db: &DatabaseConnection,
    title: &str,
    system: &str,
    status: IncidentStatus,
) -> (i64, i64) {
    let id = incidents::insert(
        db,
        &incident(title, Severity::Sev2, status),
        &Lessons::default(),
    )
    .await
    .unwrap();
    let change_id = changes::add(
        db,
        id,
        &NewChange {
            system: system.into(),
            ..change("a change")
        },
    )
    .await
    .unwrap();
    (id, change_id)
}

async fn category(db: &DatabaseConnection, name: &str) -> i64 {
    factors::category_named(db, name).await.unwrap()
}

#[tokio::test]
async fn a_factor_reads_back_and_deleting_it_unlinks_its_follow_ups() {
    let t = fresh_db().await;
    let (id, change_id) = with_change(&t.db, "One", "Jenkins", IncidentStatus::Draft).await;
    let safeguard = category(&t.db, "Missing safeguard").await;
    let new = NewFactor {
        accepted_reason: Some("Known and accepted.".into()),
        ..factor("No confirmation step", safeguard, Some(change_id))
    };
    let factor_id = factors::add(&t.db, id, &new).await.unwrap();
    let found = factors::get(&t.db, factor_id).await.unwrap().unwrap();
    assert_eq!(found.factor, new);
    assert_eq!(found.category, "Missing safeguard");
    let follow_up_id = follow_ups::add(
        &t.db,
        id,
        &NewFollowUp {
            factor_id: Some(factor_id),
            ..follow_up("Ask first", "Platform team")
        },
        FollowUpState::Proposed,
    )
    .await
    .unwrap();
    factors::delete(&t.db, factor_id).await.unwrap();
    let kept = follow_ups::get(&t.db, follow_up_id).await.unwrap().unwrap();
    assert_eq!(
        kept.follow_up.factor_id, None,
        "the follow-up stays, unlinked"
    );
}

#[tokio::test]
async fn a_recurrence_prefers_the_same_systems_and_falls_back_to_any() {
    let t = fresh_db().await;
    let safeguard = category(&t.db, "Missing safeguard").await;
    let training = category(&t.db, "Knowledge and training").await;
    let (jenkins, jc) =
        with_change(&t.db, "Jenkins before", "Jenkins", IncidentStatus::Draft).await;
    let (chef, cc) = with_change(&t.db, "Chef before", "Chef", IncidentStatus::Draft).await;
    let (now, nc) = with_change(&t.db, "Now", " jenkins ", IncidentStatus::Draft).await;
    factors::add(&t.db, jenkins, &factor("a", safeguard, Some(jc)))
        .await
        .unwrap();
    factors::add(&t.db, jenkins, &factor("a again", safeguard, None))
        .await
        .unwrap();
    factors::add(&t.db, chef, &factor("b", safeguard, Some(cc)))
        .await
        .unwrap();
    factors::add(&t.db, chef, &factor("c", training, Some(cc)))
        .await
        .unwrap();
    factors::add(&t.db, now, &factor("d", safeguard, Some(nc)))
        .await
        .unwrap();
    let found = factors::recurrences(
        &t.db,
        now,
        &[
            (safeguard, "Missing safeguard".to_owned()),
            (training, "Knowledge and training".to_owned()),
        ],
        &["Jenkins".into()],
        false,
    )
    .await
    .unwrap();
    let (_, same) = found.iter().find(|(c, _)| *c == safeguard).unwrap();
    assert!(same.same_system);
    assert_eq!(same.total, 1, "one incident, however many factors it has");
    assert_eq!(same.incidents[0].title, "Jenkins before");
    let (_, any) = found.iter().find(|(c, _)| *c == training).unwrap();
    assert!(!any.same_system, "no Jenkins incident had it: any system");
    assert_eq!(any.incidents[0].title, "Chef before");
    let viewer = factors::recurrences(
        &t.db,
        now,
        &[(safeguard, "Missing safeguard".to_owned())],
        &[],
        true,
    )
    .await
    .unwrap();
    assert!(viewer.is_empty(), "drafts are not a viewer's");
}

#[tokio::test]
async fn the_rollup_counts_incidents_and_follow_ups_by_category_and_system() {
    let t = fresh_db().await;
    let safeguard = category(&t.db, "Missing safeguard").await;
    let default = category(&t.db, "Risky default").await;
    let (one, c1) = with_change(&t.db, "One", "Jenkins", IncidentStatus::Published).await;
    let (two, c2) = with_change(&t.db, "Two", " Jenkins ", IncidentStatus::Draft).await;
    let (three, c3) = with_change(&t.db, "Three", "Chef", IncidentStatus::Published).await;
    let f1 = factors::add(&t.db, one, &factor("no confirmation", safeguard, Some(c1)))
        .await
        .unwrap();
    factors::add(&t.db, one, &factor("no dry run", safeguard, Some(c1)))
        .await
        .unwrap();
    let f2 = factors::add(&t.db, two, &factor("no confirmation", safeguard, Some(c2)))
        .await
        .unwrap();
    factors::add(&t.db, three, &factor("high default", default, Some(c3)))
        .await
        .unwrap();
    factors::add(&t.db, three, &factor("unlinked", safeguard, None))
        .await
        .unwrap();
    for (incident, factor_id, state) in [
        (one, f1, FollowUpState::Proposed),
        (two, f2, FollowUpState::Proposed),
    ] {
        follow_ups::add(
            &t.db,
            incident,
            &NewFollowUp {
                factor_id: Some(factor_id),
                ..follow_up("Ask first", "")
            },
            state,
        )
        .await
        .unwrap();
    }
    let by_category = factors::rollup(&t.db, false, false).await.unwrap();
    assert_eq!(
        by_category
            .iter()
            .map(FactorRollup::sentence)
            .collect::<Vec<_>>(),
        [
            "Missing safeguard: 3 incidents, 2 follow-ups open",
            "Risky default: 1 incident, no follow-up addresses it",
        ]
    );
    assert_eq!(
        by_category[0].incidents[0].title, "Three",
        "most recent first"
    );
    let by_system = factors::rollup(&t.db, true, false).await.unwrap();
    assert_eq!(
        by_system
            .iter()
            .map(FactorRollup::sentence)
            .collect::<Vec<_>>(),
        [
            "Missing safeguard in Jenkins: 2 incidents, 2 follow-ups open",
            "Risky default in Chef: 1 incident, no follow-up addresses it",
        ]
    );
    let viewer = factors::rollup(&t.db, false, true).await.unwrap();
    assert_eq!(
        viewer[0].sentence(),
        "Missing safeguard: 2 incidents, 1 follow-up open",
        "a viewer counts published postmortems only"
    );
}

#[tokio::test]
async fn a_factor_keeps_several_links_in_order_and_loses_one_with_what_it_points_at() {
    let t = fresh_db().await;
    let (id, change_id) = with_change(&t.db, "Links", "Jenkins", IncidentStatus::Draft).await;
    let other_change = changes::add(&t.db, id, &change("another change"))
        .await
        .unwrap();
    let parameter = changes::add_parameter(&t.db, change_id, &parameter("concurrency", "", true))
        .await
        .unwrap();
    let mut entries = Vec::new();
    for body in ["first", "second"] {
        entries.push(
            timeline::add(
                &t.db,
                id,
                &entry(at(utc(23, 10, 27, 0), Precision::Minute, 0), body),
            )
            .await
            .unwrap(),
        );
    }
    let safeguard = category(&t.db, "Missing safeguard").await;
    let new = NewFactor {
        changes: vec![
            ChangeLink {
                change_id,
                parameter_id: Some(parameter),
            },
            ChangeLink {
                change_id: other_change,
                parameter_id: None,
            },
        ],
        timeline_entries: entries.clone(),
        ..factor("Shown in four places", safeguard, None)
    };
    let factor_id = factors::add(&t.db, id, &new).await.unwrap();
    assert_eq!(
        factors::get(&t.db, factor_id)
            .await
            .unwrap()
            .unwrap()
            .factor,
        new
    );
    assert_eq!(factors::list_for(&t.db, id).await.unwrap()[0].factor, new);

    // Deleting the parameter leaves its change; deleting a change or an entry drops its link.
    changes::delete_parameter(&t.db, parameter).await.unwrap();
    changes::delete(&t.db, other_change).await.unwrap();
    timeline::delete(&t.db, entries[0]).await.unwrap();
    let left = factors::get(&t.db, factor_id)
        .await
        .unwrap()
        .unwrap()
        .factor;
    assert_eq!(
        left.changes,
        [ChangeLink {
            change_id,
            parameter_id: None
        }]
    );
    assert_eq!(left.timeline_entries, [entries[1]]);

    // Saving replaces the links.
    factors::update(
        &t.db,
        factor_id,
        &factor("Now shown by none", safeguard, None),
    )
    .await
    .unwrap();
    let saved = factors::get(&t.db, factor_id)
        .await
        .unwrap()
        .unwrap()
        .factor;
    assert!(saved.changes.is_empty() && saved.timeline_entries.is_empty());
}
