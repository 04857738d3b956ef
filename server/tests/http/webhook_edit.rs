//! Editing webhook destinations (issue 15): an admin changes any field a destination was added
//! with, under the same checks and with what was typed kept on an error; pauses it (nothing new
//! is queued for it, what was queued stays and is sent); and makes a new signing secret, shown
//! once, that signs what is sent next. The secret itself is never shown again.

use app::api::webhooks::{NewWebhookSecret, UpdateWebhook};
use app::domain::account::Role;
use app::domain::notify::Event;
use app::server::entities::webhook_destinations;
use leptos::server_fn::ServerFn;

use crate::common::sinks::HttpReceiver;
use crate::common::{TestApp, on_server};
use crate::delivery::{WAIT, add_destination, emit, field_of, notice, rows, start, wait_until};

/// The one destination with this name, as stored.
async fn stored(app: &TestApp, name: &str) -> webhook_destinations::Model {
    let db = app.db.clone();
    let name = name.to_owned();
    on_server(async move {
        app::server::repo::webhooks::list(&db)
            .await
            .expect("the destinations are read")
            .into_iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("a destination {name:?}"))
    })
    .await
}

/// The edit form's fields: `events` ticked, the rest as given.
fn edit_fields<'a>(
    id: &'a str,
    (name, url, kind): (&'a str, &'a str, &'a str),
    events: &[Event],
    (writers_only, paused): (bool, bool),
) -> Vec<(&'static str, &'a str)> {
    let mut fields = vec![
        ("id", id),
        ("form[name]", name),
        ("form[url]", url),
        ("form[kind]", kind),
    ];
    fields.extend(events.iter().map(|e| (field_of(*e), "on")));
    if writers_only {
        fields.push(("form[writers_only]", "on"));
    }
    if paused {
        fields.push(("form[paused]", "on"));
    }
    fields
}

/// Saves the edit form as the hydrated page would; returns the secret it answers ("" if none).
async fn save(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let (status, body) = app.call(UpdateWebhook::PATH, fields).await;
    assert!([200, 302].contains(&status), "{status}: {body}");
    serde_json::from_str(&body).unwrap_or_default()
}

#[tokio::test]
async fn an_admin_edits_a_destination_under_the_checks_of_adding_and_keeps_what_was_typed() {
    let app = start(None, 8).await;
    add_destination(
        &app,
        "Chat",
        "https://chat.example.com/hook",
        "slack",
        false,
    )
    .await;
    let id = stored(&app, "Chat").await.id.to_string();
    let edit = format!("/admin/webhooks/{id}");

    let (_, list) = app.page("/admin/webhooks").await;
    assert!(list.contains(&format!("href=\"{edit}\"")), "an Edit link");
    let (status, html) = app.page(&edit).await;
    assert_eq!(status, 200);
    for shown in [
        "value=\"Chat\"",
        "value=\"https://chat.example.com/hook\"",
        "name=\"form[paused]\"",
        "Save destination",
    ] {
        assert!(html.contains(shown), "{shown:?} on the edit page");
    }
    assert!(
        !html.contains("Make a new secret"),
        "a Slack-compatible destination has no secret"
    );

    // Without JavaScript: the errors beside their fields, what was typed kept, nothing saved.
    let bad = edit_fields(&id, ("Kept name", "ftp://x", "slack"), &[], (true, true));
    let (status, location) = app.submit(UpdateWebhook::PATH, &edit, &bad).await;
    assert_eq!(status, 303, "back to the form");
    let location = location.expect("a location");
    assert!(location.starts_with(&edit), "{location}");
    let (_, html) = app.page(&location).await;
    assert!(html.contains("A link must start with http:// or https://."));
    assert!(
        html.contains("id=\"e-events\""),
        "the events' error beside them"
    );
    assert!(html.contains("value=\"Kept name\"") && html.contains("value=\"ftp://x\""));
    assert_eq!(
        stored(&app, "Chat").await.url,
        "https://chat.example.com/hook"
    );
    // With JavaScript: the same checks, in the answer.
    let (status, body) = app.call(UpdateWebhook::PATH, &bad).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Tick at least one event"), "{body}");

    let good = edit_fields(
        &id,
        ("#ops", "https://chat.example.com/ops", "slack"),
        &[Event::Published, Event::Mentioned],
        (true, false),
    );
    assert_eq!(
        save(&app, &good).await,
        "",
        "no secret for a Slack destination"
    );
    let saved = stored(&app, "#ops").await;
    assert_eq!(saved.url, "https://chat.example.com/ops");
    assert_eq!(saved.events, "published,mentioned");
    assert!(saved.writers_only && !saved.paused);
    assert_eq!(saved.secret, None);

    let (status, _) = app
        .call(
            UpdateWebhook::PATH,
            &edit_fields(
                "999999",
                ("x", "https://x.example", "slack"),
                &[Event::Published],
                (false, false),
            ),
        )
        .await;
    assert_eq!(status, 404, "no such destination");
    let author = app.browser_as(Role::Author).await;
    let (_, html) = author.page(&edit).await;
    assert!(!html.contains("Save destination") && !html.contains("#ops"));
}

