//! Two instances on one database deliver each notice exactly once: both claim due rows from
//! the same outbox at the same moment (`FOR UPDATE SKIP LOCKED` on Postgres, SQLite's write
//! lock on SQLite), and the SMTP sink both send to receives every message once.

use std::collections::BTreeMap;
use std::time::Duration;

use app::domain::notify::{Event, Notice};
use app::server::entities::{outbox, users};
use sea_orm::EntityTrait;

use crate::common::sinks::SmtpSink;
use crate::process::{ServerProcess, TestDatabase, create_admin};

const NOTICES: usize = 30;

#[tokio::test]
async fn two_instances_on_one_database_deliver_each_notice_exactly_once() {
    let smtp = SmtpSink::start().await;
    let database = TestDatabase::fresh("delivery").await;
    create_admin(&database).await;
    let db = database.open().await;
    let admin = users::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .expect("the admin")
        .id;
    for i in 0..NOTICES {
        let notice = Notice {
            event: Event::FollowUpAssigned,
            key: format!("follow_up_assigned:follow_up:{i}"),
            subject: format!("Follow-up {i} assigned to you"),
            body: "A follow-up is yours.".to_owned(),
            link: format!("/follow-ups/{i}"),
            data: serde_json::json!({ "follow_up": i }),
            readable_by_viewers: false,
        };
        app::server::notify::emit(&db, &notice, &[admin], chrono::Utc::now())
            .await
            .unwrap();
    }

    let url = smtp.url();
    let env = [
        ("DEBRIEF_SMTP_URL", url.as_str()),
        ("DEBRIEF_MAIL_FROM", "Debrief <debrief@example.com>"),
        ("DEBRIEF_PUBLIC_URL", "https://debrief.example.com"),
        ("DEBRIEF_NOTIFY_POLL_MS", "20"),
    ];
    let mut a = ServerProcess::launch_with(&database, "server-a.log", &env);
    let mut b = ServerProcess::launch_with(&database, "server-b.log", &env);
    let (ready_a, ready_b) = tokio::join!(a.ready(), b.ready());
    assert!(
        ready_a.is_ok() && ready_b.is_ok(),
        "both start: {ready_a:?} {ready_b:?}\n{}\n{}",
        a.log(),
        b.log()
    );

    let mail = smtp.wait_for(NOTICES, Duration::from_secs(60)).await;
    // More rounds of both workers: nothing more is sent.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mail = if smtp.messages().len() > mail.len() {
        smtp.messages()
    } else {
        mail
    };
    let mut received: BTreeMap<String, usize> = BTreeMap::new();
    for message in &mail {
        let key = message
            .data
            .lines()
            .find_map(|l| l.strip_prefix("X-Debrief-Delivery: "))
            .expect("every message carries its key")
            .trim()
            .to_owned();
        *received.entry(key).or_default() += 1;
    }
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(
        received.len(),
        NOTICES,
        "every notice once\n--- A ---\n{}\n--- B ---\n{}",
        a.log(),
        b.log()
    );
    let rows = outbox::Entity::find().all(&db).await.unwrap();
    assert!(rows.iter().all(|r| r.sent_at.is_some() && r.attempts == 0));
}
