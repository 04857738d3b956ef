#![cfg(feature = "ssr")]
//! Repository tests: every repository against a fresh SQLite file database with the real
//! migrations, one database per test so they run in parallel. They check what the pages rely on:
//! what is written reads back exactly, lists come in the promised order, deletes cascade (or
//! untarget) as the schema says, and a failed write leaves nothing half-written.

use app::api::flash::FormFlash;
use app::domain::change::{ChangeKind, ChangeRelation, NewChange, NewParameter};
use app::domain::example::worked_example;
use app::domain::follow_up::{ActionType, FollowUpState, NewFollowUp, Priority};
use app::domain::form::FieldError;
use app::domain::impact::{NewImpactFigure, Quantity};
use app::domain::incident::{
    IncidentForm, IncidentStatus, Lessons, Milestones, NewIncident, Severity,
};
use app::domain::time::{ApproxDuration, Precision, RecordedTime};
use app::domain::timeline::{EntryKind, Marker, NewTimelineEntry};
use app::error::AppError;
use app::server::db;
use app::server::entities::{form_flashes, milestones, timeline_entries};
use app::server::flash;
use app::server::repo::follow_ups::FollowUpFilter;
use app::server::repo::incidents::IncidentFilter;
use app::server::repo::{changes, example, follow_ups, impact, incidents, timeline};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use tempfile::TempDir;

/// A fresh, migrated database in a directory that is removed when the test ends.
struct TestDb {
    db: DatabaseConnection,
    _dir: TempDir,
}

async fn fresh_db() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let db = db::connect(&url)
        .await
        .expect("a new SQLite file opens and migrates");
    TestDb { db, _dir: dir }
}

fn utc(day: u32, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, day, hour, minute, second)
        .single()
        .expect("every May 2024 time used here exists")
}

fn on(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, month, day, hour, 0, 0)
        .single()
        .expect("every 2024 time used here exists")
}

fn at(time: DateTime<Utc>, precision: Precision, offset_minutes: i32) -> RecordedTime {
    RecordedTime::new(time, None, precision, offset_minutes).expect("a valid single time")
}

fn between(from: DateTime<Utc>, until: DateTime<Utc>, offset_minutes: i32) -> RecordedTime {
    RecordedTime::new(from, Some(until), Precision::Range, offset_minutes)
        .expect("a range that ends after it starts")
}

fn zone(offset_minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(offset_minutes * 60).expect("an offset within a day")
}

fn incident(title: &str, severity: Severity, status: IncidentStatus) -> NewIncident {
    NewIncident {
        title: title.into(),
        summary_md: format!("What happened in *{title}*."),
        severity,
        status,
        services: vec!["Checkout".into()],
        milestones: Milestones::default(),
    }
}

fn started_at(title: &str, impact_started: RecordedTime) -> NewIncident {
    let mut new = incident(title, Severity::Sev2, IncidentStatus::Draft);
    new.milestones.impact_started = Some(impact_started);
    new
}

fn all_four_milestones() -> Milestones {
    Milestones {
        impact_started: Some(at(utc(1, 9, 0, 0), Precision::Approximate, 60)),
        detected: Some(at(utc(1, 9, 4, 0), Precision::Minute, 60)),
        mitigated: Some(at(utc(1, 9, 30, 0), Precision::Minute, 60)),
        resolved: Some(between(utc(1, 9, 45, 0), utc(1, 10, 0, 0), 60)),
    }
}

fn entry(time: RecordedTime, body: &str) -> NewTimelineEntry {
    NewTimelineEntry {
        time,
        kind: EntryKind::Action,
        marker: None,
        actor: "on-call engineer".into(),
        body_md: body.into(),
    }
}

fn figure(affected: &str, quantity: Quantity) -> NewImpactFigure {
    NewImpactFigure {
        affected: affected.into(),
        quantity,
        unit: "requests".into(),
        window: None,
        estimation: "load-balancer logs".into(),
        customer_visible: true,
    }
}

