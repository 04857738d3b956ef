//! The changes view as SQL (`query::change_insights`): on jobs with the edge cases (a job keyed
//! by its summary, systems and identifiers differing in case and spaces, a change that was both
//! trigger and contributing factor in one incident, suspected and ruled-out changes, follow-ups
//! in every state, a parameter named by a follow-up but set explicitly, ties broken by name),
//! each page equals what the domain ranks over every change in memory; a viewer reading a
//! correction as published counts its published changes; long lists are capped.

use super::*;
use app::domain::change::{ChangeInsight, IncidentRef, change_insights};
use app::server::query::change_insights::{INCIDENTS_LISTED, JOBS_PER_PAGE, any_seen, page};
use app::server::query::tracking::Scope;

/// A change of `system` and `identifier` (summary `summary`) judged `relation`.
fn judged(system: &str, identifier: &str, summary: &str, relation: ChangeRelation) -> NewChange {
    NewChange {
        system: system.into(),
        identifier: identifier.into(),
        relation,
        ..change(summary)
    }
}

/// What the domain ranks over every change and follow-up of the incidents `readable` lists.
async fn in_memory(
    db: &DatabaseConnection,
    readable: &[IncidentRef],
    changes: Vec<app::domain::change::Change>,
) -> Vec<ChangeInsight> {
    let follow_ups: Vec<FollowUp> = follow_ups::list(db, &FollowUpFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|f| readable.iter().any(|i| i.id == f.incident_id))
        .collect();
    change_insights(&changes, readable, &follow_ups)
}

/// Every page the SQL gives, one after the other.
async fn every_page(db: &DatabaseConnection, scope: &Scope) -> Vec<ChangeInsight> {
    let mut all = Vec::new();
    for n in 0.. {
        let found = page(db, scope, n).await.unwrap();
        assert!(found.insights.len() as u64 <= JOBS_PER_PAGE);
        all.extend(found.insights);
        if !found.more {
            break;
        }
    }
    all
}

async fn refs(db: &DatabaseConnection) -> Vec<IncidentRef> {
    incidents::list(db, &IncidentFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|i| IncidentRef {
            id: i.id,
            title: i.title,
        })
        .collect()
}

/// Five incidents and the jobs across them; returns the incidents' ids.
async fn seed(db: &DatabaseConnection) -> Vec<i64> {
    use ChangeRelation::{ConfirmedTrigger, Contributing, RuledOut, Suspected};
    let mut ids = Vec::new();
    for title in [
        "Logins failed",
        "Checkout slow",
        "Metrics gap",
        "Logins again",
        "Search down",
    ] {
        ids.push(plain_incident(db, title).await);
    }
    let add =
        |incident: i64, c: NewChange| async move { changes::add(db, incident, &c).await.unwrap() };
    // The generic job: trigger twice, contributing once, spelled three ways.
    let first = add(
        ids[0],
        judged("Jenkins", "run-command", "restart", ConfirmedTrigger),
    )
    .await;
    let again = add(
        ids[3],
        judged(" jenkins ", "Run-Command", "restart", ConfirmedTrigger),
    )
    .await;
    let also = add(
        ids[3],
        judged("JENKINS", "run-command ", "retry", Contributing),
    )
    .await;
    add(
        ids[2],
        judged("Jenkins", "run-command", "jmx", Contributing),
    )
    .await;
    // Parameters: defaulted in two incidents; one set explicitly but named by a follow-up.
    let concurrency = changes::add_parameter(db, first, &parameter("concurrency", "all", true))
        .await
        .unwrap();
    changes::add_parameter(db, again, &parameter("concurrency", "all", true))
        .await
        .unwrap();
    let timeout = changes::add_parameter(db, also, &parameter("timeout", "30s", false))
        .await
        .unwrap();
    changes::add_parameter(db, also, &parameter("retries", "3", false))
        .await
        .unwrap();
    // A job keyed by its summary (no identifier), contributing in two incidents.
    let certs = add(ids[1], judged("Ansible", "", "Rotate certs", Contributing)).await;
    add(
        ids[4],
        judged("ansible", "  ", "rotate certs", Contributing),
    )
    .await;
    // Ties on everything but the name.
    add(
        ids[1],
        judged("zookeeper", "resize", "resize", ConfirmedTrigger),
    )
    .await;
    add(
        ids[2],
        judged("Consul", "upgrade", "upgrade", ConfirmedTrigger),
    )
    .await;
    // Left out: suspected and ruled out.
    add(ids[4], judged("Nginx", "reload", "reload", Suspected)).await;
    add(
        ids[4],
        judged("Jenkins", "run-command", "restart", RuledOut),
    )
    .await;
    // Follow-ups in each state.
    let moves = [
        (first, Some(concurrency), FollowUpState::Committed),
        (first, None, FollowUpState::Done),
        (again, None, FollowUpState::Verified),
        (also, Some(timeout), FollowUpState::WontDo),
        (certs, None, FollowUpState::Proposed),
    ];
    for (n, (change_id, parameter_id, state)) in moves.into_iter().enumerate() {
        let incident = changes::get(db, change_id)
            .await
            .unwrap()
            .unwrap()
            .incident_id;
        let new = targeting(&format!("follow-up {n}"), change_id, parameter_id);
        follow_ups::add(db, incident, &new, state).await.unwrap();
    }
    ids
}

