//! Incidents: create, read, update, list, filter, delete.

use super::*;

#[tokio::test]
async fn an_incident_reads_back_with_its_four_milestones_as_entered() {
    let t = fresh_db().await;
    let form = IncidentForm {
        title: "Card payments timed out at checkout".into(),
        summary: "Card payments **timed out** for about 40 minutes.".into(),
        severity: "sev2".into(),
        services: "Checkout, Payments gateway\nFraud checks".into(),
        impact_started_at: "2024-05-01T09:58".into(),
        impact_started_precision: "approximate".into(),
        detected_at: "2024-05-01T10:02:15".into(),
        detected_precision: "exact".into(),
        mitigated_at: "2024-05-01T10:20".into(),
        resolved_at: "2024-05-01T10:40".into(),
        resolved_until: "2024-05-01T11:05".into(),
        resolved_precision: "range".into(),
        ..IncidentForm::default()
    };
    let mut new = form.parse(&zone(330)).expect("a valid incident form");
    new.status = IncidentStatus::InReview;

    let id = incidents::create(&t.db, &new).await.expect("created");
    let stored = incidents::get(&t.db, id)
        .await
        .expect("read")
        .expect("the incident just created");

    assert_eq!(stored.id, id);
    assert_eq!(stored.title, "Card payments timed out at checkout");
    assert_eq!(
        stored.summary_md,
        "Card payments **timed out** for about 40 minutes."
    );
    assert_eq!(stored.severity, Severity::Sev2);
    assert_eq!(stored.status, IncidentStatus::InReview);
    assert_eq!(
        stored.services,
        ["Checkout", "Payments gateway", "Fraud checks"]
    );
    let m = &stored.milestones;
    assert_eq!(
        m.impact_started,
        Some(RecordedTime {
            at: utc(1, 4, 28, 0),
            until: None,
            precision: Precision::Approximate,
            offset_minutes: 330,
        })
    );
    assert_eq!(
        m.detected,
        Some(RecordedTime {
            at: utc(1, 4, 32, 15),
            until: None,
            precision: Precision::Exact,
            offset_minutes: 330,
        })
    );
    assert_eq!(
        m.mitigated,
        Some(RecordedTime {
            at: utc(1, 4, 50, 0),
            until: None,
            precision: Precision::Minute,
            offset_minutes: 330,
        })
    );
    assert_eq!(
        m.resolved,
        Some(RecordedTime {
            at: utc(1, 5, 10, 0),
            until: Some(utc(1, 5, 35, 0)),
            precision: Precision::Range,
            offset_minutes: 330,
        })
    );
    assert_eq!(stored.lessons, Lessons::default());
    assert_eq!(stored.as_new(), new);
}

#[tokio::test]
async fn updating_an_incident_replaces_its_fields_and_milestones() {
    let t = fresh_db().await;
    let mut original = incident("Search was slow", Severity::Sev3, IncidentStatus::Draft);
    original.milestones = all_four_milestones();
    let id = incidents::create(&t.db, &original).await.expect("created");

    let changed = NewIncident {
        title: "Search returned no results".into(),
        summary_md: "Every search came back empty.".into(),
        severity: Severity::Sev1,
        status: IncidentStatus::ChangesRequested,
        services: vec!["Search".into(), "Catalogue".into()],
        milestones: Milestones {
            impact_started: Some(at(utc(2, 13, 0, 0), Precision::Exact, -180)),
            detected: Some(between(utc(2, 13, 5, 0), utc(2, 13, 10, 0), -180)),
            mitigated: None,
            resolved: None,
        },
    };
    assert!(
        incidents::update(&t.db, id, &changed)
            .await
            .expect("updated")
    );

    let stored = incidents::get(&t.db, id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.as_new(), changed);
    assert_eq!(stored.milestones.mitigated, None);
    assert_eq!(stored.milestones.resolved, None);
    assert_eq!(
        stored.milestones.impact_started.map(|t| t.offset_minutes),
        Some(-180)
    );
    assert_eq!(
        milestone_kinds(&t.db, id).await,
        ["detected", "impact_started"]
    );
}