fn change(summary: &str) -> NewChange {
    NewChange {
        summary: summary.into(),
        kind: ChangeKind::Deploy,
        system: "Kubernetes".into(),
        identifier: "checkout v2.14.0".into(),
        link: Some("https://deploys.example.com/1234".into()),
        time: Some(between(utc(1, 8, 50, 0), utc(1, 8, 58, 30), -300)),
        started_by: "release engineer".into(),
        plan: "Canary to 5%, then everyone".into(),
        reviewer: "payments lead".into(),
        relation: ChangeRelation::Suspected,
        rationale_md: "The deploy finished *just before* errors began.".into(),
    }
}

fn parameter(name: &str, value: &str, is_default: bool) -> NewParameter {
    NewParameter {
        name: name.into(),
        value: value.into(),
        is_default,
    }
}

fn follow_up(title: &str, owner: &str) -> NewFollowUp {
    NewFollowUp {
        title: title.into(),
        description_md: format!("Why: {title}."),
        action_type: ActionType::Prevent,
        priority: Priority::P2,
        owner: owner.into(),
        due: NaiveDate::from_ymd_opt(2024, 6, 30),
        change_id: None,
        parameter_id: None,
    }
}

fn targeting(title: &str, change_id: i64, parameter_id: Option<i64>) -> NewFollowUp {
    NewFollowUp {
        change_id: Some(change_id),
        parameter_id,
        ..follow_up(title, "Platform team")
    }
}

/// Stores an incident with nothing but a title worth telling apart; returns its id.
async fn plain_incident(db: &DatabaseConnection, title: &str) -> i64 {
    incidents::create(db, &incident(title, Severity::Sev2, IncidentStatus::Draft))
        .await
        .expect("created")
}

async fn titles(db: &DatabaseConnection, filter: &IncidentFilter) -> Vec<String> {
    incidents::list(db, filter)
        .await
        .expect("incidents list")
        .into_iter()
        .map(|i| i.title)
        .collect()
}

async fn follow_up_titles(db: &DatabaseConnection, filter: &FollowUpFilter) -> Vec<String> {
    follow_ups::list(db, filter)
        .await
        .expect("follow-ups list")
        .into_iter()
        .map(|f| f.follow_up.title)
        .collect()
}

async fn milestone_kinds(db: &DatabaseConnection, incident_id: i64) -> Vec<String> {
    let mut kinds: Vec<String> = milestones::Entity::find()
        .filter(milestones::Column::IncidentId.eq(incident_id))
        .all(db)
        .await
        .expect("milestone rows")
        .into_iter()
        .map(|m| m.kind)
        .collect();
    kinds.sort();
    kinds
}

