//! The metrics page's figures and rows asked of the database (`query::metrics::metrics`), on
//! incidents with the edge cases (exact, minute, approximate and range milestones, a range
//! whose midpoint falls on a half second, overlapping ranges measured as "≈0", missing
//! milestones, no impact start at all, impact starting either side of midnight in the reader's
//! zone, services differing only in case, left-out incidents, drafts, and a correction under
//! way that a viewer reads as published), each equal to what the page computed in memory from
//! every incident's milestones (`query::metrics::in_memory`), for writers and viewers, for
//! every filter and page.

use super::*;
use app::domain::account::{Role, User};
use app::domain::metrics::{MetricsFilter, MetricsQuery};
use app::server::entities::incidents as rows;
use app::server::query::metrics::{Metrics, in_memory, metrics};
use app::server::repo::{metrics as exclusions, published};
use app::server::zone::NamedZone;

fn reader(role: Role) -> User {
    User {
        id: 1,
        email: "reader@example.com".to_owned(),
        display_name: "Reader".to_owned(),
        role,
        time_zone: "Europe/London".to_owned(),
        active: true,
        team: String::new(),
    }
}

fn london() -> NamedZone {
    NamedZone::parse("Europe/London").expect("a zone Debrief knows")
}

/// An incident to seed: (title, severity, services, milestones).
fn case(
    title: &str,
    severity: Severity,
    services: &[&str],
    stones: [Option<RecordedTime>; 4],
) -> NewIncident {
    let [impact_started, detected, mitigated, resolved] = stones;
    NewIncident {
        title: title.into(),
        summary_md: String::new(),
        severity,
        status: IncidentStatus::Published,
        services: services.iter().map(|s| (*s).to_owned()).collect(),
        milestones: Milestones {
            impact_started,
            detected,
            mitigated,
            resolved,
        },
    }
}

fn exact(time: DateTime<Utc>) -> Option<RecordedTime> {
    Some(at(time, Precision::Exact, 60))
}

fn rough(time: DateTime<Utc>) -> Option<RecordedTime> {
    Some(at(time, Precision::Approximate, 60))
}

fn range(from: DateTime<Utc>, until: DateTime<Utc>) -> Option<RecordedTime> {
    Some(between(from, until, 60))
}

fn second(month: u32, day: u32, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, month, day, hour, minute, second)
        .single()
        .expect("every 2024 time used here exists")
}

