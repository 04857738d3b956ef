//! Delivering notices (issue 15): the server's worker takes what `server::notify::emit` queued
//! to a real SMTP server and a real HTTP receiver, both started by the test
//! (`common::sinks`); retries with backoff, dead-letters after the last try, and shows admins
//! the dead letters on `/admin/webhooks`, where they can retry them.

use std::time::Duration;

use app::api::webhooks::{CreateWebhook, DeleteWebhook, RetryDelivery};
use app::domain::account::Role;
use app::domain::notify::{Event, Notice};
use app::server::entities::outbox;
use leptos::server_fn::ServerFn;
use server::delivery::config::Smtp;

use crate::common::sinks::{HttpReceiver, SmtpSink};
use crate::common::{
    ADMIN_EMAIL, ADMIN_NAME, PASSWORD, TestApp, on_server, spawn_empty_configured,
};

pub(crate) const PUBLIC_URL: &str = "https://debrief.example.com";
pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A Debrief whose worker looks every 50 ms, waits 100 ms after a first failed try (doubling),
/// gives up after `attempts` tries, sends email through `smtp` when given; its admin logged in.
pub(crate) async fn start(smtp: Option<&SmtpSink>, attempts: u32) -> TestApp {
    let url = smtp.map(SmtpSink::url);
    let app = spawn_empty_configured(move |c| {
        c.notify.poll = Duration::from_millis(50);
        c.notify.retry_base = Duration::from_millis(100);
        c.notify.max_attempts = attempts;
        c.notify.public_url = Some(PUBLIC_URL.to_owned());
        c.notify.smtp =
            url.map(|url| Smtp::parse(&url, Some("Debrief <debrief@example.com>")).expect("valid"));
    })
    .await;
    app.add_user(ADMIN_EMAIL, ADMIN_NAME, Role::Admin).await;
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    app
}

pub(crate) fn notice(event: Event, key: &str, readable_by_viewers: bool) -> Notice {
    Notice {
        event,
        key: key.to_owned(),
        subject: "Review requested: Logins failed".to_owned(),
        body: "Ada asks you to review the postmortem.\n\nIt is about the logins that failed."
            .to_owned(),
        link: "/incidents/12/review".to_owned(),
        data: serde_json::json!({ "incident": 12 }),
        readable_by_viewers,
    }
}

/// Queues `notice` for `people` as the event's transaction would.
pub(crate) async fn emit(app: &TestApp, notice: Notice, people: Vec<i64>) {
    let db = app.db.clone();
    on_server(async move {
        app::server::notify::emit(&db, &notice, &people, chrono::Utc::now())
            .await
            .expect("queued");
    })
    .await;
}

pub(crate) async fn rows(app: &TestApp) -> Vec<outbox::Model> {
    use sea_orm::{EntityTrait, QueryOrder};
    let db = app.db.clone();
    on_server(async move {
        outbox::Entity::find()
            .order_by_asc(outbox::Column::Id)
            .all(&db)
            .await
            .expect("the outbox is read")
    })
    .await
}