/// Makes SQLite refuse inserts into `table` that match `when`, so a test can fail a write
/// halfway through and see what is left.
async fn refuse_inserts(db: &DatabaseConnection, table: &str, when: &str) {
    db.execute_unprepared(&format!(
        "CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} WHEN {when} \
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ))
    .await
    .expect("the trigger is created");
}

// Incidents

#[tokio::test]
async fn an_incident_reads_back_with_its_four_milestones_as_entered() {
    let t = fresh_db().await;
    let form = IncidentForm {
        title: "Card payments timed out at checkout".into(),
        summary: "Card payments **timed out** for about 40 minutes.".into(),
        severity: "sev2".into(),
        status: "in_review".into(),
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
    let new = form.parse(&zone(330)).expect("a valid incident form");

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
    let filter = |status, severity| IncidentFilter { status, severity };

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

/// The ids of one of everything recorded under an incident.
struct Recorded {
    entry: i64,
    figure: i64,
    change: i64,
    parameter: i64,
    follow_up: i64,
}

async fn record_everything(db: &DatabaseConnection, incident_id: i64) -> Recorded {
    let entry = timeline::add(
        db,
        incident_id,
        &entry(at(utc(1, 9, 5, 0), Precision::Minute, 0), "Paged"),
    )
    .await
    .expect("entry added");
    let figure = impact::add(
        db,
        incident_id,
        &figure("payments failed", Quantity::Exact(42.0)),
    )
    .await
    .expect("figure added");
    let change = changes::add(db, incident_id, &change("Deploy"))
        .await
        .expect("change added");
    let parameter = changes::add_parameter(db, change, &parameter("replicas", "3", false))
        .await
        .expect("parameter added");
    let follow_up = follow_ups::add(
        db,
        incident_id,
        &targeting("Cap replicas", change, Some(parameter)),
        FollowUpState::Proposed,
    )
    .await
    .expect("follow-up added");
    Recorded {
        entry,
        figure,
        change,
        parameter,
        follow_up,
    }
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

// Timeline

#[tokio::test]
async fn timeline_entries_list_in_time_order_whatever_order_they_were_added() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Timeline").await;
    let other = plain_incident(&t.db, "Other").await;
    let rollback = NewTimelineEntry {
        kind: EntryKind::Decision,
        marker: Some(Marker::Repair),
        actor: "incident commander".into(),
        ..entry(at(utc(1, 10, 30, 0), Precision::Minute, 120), "Roll back")
    };
    let added = [
        rollback.clone(),
        entry(
            between(utc(1, 10, 0, 0), utc(1, 10, 20, 0), 120),
            "Errors climb",
        ),
        entry(at(utc(1, 10, 5, 30), Precision::Exact, 120), "Alert fires"),
        entry(
            at(utc(1, 10, 10, 0), Precision::Approximate, 120),
            "Someone notices",
        ),
    ];
    for e in &added {
        timeline::add(&t.db, id, e).await.expect("entry added");
    }
    timeline::add(
        &t.db,
        other,
        &entry(at(utc(1, 10, 1, 0), Precision::Minute, 0), "Elsewhere"),
    )
    .await
    .expect("entry added");

    let listed = timeline::list_for(&t.db, id).await.expect("listed");

    // The range counts from its midpoint (10:10); a tie goes to the entry added first.
    assert_eq!(
        listed
            .iter()
            .map(|e| e.entry.body_md.as_str())
            .collect::<Vec<_>>(),
        [
            "Alert fires",
            "Errors climb",
            "Someone notices",
            "Roll back"
        ]
    );
    assert!(listed.iter().all(|e| e.incident_id == id));
    assert_eq!(listed[3].entry, rollback);
    assert_eq!(listed[1].entry, added[1]);
}

#[tokio::test]
async fn timeline_updates_and_deletes_name_the_incident_they_belong_to() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    let id = timeline::add(
        &t.db,
        second,
        &entry(at(utc(1, 10, 0, 0), Precision::Minute, 0), "Draft wording"),
    )
    .await
    .expect("entry added");
    let rewritten = NewTimelineEntry {
        kind: EntryKind::Communication,
        marker: Some(Marker::KeyMoment),
        ..entry(
            between(utc(1, 10, 0, 0), utc(1, 10, 3, 0), -420),
            "Status page updated",
        )
    };

    assert_eq!(
        timeline::update(&t.db, id, &rewritten)
            .await
            .expect("updated"),
        Some(second)
    );
    let stored = timeline::get(&t.db, id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.entry, rewritten);
    assert_eq!(stored.incident_id, second);
    assert_ne!(stored.incident_id, first);

    assert_eq!(
        timeline::delete(&t.db, id).await.expect("deleted"),
        Some(second)
    );
    assert_eq!(timeline::get(&t.db, id).await.expect("read"), None);
    assert_eq!(
        timeline::update(&t.db, id, &rewritten)
            .await
            .expect("no database error"),
        None
    );
    assert_eq!(
        timeline::delete(&t.db, id)
            .await
            .expect("no database error"),
        None
    );
}

// Impact

#[tokio::test]
async fn every_kind_of_impact_figure_reads_back_exactly() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Impact").await;
    let exact = NewImpactFigure {
        window: Some(ApproxDuration {
            seconds: 5_400,
            approximate: false,
        }),
        ..figure("card payments declined", Quantity::Exact(1_234.5))
    };
    let approximate = NewImpactFigure {
        unit: String::new(),
        window: Some(ApproxDuration {
            seconds: 60,
            approximate: true,
        }),
        ..figure("customer logins failed", Quantity::Approximate(500.0))
    };
    let range = NewImpactFigure {
        unit: "EUR".into(),
        customer_visible: false,
        estimation: "finance's estimate of refunds".into(),
        ..figure(
            "refunds owed",
            Quantity::Range {
                low: 0.25,
                high: 1_750_000.0,
            },
        )
    };
    let mut ids = Vec::new();
    for f in [&exact, &approximate, &range] {
        ids.push(impact::add(&t.db, id, f).await.expect("figure added"));
    }

    let listed = impact::list_for_incidents(&t.db, &[id])
        .await
        .expect("listed");

    assert_eq!(
        listed.iter().map(|f| &f.figure).collect::<Vec<_>>(),
        [&exact, &approximate, &range]
    );
    assert_eq!(listed.iter().map(|f| f.id).collect::<Vec<_>>(), ids);
    assert!(listed.iter().all(|f| f.incident_id == id));
    assert_eq!(
        impact::get(&t.db, ids[1])
            .await
            .expect("read")
            .map(|f| f.figure),
        Some(approximate)
    );
}

#[tokio::test]
async fn updating_an_impact_figure_replaces_its_quantity_and_window() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Impact").await;
    let figure_id = impact::add(
        &t.db,
        id,
        &NewImpactFigure {
            window: Some(ApproxDuration {
                seconds: 600,
                approximate: true,
            }),
            ..figure(
                "orders lost",
                Quantity::Range {
                    low: 10.0,
                    high: 20.0,
                },
            )
        },
    )
    .await
    .expect("figure added");
    let counted = figure("orders lost", Quantity::Exact(17.0));

    assert_eq!(
        impact::update(&t.db, figure_id, &counted)
            .await
            .expect("updated"),
        Some(id)
    );
    assert_eq!(
        impact::get(&t.db, figure_id)
            .await
            .expect("read")
            .map(|f| f.figure),
        Some(counted.clone())
    );
    assert_eq!(
        impact::delete(&t.db, figure_id).await.expect("deleted"),
        Some(id)
    );
    assert_eq!(
        impact::update(&t.db, figure_id, &counted)
            .await
            .expect("no database error"),
        None
    );
}

// Changes

#[tokio::test]
async fn a_change_reads_back_with_its_parameters_and_which_were_left_at_default() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let new = change("Deploy checkout v2.14.0");
    let change_id = changes::add(&t.db, id, &new).await.expect("change added");
    let set = parameter("replicas", "12", false);
    let defaulted = parameter("max_surge", "", true);
    let set_id = changes::add_parameter(&t.db, change_id, &set)
        .await
        .expect("parameter added");
    let defaulted_id = changes::add_parameter(&t.db, change_id, &defaulted)
        .await
        .expect("parameter added");

    let stored = changes::get(&t.db, change_id)
        .await
        .expect("read")
        .expect("the change just added");

    assert_eq!(stored.id, change_id);
    assert_eq!(stored.incident_id, id);
    assert_eq!(stored.change, new);
    let params: Vec<(i64, i64, &NewParameter)> = stored
        .parameters
        .iter()
        .map(|p| (p.id, p.change_id, &p.parameter))
        .collect();
    assert_eq!(
        params,
        [
            (set_id, change_id, &set),
            (defaulted_id, change_id, &defaulted)
        ]
    );
    assert_eq!(
        changes::get_parameter(&t.db, defaulted_id)
            .await
            .expect("read")
            .map(|p| p.parameter.is_default),
        Some(true)
    );
}

