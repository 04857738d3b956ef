//! Published versions: kept exactly as the postmortem stood, untouched by later edits until
//! kept again, one per incident, read one, many or all at a time, and gone with the incident.

use super::*;
use app::domain::published::PublishedPostmortem;
use app::server::entities::published_postmortems;
use app::server::repo::published;
use sea_orm::PaginatorTrait;

/// The postmortem as the repositories read it now, in the published shape.
async fn as_it_stands(db: &DatabaseConnection, incident_id: i64) -> PublishedPostmortem {
    PublishedPostmortem {
        incident: incidents::get(db, incident_id)
            .await
            .expect("read")
            .expect("the incident"),
        impact: impact::list_for_incidents(db, &[incident_id])
            .await
            .expect("read"),
        changes: changes::list_for(db, incident_id).await.expect("read"),
        timeline: timeline::list_for(db, incident_id).await.expect("read"),
        follow_ups: Some(
            follow_ups::list(
                db,
                &FollowUpFilter {
                    incident_id: Some(incident_id),
                    ..FollowUpFilter::default()
                },
            )
            .await
            .expect("read"),
        ),
        factors: Some(
            app::server::repo::factors::list_for(db, incident_id)
                .await
                .expect("read"),
        ),
    }
}

async fn published_rows(db: &DatabaseConnection) -> u64 {
    published_postmortems::Entity::find()
        .count(db)
        .await
        .expect("counted")
}

#[tokio::test]
async fn a_kept_version_reads_back_exactly_as_the_postmortem_stood() {
    let t = fresh_db().await;
    let id = incidents::create(
        &t.db,
        &NewIncident {
            milestones: all_four_milestones(),
            ..incident("Published", Severity::Sev1, IncidentStatus::Published)
        },
    )
    .await
    .expect("created");
    record_everything(&t.db, id).await;
    impact::add(
        &t.db,
        id,
        &figure("carts abandoned", Quantity::Exact(0.1 + 0.2)),
    )
    .await
    .expect("a figure whose value JSON must not round");
    assert_eq!(published::get(&t.db, id).await.expect("read"), None);
    assert_eq!(
        published::published_at(&t.db, id).await.expect("read"),
        None
    );
    let before = Utc::now();

    published::keep(&t.db, id).await.expect("kept");

    let expected = as_it_stands(&t.db, id).await;
    assert_eq!(expected.timeline.len(), 1);
    assert_eq!(expected.follow_ups.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        published::get(&t.db, id).await.expect("read"),
        Some(expected)
    );
    let at = published::published_at(&t.db, id)
        .await
        .expect("read")
        .expect("kept just now");
    assert!(at >= before && at <= Utc::now());
}

#[tokio::test]
async fn later_edits_leave_the_published_version_until_it_is_kept_again() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "As published").await;
    published::keep(&t.db, id).await.expect("kept");
    let first = published::get(&t.db, id)
        .await
        .expect("read")
        .expect("kept");

    incidents::update(
        &t.db,
        id,
        &incident("As corrected", Severity::Sev1, IncidentStatus::Draft),
    )
    .await
    .expect("updated");
    timeline::add(
        &t.db,
        id,
        &entry(at(utc(1, 9, 5, 0), Precision::Minute, 0), "Paged"),
    )
    .await
    .expect("added");
    assert_eq!(
        published::get(&t.db, id).await.expect("read"),
        Some(first.clone())
    );

    published::keep(&t.db, id).await.expect("kept again");
    let second = published::get(&t.db, id)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(second.incident.title, "As corrected");
    assert_eq!(second.timeline.len(), 1);
    assert_eq!(published_rows(&t.db).await, 1, "replaced, not added");
}

#[tokio::test]
async fn keeping_an_incident_that_does_not_exist_fails_and_writes_nothing() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Exists").await;

    let missing = published::keep(&t.db, id + 1).await;

    assert!(matches!(missing, Err(sea_orm::DbErr::RecordNotFound(_))));
    assert_eq!(published_rows(&t.db).await, 0);
}

#[tokio::test]
async fn published_versions_read_many_at_once_and_all_newest_incident_first() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let unpublished = plain_incident(&t.db, "Unpublished").await;
    let third = plain_incident(&t.db, "Third").await;
    // Kept out of id order, so the order cannot come from insertion.
    published::keep(&t.db, third).await.expect("kept");
    published::keep(&t.db, first).await.expect("kept");

    let mut many: Vec<String> = published::get_many(&t.db, &[first, unpublished, third, third + 1])
        .await
        .expect("read")
        .into_iter()
        .map(|p| p.incident.title)
        .collect();
    many.sort();
    assert_eq!(many, ["First", "Third"]);
    assert!(
        published::get_many(&t.db, &[])
            .await
            .expect("read")
            .is_empty()
    );

    let all: Vec<String> = published::list_all(&t.db)
        .await
        .expect("read")
        .into_iter()
        .map(|p| p.incident.title)
        .collect();
    assert_eq!(all, ["Third", "First"]);
}

#[tokio::test]
async fn deleting_an_incident_deletes_its_published_version() {
    let t = fresh_db().await;
    let doomed = plain_incident(&t.db, "Doomed").await;
    let kept = plain_incident(&t.db, "Kept").await;
    published::keep(&t.db, doomed).await.expect("kept");
    published::keep(&t.db, kept).await.expect("kept");

    assert!(incidents::delete(&t.db, doomed).await.expect("deleted"));

    assert_eq!(published::get(&t.db, doomed).await.expect("read"), None);
    assert_eq!(
        published::published_at(&t.db, doomed).await.expect("read"),
        None
    );
    assert_eq!(published_rows(&t.db).await, 1);
}