/// Waits until `done` holds of the outbox; returns the rows.
pub(crate) async fn wait_until(
    app: &TestApp,
    done: impl Fn(&[outbox::Model]) -> bool,
) -> Vec<outbox::Model> {
    let started = std::time::Instant::now();
    loop {
        let rows = rows(app).await;
        if done(&rows) || started.elapsed() > WAIT {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn the_right_person_gets_one_email_with_text_and_html_parts_an_absolute_link_and_its_key() {
    let smtp = SmtpSink::start().await;
    let app = start(Some(&smtp), 8).await;
    let bo = app.add_user("bo@example.com", "Bo", Role::Reviewer).await;
    app.add_user("cy@example.com", "Cy", Role::Author).await;

    emit(
        &app,
        notice(
            Event::ReviewRequested,
            "review_requested:incident:12:rev:1",
            false,
        ),
        vec![bo],
    )
    .await;
    let sent = wait_until(&app, |r| r.iter().all(|r| r.sent_at.is_some())).await;
    // A few more rounds of the worker: nothing is sent twice.
    tokio::time::sleep(Duration::from_millis(400)).await;

    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one message: {mail:?}");
    let mail = &mail[0];
    assert_eq!(mail.to, ["bo@example.com"]);
    assert_eq!(mail.from, "debrief@example.com");
    let key = "review_requested:incident:12:rev:1:email:".to_owned() + &bo.to_string();
    assert_eq!(sent[0].idempotency_key, key);
    for expected in [
        "Subject: Review requested: Logins failed",
        &format!("X-Debrief-Delivery: {key}"),
        "Message-ID: <",
        "@debrief.example.com>",
        "Content-Type: multipart/alternative",
        "Content-Type: text/plain",
        "Content-Type: text/html",
        "Ada asks you to review the postmortem.",
        "Open it in Debrief: https://debrief.example.com/incidents/12/review",
        "<a href=\"https://debrief.example.com/incidents/12/review\">",
        "<p>It is about the logins that failed.</p>",
    ] {
        assert!(
            mail.data.contains(expected),
            "{expected:?} in\n{}",
            mail.data
        );
    }
}

#[tokio::test]
async fn a_failing_smtp_server_is_retried_with_backoff_then_dead_lettered_and_retried_by_an_admin()
{
    let smtp = SmtpSink::start().await;
    smtp.fail_with(Some("451 4.3.0 the sink is told to refuse"));
    let app = start(Some(&smtp), 3).await;
    let bo = app.add_user("bo@example.com", "Bo", Role::Reviewer).await;

    emit(
        &app,
        notice(Event::Approved, "approved:incident:12", false),
        vec![bo],
    )
    .await;
    let dead = wait_until(&app, |r| r.iter().all(|r| r.dead_at.is_some())).await;
    assert!(dead[0].dead_at.is_some(), "dead-lettered: {dead:?}");
    assert_eq!(dead[0].attempts, 3);
    let error = dead[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("451"), "{error}");
    let attempts = smtp.attempts();
    assert_eq!(attempts.len(), 3, "three tries, then none");
    let gaps: Vec<Duration> = attempts.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps[0] >= Duration::from_millis(100), "{gaps:?}");
    assert!(
        gaps[1] >= Duration::from_millis(200),
        "the wait doubles: {gaps:?}"
    );
    assert!(smtp.messages().is_empty());

    let (status, html) = app.page("/admin/webhooks").await;
    assert_eq!(status, 200);
    for shown in [
        "bo@example.com",
        "the sink is told to refuse",
        "Email is configured",
    ] {
        assert!(html.contains(shown), "{shown:?} on the page");
    }

    smtp.fail_with(None);
    let id = dead[0].id.to_string();
    let (status, location) = app
        .submit(RetryDelivery::PATH, "/admin/webhooks", &[("id", &id)])
        .await;
    assert!([302, 303].contains(&status), "{status} {location:?}");
    let mail = smtp.wait_for(1, WAIT).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, ["bo@example.com"]);
    let rows = wait_until(&app, |r| r[0].sent_at.is_some()).await;
    assert!(rows[0].sent_at.is_some() && rows[0].dead_at.is_none());
}

#[tokio::test]
async fn without_smtp_an_email_is_dead_lettered_at_once_and_the_page_says_email_is_off() {
    let app = start(None, 8).await;
    let bo = app.add_user("bo@example.com", "Bo", Role::Reviewer).await;
    emit(
        &app,
        notice(Event::Approved, "approved:incident:12", false),
        vec![bo],
    )
    .await;
    let rows = wait_until(&app, |r| r.iter().all(|r| r.dead_at.is_some())).await;
    assert_eq!(rows[0].attempts, 1);
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("email is not configured"),
        "{rows:?}"
    );
    let (_, html) = app.page("/admin/webhooks").await;
    assert!(html.contains("Email is not configured"));
    assert!(html.contains("email is not configured (set DEBRIEF_SMTP_URL"));

    // Twenty more: the dead letters take two pages, the newest first.
    for i in 0..20 {
        let key = format!("mentioned:comment:{i}");
        emit(&app, notice(Event::Mentioned, &key, false), vec![bo]).await;
    }
    let rows = wait_until(&app, |r| {
        r.len() == 21 && r.iter().all(|r| r.dead_at.is_some())
    })
    .await;
    assert_eq!(rows.len(), 21);
    let (_, first) = app.page("/admin/webhooks").await;
    assert_eq!(first.matches(">Retry</button>").count(), 20);
    assert!(
        first.contains("href=\"/admin/webhooks?page=1\""),
        "a link to the older ones"
    );
    let (_, second) = app.page("/admin/webhooks?page=1").await;
    assert_eq!(second.matches(">Retry</button>").count(), 1);
    assert!(
        second.contains(&format!("name=\"id\" value=\"{}\"", rows[0].id)),
        "the oldest is last"
    );
}

