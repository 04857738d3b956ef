//! Concurrent writers.

use super::*;

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
        10,
        "five worked examples, each with its earlier attempt"
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
