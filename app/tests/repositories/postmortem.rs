//! A whole postmortem at once: loaded with exactly its own parts, and imported from an export
//! as a new draft that exports the same again (follow-ups still aimed at their change and
//! parameter, with their reason or evidence).

use super::*;
use app::domain::export::PostmortemExport;
use app::server::repo::postmortem;

async fn export_of(db: &DatabaseConnection, incident_id: i64) -> PostmortemExport {
    let loaded = postmortem::load(db, incident_id)
        .await
        .expect("loaded")
        .expect("the postmortem exists");
    PostmortemExport::of(&loaded.parts())
}

/// A postmortem with lessons, two changes, and follow-ups aimed at the second change's second
/// parameter, at nothing, and one verified with evidence.
async fn full_postmortem(db: &DatabaseConnection, status: IncidentStatus) -> i64 {
    let id = incidents::create(
        db,
        &NewIncident {
            milestones: all_four_milestones(),
            ..incident("Checkout errors", Severity::Sev1, status)
        },
    )
    .await
    .expect("created");
    incidents::update_lessons(
        db,
        id,
        &Lessons {
            went_well_md: "Paging worked.".into(),
            went_wrong_md: "The canary was skipped.".into(),
            lucky_md: "It was a quiet day.".into(),
        },
    )
    .await
    .expect("lessons saved");
    record_everything(db, id).await;
    let second = changes::add(db, id, &change("Config push"))
        .await
        .expect("added");
    changes::add_parameter(db, second, &parameter("timeout", "30s", false))
        .await
        .expect("added");
    let aimed = changes::add_parameter(db, second, &parameter("retries", "5", true))
        .await
        .expect("added");
    follow_ups::add(
        db,
        id,
        &targeting("Lower retries", second, Some(aimed)),
        FollowUpState::Committed,
    )
    .await
    .expect("added");
    let verified = follow_ups::add(
        db,
        id,
        &follow_up("Add a canary", "Platform team"),
        FollowUpState::Verified,
    )
    .await
    .expect("added");
    let mut stored = follow_ups::get(db, verified)
        .await
        .expect("read")
        .expect("the follow-up");
    stored.evidence = Some("Game day: the canary stopped a bad deploy".into());
    follow_ups::set_state(db, &stored).await.expect("set");
    id
}

#[tokio::test]
async fn a_loaded_postmortem_has_its_own_parts_and_none_of_anothers() {
    let t = fresh_db().await;
    let id = full_postmortem(&t.db, IncidentStatus::Draft).await;
    let other = plain_incident(&t.db, "Other").await;
    let theirs = record_everything(&t.db, other).await;

    let loaded = postmortem::load(&t.db, id)
        .await
        .expect("loaded")
        .expect("the postmortem exists");

    assert_eq!(loaded.incident.id, id);
    assert_eq!(loaded.incident.lessons.lucky_md, "It was a quiet day.");
    assert_eq!(loaded.timeline.len(), 1);
    assert_eq!(loaded.impact.len(), 1);
    assert_eq!(loaded.changes.len(), 2);
    assert_eq!(loaded.changes[1].parameters.len(), 2);
    assert_eq!(loaded.follow_ups.len(), 3);
    assert!(loaded.timeline.iter().all(|e| e.incident_id == id));
    assert!(loaded.impact.iter().all(|f| f.incident_id == id));
    assert!(loaded.changes.iter().all(|c| c.id != theirs.change));
    assert!(loaded.follow_ups.iter().all(|f| f.incident_id == id));
    let parts = loaded.parts();
    assert_eq!(parts.incident.id, id);
    assert_eq!(parts.follow_ups.len(), 3);

    assert!(
        postmortem::load(&t.db, other + 1)
            .await
            .expect("no database error")
            .is_none()
    );
}

#[tokio::test]
async fn an_imported_export_is_a_new_draft_that_exports_the_same_again() {
    let t = fresh_db().await;
    let original = full_postmortem(&t.db, IncidentStatus::Published).await;
    let exported = export_of(&t.db, original).await;

    let imported = postmortem::import(&t.db, &exported)
        .await
        .expect("imported");

    assert_ne!(imported, original);
    let again = export_of(&t.db, imported).await;
    let mut expected = exported.clone();
    expected.incident.status = IncidentStatus::Draft;
    assert_eq!(again, expected);
    let aimed = &again.follow_ups[1];
    assert_eq!(
        (
            aimed.follow_up.title.as_str(),
            aimed.change,
            aimed.parameter
        ),
        ("Lower retries", Some(1), Some(1)),
        "aimed at the second change's second parameter"
    );
    let loaded = postmortem::load(&t.db, imported)
        .await
        .expect("loaded")
        .expect("imported");
    let target = loaded.follow_ups[1].follow_up.parameter_id;
    assert_eq!(target, Some(loaded.changes[1].parameters[1].id));
    assert!(
        loaded.changes[1]
            .parameters
            .iter()
            .all(|p| p.change_id == loaded.changes[1].id),
        "the imported parameters belong to the imported change"
    );
    assert_eq!(
        export_of(&t.db, original).await,
        exported,
        "the original is untouched"
    );
}

#[tokio::test]
async fn an_import_that_fails_halfway_leaves_nothing_once_its_transaction_rolls_back() {
    let t = fresh_db().await;
    let original = full_postmortem(&t.db, IncidentStatus::Draft).await;
    let exported = export_of(&t.db, original).await;
    refuse_inserts(&t.db, "follow_ups", "NEW.title = 'Add a canary'").await;

    let tx = db::begin_write(&t.db).await.expect("a write transaction");
    let failed = postmortem::import(&tx, &exported).await;
    assert!(failed.is_err(), "the last follow-up is refused");
    tx.rollback().await.expect("rolled back");

    assert_eq!(
        titles(&t.db, &IncidentFilter::default()).await,
        ["Checkout errors"]
    );
    assert_eq!(
        follow_up_titles(&t.db, &FollowUpFilter::default())
            .await
            .len(),
        3,
        "only the original's follow-ups"
    );
}
