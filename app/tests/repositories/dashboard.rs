//! The follow-up dashboard's counts, groups, backlog and pages as SQL aggregates: on a small set
//! of follow-ups with the edge cases (due today, due in exactly 14 days, a proposed one past its
//! date, owners and systems differing only in case, no owner, no team, closed within a week and
//! at its edge), each equals what the domain counts over every follow-up in memory.

use super::*;
use app::domain::account::Role;
use app::domain::follow_up::{
    Bucket, DashboardFilter, Tracked, backlog_by_week, bucket_counts, counts_by, sort_for_review,
};
use app::server::entities::{follow_ups as rows, users};
use app::server::query::tracking::{Key, Scope};

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, month, d).unwrap()
}

fn noon(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0).unwrap().and_utc()
}

/// Every follow-up as the dashboard tracked it in memory: with its owner's team and the system
/// of the change it addresses.
async fn tracked(db: &DatabaseConnection) -> Vec<Tracked> {
    let people = users::Entity::find().all(db).await.unwrap();
    let changes = changes::list_all(db).await.unwrap();
    follow_ups::list(db, &FollowUpFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|f| Tracked {
            team: f
                .follow_up
                .owner_id
                .and_then(|id| people.iter().find(|p| p.id == id))
                .map(|p| p.team.clone())
                .unwrap_or_default(),
            system: f
                .follow_up
                .change_id
                .and_then(|id| changes.iter().find(|c| c.id == id))
                .map(|c| c.change.system.clone()),
            follow_up: f,
        })
        .collect()
}

/// A follow-up to seed: (incident, owner, owner id, state, due, change, created, closed,
/// priority).
type Case<'a> = (
    i64,
    &'a str,
    Option<i64>,
    FollowUpState,
    Option<NaiveDate>,
    Option<i64>,
    NaiveDate,
    Option<NaiveDate>,
    Priority,
);

/// Seeds the edge cases; returns "today".
async fn seed(db: &DatabaseConnection) -> NaiveDate {
    let today = day(5, 15);
    let ada = person(db, "Ada", Role::Author).await;
    let lin = person(db, "Lin", Role::Author).await;
    for (id, team) in [(ada, "Platform"), (lin, "")] {
        let mut row: users::ActiveModel = users::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
        row.team = Set(team.to_owned());
        row.update(db).await.unwrap();
    }
    let incident = plain_incident(db, "Checkout").await;
    let other = plain_incident(db, "Search").await;
    let mut jenkins = change("deploy");
    jenkins.system = "Jenkins".into();
    let jenkins = changes::add(db, incident, &jenkins).await.unwrap();
    let mut lower = change("deploy again");
    lower.system = "jenkins".into();
    let lower = changes::add(db, other, &lower).await.unwrap();
    let mut chef = change("config");
    chef.system = "Chef".into();
    let chef = changes::add(db, other, &chef).await.unwrap();
    let cases: Vec<Case> = vec![
        (
            incident,
            "Ada",
            Some(ada),
            FollowUpState::Committed,
            Some(day(5, 14)),
            Some(jenkins),
            day(3, 2),
            None,
            Priority::P1,
        ),
        (
            incident,
            "ada",
            Some(ada),
            FollowUpState::InProgress,
            Some(today),
            None,
            day(4, 20),
            None,
            Priority::P2,
        ),
        (
            incident,
            "Lin",
            Some(lin),
            FollowUpState::Committed,
            Some(day(5, 28)),
            Some(lower),
            day(5, 13),
            None,
            Priority::P3,
        ),
        (
            other,
            "Lin",
            Some(lin),
            FollowUpState::Committed,
            Some(day(5, 29)),
            Some(chef),
            day(5, 15),
            None,
            Priority::P2,
        ),
        (
            other,
            "",
            None,
            FollowUpState::Proposed,
            Some(day(4, 1)),
            None,
            day(2, 1),
            None,
            Priority::P4,
        ),
        (
            other,
            "Ada",
            Some(ada),
            FollowUpState::Done,
            None,
            Some(chef),
            day(4, 1),
            Some(day(5, 12)),
            Priority::P2,
        ),
        (
            incident,
            "Lin",
            Some(lin),
            FollowUpState::Verified,
            None,
            Some(jenkins),
            day(4, 8),
            Some(day(5, 5)),
            Priority::P1,
        ),
        (
            other,
            "Lin",
            None,
            FollowUpState::WontDo,
            Some(day(4, 2)),
            None,
            day(3, 30),
            Some(day(4, 14)),
            Priority::P3,
        ),
        (
            incident,
            "Grace",
            None,
            FollowUpState::InProgress,
            Some(day(4, 30)),
            Some(lower),
            day(4, 29),
            None,
            Priority::P2,
        ),
    ];
    for (n, (on, owner, owner_id, state, due, change_id, created, closed, priority)) in
        cases.into_iter().enumerate()
    {
        let new = NewFollowUp {
            owner_id,
            due,
            change_id,
            priority,
            ..follow_up(&format!("Follow-up {n}"), owner)
        };
        let id = follow_ups::add(db, on, &new, state).await.unwrap();
        let mut row: rows::ActiveModel = rows::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
        row.created_at = Set(noon(created));
        row.closed_at = Set(closed.map(noon));
        row.update(db).await.unwrap();
    }
    today
}