#[tokio::test]
async fn updating_lessons_keeps_the_rest_of_the_incident() {
    let t = fresh_db().await;
    let mut new = incident("Login failed", Severity::Sev1, IncidentStatus::Published);
    new.milestones = all_four_milestones();
    let id = incidents::create(&t.db, &new).await.expect("created");
    let lessons = Lessons {
        went_well_md: "- Owned up at once".into(),
        went_wrong_md: "- A default was *unsafe*".into(),
        lucky_md: "- Everything came back on its own".into(),
    };

    assert!(
        incidents::update_lessons(&t.db, id, &lessons)
            .await
            .expect("updated")
    );

    let stored = incidents::get(&t.db, id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.lessons, lessons);
    assert_eq!(stored.as_new(), new);
}

#[tokio::test]
async fn incidents_list_most_recent_impact_first_and_those_without_one_last() {
    let t = fresh_db().await;
    let undated = |title: &str| incident(title, Severity::Sev2, IncidentStatus::Draft);
    for new in [
        started_at("January", at(on(1, 10, 8), Precision::Approximate, 0)),
        started_at("March", at(on(3, 1, 12), Precision::Minute, 0)),
        undated("Undated, older"),
        // A range counts from its midpoint (29 Feb 12:00), though it ends after "March" starts.
        started_at(
            "Late February range",
            between(on(2, 20, 0), on(3, 10, 0), 0),
        ),
        undated("Undated, newer"),
        started_at(
            "January, recorded later",
            at(on(1, 10, 8), Precision::Exact, 60),
        ),
    ] {
        incidents::create(&t.db, &new).await.expect("created");
    }

    assert_eq!(
        titles(&t.db, &IncidentFilter::default()).await,
        [
            "March",
            "Late February range",
            "January, recorded later",
            "January",
            "Undated, newer",
            "Undated, older",
        ]
    );
}