/// Adds a destination through the server function; returns what it answers (the secret).
pub(crate) async fn add_destination(
    app: &TestApp,
    name: &str,
    url: &str,
    kind: &str,
    writers_only: bool,
) -> String {
    let mut fields = vec![
        ("form[name]", name),
        ("form[url]", url),
        ("form[kind]", kind),
    ];
    for event in Event::ALL {
        fields.push((field_of(event), "on"));
    }
    if writers_only {
        fields.push(("form[writers_only]", "on"));
    }
    let (status, body) = app.call(CreateWebhook::PATH, &fields).await;
    assert!([200, 302].contains(&status), "{status}: {body}");
    serde_json::from_str(&body).unwrap_or_default()
}

pub(crate) fn field_of(event: Event) -> &'static str {
    match event {
        Event::ReviewRequested => "form[review_requested]",
        Event::ChangesRequested => "form[changes_requested]",
        Event::Approved => "form[approved]",
        Event::Published => "form[published]",
        Event::FollowUpAssigned => "form[follow_up_assigned]",
        Event::FollowUpsDue => "form[follow_ups_due]",
        Event::PostmortemNotSubmitted => "form[postmortem_not_submitted]",
        Event::Mentioned => "form[mentioned]",
        Event::WeeklyDigest => "form[weekly_digest]",
    }
}