#[tokio::test]
async fn a_writers_changes_view_ranks_and_counts_as_the_domain_does_over_every_change() {
    let t = fresh_db().await;
    seed(&t.db).await;
    let expected = in_memory(
        &t.db,
        &refs(&t.db).await,
        changes::list_all(&t.db).await.unwrap(),
    )
    .await;
    assert_eq!(expected.len(), 4, "{expected:#?}");
    let found = every_page(&t.db, &Scope::default()).await;
    assert_eq!(found, expected);
    // The ranking as a reader sees it: most involved, then triggers, then names.
    let names: Vec<String> = found.iter().map(ChangeInsight::name).collect();
    assert_eq!(
        names,
        [
            "Jenkins · run-command",
            "Ansible",
            "Consul · upgrade",
            "zookeeper · resize"
        ]
    );
    assert!(any_seen(&t.db, &Scope::default()).await.unwrap());
}

#[tokio::test]
async fn a_viewer_sees_published_incidents_and_a_correction_as_published() {
    let t = fresh_db().await;
    let ids = seed(&t.db).await;
    let viewer = Scope {
        published_only: true,
        corrections: Vec::new(),
    };
    assert!(every_page(&t.db, &viewer).await.is_empty());
    assert!(!any_seen(&t.db, &viewer).await.unwrap());
    for id in &ids[..4] {
        incidents::set_review(&t.db, *id, IncidentStatus::Published, 1)
            .await
            .unwrap();
    }
    // The first incident is being corrected; its published version blamed Ansible's job.
    let mut published = changes::list_for(&t.db, ids[0]).await.unwrap();
    for c in &mut published {
        c.change.system = "Ansible".into();
        c.change.identifier = String::new();
        c.change.summary = "rotate certs".into();
    }
    let viewer = Scope {
        published_only: true,
        corrections: vec![(
            ids[0],
            "Logins failed, as published".into(),
            published.clone(),
        )],
    };
    let mut readable = refs(&t.db).await;
    readable.retain(|i| ids[..4].contains(&i.id));
    readable
        .iter_mut()
        .filter(|i| i.id == ids[0])
        .for_each(|i| i.title = "Logins failed, as published".into());
    let mut seen: Vec<_> = changes::list_all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.incident_id != ids[0])
        .collect();
    seen.extend(published);
    seen.sort_by_key(|c| c.id);
    let expected = in_memory(&t.db, &readable, seen).await;
    let found = every_page(&t.db, &viewer).await;
    assert_eq!(found, expected);
    let ansible = found.iter().find(|i| i.system == "Ansible").unwrap();
    assert_eq!(ansible.triggered_total, 1, "{ansible:#?}");
    assert_eq!(ansible.triggered[0].title, "Logins failed, as published");
    assert_eq!(ansible.parameters[0].name, "concurrency");
}

#[tokio::test]
async fn jobs_come_a_page_at_a_time_and_each_lists_its_most_recent_incidents() {
    let t = fresh_db().await;
    let jobs = JOBS_PER_PAGE as usize + 3;
    let mut incidents_of_first = Vec::new();
    for n in 0..jobs {
        let id = plain_incident(&t.db, &format!("Incident {n}")).await;
        let c = judged(
            "Jenkins",
            &format!("job {n:02}"),
            "run",
            ChangeRelation::ConfirmedTrigger,
        );
        changes::add(&t.db, id, &c).await.unwrap();
    }
    // One job set off more incidents than a job lists.
    let busy = INCIDENTS_LISTED as usize + 2;
    for n in 0..busy {
        let id = plain_incident(&t.db, &format!("Busy {n}")).await;
        let c = judged("Puppet", "apply", "apply", ChangeRelation::ConfirmedTrigger);
        changes::add(&t.db, id, &c).await.unwrap();
        incidents_of_first.push(id);
    }
    let first = page(&t.db, &Scope::default(), 0).await.unwrap();
    assert!(first.more);
    assert_eq!(first.insights.len() as u64, JOBS_PER_PAGE);
    let second = page(&t.db, &Scope::default(), 1).await.unwrap();
    assert!(!second.more);
    assert_eq!(second.insights.len(), jobs + 1 - JOBS_PER_PAGE as usize);
    let puppet = &first.insights[0];
    assert_eq!(puppet.name(), "Puppet · apply");
    assert_eq!(puppet.triggered_total, busy);
    let listed: Vec<i64> = puppet.triggered.iter().map(|i| i.id).collect();
    assert_eq!(
        listed,
        incidents_of_first[busy - INCIDENTS_LISTED as usize..]
    );
    assert!(
        puppet
            .sentence()
            .contains(&format!("confirmed trigger in {busy} incidents"))
    );
    // Beyond the last page: nothing, and no error.
    assert!(
        page(&t.db, &Scope::default(), 9)
            .await
            .unwrap()
            .insights
            .is_empty()
    );
}
