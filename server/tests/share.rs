//! Sharing the worked example beyond the team: the shared version names no one (people become
//! the part they played), leaves out owners, tracker links, evidence and comments, is
//! previewed first, is served to anyone holding the unguessable link, and stops when revoked.

mod common;

use common::{Browser, incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::comments::AddComment;
use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::participants::AddParticipant;
use app::api::share::{CreateShareLink, RevokeShareLink, ShareOverview, Sharing};
use app::api::timeline::AddTimelineEntry;
use app::domain::account::Role;

async fn call_ok(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let (status, body) = browser.call(path, fields).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// What must never reach the shared version.
const SECRETS: [&str; 9] = [
    "555-0100",
    "Grace",
    "Hopper",
    "grace@example.com",
    "Li Wei",
    "tracker.internal",
    "Which dashboard showed it first?",
    "ci.example.com",
    "Platform team",
];

#[tokio::test]
async fn the_worked_example_is_shared_without_naming_anyone() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let id = incident.to_string();
    let grace = app
        .add_user("grace@example.com", "Grace Hopper", Role::Author)
        .await
        .to_string();
    app.add_user("li@example.com", "Li Wei", Role::Author).await;
    call_ok(
        &app,
        AddParticipant::PATH,
        &[
            ("incident_id", &id),
            ("form[user_id]", &grace),
            ("form[part]", "incident commander"),
        ],
    )
    .await;
    call_ok(
        &app,
        AddTimelineEntry::PATH,
        &[
            ("incident_id", &id),
            ("form[at]", "2020-03-23T10:29"),
            ("form[precision]", "minute"),
            ("form[kind]", "action"),
            ("form[actor]", "Grace Hopper"),
            (
                "form[body]",
                "Grace asked Li Wei to hold restarts; see [OPS-1](https://tracker.internal/OPS-1).\nInternal: the on-call phone is 555-0100.",
            ),
            ("zone", "UTC"),
        ],
    )
    .await;
    call_ok(
        &app,
        AddComment::PATH,
        &[
            ("incident_id", &id),
            ("anchor", "section:summary"),
            ("form[body]", "Which dashboard showed it first?"),
        ],
    )
    .await;
    let owned: i64 = app
        .json(
            AddFollowUp::PATH,
            &[
                ("incident_id", &id),
                ("state", "committed"),
                ("form[title]", "Grace Hopper to add a canary stage"),
                ("form[action_type]", "detect"),
                ("form[priority]", "p2"),
                ("form[owner_id]", &grace),
                ("form[due]", "2030-01-31"),
            ],
        )
        .await;
    for (to, note) in [
        ("done", ""),
        ("verified", "https://ci.example.com/drills/7"),
    ] {
        call_ok(
            &app,
            TransitionFollowUp::PATH,
            &[
                ("id", &owned.to_string()),
                ("form[to]", to),
                ("form[note]", note),
            ],
        )
        .await;
    }

    // Not published yet: nothing to share.
    let (status, body) = app.call(CreateShareLink::PATH, &[("id", &id)]).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Only a published postmortem can be shared"),
        "{body}"
    );
    app.publish(incident).await;

    // The preview is what others will read.
    let sharing: Sharing = app.json(ShareOverview::PATH, &[("id", &id)]).await;
    let preview =
        serde_json::to_string(&sharing.preview.expect("published, so previewed")).unwrap();
    for secret in SECRETS {
        assert!(
            !preview.contains(secret),
            "{secret} is in the preview: {preview}"
        );
    }
    assert!(
        preview.contains("the incident commander asked a team member to hold restarts"),
        "{preview}"
    );
    assert!(
        preview.contains("the incident commander to add a canary stage"),
        "{preview}"
    );

    let token: String = app.json(CreateShareLink::PATH, &[("id", &id)]).await;
    assert_eq!(token.len(), 64, "unguessable: 256 random bits");
    let stranger = app.anonymous();
    let (status, html) = stranger.page(&format!("/shared/{token}")).await;
    assert_eq!(status, 200, "no login needed");
    let text = text_of(&html);
    assert!(
        text.contains("Customer logins failed across all products"),
        "{text}"
    );
    assert!(text.contains("What went well"), "{text}");
    assert!(
        text.contains("Who took part, by role: incident commander"),
        "{text}"
    );
    for secret in SECRETS {
        assert!(!html.contains(secret), "{secret} is on the shared page");
    }
    assert!(
        !html.contains("Log out"),
        "a stranger sees no one's session"
    );

    // Revoked: the link stops working for everyone.
    let link = app::api::share::ShareLinkRow::clone(
        &app.json::<Sharing>(ShareOverview::PATH, &[("id", &id)])
            .await
            .links[0],
    );
    call_ok(&app, RevokeShareLink::PATH, &[("id", &link.id.to_string())]).await;
    let (status, html) = stranger.page(&format!("/shared/{token}")).await;
    assert_eq!(status, 404, "{}", text_of(&html));
    let (status, _) = stranger.page("/shared/not-a-token").await;
    assert_eq!(status, 404);
    let sharing: Sharing = app.json(ShareOverview::PATH, &[("id", &id)]).await;
    assert!(sharing.links[0].revoked_at.is_some());
}

#[tokio::test]
async fn the_share_page_previews_and_makes_a_link_without_javascript() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let (_, html) = app.page(&format!("/incidents/{incident}/share")).await;
    assert!(text_of(&html).contains("Only a published postmortem can be shared"));
    app.publish(incident).await;
    let (status, location) = app
        .submit(
            CreateShareLink::PATH,
            &format!("/incidents/{incident}/share"),
            &[("id", &incident.to_string())],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("back to the share page");
    assert!(
        location.starts_with(&format!("/incidents/{incident}/share?secret=")),
        "the link is kept to show once, never put in the address: {location}"
    );
    let (_, html) = app.page(&location).await;
    let text = text_of(&html);
    assert!(text.contains("Copy it now"), "{text}");
    assert!(html.contains("/shared/"), "the link is shown");
    assert!(text.contains("Preview"), "{text}");
}
