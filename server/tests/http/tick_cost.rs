//! What the reminder tick costs: a tick with everything written already runs a few statements
//! whatever the number of people and follow-ups, and writes nothing; and a benchmark (ignored:
//! `cargo test … --test http tick_cost::benchmark -- --ignored --nocapture`) that times the
//! tick at 2,000 owners and 50,000 follow-ups when everything is due and when it is written.

use app::domain::account::{NewAccount, Role};
use app::domain::follow_up::{ActionType, FollowUpState, NewFollowUp, Priority};
use app::domain::incident::IncidentStatus;
use app::server::entities::outbox;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};

use app::server::notify::scheduled::Ticked;

use crate::common::{TestApp, on_server, spawn};

/// The zones the seeded people live in: it is past 08:00 in each at 09:00 UTC.
const ZONES: [&str; 3] = ["UTC", "Europe/Berlin", "Asia/Tokyo"];

/// Adds `owners` authors, each owning `per_owner` committed follow-ups of one postmortem, due
/// every other day from ten days before `today` on (a few overdue, a few due soon, most
/// later), and one postmortem published in `today`'s week two years before: everything
/// through the repositories, in one transaction.
async fn seed(app: &TestApp, owners: usize, per_owner: usize, today: NaiveDate) {
    use app::server::repo::{accounts, example, follow_ups, incidents, published};
    let db = app.db.clone();
    on_server(async move {
        let txn = app::server::db::begin_write(&db).await.expect("a write");
        let lesson = example::load_in(&txn).await.expect("the example loads");
        incidents::set_review(&txn, lesson, IncidentStatus::Published, 1)
            .await
            .expect("published");
        published::keep(&txn, lesson).await.expect("kept");
        let two_years_ago = today.checked_sub_days(Days::new(728)).expect("a date");
        use sea_orm::ConnectionTrait;
        txn.execute_unprepared(&format!(
            "UPDATE published_postmortems SET published_at = '{two_years_ago}T12:00:00+00:00' \
             WHERE incident_id = {lesson}"
        ))
        .await
        .expect("published two years before");
        let incident = example::load_in(&txn).await.expect("the example loads");
        let first_due = today.checked_sub_days(Days::new(10)).expect("a date");
        for o in 0..owners {
            let name = format!("Owner {o}");
            let account = NewAccount {
                email: format!("owner{o}@example.com"),
                display_name: name.clone(),
                password: String::new(),
                role: Role::Author,
                time_zone: ZONES[o % ZONES.len()].to_owned(),
            };
            let id = accounts::create(&txn, &account, "not a password hash")
                .await
                .expect("an account");
            for k in 0..per_owner {
                let due = first_due.checked_add_days(Days::new(2 * k as u64));
                let follow_up = NewFollowUp {
                    title: format!("Action {k} of owner {o}"),
                    description_md: String::new(),
                    action_type: ActionType::Prevent,
                    priority: Priority::P2,
                    owner_id: Some(id),
                    owner: name.clone(),
                    due,
                    change_id: None,
                    parameter_id: None,
                    factor_id: None,
                };
                follow_ups::add(&txn, incident, &follow_up, FollowUpState::Committed)
                    .await
                    .expect("a follow-up");
            }
        }
        txn.commit().await.expect("committed");
    })
    .await;
}

async fn outbox_rows(app: &TestApp) -> u64 {
    let db = app.db.clone();
    on_server(async move { outbox::Entity::find().count(&db).await.unwrap() }).await
}

/// One tick at `now`: what it wrote (as the tick reports it), its statements and its time.
async fn timed_tick(app: &TestApp, now: DateTime<Utc>) -> (String, u64, std::time::Duration) {
    let db = app.db.clone();
    let before = app.statements.now();
    let started = std::time::Instant::now();
    let ticked = on_server(async move {
        app::server::notify::scheduled::tick(&db, now)
            .await
            .expect("a tick")
    })
    .await;
    let took = started.elapsed();
    let statements = (app.statements.now() - before).statements;
    (format!("{ticked:?}"), statements, took)
}

/// The most statements a tick with everything written may run: the policy, and for each of
/// the three kinds who or what is due and which of their keys are taken.
const MAX_WRITTEN_TICK_STATEMENTS: u64 = 7;

/// One tick at `now`: what it wrote and how many statements it ran.
async fn counted_tick(app: &TestApp, now: DateTime<Utc>) -> (Ticked, u64) {
    let before = app.statements.now();
    let ticked = crate::scheduled::ticked(app, now).await;
    (ticked, (app.statements.now() - before).statements)
}

#[tokio::test]
async fn a_tick_with_everything_written_runs_a_few_statements_whatever_the_size_and_writes_nothing()
{
    let app = spawn().await;
    // A Monday: the daily digests, the weekly ones and a not-submitted reminder (the worked
    // example, a draft mitigated in 2020) are all due.
    let monday = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    seed(&app, 60, 4, monday.date_naive()).await;
    let (first, _) = counted_tick(&app, monday).await;
    assert!(first.digests >= 60 && first.weekly >= 60, "{first:?}");
    assert_eq!(first.reminders, 1, "{first:?}");
    let queued = outbox_rows(&app).await;
    for now in [monday, Utc.with_ymd_and_hms(2026, 12, 7, 9, 1, 0).unwrap()] {
        let (ticked, statements) = counted_tick(&app, now).await;
        assert_eq!(ticked, Ticked::default(), "at {now}");
        assert!(
            statements <= MAX_WRITTEN_TICK_STATEMENTS,
            "{statements} statements at {now}"
        );
    }
    assert_eq!(
        outbox_rows(&app).await,
        queued,
        "a written tick writes nothing"
    );
    // Another day of the week: its daily digests once, and the weekly one not looked for.
    let wednesday = Utc.with_ymd_and_hms(2026, 12, 9, 9, 0, 0).unwrap();
    let (ticked, _) = counted_tick(&app, wednesday).await;
    assert!(ticked.digests >= 60 && ticked.weekly == 0, "{ticked:?}");
    let written = outbox_rows(&app).await;
    let (ticked, statements) = counted_tick(&app, wednesday).await;
    assert_eq!(ticked, Ticked::default());
    assert!(
        statements <= MAX_WRITTEN_TICK_STATEMENTS - 2,
        "{statements}"
    );
    assert_eq!(
        outbox_rows(&app).await,
        written,
        "a written tick writes nothing"
    );
}

#[tokio::test]
#[ignore = "a benchmark: run it alone, with --ignored --nocapture"]
async fn benchmark() {
    const OWNERS: usize = 2_000;
    const PER_OWNER: usize = 25;
    let app = spawn().await;
    // A Tuesday (daily digests and reminders only), then the next Monday (the weekly too).
    let tuesday = Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap();
    let monday = Utc.with_ymd_and_hms(2026, 12, 14, 9, 0, 0).unwrap();
    let started = std::time::Instant::now();
    seed(&app, OWNERS, PER_OWNER, tuesday.date_naive()).await;
    println!(
        "seeded {OWNERS} owners and {} follow-ups in {:.1?}",
        OWNERS * PER_OWNER,
        started.elapsed()
    );
    for (what, now) in [
        ("Tuesday, all due", tuesday),
        ("Tuesday, all written", tuesday),
        ("Tuesday, all written", tuesday),
        ("Monday, all due", monday),
        ("Monday, all written", monday),
        ("Monday, all written", monday),
    ] {
        let (ticked, statements, took) = timed_tick(&app, now).await;
        println!("{what}: {took:.1?}, {statements} statements, {ticked}");
    }
}
