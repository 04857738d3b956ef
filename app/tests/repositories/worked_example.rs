//! The worked example.

use super::*;

#[tokio::test]
async fn the_worked_example_loads_as_one_complete_incident() {
    let t = fresh_db().await;
    let story = worked_example().expect("the worked example");

    let id = example::load(&t.db).await.expect("loaded");

    let all = incidents::list(&t.db, &IncidentFilter::default())
        .await
        .expect("listed");
    // Newest first: the login outage, then its earlier attempt, written just before it.
    let ids: Vec<i64> = all.iter().map(|i| i.id).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[0], id);
    let earlier = ids[1];
    assert!(earlier < id);
    let loaded = &all[0];
    assert_eq!(loaded.as_new(), story.incident);
    assert_eq!(loaded.lessons, story.lessons);
    assert_eq!(loaded.severity, Severity::Sev1);

    let entries = timeline::list_for(&t.db, id).await.expect("listed");
    assert_eq!(entries.len(), story.timeline.len());
    assert_eq!(entries.len(), 9);
    assert!(
        entries
            .windows(2)
            .all(|w| w[0].entry.time.point() <= w[1].entry.time.point())
    );
    assert!(
        entries
            .iter()
            .any(|e| e.entry.marker == Some(Marker::Detection))
    );

    let figures = impact::list_for_incidents(&t.db, &[id])
        .await
        .expect("listed");
    assert_eq!(figures.len(), 1);
    assert_eq!(figures[0].figure.quantity, Quantity::Approximate(500.0));
    assert_eq!(
        figures[0].figure.window,
        Some(ApproxDuration {
            seconds: 60,
            approximate: true
        })
    );

    let linked = changes::list_for(&t.db, id).await.expect("listed");
    assert_eq!(linked.len(), 1);
    let change = &linked[0];
    assert_eq!(change.change, story.change);
    assert_eq!(
        change
            .parameters
            .iter()
            .map(|p| &p.parameter)
            .collect::<Vec<_>>(),
        story.parameters.iter().collect::<Vec<_>>()
    );
    let concurrency = change
        .parameters
        .iter()
        .find(|p| p.parameter.name == "concurrency")
        .expect("the concurrency parameter");
    assert!(concurrency.parameter.is_default);
    assert_eq!(concurrency.parameter.value, "");

    let actions = follow_ups::list(
        &t.db,
        &FollowUpFilter {
            incident_id: Some(id),
            ..FollowUpFilter::default()
        },
    )
    .await
    .expect("listed");
    assert_eq!(actions.len(), 4);
    let targets: Vec<(Option<i64>, Option<i64>, FollowUpState)> = actions
        .iter()
        .map(|f| (f.follow_up.change_id, f.follow_up.parameter_id, f.state))
        .collect();
    assert_eq!(
        targets,
        [
            (Some(change.id), None, FollowUpState::Committed),
            (None, None, FollowUpState::Committed),
            (
                Some(change.id),
                Some(concurrency.id),
                FollowUpState::Proposed
            ),
            (Some(change.id), None, FollowUpState::Proposed),
        ]
    );
    assert_eq!(
        actions[2].follow_up.title,
        "Make the generic job's default concurrency safe"
    );

    // The earlier attempt, without customer impact, on the same job; the outage links to it.
    let first = &all[1];
    assert_eq!(first.as_new(), story.earlier.incident);
    assert_eq!(
        timeline::list_for(&t.db, earlier)
            .await
            .expect("listed")
            .len(),
        story.earlier.timeline.len()
    );
    assert!(
        impact::list_for_incidents(&t.db, &[earlier])
            .await
            .expect("listed")
            .iter()
            .all(|f| !f.figure.customer_visible)
    );
    let its_changes = changes::list_for(&t.db, earlier).await.expect("listed");
    assert_eq!(its_changes.len(), 1);
    assert_eq!(its_changes[0].change, story.earlier.change);
    let links = app::server::repo::relations::touching(&t.db, earlier)
        .await
        .expect("listed");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].incident_id, id, "added on the outage");
    assert_eq!(
        links[0].seen_from(id),
        Some((app::domain::relation::RelationKind::EarlierAttempt, earlier))
    );
}

#[tokio::test]
async fn a_worked_example_that_fails_halfway_leaves_nothing_behind() {
    let t = fresh_db().await;
    // The follow-ups are written last: refusing the one that targets a parameter fails the
    // load after everything else has been written inside its transaction.
    refuse_inserts(&t.db, "follow_ups", "NEW.parameter_id IS NOT NULL").await;

    let error = example::load(&t.db)
        .await
        .expect_err("the refused follow-up fails the load");

    assert!(error.to_string().contains("refused by the test"), "{error}");

    assert!(titles(&t.db, &IncidentFilter::default()).await.is_empty());
    assert!(
        timeline_entries::Entity::find()
            .all(&t.db)
            .await
            .expect("read")
            .is_empty()
    );
    assert!(
        follow_up_titles(&t.db, &FollowUpFilter::default())
            .await
            .is_empty()
    );
}
