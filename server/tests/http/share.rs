//! Sharing the worked example beyond the team: the shared version names no one (people become
//! the part they played), leaves out owners, tracker links, evidence and comments, is
//! previewed first, is served to anyone holding the unguessable link, and stops when revoked.

use crate::common::{Browser, incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::comments::AddComment;
use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::incidents::LessonsForEdit;
use app::api::participants::AddParticipant;
use app::api::share::{CreateShareLink, RevokeShareLink, ShareOverview};
use app::api::timeline::AddTimelineEntry;
use app::domain::account::Role;
use app::dto::share::Sharing;

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
    let link = app::dto::share::ShareLinkRow::clone(
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

/// What a field tagged `tag` is seeded with, as plain text: a name that belongs to no account,
/// an email address, a host name, a URL and a ticket key.
fn plain(tag: &str) -> String {
    plain_naming("Zebulon Quimby", tag)
}

/// The plain secrets naming someone else: for the fields that hold names (who started or
/// reviewed a change), whose names are then known, where "Zebulon Quimby" is found as a pair
/// of capitalised words.
fn plain_naming(name: &str, tag: &str) -> String {
    format!(
        "{name} {tag}-mail@acme.example db-01.{tag}.acme.example https://wiki.acme.example/{tag} {}-4242",
        tag.to_uppercase()
    )
}

/// What a Markdown field tagged `tag` is seeded with: the plain secrets and an account's name,
/// an autolink, a link, an email autolink, and notes marked internal in a paragraph's
/// continuation line, a list item, bold, a heading and a wrapped paragraph.
fn markdown(tag: &str) -> String {
    format!(
        "Seen by {} and Grace Hopper; see <https://auto.acme.example/{tag}>, \
         [the runbook](https://runbook.acme.example/{tag}) and <{tag}-auto@acme.example>.\n\
         Internal: wrapped note-{tag}-a\n\
         continues note-{tag}-b\n\n\
         - a fine item\n\
         - **Internal:** note-{tag}-c\n\n\
         ## Internal: note-{tag}-d\n\n\
         Internal: first note-{tag}-e\n\
         continuation note-{tag}-f\n\n\
         Kept-{tag} paragraph.",
        plain(tag)
    )
}

/// The secrets seeded under `tag`, as they must not appear anywhere a stranger can read.
fn secrets_of(tag: &str) -> Vec<String> {
    vec![
        format!("{tag}-mail"),
        format!("{tag}-auto"),
        format!("db-01.{tag}"),
        format!("wiki.acme.example/{tag}"),
        format!("{}-4242", tag.to_uppercase()),
        format!("note-{tag}"),
    ]
}

/// Secrets that are the same in every field.
const EVERYWHERE: [&str; 10] = [
    "Ophelia",
    "Starter",
    "Checker",
    "Zebulon",
    "Quimby",
    "acme.example",
    "Grace",
    "Hopper",
    "grace@example.com",
    "db-01",
];

fn assert_nothing_leaks(what: &str, body: &str, tags: &[&str]) {
    let mut secrets: Vec<String> = EVERYWHERE.iter().map(|s| (*s).to_owned()).collect();
    for tag in tags {
        secrets.extend(secrets_of(tag));
    }
    for secret in secrets {
        if let Some(at) = body.find(&secret) {
            let from = body.floor_char_boundary(at.saturating_sub(200));
            let to = body.ceil_char_boundary((at + 200).min(body.len()));
            panic!("{secret} leaks into {what}: …{}…", &body[from..to]);
        }
    }
}

async fn add_entry(app: &Browser, id: &str, actor: &str, body: &str) -> i64 {
    app.json(
        AddTimelineEntry::PATH,
        &[
            ("incident_id", id),
            ("form[at]", "2020-03-23T10:29"),
            ("form[precision]", "minute"),
            ("form[kind]", "action"),
            ("form[actor]", actor),
            ("form[body]", body),
            ("zone", "UTC"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_secret_in_every_field_reaches_no_stranger() {
    use app::api::changes::{AddChange, AddParameter};
    use app::api::impact::AddImpactFigure;
    use app::api::incidents::{CreateIncident, UpdateLessons};
    use app::api::share::{SetInternal, SharedPostmortem};

    let app = spawn().await;
    let grace = app
        .add_user("grace@example.com", "Grace Hopper", Role::Author)
        .await
        .to_string();
    let (title, summary, service) = (plain("ttl"), markdown("sum"), plain("svc"));
    let id: i64 = app
        .json(
            CreateIncident::PATH,
            &[
                ("form[title]", &title),
                ("form[summary]", &summary),
                ("form[severity]", "sev2"),
                ("form[services]", &service),
                ("form[impact_started_at]", "2020-03-23T10:27"),
                ("form[impact_started_precision]", "approximate"),
                ("form[detected_at]", "2020-03-23T10:28"),
                ("form[detected_precision]", "minute"),
                ("zone", "UTC"),
            ],
        )
        .await;
    let id = id.to_string();
    let (well, wrong, lucky) = (markdown("wel"), markdown("wrg"), markdown("lck"));
    call_ok(
        &app,
        UpdateLessons::PATH,
        &[
            ("id", &id),
            ("version", &app.version(LessonsForEdit::PATH, &id).await),
            ("form[went_well]", &well),
            ("form[went_wrong]", &wrong),
            ("form[lucky]", &lucky),
        ],
    )
    .await;
    let part = format!("incident commander, ask {}", plain("prt"));
    call_ok(
        &app,
        AddParticipant::PATH,
        &[
            ("incident_id", &id),
            ("form[user_id]", &grace),
            ("form[part]", &part),
        ],
    )
    .await;
    let (actor, body) = (plain("act"), markdown("bdy"));
    add_entry(&app, &id, &actor, &body).await;
    add_entry(
        &app,
        &id,
        "on-call engineer",
        "Internal: the whole entry, note-int1",
    )
    .await;
    let clicked = add_entry(&app, &id, "on-call engineer", "Clicked note-clk1").await;
    let (affected, estimation) = (plain("aff"), plain("est"));
    for affected in [affected.as_str(), "Internal: note-int2 logins failed"] {
        call_ok(
            &app,
            AddImpactFigure::PATH,
            &[
                ("incident_id", &id),
                ("form[affected]", affected),
                ("form[quantity_kind]", "approximate"),
                ("form[quantity]", "120"),
                ("form[unit]", "logins"),
                ("form[window]", "5 min"),
                ("form[estimation]", &estimation),
                ("form[customer_visible]", "on"),
            ],
        )
        .await;
    }
    let change_fields = [
        ("summary", plain("chs")),
        ("system", plain("sys")),
        ("identifier", plain("idf")),
        ("link", "https://deploy.acme.example/chl-4242".to_owned()),
        ("started_by", plain_naming("Ophelia Starter", "stb")),
        ("plan", plain("pln")),
        ("reviewer", plain_naming("Ophelia Checker", "rvw")),
        ("rationale", markdown("rat")),
    ];
    let mut fields: Vec<(String, String)> = vec![
        ("incident_id".into(), id.clone()),
        ("form[kind]".into(), "deploy".into()),
        ("form[at]".into(), "2020-03-23T10:20".into()),
        ("form[precision]".into(), "minute".into()),
        ("form[relation]".into(), "confirmed_trigger".into()),
        ("zone".into(), "UTC".into()),
    ];
    fields.extend(
        change_fields
            .iter()
            .map(|(name, value)| (format!("form[{name}]"), value.clone())),
    );
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let change: i64 = app.json(AddChange::PATH, &fields).await;
    let change = change.to_string();
    let (parameter_value, defaulted) = (plain("pvl"), "batch window".to_owned());
    for (name, value, is_default) in [
        ("concurrency", parameter_value.as_str(), ""),
        (defaulted.as_str(), "", "on"),
    ] {
        call_ok(
            &app,
            AddParameter::PATH,
            &[
                ("change_id", &change),
                ("form[name]", name),
                ("form[value]", value),
                ("form[is_default]", is_default),
            ],
        )
        .await;
    }
    let (follow_up_title, description) = (plain("fut"), markdown("fud"));
    let owned: i64 = app
        .json(
            AddFollowUp::PATH,
            &[
                ("incident_id", &id),
                ("state", "committed"),
                ("form[title]", &follow_up_title),
                ("form[description]", &description),
                ("form[action_type]", "detect"),
                ("form[priority]", "p2"),
                ("form[owner]", "Ophelia Owner"),
                ("form[due]", "2030-01-31"),
                ("form[change_id]", &change),
            ],
        )
        .await;
    let evidence = plain("evi");
    for (to, note) in [("done", ""), ("verified", evidence.as_str())] {
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
    let refused: i64 = app
        .json(
            AddFollowUp::PATH,
            &[
                ("incident_id", &id),
                ("state", "proposed"),
                (
                    "form[title]",
                    "Internal: note-int3 buy the vendor's support",
                ),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p3"),
            ],
        )
        .await;
    let reason = plain("wnd");
    call_ok(
        &app,
        TransitionFollowUp::PATH,
        &[
            ("id", &refused.to_string()),
            ("form[to]", "wont_do"),
            ("form[note]", &reason),
        ],
    )
    .await;
    let comment = plain("cmt");
    call_ok(
        &app,
        AddComment::PATH,
        &[
            ("incident_id", &id),
            ("anchor", "section:summary"),
            ("form[body]", &comment),
        ],
    )
    .await;
    app.publish(id.parse().expect("an id")).await;

    // After publishing: a follow-up the review never saw, and one timeline entry kept inside
    // with one click.
    call_ok(
        &app,
        AddFollowUp::PATH,
        &[
            ("incident_id", &id),
            ("state", "proposed"),
            ("form[title]", "Unreviewed note-late1"),
            ("form[action_type]", "prevent"),
            ("form[priority]", "p3"),
        ],
    )
    .await;
    call_ok(
        &app,
        SetInternal::PATH,
        &[
            ("part", "timeline_entry"),
            ("id", &clicked.to_string()),
            ("internal", "true"),
        ],
    )
    .await;

    let tags = [
        "ttl", "sum", "svc", "wel", "wrg", "lck", "prt", "act", "bdy", "aff", "est", "chs", "sys",
        "idf", "chl", "stb", "pln", "rvw", "rat", "pvl", "fut", "fud", "evi", "wnd", "cmt", "int",
        "clk", "late",
    ];
    let sharing: Sharing = app.json(ShareOverview::PATH, &[("id", &id)]).await;
    let preview = serde_json::to_string(&sharing.preview.expect("published")).expect("JSON");
    assert_nothing_leaks("the preview", &preview, &tags);
    assert!(!preview.contains("Ophelia"), "{preview}");

    let token: String = app.json(CreateShareLink::PATH, &[("id", &id)]).await;
    let stranger = app.anonymous();
    let (status, html) = stranger.page(&format!("/shared/{token}")).await;
    assert_eq!(status, 200);
    assert_nothing_leaks("the shared page", &html, &tags);
    assert!(
        !html.contains("Ophelia"),
        "a typed owner's name is not shown"
    );
    let (status, json) = stranger
        .call(SharedPostmortem::PATH, &[("token", &token)])
        .await;
    assert_eq!(status, 200, "{json}");
    assert_nothing_leaks("the share/view JSON", &json, &tags);

    // What is shared is still there, redacted: the test would pass on an empty page otherwise.
    let text = text_of(&html);
    for kept in [
        "[name]",
        "[email]",
        "[host]",
        "[link]",
        "[ticket]",
        "the incident commander",
        "a fine item",
        "Kept-sum paragraph.",
        "Kept-bdy paragraph.",
        "Kept-wel paragraph.",
        "Kept-rat paragraph.",
        "Took a default: batch window",
        "Who took part, by role: incident commander",
    ] {
        assert!(text.contains(kept), "{kept} is missing: {text}");
    }
}

#[tokio::test]
async fn one_click_keeps_a_part_inside_the_team_without_javascript() {
    use app::api::share::{SetInternal, SharedPostmortem};
    use app::dto::share::SharedView;

    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let id = incident.to_string();
    app.publish(incident).await;
    let sharing: Sharing = app.json(ShareOverview::PATH, &[("id", &id)]).await;
    let preview = sharing.preview.expect("published");
    let follow_up = sharing
        .marks
        .iter()
        .find(|m| m.part == "follow_up" && !m.internal)
        .expect("the example's follow-ups can be kept inside")
        .clone();
    let title = follow_up.text.clone();
    assert!(
        preview.follow_ups.iter().any(|f| f.title == title),
        "shared until marked: {preview:?}"
    );
    let token: String = app.json(CreateShareLink::PATH, &[("id", &id)]).await;
    let stranger = app.anonymous();
    let (_, html) = stranger.page(&format!("/shared/{token}")).await;
    assert!(text_of(&html).contains(&title), "shared until marked");

    // The share page offers the button as a plain form.
    let (_, page) = app.page(&format!("/incidents/{id}/share")).await;
    assert!(page.contains("Keep inside the team"), "{}", text_of(&page));
    assert!(
        page.contains(&format!("action=\"{}\"", SetInternal::PATH)),
        "a plain form posts it"
    );

    let from = format!("/incidents/{id}/share");
    let mark_id = follow_up.id.to_string();
    let (status, location) = app
        .submit(
            SetInternal::PATH,
            &from,
            &[
                ("part", "follow_up"),
                ("id", &mark_id),
                ("internal", "true"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some(from.as_str()));

    let sharing: Sharing = app.json(ShareOverview::PATH, &[("id", &id)]).await;
    let preview = sharing.preview.expect("published");
    assert!(
        !preview.follow_ups.iter().any(|f| f.title == title),
        "the preview leaves it out: {preview:?}"
    );
    assert!(
        sharing
            .marks
            .iter()
            .any(|m| m.id == follow_up.id && m.part == "follow_up" && m.internal)
    );
    let (_, html) = stranger.page(&format!("/shared/{token}")).await;
    assert!(!html.contains(&title), "the shared page leaves it out");
    let shared: SharedView = stranger
        .json(SharedPostmortem::PATH, &[("token", &token)])
        .await;
    assert!(!shared.follow_ups.iter().any(|f| f.title == title));
    let (_, page) = app.page(&format!("/incidents/{id}/share")).await;
    assert!(page.contains("Share this"), "{}", text_of(&page));

    // Who kept it inside is in the postmortem's history.
    let (_, history) = app.page(&format!("/incidents/{id}/history")).await;
    assert!(
        text_of(&history).contains(&format!(
            "Follow-up {mark_id}: kept inside the team when shared"
        )),
        "{}",
        text_of(&history)
    );

    // One more click shares it again.
    let (status, _) = app
        .submit(
            SetInternal::PATH,
            &from,
            &[
                ("part", "follow_up"),
                ("id", &mark_id),
                ("internal", "false"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = stranger.page(&format!("/shared/{token}")).await;
    assert!(text_of(&html).contains(&title), "shared again");

    // A part that cannot be kept inside is refused, naming the field.
    let (status, body) = app
        .call(
            SetInternal::PATH,
            &[("part", "incident"), ("id", &id), ("internal", "true")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("part"), "{body}");
    let (status, _) = app
        .call(
            SetInternal::PATH,
            &[
                ("part", "timeline_entry"),
                ("id", "999999"),
                ("internal", "true"),
            ],
        )
        .await;
    assert_eq!(status, 404);
}
