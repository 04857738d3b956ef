//! `/healthz` and `/readyz`: up, ready, and which of the database or the migrations is not.

use super::*;

#[tokio::test]
async fn healthz_answers_ok_to_anyone_without_a_session() {
    let app = spawn_empty().await;
    let response = reqwest::get(app.url("/healthz")).await.expect("an answer");
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_none());
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_is_ready_on_a_current_database_and_says_migrations_when_they_differ() {
    let app = spawn_empty().await;
    let ready = |app: &TestApp| {
        let url = app.url("/readyz");
        async move {
            let response = reqwest::get(url).await.expect("an answer");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    assert_eq!(ready(&app).await, (200, "ok".to_owned()));

    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_from_a_newer_build', 0)",
        )
        .await
        .expect("a migration this build does not know");
    })
    .await;
    assert_eq!(
        ready(&app).await,
        (503, "migrations".to_owned()),
        "a newer build's migration"
    );

    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared(
            "DELETE FROM seaql_migrations WHERE version = 'm29991231_000001_from_a_newer_build' \
             OR version = (SELECT MAX(version) FROM seaql_migrations WHERE version < 'm2999')",
        )
        .await
        .expect("the newest migration of this build forgotten");
    })
    .await;
    assert_eq!(
        ready(&app).await,
        (503, "migrations".to_owned()),
        "a migration of this build not applied"
    );
}

#[tokio::test]
async fn readyz_says_database_when_the_database_does_not_answer() {
    let app = spawn_empty().await;
    let db = app.db.clone();
    on_server(async move { db.close().await.expect("the pool closes") }).await;
    let response = reqwest::get(app.url("/readyz")).await.expect("an answer");
    assert_eq!(response.status(), 503);
    assert_eq!(response.text().await.unwrap(), "database");
    let response = reqwest::get(app.url("/healthz")).await.expect("an answer");
    assert_eq!(response.status(), 200, "the process is still up");
}