#[tokio::test]
async fn changes_list_each_with_its_own_parameters() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let other = plain_incident(&t.db, "Other").await;
    let untimed = NewChange {
        kind: ChangeKind::FeatureFlag,
        link: None,
        time: None,
        relation: ChangeRelation::RuledOut,
        ..change("Flag flipped")
    };
    let deploy = changes::add(&t.db, id, &change("Deploy"))
        .await
        .expect("added");
    let flag = changes::add(&t.db, id, &untimed).await.expect("added");
    let elsewhere = changes::add(&t.db, other, &change("Elsewhere"))
        .await
        .expect("added");
    // Added interleaved, so grouping cannot lean on insertion order.
    for (change_id, name) in [
        (flag, "flag"),
        (deploy, "image"),
        (elsewhere, "region"),
        (deploy, "replicas"),
        (flag, "percentage"),
    ] {
        changes::add_parameter(&t.db, change_id, &parameter(name, "x", false))
            .await
            .expect("parameter added");
    }

    let listed = changes::list_for(&t.db, id).await.expect("listed");

    let grouped: Vec<(i64, Vec<&str>)> = listed
        .iter()
        .map(|c| {
            let names = c
                .parameters
                .iter()
                .map(|p| p.parameter.name.as_str())
                .collect();
            (c.id, names)
        })
        .collect();
    assert_eq!(
        grouped,
        [
            (deploy, vec!["image", "replicas"]),
            (flag, vec!["flag", "percentage"])
        ]
    );
    assert_eq!(listed[1].change, untimed);
    assert!(
        listed
            .iter()
            .flat_map(|c| c.parameters.iter().map(move |p| (c.id, p.change_id)))
            .all(|(change_id, owner)| change_id == owner)
    );
}

