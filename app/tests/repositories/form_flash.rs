//! Form flashes and secrets shown once: bound to a session, read once, gone after an hour.

use super::*;
use app::server::flash::{MAX_PER_SESSION, MAX_VALUES_BYTES, Stashed};
use sea_orm::PaginatorTrait;

const SESSION: &str = "digest-of-session-a";
const OTHER_SESSION: &str = "digest-of-session-b";

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

async fn rows(db: &DatabaseConnection) -> u64 {
    form_flashes::Entity::find()
        .count(db)
        .await
        .expect("counted")
}

async fn stored(db: &DatabaseConnection, session: &str) -> String {
    flash::store(db, session, &sample_flash())
        .await
        .expect("stored")
        .expect("small enough to store")
}

#[tokio::test]
async fn a_stored_flash_loads_back_unchanged_once() {
    let t = fresh_db().await;
    let id = stored(&t.db, SESSION).await;

    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        flash::take(&t.db, SESSION, &id).await.expect("read"),
        Some(Stashed::Form(sample_flash()))
    );
    assert_eq!(rows(&t.db).await, 0, "reading it deleted it");
    assert_eq!(flash::take(&t.db, SESSION, &id).await.expect("read"), None);
}

#[tokio::test]
async fn another_session_cannot_read_a_flash_nor_delete_it() {
    let t = fresh_db().await;
    let id = stored(&t.db, SESSION).await;

    assert_eq!(
        flash::take(&t.db, OTHER_SESSION, &id).await.expect("read"),
        None
    );
    assert_eq!(flash::take(&t.db, "", &id).await.expect("read"), None);
    assert_eq!(rows(&t.db).await, 1, "still there for its own session");
    assert!(
        flash::take(&t.db, SESSION, &id)
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn a_flash_without_a_session_is_refused() {
    let t = fresh_db().await;
    assert!(flash::store(&t.db, "", &sample_flash()).await.is_err());
    assert_eq!(rows(&t.db).await, 0);
}

#[tokio::test]
async fn an_unknown_flash_id_loads_nothing() {
    let t = fresh_db().await;
    stored(&t.db, SESSION).await;

    assert_eq!(
        flash::take(&t.db, SESSION, "0123456789abcdef0123456789abcdef")
            .await
            .expect("read"),
        None
    );
}

#[tokio::test]
async fn a_flash_older_than_an_hour_is_gone_and_cleaned_away() {
    let t = fresh_db().await;
    let payload = serde_json::to_string(&Stashed::Form(sample_flash())).expect("serialisable");
    for id in ["stale", "unread"] {
        form_flashes::ActiveModel {
            id: Set(id.into()),
            payload: Set(payload.clone()),
            session_id: Set(SESSION.into()),
            created_at: Set(Utc::now() - Duration::minutes(61)),
        }
        .insert(&t.db)
        .await
        .expect("inserted");
    }

    assert_eq!(
        flash::take(&t.db, SESSION, "stale").await.expect("read"),
        None
    );
    assert_eq!(rows(&t.db).await, 1, "the expired one read is deleted too");

    let fresh = stored(&t.db, OTHER_SESSION).await;
    assert_eq!(
        rows(&t.db).await,
        1,
        "storing any flash cleans away every expired one, whoever left it"
    );
    assert_eq!(
        form_flashes::Entity::find_by_id("unread".to_owned())
            .one(&t.db)
            .await
            .expect("read"),
        None
    );
    assert!(
        flash::take(&t.db, OTHER_SESSION, &fresh)
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn an_oversized_flash_is_not_stored() {
    let t = fresh_db().await;
    let mut big = sample_flash();
    big.values
        .push(("form[summary]".into(), "x".repeat(MAX_VALUES_BYTES)));

    assert_eq!(
        flash::store(&t.db, SESSION, &big)
            .await
            .expect("no failure"),
        None
    );
    assert_eq!(rows(&t.db).await, 0);
}

#[tokio::test]
async fn a_session_keeps_only_its_latest_flashes() {
    let t = fresh_db().await;
    let first = stored(&t.db, SESSION).await;
    let other = stored(&t.db, OTHER_SESSION).await;
    for _ in 0..MAX_PER_SESSION + 5 {
        stored(&t.db, SESSION).await;
    }

    assert_eq!(rows(&t.db).await, MAX_PER_SESSION + 1);
    assert_eq!(
        flash::take(&t.db, SESSION, &first).await.expect("read"),
        None
    );
    assert!(
        flash::take(&t.db, OTHER_SESSION, &other)
            .await
            .expect("read")
            .is_some(),
        "another session's flash is untouched"
    );
}

#[tokio::test]
async fn a_secret_is_shown_once_to_its_session_only() {
    let t = fresh_db().await;
    let id = flash::store_secret(&t.db, SESSION, "s3cret")
        .await
        .expect("stored");

    assert_eq!(
        flash::take(&t.db, OTHER_SESSION, &id).await.expect("read"),
        None
    );
    assert_eq!(
        flash::take(&t.db, SESSION, &id).await.expect("read"),
        Some(Stashed::Secret("s3cret".into()))
    );
    assert_eq!(flash::take(&t.db, SESSION, &id).await.expect("read"), None);
    assert_eq!(rows(&t.db).await, 0);
}
