//! The history of a postmortem: entries read back with their snapshots, newest first; who
//! wrote a postmortem (review steps do not count); the latest change to a part; and the
//! version each editable record has reached.

use super::*;
use app::domain::history::{Action, HistoryEntry, Part, fields};
use app::server::repo::history;

fn recorded(
    incident_id: i64,
    by: (Option<i64>, &str),
    part: Part,
    part_id: i64,
    action: Action,
) -> HistoryEntry {
    HistoryEntry {
        id: 0,
        incident_id,
        user_id: by.0,
        user_name: by.1.to_owned(),
        at: utc(1, 10, 0, 0),
        part,
        part_id,
        action,
        summary: format!("{} {part_id}", part.label()),
        before: None,
        after: Some(fields(&[("title", "after")])),
    }
}

#[tokio::test]
async fn an_entry_reads_back_exactly_with_both_snapshots_and_the_id_the_database_gave() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "History").await;
    let entry = HistoryEntry {
        id: 0,
        incident_id,
        user_id: Some(7),
        user_name: "Grace Hopper".to_owned(),
        at: utc(2, 14, 30, 15),
        part: Part::TimelineEntry,
        part_id: 12,
        action: Action::Updated,
        summary: "Timeline entry “Paged the on-call”".to_owned(),
        before: Some(fields(&[("body_md", "Paged"), ("actor", "SRE")])),
        after: Some(fields(&[
            ("body_md", "Paged the on-call\nand the lead"),
            ("actor", "SRE"),
        ])),
    };

    let id = history::record(&t.db, &entry).await.expect("recorded");

    let listed = history::list_for(&t.db, incident_id).await.expect("listed");
    assert_eq!(listed, [HistoryEntry { id, ..entry }]);
}

#[tokio::test]
async fn an_incidents_history_lists_newest_first_and_only_its_own() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "History").await;
    let other = plain_incident(&t.db, "Other").await;
    let by = (Some(1), "Pat");
    let created = history::record(
        &t.db,
        &recorded(
            incident_id,
            by,
            Part::Incident,
            incident_id,
            Action::Created,
        ),
    )
    .await
    .expect("recorded");
    history::record(
        &t.db,
        &recorded(other, by, Part::Incident, other, Action::Created),
    )
    .await
    .expect("recorded");
    let added = history::record(
        &t.db,
        &recorded(incident_id, by, Part::FollowUp, 3, Action::Created),
    )
    .await
    .expect("recorded");
    let moved = history::record(
        &t.db,
        &recorded(incident_id, by, Part::FollowUp, 3, Action::Moved),
    )
    .await
    .expect("recorded");

    let ids: Vec<i64> = history::list_for(&t.db, incident_id)
        .await
        .expect("listed")
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, [moved, added, created]);
    assert!(
        history::list_for(&t.db, other + 1)
            .await
            .expect("listed")
            .is_empty()
    );
}

#[tokio::test]
async fn the_history_of_a_deleted_incident_is_kept() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Deleted").await;
    history::record(
        &t.db,
        &recorded(
            incident_id,
            (Some(1), "Pat"),
            Part::Incident,
            incident_id,
            Action::Created,
        ),
    )
    .await
    .expect("recorded");

    assert!(
        incidents::delete(&t.db, incident_id)
            .await
            .expect("deleted")
    );

    let kept = history::list_for(&t.db, incident_id).await.expect("listed");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].action, Action::Created);
}

#[tokio::test]
async fn authors_are_everyone_who_wrote_a_part_in_the_order_they_first_wrote_but_not_reviewers() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Authors").await;
    let other = plain_incident(&t.db, "Other").await;
    let (pat, sam, rev, gone) = (
        (Some(1), "Pat"),
        (Some(2), "Sam"),
        (Some(3), "Reviewer"),
        (None, "A deleted account"),
    );
    for (incident, by, part, action) in [
        (incident_id, sam, Part::Incident, Action::Created),
        (incident_id, rev, Part::Review, Action::Updated),
        (incident_id, gone, Part::TimelineEntry, Action::Created),
        (incident_id, pat, Part::TimelineEntry, Action::Created),
        (incident_id, sam, Part::Lessons, Action::Updated),
        (other, rev, Part::FollowUp, Action::Created),
        (other, pat, Part::Review, Action::Updated),
    ] {
        history::record(&t.db, &recorded(incident, by, part, 1, action))
            .await
            .expect("recorded");
    }

    assert_eq!(
        history::authors(&t.db, incident_id).await.expect("read"),
        [(2, "Sam".to_owned()), (1, "Pat".to_owned())]
    );
    assert_eq!(
        history::incidents_written_by(&t.db, 2).await.expect("read"),
        [incident_id]
    );
    assert_eq!(
        history::incidents_written_by(&t.db, 3).await.expect("read"),
        [other],
        "a review step does not make the reviewer an author"
    );
    assert_eq!(
        history::incidents_written_by(&t.db, 1).await.expect("read"),
        [incident_id]
    );
}