#[tokio::test]
async fn deleting_a_change_keeps_its_follow_ups_but_untargets_them() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let doomed = changes::add(&t.db, id, &change("Doomed"))
        .await
        .expect("added");
    let kept = changes::add(&t.db, id, &change("Kept"))
        .await
        .expect("added");
    let doomed_parameter = changes::add_parameter(&t.db, doomed, &parameter("a", "1", false))
        .await
        .expect("added");
    let kept_parameter = changes::add_parameter(&t.db, kept, &parameter("b", "2", true))
        .await
        .expect("added");
    let on_parameter = follow_ups::add(
        &t.db,
        id,
        &targeting("On the parameter", doomed, Some(doomed_parameter)),
        FollowUpState::Proposed,
    )
    .await
    .expect("added");
    let on_change = follow_ups::add(
        &t.db,
        id,
        &targeting("On the change", doomed, None),
        FollowUpState::Committed,
    )
    .await
    .expect("added");
    let on_other = follow_ups::add(
        &t.db,
        id,
        &targeting("On the other change", kept, Some(kept_parameter)),
        FollowUpState::Proposed,
    )
    .await
    .expect("added");

    assert_eq!(
        changes::delete(&t.db, doomed).await.expect("deleted"),
        Some(id)
    );

    assert_eq!(changes::get(&t.db, doomed).await.expect("read"), None);
    assert_eq!(
        changes::get_parameter(&t.db, doomed_parameter)
            .await
            .expect("read"),
        None
    );
    let untargeted = follow_ups::get(&t.db, on_parameter)
        .await
        .expect("read")
        .expect("the follow-up outlives its change");
    assert_eq!(untargeted.follow_up.title, "On the parameter");
    assert_eq!(untargeted.follow_up.change_id, None);
    assert_eq!(untargeted.follow_up.parameter_id, None);
    assert_eq!(untargeted.state, FollowUpState::Proposed);
    let untargeted = follow_ups::get(&t.db, on_change)
        .await
        .expect("read")
        .expect("the follow-up outlives its change");
    assert_eq!(untargeted.follow_up.change_id, None);
    assert_eq!(untargeted.state, FollowUpState::Committed);
    let untouched = follow_ups::get(&t.db, on_other)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(untouched.follow_up.change_id, Some(kept));
    assert_eq!(untouched.follow_up.parameter_id, Some(kept_parameter));
    assert_eq!(
        changes::delete(&t.db, doomed)
            .await
            .expect("no database error"),
        None
    );
}