fn filters() -> Vec<DashboardFilter> {
    let all = DashboardFilter::default();
    let mut list = vec![all.clone()];
    for bucket in Bucket::ALL {
        list.push(all.in_bucket(bucket));
    }
    list.push(DashboardFilter {
        owner: "ADA".into(),
        ..all.in_bucket(Bucket::All)
    });
    list.push(DashboardFilter {
        team: "platform".into(),
        ..all.clone()
    });
    list.push(DashboardFilter {
        system: "JENKINS".into(),
        ..all.in_bucket(Bucket::All)
    });
    list.push(DashboardFilter {
        priority: Some(Priority::P2),
        incident_id: Some(2),
        ..all.in_bucket(Bucket::Open)
    });
    list
}

#[tokio::test]
async fn the_dashboards_sql_counts_groups_and_backlog_equal_what_it_counted_in_memory() {
    let t = fresh_db().await;
    let today = seed(&t.db).await;
    let items = tracked(&t.db).await;
    let scope = Scope::default();
    for filter in filters() {
        assert_eq!(
            scope.bucket_counts(&t.db, &filter, today).await.unwrap(),
            bucket_counts(&items, &filter, today),
            "tabs of {filter:?}"
        );
        for (key, by) in [
            (
                Key::Owner,
                (|i: &Tracked| Some(i.follow_up.follow_up.owner.clone()).filter(|o| !o.is_empty()))
                    as fn(&Tracked) -> Option<String>,
            ),
            (Key::Team, |i: &Tracked| {
                Some(i.team.clone()).filter(|t| !t.is_empty())
            }),
            (Key::System, |i: &Tracked| i.system.clone()),
        ] {
            let sql = scope.counts_by(&t.db, &filter, today, key).await.unwrap();
            let memory = counts_by(&items, &filter, today, by);
            let lower = |groups: &[app::domain::follow_up::GroupCounts]| {
                groups
                    .iter()
                    .map(|g| {
                        (
                            g.name.to_lowercase(),
                            g.open,
                            g.overdue,
                            g.due_soon,
                            g.awaiting_verification,
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(lower(&sql), lower(&memory), "{key:?} of {filter:?}");
        }
        let in_facets: Vec<FollowUp> = items
            .iter()
            .filter(|i| filter.matches_facets(i))
            .map(|i| i.follow_up.clone())
            .collect();
        assert_eq!(
            scope
                .backlog(&t.db, &filter, today, 12, |d| d
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc())
                .await
                .unwrap(),
            backlog_by_week(&in_facets, today, 12, |at| at.date_naive()),
            "backlog of {filter:?}"
        );
        // Pages in review order, two at a time, together every match.
        let mut expected: Vec<FollowUp> = items
            .iter()
            .filter(|i| filter.matches(i, today))
            .map(|i| i.follow_up.clone())
            .collect();
        sort_for_review(&mut expected, today);
        let expected: Vec<i64> = expected.iter().map(|f| f.id).collect();
        let mut paged = Vec::new();
        for page in 0.. {
            let mut found =
                follow_ups::in_subquery(&t.db, scope.matching(&filter, today, page * 2, Some(2)))
                    .await
                    .unwrap();
            sort_for_review(&mut found, today);
            if found.is_empty() {
                break;
            }
            paged.extend(found.iter().map(|f| f.id));
        }
        assert_eq!(paged, expected, "pages of {filter:?}");
    }
    let names = scope.names(&t.db, Key::Owner).await.unwrap();
    assert_eq!(
        names.iter().map(|n| n.to_lowercase()).collect::<Vec<_>>(),
        ["ada", "grace", "lin"]
    );
    assert_eq!(scope.names(&t.db, Key::Team).await.unwrap(), ["Platform"]);
    let systems = scope.names(&t.db, Key::System).await.unwrap();
    assert_eq!(
        systems.iter().map(|n| n.to_lowercase()).collect::<Vec<_>>(),
        ["chef", "jenkins"]
    );
    assert_eq!(
        scope.incidents(&t.db, None, None).await.unwrap(),
        [(2, "Search".to_owned()), (1, "Checkout".to_owned())]
    );
}

#[tokio::test]
async fn a_viewers_dashboard_counts_only_published_postmortems() {
    let t = fresh_db().await;
    let today = seed(&t.db).await;
    let viewer = Scope {
        published_only: true,
        corrections: Vec::new(),
    };
    let none = viewer
        .bucket_counts(&t.db, &DashboardFilter::default(), today)
        .await
        .unwrap();
    assert!(none.iter().all(|(_, n)| *n == 0), "{none:?}");
    incidents::set_review(&t.db, 2, IncidentStatus::Published, 1)
        .await
        .unwrap();
    let items: Vec<Tracked> = tracked(&t.db)
        .await
        .into_iter()
        .filter(|i| i.follow_up.incident_id == 2)
        .collect();
    let filter = DashboardFilter::default().in_bucket(Bucket::All);
    assert_eq!(
        viewer.bucket_counts(&t.db, &filter, today).await.unwrap(),
        bucket_counts(&items, &filter, today)
    );
    assert_eq!(
        viewer.incidents(&t.db, None, None).await.unwrap(),
        [(2, "Search".to_owned())]
    );
}

#[tokio::test]
async fn a_reader_who_reads_a_correction_as_published_groups_and_filters_by_the_published_system() {
    let t = fresh_db().await;
    let today = seed(&t.db).await;
    // Incident 1 is read as published, where its Jenkins change named Ansible.
    let mut published = changes::list_for(&t.db, 1).await.unwrap();
    for c in &mut published {
        c.change.system = "Ansible".into();
    }
    let scope = Scope {
        published_only: false,
        corrections: vec![(1, "Checkout as published".into(), published.clone())],
    };
    let items: Vec<Tracked> = tracked(&t.db)
        .await
        .into_iter()
        .map(|mut i| {
            if i.follow_up.incident_id == 1 {
                i.system = i
                    .follow_up
                    .follow_up
                    .change_id
                    .and_then(|id| published.iter().find(|c| c.id == id))
                    .map(|c| c.change.system.clone());
            }
            i
        })
        .collect();
    for system in ["ansible", "JENKINS", "chef"] {
        let filter = DashboardFilter {
            system: system.into(),
            ..DashboardFilter::default().in_bucket(Bucket::All)
        };
        assert_eq!(
            scope.bucket_counts(&t.db, &filter, today).await.unwrap(),
            bucket_counts(&items, &filter, today),
            "{system}"
        );
    }
    let sql = scope
        .counts_by(&t.db, &DashboardFilter::default(), today, Key::System)
        .await
        .unwrap();
    let memory = counts_by(&items, &DashboardFilter::default(), today, |i| {
        i.system.clone()
    });
    assert_eq!(sql, memory);
    assert!(sql.iter().any(|g| g.name == "Ansible"), "{sql:?}");
    assert_eq!(
        scope.incidents(&t.db, None, None).await.unwrap(),
        [
            (2, "Search".to_owned()),
            (1, "Checkout as published".to_owned())
        ]
    );
}

#[tokio::test]
async fn the_backlog_where_days_start_off_utc_and_for_a_viewer_equals_what_it_counted_in_memory() {
    let t = fresh_db().await;
    let today = seed(&t.db).await;
    // Days start at 05:30 UTC (a zone east of UTC), so the weeks' edges fall between the
    // follow-ups' noons differently from UTC's, and a follow-up closed at noon UTC counts in the
    // day it is there.
    let east = chrono::Duration::minutes(5 * 60 + 30);
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap().and_utc() - east;
    let local_day = |at: DateTime<Utc>| (at + east).date_naive();
    let items = tracked(&t.db).await;
    for filter in filters() {
        let in_facets: Vec<FollowUp> = items
            .iter()
            .filter(|i| filter.matches_facets(i))
            .map(|i| i.follow_up.clone())
            .collect();
        for weeks in [1, 3, 12] {
            assert_eq!(
                Scope::default()
                    .backlog(&t.db, &filter, today, weeks, midnight)
                    .await
                    .unwrap(),
                backlog_by_week(&in_facets, today, weeks, local_day),
                "{weeks} weeks' backlog of {filter:?}"
            );
        }
    }
    incidents::set_review(&t.db, 2, IncidentStatus::Published, 1)
        .await
        .unwrap();
    let viewer = Scope {
        published_only: true,
        corrections: Vec::new(),
    };
    let published: Vec<FollowUp> = items
        .iter()
        .filter(|i| i.follow_up.incident_id == 2)
        .map(|i| i.follow_up.clone())
        .collect();
    assert!(!published.is_empty());
    assert_eq!(
        viewer
            .backlog(&t.db, &DashboardFilter::default(), today, 12, midnight)
            .await
            .unwrap(),
        backlog_by_week(&published, today, 12, local_day),
    );
}

/// Each "by owner" row links to the dashboard filtered by that owner, ignoring case and spaces:
/// its statements find the owner's follow-ups by an index on that expression, not by reading
/// every follow-up.
#[tokio::test]
async fn the_dashboard_filtered_by_an_owner_reads_their_follow_ups_through_an_index() {
    use sea_orm::ConnectionTrait;
    let t = fresh_db().await;
    seed(&t.db).await;
    let filter = DashboardFilter {
        owner: "Ada".to_owned(),
        ..DashboardFilter::default()
    }
    .in_bucket(Bucket::All);
    let matching = Scope::default().matching(&filter, day(6, 1), 0, None);
    if t.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        use sea_orm::TransactionTrait;
        let matching = matching.to_string(sea_orm::sea_query::PostgresQueryBuilder);
        let txn = t.db.begin().await.unwrap();
        // A test's few rows are cheaper to read straight through than through any index: with
        // sequential scans priced out, the plan shows whether the index serves this filter.
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
        let plan: Vec<String> = txn
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("EXPLAIN {matching}"),
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get("", "QUERY PLAN").unwrap())
            .collect();
        assert!(
            plan.iter()
                .any(|step| step.contains("Index") && step.contains("ix_follow_ups_owner_name")),
            "{plan:?} {matching}"
        );
        return;
    }
    let matching = matching.to_string(sea_orm::sea_query::SqliteQueryBuilder);
    let plan: Vec<String> =
        t.db.query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            format!("EXPLAIN QUERY PLAN {matching}"),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "detail").unwrap())
        .collect();
    assert!(
        plan.iter()
            .any(|step| step.contains("USING INDEX ix_follow_ups_owner_name")),
        "{plan:?} {matching}"
    );
}