/// Seeds the cases; returns the id of the correction under way.
async fn seed(db: &DatabaseConnection) -> i64 {
    let cases = [
        case(
            "Exact, every milestone",
            Severity::Sev1,
            &["Checkout"],
            [
                exact(second(3, 1, 10, 0, 0)),
                exact(second(3, 1, 10, 4, 7)),
                exact(second(3, 1, 10, 30, 0)),
                exact(second(3, 1, 11, 0, 1)),
            ],
        ),
        case(
            "Approximate start, half-second midpoint",
            Severity::Sev2,
            &["checkout", "Search"],
            [
                rough(second(3, 5, 9, 0, 0)),
                range(second(3, 5, 9, 1, 0), second(3, 5, 9, 2, 1)),
                exact(second(3, 5, 9, 40, 0)),
                None,
            ],
        ),
        case(
            "Overlapping ranges: about zero",
            Severity::Sev2,
            &["Search"],
            [
                range(second(3, 9, 9, 0, 0), second(3, 9, 10, 0, 0)),
                range(second(3, 9, 9, 10, 0), second(3, 9, 9, 20, 0)),
                exact(second(3, 9, 11, 0, 0)),
                exact(second(3, 9, 12, 0, 0)),
            ],
        ),
        case(
            "Only an impact start",
            Severity::Sev3,
            &["Payments"],
            [exact(second(4, 2, 8, 0, 0)), None, None, None],
        ),
        case(
            "No milestone at all",
            Severity::Sev3,
            &[],
            [None, None, None, None],
        ),
        case(
            // 23:30 UTC on 31 March is 00:30 on 1 April in London (summer time).
            "Just after midnight in London",
            Severity::Sev1,
            &["Checkout", "Payments"],
            [
                exact(second(3, 31, 23, 30, 0)),
                exact(second(3, 31, 23, 45, 0)),
                exact(second(4, 1, 0, 15, 0)),
                exact(second(4, 1, 2, 0, 0)),
            ],
        ),
        case(
            // 23:59 on 31 March in London (summer time since 01:00 UTC that day).
            "Just before midnight in London",
            Severity::Sev4,
            &["CHECKOUT"],
            [
                exact(second(3, 31, 22, 59, 0)),
                exact(second(3, 31, 23, 5, 0)),
                rough(second(3, 31, 23, 50, 0)),
                None,
            ],
        ),
        case(
            "Same London day as the one after midnight",
            Severity::Sev2,
            &["Checkout"],
            [
                exact(second(4, 1, 20, 0, 0)),
                exact(second(4, 1, 20, 2, 0)),
                exact(second(4, 1, 21, 0, 0)),
                exact(second(4, 1, 22, 0, 0)),
            ],
        ),
        case(
            "Left out",
            Severity::Sev1,
            &["Checkout"],
            [
                exact(second(5, 10, 10, 0, 0)),
                exact(second(5, 10, 10, 1, 0)),
                exact(second(5, 10, 10, 2, 0)),
                exact(second(5, 10, 10, 3, 0)),
            ],
        ),
        case(
            "Months later, a gap between",
            Severity::Sev2,
            &["Search"],
            [
                exact(second(8, 20, 10, 0, 0)),
                exact(second(8, 20, 10, 9, 0)),
                exact(second(8, 20, 11, 0, 0)),
                exact(second(8, 20, 13, 0, 0)),
            ],
        ),
    ];
    let mut ids = Vec::new();
    for new in &cases {
        ids.push(incidents::create(db, new).await.expect("created"));
    }
    let mut draft = cases[0].clone();
    draft.title = "A draft viewers do not count".into();
    draft.status = IncidentStatus::Draft;
    draft.services = vec!["Internal".into()];
    incidents::create(db, &draft).await.expect("created");
    exclusions::exclude(db, ids[8], "A game day", "Ada")
        .await
        .expect("excluded");

    // Published, then corrected: another severity, service and milestones, not yet reviewed.
    let published_first = case(
        "Corrected: as published",
        Severity::Sev3,
        &["Ledger"],
        [
            exact(second(6, 1, 10, 0, 0)),
            exact(second(6, 1, 10, 20, 0)),
            exact(second(6, 1, 11, 0, 0)),
            None,
        ],
    );
    let correcting = incidents::create(db, &published_first)
        .await
        .expect("created");
    published::keep(db, correcting).await.expect("kept");
    let mut corrected = case(
        "Corrected: the draft",
        Severity::Sev1,
        &["Checkout"],
        [
            exact(second(7, 1, 10, 0, 0)),
            exact(second(7, 1, 10, 1, 0)),
            exact(second(7, 1, 10, 2, 0)),
            exact(second(7, 1, 10, 3, 0)),
        ],
    );
    corrected.status = IncidentStatus::Draft;
    incidents::update(db, correcting, &corrected)
        .await
        .expect("updated");
    incidents::set_review(db, correcting, IncidentStatus::Draft, 2)
        .await
        .expect("under correction");
    exclusions::exclude(db, correcting, "Counted twice", "Sam")
        .await
        .expect("excluded");

    // Under correction with no published version kept: read as it stands.
    let mut unkept = cases[2].clone();
    unkept.title = "Corrected before versions were kept".into();
    unkept.status = IncidentStatus::Draft;
    let unkept = incidents::create(db, &unkept).await.expect("created");
    incidents::set_review(db, unkept, IncidentStatus::Draft, 2)
        .await
        .expect("under correction");
    correcting
}

fn filter(from: &str, to: &str, severity: &str, service: &str) -> MetricsFilter {
    let (filter, errors) = MetricsQuery {
        from: from.into(),
        to: to.into(),
        severity: severity.into(),
        service: service.into(),
    }
    .parse();
    assert!(errors.is_empty(), "{errors:?}");
    filter
}

fn filters() -> Vec<MetricsFilter> {
    vec![
        MetricsFilter::default(),
        filter("", "", "sev1", ""),
        filter("", "", "sev2", "search"),
        filter("", "", "", "CHECKOUT"),
        filter("", "", "", "Ledger"),
        filter("", "", "", "Check"),
        filter("", "", "", "Checkout\nSearch"),
        filter("2024-04-01", "", "", ""),
        filter("", "2024-03-31", "", ""),
        filter("2024-04-01", "2024-04-01", "", "checkout"),
        filter("2024-03-05", "2024-06-30", "", ""),
        filter("2030-01-01", "", "", ""),
    ]
}

/// The SQL answer for every filter, reader and page equals the in-memory one.
async fn assert_same_as_in_memory(db: &DatabaseConnection) {
    let zone = london();
    const SIZE: usize = 3;
    for role in [Role::Viewer, Role::Author] {
        let user = reader(role);
        for filter in filters() {
            let expected = in_memory(db, &user, &filter, &zone).await.expect("read");
            for page in 1..=4 {
                let got: Metrics = metrics(db, &user, &filter, &zone, page, SIZE)
                    .await
                    .expect("read");
                let rows: Vec<_> = expected
                    .rows
                    .iter()
                    .skip((page - 1) * SIZE)
                    .take(SIZE)
                    .cloned()
                    .collect();
                let context = format!("{role:?}, {filter:?}, page {page}");
                assert_eq!(got.report, expected.report, "{context}");
                assert_eq!(got.rows, rows, "{context}");
                assert_eq!(got.more, expected.rows.len() > page * SIZE, "{context}");
                assert_eq!(got.services, expected.services, "{context}");
            }
        }
    }
}

