//! The notification outbox: a notice emitted for people becomes one email delivery per active
//! recipient, and emitting it again (a retried request, a second instance) adds nothing.

use super::*;
use app::domain::account::Role;
use app::domain::notify::{Event, Notice};
use app::server::entities::{outbox, users};
use app::server::notify;
use app::server::repo::accounts;

fn notice() -> Notice {
    Notice {
        event: Event::ReviewRequested,
        key: "review_requested:incident:12:rev:1".to_owned(),
        subject: "Review requested: Logins failed".to_owned(),
        body: "Ada asks you to review the postmortem.".to_owned(),
        link: "/incidents/12/review".to_owned(),
        data: serde_json::json!({ "incident": 12 }),
        readable_by_viewers: false,
    }
}

#[tokio::test]
async fn a_notice_is_queued_once_per_active_recipient_however_often_it_is_emitted() {
    let t = fresh_db().await;
    let ada = accounts::create(
        &t.db,
        &account::account("ada@example.com", "Ada", Role::Author),
        "h",
    )
    .await
    .expect("created");
    let bo = accounts::create(
        &t.db,
        &account::account("bo@example.com", "Bo", Role::Reviewer),
        "h",
    )
    .await
    .expect("created");
    let gone = accounts::create(
        &t.db,
        &account::account("cy@example.com", "Cy", Role::Author),
        "h",
    )
    .await
    .expect("created");
    users::Entity::update_many()
        .col_expr(
            users::Column::Active,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(users::Column::Id.eq(gone))
        .exec(&t.db)
        .await
        .expect("deactivated");
    // Whole microseconds: what Postgres keeps of a time.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);

    for _ in 0..2 {
        notify::emit(&t.db, &notice(), &[ada, bo, bo, gone], now)
            .await
            .expect("emitted");
    }

    let mut rows = outbox::Entity::find().all(&t.db).await.expect("read");
    rows.sort_by(|a, b| a.recipient.cmp(&b.recipient));
    let queued: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r.channel.as_str(),
                r.recipient.as_str(),
                r.event.as_str(),
                r.subject.as_str(),
            )
        })
        .collect();
    assert_eq!(
        queued,
        [
            (
                "email",
                "ada@example.com",
                "review_requested",
                "Review requested: Logins failed"
            ),
            (
                "email",
                "bo@example.com",
                "review_requested",
                "Review requested: Logins failed"
            ),
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r.attempts == 0 && r.sent_at.is_none() && r.next_attempt_at == now)
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&rows[0].payload).expect("json"),
        serde_json::json!({ "incident": 12 })
    );
}

#[tokio::test]
async fn a_notice_emitted_in_a_rolled_back_transaction_is_not_queued() {
    let t = fresh_db().await;
    let ada = accounts::create(
        &t.db,
        &account::account("ada@example.com", "Ada", Role::Author),
        "h",
    )
    .await
    .expect("created");
    let txn = db::begin_write(&t.db).await.expect("began");
    notify::emit(&txn, &notice(), &[ada], Utc::now())
        .await
        .expect("emitted");
    txn.rollback().await.expect("rolled back");

    assert!(
        outbox::Entity::find()
            .all(&t.db)
            .await
            .expect("read")
            .is_empty()
    );
}