#[tokio::test]
async fn deleting_a_parameter_untargets_follow_ups_but_keeps_their_change() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let change_id = changes::add(&t.db, id, &change("Deploy"))
        .await
        .expect("added");
    let concurrency = parameter("concurrency", "", true);
    let parameter_id = changes::add_parameter(&t.db, change_id, &concurrency)
        .await
        .expect("added");
    let follow_up_id = follow_ups::add(
        &t.db,
        id,
        &targeting("Safe default", change_id, Some(parameter_id)),
        FollowUpState::Proposed,
    )
    .await
    .expect("added");

    let removed = changes::delete_parameter(&t.db, parameter_id)
        .await
        .expect("deleted")
        .expect("the parameter was there");

    assert_eq!(removed.parameter, concurrency);
    let stored = follow_ups::get(&t.db, follow_up_id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.follow_up.change_id, Some(change_id));
    assert_eq!(stored.follow_up.parameter_id, None);
}

// Follow-ups

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

    let wont_do = get(dropped)
        .await
        .transition(FollowUpState::WontDo, reason)
        .expect("committed can become won't do");
    assert_eq!(
        follow_ups::set_state(&t.db, dropped, wont_do)
            .await
            .expect("set"),
        Some(id)
    );
    let stored = get(dropped).await;
    assert_eq!(stored.state, FollowUpState::WontDo);
    assert_eq!(stored.wont_do_reason.as_deref(), Some(reason));
    assert_eq!(stored.evidence, None);

    let reconsidered = stored
        .transition(FollowUpState::Proposed, "")
        .expect("won't do can be reconsidered");
    follow_ups::set_state(&t.db, dropped, reconsidered)
        .await
        .expect("set");
    let stored = get(dropped).await;
    assert_eq!(stored.state, FollowUpState::Proposed);
    assert_eq!(stored.wont_do_reason, None);

    let done = get(finished)
        .await
        .transition(FollowUpState::Done, "")
        .expect("in progress can be done");
    follow_ups::set_state(&t.db, finished, done)
        .await
        .expect("set");
    let verified = get(finished)
        .await
        .transition(FollowUpState::Verified, evidence)
        .expect("done can be verified");
    follow_ups::set_state(&t.db, finished, verified)
        .await
        .expect("set");
    let stored = get(finished).await;
    assert_eq!(stored.state, FollowUpState::Verified);
    assert_eq!(stored.evidence.as_deref(), Some(evidence));
    assert_eq!(stored.wont_do_reason, None);
    assert_eq!(stored.follow_up.title, "Add a canary");

    assert_eq!(
        follow_ups::set_state(&t.db, finished + 100, (FollowUpState::Done, None, None))
            .await
            .expect("no database error"),
        None
    );
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

// The worked example

