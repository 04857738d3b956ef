//! Issue 15's events end to end: a team's postmortem taken through its review over HTTP, its
//! requests alternating between two instances on one database (Postgres when
//! `DEBRIEF_TEST_POSTGRES` names a server), while both instances' workers deliver and both
//! instances' reminder ticks run every second. Each event reaches a real SMTP sink (to the
//! right person) and a webhook receiver (signed) exactly once, with links to the public URL.

use std::collections::BTreeMap;
use std::time::Duration;

use app::api::comments::AddComment;
use app::api::follow_ups::AddFollowUp;
use app::api::review::{ApprovePostmortem, PublishPostmortem, RequestChanges, SubmitForReview};
use app::api::settings::SetTimeZone;
use app::api::webhooks::CreateWebhook;
use app::domain::account::{NewAccount, Role};
use app::domain::notify::Event;
use chrono::{Days, NaiveDate, TimeDelta, Timelike, Utc};
use leptos::server_fn::ServerFn;

use crate::common::sinks::{HttpReceiver, Mail, Received, SmtpSink};
use crate::common::{ADMIN_EMAIL, Browser, PASSWORD, approval_fields, incident_of};
use crate::pair::Pair;
use crate::process::{TestDatabase, create_admin};

const PUBLIC_URL: &str = "https://debrief.example.com";
const REVIEWER: &str = "rey@example.com";
const OWNER: &str = "olu@example.com";
const HOOK: &str = "/hooks/debrief";
const WAIT: Duration = Duration::from_secs(60);

/// A zone whose local hour is `hour` now, and its local date (`Etc/GMT-5` is five hours ahead
/// of UTC).
fn zone_at_local_hour(hour: i64) -> (String, NaiveDate) {
    let utc = i64::from(Utc::now().hour());
    let mut ahead = (hour - utc).rem_euclid(24);
    if ahead > 14 {
        ahead -= 24;
    }
    let name = match ahead {
        0 => "Etc/GMT".to_owned(),
        a if a > 0 => format!("Etc/GMT-{a}"),
        a => format!("Etc/GMT+{}", -a),
    };
    (name, (Utc::now() + TimeDelta::hours(ahead)).date_naive())
}

/// Creates an account with `PASSWORD`; returns its id.
async fn add_account(database: &TestDatabase, email: &str, name: &str, role: Role) -> i64 {
    let db = database.open().await;
    let account = NewAccount {
        email: email.to_owned(),
        display_name: name.to_owned(),
        password: PASSWORD.to_owned(),
        role,
        time_zone: "UTC".to_owned(),
    };
    let hash = app::server::password::hash_off_thread(PASSWORD)
        .await
        .expect("hashed");
    app::server::repo::accounts::create(&db, &account, &hash)
        .await
        .expect("the account is created")
}

async fn ok(browser: &Browser, action: &str, fields: &[(&str, &str)]) -> String {
    let (status, body) = browser.call(action, fields).await;
    assert!(
        [200, 302].contains(&status),
        "{action} through {}: {status} {body}",
        browser.base
    );
    body
}

/// The header `name` of a mail (its first value).
fn header<'m>(mail: &'m Mail, name: &str) -> &'m str {
    let prefix = format!("{name}: ");
    mail.data
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .map_or("", str::trim)
}

/// Whether a message is about an event this test drives: a weekly digest comes on Mondays
/// only (`http::scheduled` tests it at chosen moments), so one may come to anyone on a Monday.
fn driven(event: &str) -> bool {
    event != Event::WeeklyDigest.as_str()
}

/// (event, recipient) → how many messages, for the events this test drives.
fn mail_by_event(mail: &[Mail]) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for m in mail.iter().filter(|m| driven(header(m, "X-Debrief-Event"))) {
        let to = m.to.join(",");
        *counts
            .entry((header(m, "X-Debrief-Event").to_owned(), to))
            .or_default() += 1;
    }
    counts
}

