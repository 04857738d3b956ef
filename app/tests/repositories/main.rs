#![cfg(feature = "ssr")]
//! Repository tests: every repository against a fresh database with the real migrations (an
//! SQLite file, or a new Postgres database when `DEBRIEF_TEST_POSTGRES` names a server), one
//! database per test so they run in parallel. They check what the pages rely on:
//! what is written reads back exactly, lists come in the promised order, deletes cascade (or
//! untarget) as the schema says, and a failed write leaves nothing half-written. One module per
//! aggregate; the shared builders live here.
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::change::{ChangeKind, ChangeRelation, NewChange, NewParameter};
use app::domain::example::worked_example;
use app::domain::follow_up::{
    ActionType, DuePolicies, FollowUp, FollowUpState, MoveContext, NewFollowUp, Priority,
};
use app::domain::form::FieldError;
use app::domain::impact::{NewImpactFigure, Quantity};
use app::domain::incident::{
    IncidentForm, IncidentStatus, Lessons, Milestones, NewIncident, Severity,
};
use app::domain::time::{ApproxDuration, Precision, RecordedTime};
use app::domain::timeline::{EntryKind, Marker, NewTimelineEntry};
use app::dto::forms::FormFlash;
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

mod account;
mod change;
mod change_insights;
mod comment;
mod concurrent_writers;
mod connect;
mod dashboard;
mod factor;
mod follow_up;
mod form_flash;
mod history;
mod impact_figure;
mod incident;
mod integration_token;
mod library;
mod list_page;
mod login_attempt;
mod metric_exclusion;
mod metrics;
mod outbox;
mod participant;
mod postmortem;
mod published;
mod review;
mod search;
mod share;
mod templates;
mod timeline_entry;
mod worked_example;

/// A fresh, migrated database, removed (on SQLite) when the test ends.
struct TestDb {
    db: DatabaseConnection,
    _dir: TempDir,
}

async fn fresh_db() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = fresh_url(dir.path()).await;
    let db = db::connect(&url)
        .await
        .expect("a new database opens and migrates");
    TestDb { db, _dir: dir }
}

/// The URL of a fresh, empty database: an SQLite file in `dir`, or, when `DEBRIEF_TEST_POSTGRES`
/// names a Postgres server (`postgres://user:password@host:port`), a new database on it, named
/// `debrief_test_repo_<process>_<n>` (so `scripts/postgres.sh` drops it later).
async fn fresh_url(dir: &std::path::Path) -> String {
    let Ok(server) = std::env::var("DEBRIEF_TEST_POSTGRES") else {
        return format!("sqlite://{}/t.db?mode=rwc", dir.display());
    };
    let server = server.trim().trim_end_matches('/').to_owned();
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .expect("the Postgres server answers");
    // Unique per test: the tests of this binary run at once, in one process.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "debrief_test_repo_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a test database");
    let _ = admin.close().await;
    format!("{server}/{name}")
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
        time_source: String::new(),
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
        owner_id: None,
        owner: owner.into(),
        due: NaiveDate::from_ymd_opt(2024, 6, 30),
        change_id: None,
        parameter_id: None,
        factor_id: None,
    }
}

fn targeting(title: &str, change_id: i64, parameter_id: Option<i64>) -> NewFollowUp {
    NewFollowUp {
        change_id: Some(change_id),
        parameter_id,
        ..follow_up(title, "Platform team")
    }
}

/// Stores an account named `name` (email `<name>@example.com`, lower-cased) with `role`;
/// returns its id.
async fn person(db: &DatabaseConnection, name: &str, role: app::domain::account::Role) -> i64 {
    let account = app::domain::account::NewAccount {
        email: format!("{name}@example.com"),
        display_name: name.to_owned(),
        password: "correct horse battery".to_owned(),
        role,
        time_zone: "UTC".to_owned(),
    };
    app::server::repo::accounts::create(db, &account, "not-a-real-hash")
        .await
        .expect("account created")
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

/// Makes the database refuse inserts into `table` that match `when` (a condition on `NEW`), so a
/// test can fail a write halfway through and see what is left.
async fn refuse_inserts(db: &DatabaseConnection, table: &str, when: &str) {
    let trigger = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => format!(
            "CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; \
             CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} FOR EACH ROW \
             WHEN ({when}) EXECUTE FUNCTION refuse_{table}()"
        ),
        _ => format!(
            "CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} WHEN {when} \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ),
    };
    db.execute_unprepared(&trigger)
        .await
        .expect("the trigger is created");
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