#[tokio::test]
async fn the_incident_list_filters_by_status_and_severity() {
    let t = fresh_db().await;
    for (title, severity, status) in [
        ("sev1 draft", Severity::Sev1, IncidentStatus::Draft),
        ("sev2 draft", Severity::Sev2, IncidentStatus::Draft),
        ("sev1 published", Severity::Sev1, IncidentStatus::Published),
        ("sev3 in review", Severity::Sev3, IncidentStatus::InReview),
    ] {
        incidents::create(&t.db, &incident(title, severity, status))
            .await
            .expect("created");
    }
    let filter = |status, severity| IncidentFilter {
        status,
        severity,
        ..Default::default()
    };

    let mut all = titles(&t.db, &IncidentFilter::default()).await;
    all.sort();
    assert_eq!(
        all,
        [
            "sev1 draft",
            "sev1 published",
            "sev2 draft",
            "sev3 in review"
        ]
    );
    let mut drafts = titles(&t.db, &filter(Some(IncidentStatus::Draft), None)).await;
    drafts.sort();
    assert_eq!(drafts, ["sev1 draft", "sev2 draft"]);
    let mut sev1 = titles(&t.db, &filter(None, Some(Severity::Sev1))).await;
    sev1.sort();
    assert_eq!(sev1, ["sev1 draft", "sev1 published"]);
    assert_eq!(
        titles(
            &t.db,
            &filter(Some(IncidentStatus::Draft), Some(Severity::Sev1))
        )
        .await,
        ["sev1 draft"]
    );
    assert!(
        titles(&t.db, &filter(Some(IncidentStatus::Approved), None))
            .await
            .is_empty()
    );
    assert!(
        titles(&t.db, &filter(None, Some(Severity::Sev4)))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn deleting_an_incident_removes_everything_recorded_under_it_and_nothing_else() {
    let t = fresh_db().await;
    let mut doomed_incident = incident("Doomed", Severity::Sev2, IncidentStatus::Draft);
    doomed_incident.milestones = all_four_milestones();
    let doomed = incidents::create(&t.db, &doomed_incident)
        .await
        .expect("created");
    let mut kept_incident = incident("Kept", Severity::Sev2, IncidentStatus::Draft);
    kept_incident.milestones = all_four_milestones();
    let kept = incidents::create(&t.db, &kept_incident)
        .await
        .expect("created");
    let gone = record_everything(&t.db, doomed).await;
    let stays = record_everything(&t.db, kept).await;

    assert!(incidents::delete(&t.db, doomed).await.expect("deleted"));

    assert_eq!(incidents::get(&t.db, doomed).await.expect("read"), None);
    assert!(milestone_kinds(&t.db, doomed).await.is_empty());
    assert!(
        timeline::list_for(&t.db, doomed)
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(timeline::get(&t.db, gone.entry).await.expect("read"), None);
    assert_eq!(impact::get(&t.db, gone.figure).await.expect("read"), None);
    assert_eq!(changes::get(&t.db, gone.change).await.expect("read"), None);
    assert_eq!(
        changes::get_parameter(&t.db, gone.parameter)
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        follow_ups::get(&t.db, gone.follow_up).await.expect("read"),
        None
    );

    let other = incidents::get(&t.db, kept)
        .await
        .expect("read")
        .expect("the other incident is untouched");
    assert_eq!(other.as_new(), kept_incident);
    assert_eq!(milestone_kinds(&t.db, kept).await.len(), 4);
    assert_eq!(
        timeline::get(&t.db, stays.entry)
            .await
            .expect("read")
            .map(|e| e.entry.body_md),
        Some("Paged".to_owned())
    );
    assert_eq!(
        impact::get(&t.db, stays.figure)
            .await
            .expect("read")
            .map(|f| f.figure.quantity),
        Some(Quantity::Exact(42.0))
    );
    let kept_change = changes::get(&t.db, stays.change)
        .await
        .expect("read")
        .expect("the other incident's change stays");
    assert_eq!(
        kept_change
            .parameters
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [stays.parameter]
    );
    let kept_follow_up = follow_ups::get(&t.db, stays.follow_up)
        .await
        .expect("read")
        .expect("the other incident's follow-up stays");
    assert_eq!(kept_follow_up.follow_up.change_id, Some(stays.change));
    assert_eq!(kept_follow_up.follow_up.parameter_id, Some(stays.parameter));
    assert_eq!(titles(&t.db, &IncidentFilter::default()).await, ["Kept"]);
}

#[tokio::test]
async fn a_missing_incident_reads_as_none_and_cannot_be_updated_or_deleted() {
    let t = fresh_db().await;
    let id = incidents::create(
        &t.db,
        &incident("Only one", Severity::Sev4, IncidentStatus::Draft),
    )
    .await
    .expect("created");
    let missing = id + 1;
    let replacement = incident("Replacement", Severity::Sev1, IncidentStatus::Published);

    assert_eq!(incidents::get(&t.db, missing).await.expect("read"), None);
    assert!(
        !incidents::update(&t.db, missing, &replacement)
            .await
            .expect("no database error")
    );
    assert!(
        !incidents::update_lessons(&t.db, missing, &Lessons::default())
            .await
            .expect("no database error")
    );
    assert!(
        !incidents::delete(&t.db, missing)
            .await
            .expect("no database error")
    );
    assert_eq!(
        titles(&t.db, &IncidentFilter::default()).await,
        ["Only one"]
    );
}

#[tokio::test]
async fn an_incident_whose_milestones_cannot_be_written_is_not_created() {
    let t = fresh_db().await;
    refuse_inserts(&t.db, "milestones", "NEW.kind = 'resolved'").await;
    let mut new = incident("Half written", Severity::Sev2, IncidentStatus::Draft);
    new.milestones = all_four_milestones();

    let error = incidents::create(&t.db, &new)
        .await
        .expect_err("the refused milestone fails the create");

    assert!(error.to_string().contains("refused by the test"), "{error}");

    assert!(titles(&t.db, &IncidentFilter::default()).await.is_empty());
    assert!(
        milestones::Entity::find()
            .all(&t.db)
            .await
            .expect("read")
            .is_empty()
    );
}

#[tokio::test]
async fn an_update_that_fails_halfway_leaves_the_incident_as_it_was() {
    let t = fresh_db().await;
    let mut original = incident("Before", Severity::Sev3, IncidentStatus::Draft);
    original.milestones = all_four_milestones();
    let id = incidents::create(&t.db, &original).await.expect("created");
    refuse_inserts(&t.db, "milestones", "NEW.kind = 'resolved'").await;
    let mut changed = incident("After", Severity::Sev1, IncidentStatus::InReview);
    changed.milestones = all_four_milestones();
    changed.milestones.impact_started = Some(at(utc(1, 8, 0, 0), Precision::Exact, 0));

    let error = incidents::update(&t.db, id, &changed)
        .await
        .expect_err("the refused milestone fails the update");

    assert!(error.to_string().contains("refused by the test"), "{error}");

    let stored = incidents::get(&t.db, id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.as_new(), original);
}
