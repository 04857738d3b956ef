//! Form flashes.

use super::*;

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