#[tokio::test]
async fn a_generic_webhook_is_signed_a_slack_one_gets_text_and_only_writers_hear_of_drafts() {
    let receiver = HttpReceiver::start().await;
    let app = start(None, 8).await;
    let secret = add_destination(
        &app,
        "Our tracker",
        &format!("{}/generic", receiver.base),
        "json",
        true,
    )
    .await;
    assert_eq!(secret.len(), 64, "a secret is shown once: {secret:?}");
    let none = add_destination(
        &app,
        "#incidents",
        &format!("{}/slack", receiver.base),
        "slack",
        false,
    )
    .await;
    assert!(none.is_empty());

    // A draft's review: only the destination for writers hears of it.
    emit(
        &app,
        notice(
            Event::ReviewRequested,
            "review_requested:incident:12:rev:1",
            false,
        ),
        vec![],
    )
    .await;
    // A published postmortem: both do.
    let mut published = notice(Event::Published, "published:incident:12", true);
    published.subject = "Published: Logins failed".to_owned();
    emit(&app, published, vec![]).await;

    let generic = receiver.wait_for("/generic", 2, WAIT).await;
    let slack = receiver.wait_for("/slack", 1, WAIT).await;
    wait_until(&app, |r| {
        r.len() == 3 && r.iter().all(|r| r.sent_at.is_some())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.at("/generic").len(), 2, "each once");
    assert_eq!(
        receiver.at("/slack").len(),
        1,
        "the draft's notice never reaches it"
    );
    assert_eq!(generic.len(), 2);

    for request in &generic {
        assert_eq!(
            request.headers["x-debrief-signature"],
            request.signature_with(&secret)
        );
        let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
        assert_eq!(
            body["delivery"],
            request.headers["x-debrief-delivery"].as_str()
        );
        assert_eq!(body["event"], request.headers["x-debrief-event"].as_str());
        assert_eq!(
            body["link"],
            "https://debrief.example.com/incidents/12/review"
        );
        assert_eq!(body["data"], serde_json::json!({ "incident": 12 }));
    }
    let events: Vec<&str> = generic
        .iter()
        .map(|r| r.headers["x-debrief-event"].as_str())
        .collect();
    assert_eq!(events, ["review_requested", "published"]);

    let text: serde_json::Value = serde_json::from_str(&slack[0].body).unwrap();
    assert_eq!(
        text,
        serde_json::json!({ "text": "Published: Logins failed\nhttps://debrief.example.com/incidents/12/review" })
    );
    assert!(slack[0].headers["x-debrief-delivery"].starts_with("published:incident:12:webhook:"));
    assert!(!slack[0].headers.contains_key("x-debrief-signature"));
}

#[tokio::test]
async fn a_failing_receiver_is_retried_then_dead_lettered_with_its_status_on_the_admin_page() {
    let receiver = HttpReceiver::start().await;
    receiver.answer(500);
    let app = start(None, 2).await;
    add_destination(
        &app,
        "Flaky endpoint",
        &format!("{}/hook", receiver.base),
        "json",
        true,
    )
    .await;
    emit(
        &app,
        notice(Event::Mentioned, "mentioned:comment:4", false),
        vec![],
    )
    .await;
    let rows = wait_until(&app, |r| r.iter().all(|r| r.dead_at.is_some())).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].attempts, 2);
    assert_eq!(receiver.at("/hook").len(), 2, "two tries");
    let error = rows[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("500"), "{error}");

    let (_, html) = app.page("/admin/webhooks").await;
    for shown in ["Flaky endpoint", "HTTP 500"] {
        assert!(html.contains(shown), "{shown:?} on the page");
    }

    receiver.answer(200);
    let id = rows[0].id.to_string();
    let (status, _) = app.call(RetryDelivery::PATH, &[("id", &id)]).await;
    assert!([200, 302].contains(&status));
    assert_eq!(receiver.wait_for("/hook", 3, WAIT).await.len(), 3);
    let rows = wait_until(&app, |r| r[0].sent_at.is_some()).await;
    assert!(rows[0].sent_at.is_some());
}

#[tokio::test]
async fn a_bad_destination_comes_back_with_its_errors_beside_the_fields_and_deleting_asks_first() {
    let app = start(None, 8).await;
    let (status, location) = app
        .submit(
            CreateWebhook::PATH,
            "/admin/webhooks",
            &[
                ("form[name]", "Kept name"),
                ("form[url]", "javascript:alert(1)"),
                ("form[kind]", "json"),
            ],
        )
        .await;
    assert_eq!(status, 303, "back to the form");
    let (_, html) = app.page(&location.expect("a location")).await;
    assert!(
        html.contains("A link must start with http:// or https://."),
        "{html}"
    );
    assert!(html.contains("Tick at least one event"));
    assert!(
        html.contains("value=\"Kept name\""),
        "what was typed is kept"
    );

    let (_, empty) = app.page("/admin/webhooks").await;
    assert!(empty.contains("No destination yet."));
    add_destination(
        &app,
        "Chat",
        "https://chat.example.com/hook",
        "slack",
        false,
    )
    .await;
    let id = {
        let db = app.db.clone();
        on_server(async move { app::server::repo::webhooks::list(&db).await.unwrap()[0].id }).await
    };
    let (_, listed) = app.page("/admin/webhooks").await;
    assert!(listed.contains("Chat") && !listed.contains("Are you sure?"));
    let (_, asking) = app
        .page(&format!("/admin/webhooks?confirm=webhook-{id}"))
        .await;
    assert!(asking.contains("Are you sure?"));
    let (status, _) = app
        .submit(
            DeleteWebhook::PATH,
            "/admin/webhooks",
            &[("id", &id.to_string())],
        )
        .await;
    assert!([302, 303].contains(&status));
    let (_, after) = app.page("/admin/webhooks").await;
    assert!(after.contains("No destination yet."));

    let author = app.browser_as(Role::Author).await;
    let (_, html) = author.page("/admin/webhooks").await;
    assert!(
        !html.contains("Add a destination"),
        "only admins see the page's content"
    );
}