#[tokio::test]
async fn the_incidents_someone_wrote_come_once_each_in_id_order() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    let pat = (Some(1), "Pat");
    for incident in [second, first, second, first] {
        history::record(
            &t.db,
            &recorded(incident, pat, Part::FollowUp, 9, Action::Updated),
        )
        .await
        .expect("recorded");
    }

    assert_eq!(
        history::incidents_written_by(&t.db, 1).await.expect("read"),
        [first, second]
    );
    assert!(
        history::incidents_written_by(&t.db, 2)
            .await
            .expect("read")
            .is_empty()
    );
}

#[tokio::test]
async fn the_last_change_to_a_part_is_the_latest_recorded_for_that_part_and_id() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Last change").await;
    let pat = (Some(1), "Pat");
    history::record(
        &t.db,
        &recorded(incident_id, pat, Part::TimelineEntry, 5, Action::Created),
    )
    .await
    .expect("recorded");
    let latest = history::record(
        &t.db,
        &recorded(incident_id, pat, Part::TimelineEntry, 5, Action::Updated),
    )
    .await
    .expect("recorded");
    // Same id, other parts: they must not be taken for the entry's change.
    history::record(
        &t.db,
        &recorded(incident_id, pat, Part::ImpactFigure, 5, Action::Deleted),
    )
    .await
    .expect("recorded");
    history::record(
        &t.db,
        &recorded(incident_id, pat, Part::TimelineEntry, 6, Action::Deleted),
    )
    .await
    .expect("recorded");

    let last = history::last_change(&t.db, Part::TimelineEntry, 5)
        .await
        .expect("read")
        .expect("the entry has a history");
    assert_eq!((last.id, last.action), (latest, Action::Updated));
    assert!(
        history::last_change(&t.db, Part::Change, 5)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn versions_start_at_one_and_count_saves_of_each_record_apart() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Versions").await;
    let recorded = record_everything(&t.db, incident_id).await;
    // Each editable part says its own version (`EditablePart::load`).
    let version = |part: Part, id: i64| {
        let db = t.db.clone();
        async move { part_version(&db, part, id).await }
    };
    for (part, id) in [
        (Part::Incident, incident_id),
        (Part::Lessons, incident_id),
        (Part::TimelineEntry, recorded.entry),
        (Part::ImpactFigure, recorded.figure),
        (Part::Change, recorded.change),
        (Part::Parameter, recorded.parameter),
        (Part::FollowUp, recorded.follow_up),
    ] {
        assert_eq!(version(part, id).await, Some(1), "{part:?} starts at 1");
    }

    incidents::update(
        &t.db,
        incident_id,
        &incident("Versions, edited", Severity::Sev1, IncidentStatus::Draft),
    )
    .await
    .expect("updated");
    timeline::update(
        &t.db,
        recorded.entry,
        &entry(at(utc(1, 9, 6, 0), Precision::Minute, 0), "Paged again"),
    )
    .await
    .expect("updated");
    timeline::update(
        &t.db,
        recorded.entry,
        &entry(at(utc(1, 9, 7, 0), Precision::Minute, 0), "Paged thrice"),
    )
    .await
    .expect("updated");

    assert_eq!(version(Part::Incident, incident_id).await, Some(2));
    assert_eq!(
        version(Part::Lessons, incident_id).await,
        Some(1),
        "lessons are edited apart"
    );
    assert_eq!(version(Part::TimelineEntry, recorded.entry).await, Some(3));
    assert_eq!(
        version(Part::FollowUp, recorded.follow_up + 100).await,
        None
    );
}

/// The version of a part as its editable-part implementation loads it.
async fn part_version(db: &sea_orm::DatabaseConnection, part: Part, id: i64) -> Option<i64> {
    use app::server::edit::EditablePart;
    use app::server::repo::{changes, follow_ups, impact, incidents, timeline};
    let version = match part {
        Part::Incident => incidents::IncidentPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::Lessons => incidents::LessonsPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::TimelineEntry => timeline::TimelinePart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::ImpactFigure => impact::ImpactPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::Change => changes::ChangePart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::Parameter => changes::ParameterPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::FollowUp => follow_ups::FollowUpPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::FieldValues => app::server::repo::templates::FieldValuesPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::Factor => app::server::repo::factors::FactorPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::Relation => app::server::repo::relations::RelationPart::load(db, id)
            .await
            .map(|s| s.map(|s| s.version)),
        Part::Participant | Part::Review | Part::Template => {
            panic!("{part:?} is not edited on a form of its own")
        }
        // A mentor note is written by its writer alone: its form carries no version.
        Part::MentorNote => panic!("{part:?} has no version"),
    };
    version.expect("read")
}