#[tokio::test]
async fn the_worked_example_loads_as_one_complete_incident() {
    let t = fresh_db().await;
    let story = worked_example();

    let id = example::load(&t.db).await.expect("loaded");

    let all = incidents::list(&t.db, &IncidentFilter::default())
        .await
        .expect("listed");
    assert_eq!(all.iter().map(|i| i.id).collect::<Vec<_>>(), [id]);
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

// Form flashes

fn sample_flash() -> FormFlash {
    FormFlash {
        action: "/api/incidents/create".into(),
        values: vec![
            ("form[title]".into(), String::new()),
            ("form[severity]".into(), "sev2".into()),
            (
                "form[summary]".into(),
                "Ünïcode and \"quotes\"\nkept".into(),
            ),
        ],
        error: AppError::Validation {
            fields: vec![FieldError {
                field: "title".into(),
                message: "Enter a title.".into(),
            }],
        },
    }
}

#[tokio::test]
async fn a_stored_flash_loads_back_unchanged() {
    let t = fresh_db().await;
    let flash = sample_flash();

    let id = flash::store(&t.db, &flash).await.expect("stored");

    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(flash::load(&t.db, &id).await.expect("read"), Some(flash));
}

#[tokio::test]
async fn an_unknown_flash_id_loads_nothing() {
    let t = fresh_db().await;
    flash::store(&t.db, &sample_flash()).await.expect("stored");

    assert_eq!(
        flash::load(&t.db, "0123456789abcdef0123456789abcdef")
            .await
            .expect("read"),
        None
    );
}

#[tokio::test]
async fn a_flash_older_than_an_hour_is_gone() {
    let t = fresh_db().await;
    let payload = serde_json::to_string(&sample_flash()).expect("serialisable");
    form_flashes::ActiveModel {
        id: Set("stale".into()),
        payload: Set(payload),
        created_at: Set(Utc::now() - Duration::minutes(61)),
    }
    .insert(&t.db)
    .await
    .expect("inserted");

    assert_eq!(flash::load(&t.db, "stale").await.expect("read"), None);

    let fresh = flash::store(&t.db, &sample_flash()).await.expect("stored");
    assert_eq!(
        form_flashes::Entity::find_by_id("stale".to_owned())
            .one(&t.db)
            .await
            .expect("read"),
        None
    );
    assert!(flash::load(&t.db, &fresh).await.expect("read").is_some());
}

// Concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_incidents_created_at_once_are_all_saved() {
    let t = fresh_db().await;
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let db = t.db.clone();
            tokio::spawn(async move {
                let mut new = incident(
                    &format!("Concurrent {n:02}"),
                    Severity::Sev3,
                    IncidentStatus::Draft,
                );
                new.milestones = all_four_milestones();
                incidents::create(&db, &new).await
            })
        })
        .collect();

    let mut ids = Vec::new();
    for task in tasks {
        let created = task.await.expect("the task did not panic");
        ids.push(created.unwrap_or_else(|e| panic!("a concurrent create failed: {e}")));
    }

    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    let mut listed = titles(&t.db, &IncidentFilter::default()).await;
    listed.sort();
    let expected: Vec<String> = (0..20).map(|n| format!("Concurrent {n:02}")).collect();
    assert_eq!(listed, expected);
    for id in ids {
        assert_eq!(milestone_kinds(&t.db, id).await.len(), 4);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn worked_examples_loaded_at_once_are_each_complete() {
    let t = fresh_db().await;
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let db = t.db.clone();
            tokio::spawn(async move { example::load(&db).await })
        })
        .collect();

    let mut ids = Vec::new();
    for task in tasks {
        let loaded = task.await.expect("the task did not panic");
        ids.push(loaded.unwrap_or_else(|e| panic!("a concurrent load failed: {e}")));
    }

    assert_eq!(
        incidents::list(&t.db, &IncidentFilter::default())
            .await
            .expect("listed")
            .len(),
        5
    );
    for id in ids {
        assert_eq!(
            timeline::list_for(&t.db, id).await.expect("listed").len(),
            9
        );
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
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn incidents_deleted_while_others_are_created_and_edited_all_succeed() {
    let t = fresh_db().await;
    let mut doomed = Vec::new();
    for n in 0..10 {
        let id = incidents::create(
            &t.db,
            &incident(
                &format!("Doomed {n}"),
                Severity::Sev3,
                IncidentStatus::Draft,
            ),
        )
        .await
        .expect("created");
        record_everything(&t.db, id).await;
        doomed.push(id);
    }
    let mut tasks = Vec::new();
    for (n, &id) in doomed.iter().enumerate() {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            incidents::delete(&db, id).await.map(|deleted| {
                assert!(deleted, "incident {id} was there to delete");
            })
        }));
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut new = incident(&format!("New {n}"), Severity::Sev2, IncidentStatus::Draft);
            new.milestones = all_four_milestones();
            let created = incidents::create(&db, &new).await?;
            let lessons = Lessons {
                lucky_md: format!("Lucky {n}"),
                ..Lessons::default()
            };
            incidents::update_lessons(&db, created, &lessons)
                .await
                .map(|updated| assert!(updated))
        }));
    }

    for task in tasks {
        task.await
            .expect("the task did not panic")
            .unwrap_or_else(|e| panic!("a concurrent write failed: {e}"));
    }

    let left = incidents::list(&t.db, &IncidentFilter::default())
        .await
        .expect("listed");
    assert_eq!(left.len(), 10);
    assert!(left.iter().all(|i| i.title.starts_with("New ")));
    assert!(
        left.iter()
            .all(|i| i.lessons.lucky_md.starts_with("Lucky "))
    );
    assert!(
        follow_up_titles(&t.db, &FollowUpFilter::default())
            .await
            .is_empty()
    );
}