/// The first 100 rows and the figures of every incident `role` may read, in London.
async fn unfiltered(db: &DatabaseConnection, role: Role) -> Metrics {
    metrics(
        db,
        &reader(role),
        &MetricsFilter::default(),
        &london(),
        1,
        100,
    )
    .await
    .expect("read")
}

#[tokio::test]
async fn the_metrics_asked_of_the_database_equal_those_computed_from_every_incident() {
    let t = fresh_db().await;
    let correcting = seed(&t.db).await;
    assert_same_as_in_memory(&t.db).await;

    // The cases reach what they are there for.
    let viewer = unfiltered(&t.db, Role::Viewer).await;
    let author = unfiltered(&t.db, Role::Author).await;
    assert_eq!(author.report.count, viewer.report.count + 1, "the draft");
    let seen = |m: &Metrics| {
        m.rows
            .iter()
            .find(|r| r.id == correcting)
            .map(|r| (r.title.clone(), r.severity, r.excluded.clone()))
    };
    assert_eq!(
        seen(&viewer),
        Some((
            "Corrected: as published".to_owned(),
            Severity::Sev3,
            Some("Counted twice (left out by Sam)".to_owned())
        ))
    );
    assert_eq!(
        seen(&author).map(|s| s.0),
        Some("Corrected: the draft".to_owned())
    );
    assert!(viewer.services.contains(&"Ledger".to_owned()));
    assert!(!viewer.services.contains(&"Internal".to_owned()));
    let half_second = viewer
        .rows
        .iter()
        .find(|r| r.title == "Approximate start, half-second midpoint")
        .expect("a row");
    assert_eq!(
        half_second.time_to_detect,
        Some(ApproxDuration {
            seconds: 90,
            approximate: true
        }),
        "90.5 s, truncated as the domain does"
    );
    let days: Vec<(String, NaiveDate)> = viewer
        .rows
        .iter()
        .filter(|r| r.title.contains("midnight"))
        .map(|r| (r.title.clone(), r.day))
        .collect();
    assert_eq!(
        days,
        [
            (
                "Just after midnight in London".to_owned(),
                NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
            ),
            (
                "Same London day as the one after midnight".to_owned(),
                NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
            ),
            (
                "Just before midnight in London".to_owned(),
                NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()
            ),
        ],
        "days in the reader's zone, by id within a day"
    );
}

#[tokio::test]
async fn incidents_recorded_before_their_measures_were_kept_are_measured_once_at_start_up() {
    let t = fresh_db().await;
    seed(&t.db).await;
    let forget = |ids: Option<Vec<i64>>| {
        let db = t.db.clone();
        async move {
            let mut update = rows::Entity::update_many()
                .col_expr(rows::Column::Measured, false.into())
                .col_expr(
                    rows::Column::TimeToDetectSeconds,
                    Option::<i64>::None.into(),
                )
                .col_expr(
                    rows::Column::TimeToMitigateSeconds,
                    Option::<i64>::None.into(),
                )
                .col_expr(
                    rows::Column::ImpactDurationSeconds,
                    Option::<i64>::None.into(),
                )
                .col_expr(
                    rows::Column::TimeToDetectApproximate,
                    Option::<bool>::None.into(),
                )
                .col_expr(
                    rows::Column::TimeToMitigateApproximate,
                    Option::<bool>::None.into(),
                )
                .col_expr(
                    rows::Column::ImpactDurationApproximate,
                    Option::<bool>::None.into(),
                );
            if let Some(ids) = ids {
                update = update.filter(rows::Column::Id.is_in(ids));
            }
            update.exec(&db).await.expect("forgotten");
        }
    };
    forget(None).await;
    let stale = unfiltered(&t.db, Role::Author).await;
    assert!(
        stale.report.stats.iter().all(|(_, stat)| stat.n == 0),
        "without their measures the figures count nothing"
    );
    assert_eq!(
        incidents::measure_unmeasured(&t.db)
            .await
            .expect("measured"),
        13
    );
    assert_eq!(
        incidents::measure_unmeasured(&t.db)
            .await
            .expect("measured"),
        0,
        "once"
    );
    assert_same_as_in_memory(&t.db).await;
    forget(Some(vec![1, 2])).await;
    assert_eq!(
        incidents::measure_unmeasured(&t.db)
            .await
            .expect("measured"),
        2,
        "only those missing"
    );
    assert_same_as_in_memory(&t.db).await;
}