#[tokio::test]
async fn a_paused_destination_gets_nothing_new_and_what_was_queued_stays_and_is_sent() {
    let receiver = HttpReceiver::start().await;
    receiver.answer(500);
    let app = start(None, 8).await;
    let url = format!("{}/hook", receiver.base);
    let secret = add_destination(&app, "Tracker", &url, "json", true).await;
    let id = stored(&app, "Tracker").await.id.to_string();

    emit(
        &app,
        notice(Event::Mentioned, "mentioned:comment:1", false),
        vec![],
    )
    .await;
    let queued = wait_until(&app, |r| r.len() == 1 && r[0].attempts >= 1).await;
    assert_eq!(
        queued[0].attempts, 1,
        "tried once, failing, and waiting to try again"
    );

    let paused = edit_fields(
        &id,
        ("Tracker", &url, "json"),
        &[Event::Published],
        (true, true),
    );
    assert_eq!(save(&app, &paused).await, "", "the secret it has stays");
    let after = rows(&app).await;
    assert_eq!(after.len(), 1);
    assert_eq!(
        (
            after[0].event.as_str(),
            after[0].idempotency_key.as_str(),
            &after[0].payload
        ),
        (
            queued[0].event.as_str(),
            queued[0].idempotency_key.as_str(),
            &queued[0].payload
        ),
        "the queued delivery is as it was"
    );
    assert!(after[0].dead_at.is_none() && after[0].sent_at.is_none());
    let (_, list) = app.page("/admin/webhooks").await;
    assert!(list.contains("Paused"));

    emit(
        &app,
        notice(Event::Published, "published:incident:12", true),
        vec![],
    )
    .await;
    emit(
        &app,
        notice(Event::Mentioned, "mentioned:comment:2", false),
        vec![],
    )
    .await;
    assert_eq!(
        rows(&app).await.len(),
        1,
        "nothing new is queued while paused"
    );

    receiver.answer(200);
    let sent = wait_until(&app, |r| r[0].sent_at.is_some()).await;
    assert!(sent[0].sent_at.is_some(), "what was queued is still sent");
    let delivered = receiver.at("/hook");
    let last = delivered.last().expect("a request");
    assert_eq!(last.headers["x-debrief-event"], "mentioned");
    assert_eq!(
        last.headers["x-debrief-signature"],
        last.signature_with(&secret),
        "signed with the secret it had"
    );

    let active = edit_fields(
        &id,
        ("Tracker", &url, "json"),
        &[Event::Published],
        (true, false),
    );
    save(&app, &active).await;
    emit(
        &app,
        notice(Event::Published, "published:incident:13", true),
        vec![],
    )
    .await;
    emit(
        &app,
        notice(Event::Mentioned, "mentioned:comment:3", false),
        vec![],
    )
    .await;
    let all = wait_until(&app, |r| r.len() == 2 && r[1].sent_at.is_some()).await;
    assert_eq!(
        all.len(),
        2,
        "active again, for the events it keeps: {all:?}"
    );
    assert_eq!(all[1].event, "published");
    assert!(all[1].sent_at.is_some());
}

/// The secret a page shows once, if any.
fn shown_secret(html: &str) -> Option<String> {
    html.split("<code class=\"token\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_new_secret_is_shown_once_and_signs_what_is_sent_next() {
    let receiver = HttpReceiver::start().await;
    let app = start(None, 8).await;
    let url = format!("{}/signed", receiver.base);
    let first = add_destination(&app, "Signed", &url, "json", false).await;
    let id = stored(&app, "Signed").await.id.to_string();
    let edit = format!("/admin/webhooks/{id}");

    let (_, html) = app.page(&edit).await;
    assert!(html.contains("Make a new secret…"), "it asks first");
    assert!(
        !html.contains(&first) && shown_secret(&html).is_none(),
        "never shown again"
    );
    let (_, asking) = app.page(&format!("{edit}?confirm=webhook-secret")).await;
    assert!(asking.contains("Are you sure?"));
    let (status, location) = app
        .submit(
            NewWebhookSecret::PATH,
            &format!("{edit}?confirm=webhook-secret"),
            &[("id", &id)],
        )
        .await;
    assert_eq!(status, 302, "to the page that shows it once");
    let location = location.expect("a location");
    assert!(
        location.starts_with(&format!("{edit}?secret=")),
        "{location}"
    );
    let (_, html) = app.page(&location).await;
    let second = shown_secret(&html).expect("the new secret is shown");
    assert_eq!(second.len(), 64);
    assert_ne!(second, first);
    let (_, again) = app.page(&location).await;
    assert!(!again.contains(&second), "shown once");
    let (_, list) = app.page("/admin/webhooks").await;
    assert!(!list.contains(&second) && !list.contains(&first));

    emit(
        &app,
        notice(Event::Published, "published:incident:12", true),
        vec![],
    )
    .await;
    let got = receiver.wait_for("/signed", 1, WAIT).await;
    let request = &got[0];
    assert_eq!(
        request.headers["x-debrief-signature"],
        request.signature_with(&second)
    );

    // A Slack-compatible destination signs nothing: no secret to make. Made generic, it gets
    // one, shown once; made Slack-compatible again, it loses it.
    add_destination(
        &app,
        "Chat",
        "https://chat.example.com/hook",
        "slack",
        false,
    )
    .await;
    let chat = stored(&app, "Chat").await.id.to_string();
    let (status, body) = app.call(NewWebhookSecret::PATH, &[("id", &chat)]).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not signed"), "{body}");
    let to_json = edit_fields(
        &chat,
        ("Chat", "https://chat.example.com/hook", "json"),
        &[Event::Published],
        (false, false),
    );
    let made = save(&app, &to_json).await;
    assert_eq!(
        made.len(),
        64,
        "a secret for the generic payloads: {made:?}"
    );
    assert_eq!(
        stored(&app, "Chat").await.secret.as_deref(),
        Some(made.as_str())
    );
    let to_slack = edit_fields(
        &chat,
        ("Chat", "https://chat.example.com/hook", "slack"),
        &[Event::Published],
        (false, false),
    );
    save(&app, &to_slack).await;
    assert_eq!(stored(&app, "Chat").await.secret, None);
}