fn hooks_by_event(posts: &[Received]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for p in posts {
        let event = p
            .headers
            .get("x-debrief-event")
            .cloned()
            .unwrap_or_default();
        *counts.entry(event).or_default() += 1;
    }
    counts
}

fn assert_each_delivered_once<'k>(keys: impl Iterator<Item = &'k str>, what: &str) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for key in keys {
        *seen.entry(key).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{what} delivered more than once: {twice:?}"
    );
}

#[tokio::test]
async fn every_event_reaches_mail_and_a_webhook_exactly_once_through_two_instances() {
    let smtp = SmtpSink::start().await;
    let receiver = HttpReceiver::start().await;
    let database = TestDatabase::fresh("every_event").await;
    create_admin(&database).await;
    add_account(&database, REVIEWER, "Rey Reviewer", Role::Reviewer).await;
    let owner_id = add_account(&database, OWNER, "Olu Owner", Role::Author)
        .await
        .to_string();
    let smtp_url = smtp.url();
    let pair = Pair::on_with(
        database,
        &[
            ("DEBRIEF_SMTP_URL", smtp_url.as_str()),
            ("DEBRIEF_MAIL_FROM", "Debrief <debrief@example.com>"),
            ("DEBRIEF_PUBLIC_URL", PUBLIC_URL),
            ("DEBRIEF_NOTIFY_POLL_MS", "20"),
            ("DEBRIEF_REMINDER_INTERVAL_SECS", "1"),
        ],
    )
    .await;

    let admin = pair.admin().await;
    let rey = pair.visitor();
    assert_eq!(rey.b().log_in(REVIEWER, PASSWORD).await.0, 302);
    let olu = pair.visitor();
    assert_eq!(olu.a().log_in(OWNER, PASSWORD).await.0, 302);
    // Olu's day has not reached the digest's hour yet: the digest waits for it.
    let (before_eight, _) = zone_at_local_hour(3);
    ok(&olu.b(), SetTimeZone::PATH, &[("zone", &before_eight)]).await;

    // A destination for every event, drafts included (it reaches postmortem writers only).
    let mut fields = vec![
        ("form[name]", "Incident channel"),
        ("form[kind]", "json"),
        ("form[writers_only]", "on"),
    ];
    let url = format!("{}{HOOK}", receiver.base);
    fields.push(("form[url]", &url));
    let names: Vec<String> = Event::ALL
        .iter()
        .map(|e| format!("form[{}]", e.as_str()))
        .collect();
    for name in &names {
        fields.push((name.as_str(), "on"));
    }
    let secret: String = serde_json::from_str(&ok(&admin.b(), CreateWebhook::PATH, &fields).await)
        .expect("the secret");

    // The admin loads the worked example: a draft mitigated years ago, so its authors are
    // reminded (by whichever instance's tick comes first, once).
    let location = admin.a().load_example().await;
    let incident = incident_of(&location);
    let id = incident.to_string();
    let reminded = smtp.wait_for(1, WAIT).await;
    assert_eq!(
        header(&reminded[0], "X-Debrief-Event"),
        Event::PostmortemNotSubmitted.as_str(),
        "{}",
        pair.logs()
    );

    // Two follow-ups for Olu, one overdue and one due soon in Olu's (coming) day.
    let (olu_zone, olu_today) = zone_at_local_hour(15);
    for (i, (title, due)) in [
        ("Confirm every-server runs", olu_today - Days::new(2)),
        ("Alert on mass restarts", olu_today + Days::new(1)),
    ]
    .into_iter()
    .enumerate()
    {
        let due = due.to_string();
        ok(
            &admin.at(i),
            AddFollowUp::PATH,
            &[
                ("incident_id", &id),
                ("state", "committed"),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p1"),
                ("form[owner_id]", &owner_id),
                ("form[due]", &due),
            ],
        )
        .await;
    }

    // A mention of the reviewer in a comment.
    ok(
        &admin.b(),
        AddComment::PATH,
        &[
            ("incident_id", &id),
            ("anchor", "section:summary"),
            ("form[body]", "@[Rey Reviewer] is the impact figure right?"),
        ],
    )
    .await;

    // The review, each step through the other instance than the last.
    ok(&admin.a(), SubmitForReview::PATH, &[("id", &id)]).await;
    ok(
        &rey.b(),
        RequestChanges::PATH,
        &[
            ("id", &id),
            ("form[comments]", "Say how the logins were counted."),
        ],
    )
    .await;
    ok(&admin.a(), SubmitForReview::PATH, &[("id", &id)]).await;
    ok(&rey.b(), ApprovePostmortem::PATH, &approval_fields(&id)).await;
    ok(&admin.a(), PublishPostmortem::PATH, &[("id", &id)]).await;

    // Olu's day reaches the digest's hour: one digest with both follow-ups.
    ok(&olu.a(), SetTimeZone::PATH, &[("zone", &olu_zone)]).await;

    let admin_email = ADMIN_EMAIL.to_owned();
    let expected_mail: BTreeMap<(String, String), usize> = [
        (Event::PostmortemNotSubmitted, &admin_email, 1),
        (Event::FollowUpAssigned, &OWNER.to_owned(), 2),
        (Event::Mentioned, &REVIEWER.to_owned(), 1),
        (Event::ReviewRequested, &REVIEWER.to_owned(), 2),
        (Event::ChangesRequested, &admin_email, 1),
        (Event::Approved, &admin_email, 1),
        (Event::Published, &REVIEWER.to_owned(), 1),
        (Event::FollowUpsDue, &OWNER.to_owned(), 1),
    ]
    .into_iter()
    .map(|(e, to, n)| ((e.as_str().to_owned(), to.clone()), n))
    .collect();
    let total: usize = expected_mail.values().sum();
    // One webhook post per notice: the same events, one per occurrence.
    let mut expected_hooks: BTreeMap<String, usize> = BTreeMap::new();
    for ((event, _), n) in &expected_mail {
        *expected_hooks.entry(event.clone()).or_default() += n;
    }

    // (At least: on a Monday weekly digests come too.)
    smtp.wait_for(total, WAIT).await;
    receiver.wait_for(HOOK, total, WAIT).await;
    // Both instances' workers and ticks go round many more times: nothing more is sent.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mail = smtp.messages();
    let posts = receiver.at(HOOK);

    assert_eq!(
        mail_by_event(&mail),
        expected_mail,
        "each person hears of each event once\n{}",
        pair.logs()
    );
    assert_eq!(hooks_by_event(&posts), expected_hooks, "{}", pair.logs());
    assert_each_delivered_once(mail.iter().map(|m| header(m, "X-Debrief-Delivery")), "mail");
    assert_each_delivered_once(
        posts
            .iter()
            .map(|p| p.headers["x-debrief-delivery"].as_str()),
        "webhook posts",
    );

    // The digest is one message listing both follow-ups; every message links to the public URL.
    let digest = mail
        .iter()
        .find(|m| header(m, "X-Debrief-Event") == Event::FollowUpsDue.as_str())
        .expect("the digest");
    for title in ["Confirm every-server runs", "Alert on mass restarts"] {
        assert!(digest.data.contains(title), "{}", digest.data);
    }
    for m in &mail {
        assert!(
            m.data.contains(&format!("{PUBLIC_URL}/")),
            "a link back: {}",
            m.data
        );
    }
    for post in &posts {
        assert_eq!(
            post.headers["x-debrief-signature"],
            post.signature_with(&secret),
            "{}",
            post.body
        );
        let payload: serde_json::Value = serde_json::from_str(&post.body).expect("JSON");
        assert!(
            payload["link"]
                .as_str()
                .is_some_and(|l| l.starts_with(PUBLIC_URL)),
            "{payload}"
        );
    }
    let published = posts
        .iter()
        .find(|p| p.headers["x-debrief-event"] == Event::Published.as_str())
        .expect("published");
    assert!(
        published.body.contains(&format!("/incidents/{incident}")),
        "{}",
        published.body
    );
}
