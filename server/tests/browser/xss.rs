//! Cross-site scripting, end to end: a corpus of hostile text is entered through every field a
//! person (or an integration, or an import) can write, and every page that shows it is opened in
//! headless Chromium, hydrated and without JavaScript. Nothing may run: no payload sets
//! `window.__xss`, no dialog opens, no element carries an injected event handler or a script
//! link, and the console stays clean (a Content-Security-Policy report about an inline script
//! or handler means markup got through, so it fails the test like any other console error).
//! Exports are files, never pages: they must not be served as HTML and must say `nosniff`.
//!
//! Needs Debian's `chromium` and `chromedriver` and the site built by `cargo leptos build`.

use std::time::Duration;

use crate::common::chromium::{Driver, Journey, browser, console_errors};
use crate::common::{Browser, TestApp, incident_of};
use fantoccini::Locator;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

use app::api::comments::AddComment;
use app::api::export::ImportPostmortem;
use app::api::incidents::{
    CreateIncident, GetPostmortem, IncidentForEdit, LessonsForEdit, UpdateIncident, UpdateLessons,
};
use app::api::integrations::{CreateIntegrationToken, LinkRecordedChange, RecordedChanges};
use app::api::library::{AddToReadingList, CreateReadingList, TagLesson};
use app::api::participants::AddParticipant;
use app::api::share::CreateShareLink;
use app::api::users::{AddUser, UpdateUser};

/// The corpus. Payloads set `window.__xss` where they can (so a run that slips past the
/// Content-Security-Policy is still caught); some call `alert` instead, caught as an open dialog.
const CORPUS: [&str; 28] = [
    "<script>window.__xss=1</script>",
    "<script>alert(1)</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<img src=x onerror=alert(1)>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><a xlink:href=\"javascript:window.__xss=1\"><text y=20>svg link</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1></style></mglyph></table></mtext></math>",
    "<math href=\"javascript:window.__xss=1\">math link</math>",
    "[markdown link](javascript:window.__xss=1)",
    "<a href=\"javascript:alert(1)\">html link</a>",
    "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "<a href=\"vbscript:msgbox(1)\">vbscript link</a>",
    "[entity link](&#106;avascript:window.__xss=1)",
    "<iframe src=\"javascript:window.__xss=1\"></iframe><object data=\"data:text/html,<script>window.__xss=1</script>\"></object>",
    "</title><script>window.__xss=1</script>",
    "</textarea><img src=x onerror=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    "\"><img src=x onerror=window.__xss=1>",
    "' onmouseover='window.__xss=1' autofocus onfocus='window.__xss=1' x='",
    "<<script>script>window.__xss=1<</script>/script><scr<script>ipt>alert(1)</scr</script>ipt>",
    "<details open ontoggle=window.__xss=1><summary>toggle</summary></details>",
    "<!--<img src=\"--><img src=x onerror=window.__xss=1//\">",
    "![image](x\" onerror=\"window.__xss=1)",
    "<form action=\"javascript:window.__xss=1\"><button formaction=\"javascript:alert(1)\">go</button></form>",
    "＜script＞window.__xss=1＜/script＞ \u{202e}<img src=x onerror=window.__xss=1>",
    "java\u{200b}script:window.__xss=1 <a href=\"jav&#x09;ascript:window.__xss=1\">tab link</a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\"><base href=\"javascript:/\">",
];

/// `text` cut to a field's limit (titles, names, short text: 200 characters).
fn short(text: &str, limit: usize) -> String {
    text.chars().take(limit).collect()
}

fn all_payloads() -> String {
    CORPUS.join("\n\n")
}

async fn ok(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let (status, body) = browser.call(path, fields).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// A server function's form fields from a form object (`{"title": …}` → `form[title]`).
fn form_fields(form: &Value) -> Vec<(String, String)> {
    form.as_object()
        .expect("a form object")
        .iter()
        .map(|(k, v)| {
            (
                format!("form[{k}]"),
                v.as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Where the payloads ended up: the pages to open.
struct Seeded {
    /// The published postmortem with a payload in every field, commented, tagged, listed, shared.
    hostile: i64,
    /// A draft copy of it, for the editors.
    draft: i64,
    /// One incident per payload, titled, summarised and serviced with it.
    titled: Vec<i64>,
    share_token: String,
    timeline: i64,
    change: i64,
    impact: i64,
    follow_up: i64,
}

/// Writes a payload into every field there is, through the server functions, the JSON import
/// and the change API, as the UI, a script or an integration would.
async fn seed(app: &TestApp) -> Seeded {
    // People named with payloads, with payload teams: names reach owners, participants, history.
    let mut names = Vec::new();
    for (i, payload) in CORPUS.iter().enumerate() {
        let name = short(payload, 200).trim().to_owned();
        let email = format!("person{i}@example.com");
        let id: i64 = app
            .json(
                AddUser::PATH,
                &[
                    ("form[email]", &email),
                    ("form[display_name]", &name),
                    ("form[password]", crate::common::PASSWORD),
                    ("form[role]", "author"),
                    ("form[time_zone]", "UTC"),
                ],
            )
            .await;
        ok(
            app,
            UpdateUser::PATH,
            &[
                ("id", &id.to_string()),
                ("role", "author"),
                ("active", "on"),
                ("team", &short(payload, 200)),
            ],
        )
        .await;
        names.push((id, name));
    }

    // The import: the worked example's JSON with a payload in every text field, and a timeline
    // entry, impact figure, change, parameter and follow-up per payload.
    let example = incident_of(&app.load_example().await);
    let (_, _, json_text) = app
        .download(&format!("/incidents/{example}/export.json"))
        .await;
    let mut export: Value = serde_json::from_str(&json_text).expect("the export reads");
    export["incident"]["title"] = json!(short(CORPUS[15], 200));
    export["incident"]["summary_md"] = json!(all_payloads());
    export["incident"]["services"] = json!(
        CORPUS
            .iter()
            .map(|p| short(p, 200))
            .flat_map(|p| p
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect::<std::collections::BTreeSet<_>>()
    );
    for lesson in ["went_well_md", "went_wrong_md", "lucky_md"] {
        export["lessons"][lesson] = json!(all_payloads());
    }
    let timeline_template = export["timeline"][0].clone();
    let impact_template = export["impact"][0].clone();
    let change_template = export["changes"][0].clone();
    let follow_up_template = export["follow_ups"][0].clone();
    let mut timeline = Vec::new();
    let mut impact = Vec::new();
    let mut parameters = Vec::new();
    let mut changes = Vec::new();
    let mut follow_ups = Vec::new();
    for (i, payload) in CORPUS.iter().enumerate() {
        let line = short(payload, 200);
        let mut entry = timeline_template.clone();
        entry["actor"] = json!(line);
        entry["body_md"] = json!(payload);
        entry["marker"] = Value::Null;
        timeline.push(entry);
        let mut figure = impact_template.clone();
        figure["affected"] = json!(line);
        figure["unit"] = json!(line);
        figure["estimation"] = json!(payload);
        impact.push(figure);
        parameters.push(json!({
            "name": short(&format!("{i} {payload}"), 200),
            "value": payload,
            "is_default": false,
        }));
        let mut change = change_template.clone();
        for field in [
            "summary",
            "system",
            "identifier",
            "started_by",
            "plan",
            "reviewer",
        ] {
            change["change"][field] = json!(line);
        }
        change["change"]["rationale_md"] = json!(payload);
        change["change"]["link"] = json!(format!(
            "https://example.com/{i}?q=\"><script>window.__xss=1</script>"
        ));
        change["parameters"] = json!([]);
        changes.push(change);
        let mut follow_up = follow_up_template.clone();
        follow_up["follow_up"]["title"] = json!(line);
        follow_up["follow_up"]["description_md"] = json!(payload);
        follow_up["follow_up"]["owner"] = json!(names[i].1);
        for field in ["wont_do_reason", "evidence"] {
            if !follow_up[field].is_null() {
                follow_up[field] = json!(payload);
            }
        }
        if follow_up["change"].is_number() {
            follow_up["change"] = json!(0);
            follow_up["parameter"] = json!(i);
        }
        follow_ups.push(follow_up);
    }
    changes[0]["parameters"] = json!(parameters);
    export["timeline"] = json!(timeline);
    export["impact"] = json!(impact);
    export["changes"] = json!(changes);
    export["follow_ups"] = json!(follow_ups);
    // Every contributing factor says a payload, and is accepted with another as its reason (the
    // follow-ups above all address one factor, and approving needs each addressed or accepted).
    let factors = export["factors"]
        .as_array_mut()
        .expect("the example's factors");
    for (i, factor) in factors.iter_mut().enumerate() {
        factor["factor"]["statement"] = json!(short(CORPUS[i % CORPUS.len()], 200));
        factor["factor"]["accepted_reason"] = json!(CORPUS[(i + 1) % CORPUS.len()]);
    }
    let hostile: i64 = app
        .json(ImportPostmortem::PATH, &[("json", &export.to_string())])
        .await;
    let id = hostile.to_string();
    // A second copy stays a draft, for the editors (whose inputs and textareas hold the text).
    let draft: i64 = app
        .json(ImportPostmortem::PATH, &[("json", &export.to_string())])
        .await;

    // Edits through the forms, so the history has payloads on both sides of its diffs.
    let editing: Value = app.json(IncidentForEdit::PATH, &[("id", &id)]).await;
    let mut form = editing["form"].clone();
    form["title"] = json!(short(CORPUS[16], 200));
    form["summary"] = json!(CORPUS.iter().rev().copied().collect::<Vec<_>>().join("\n"));
    let mut fields = form_fields(&form);
    fields.push(("id".into(), id.clone()));
    fields.push(("zone".into(), "UTC".into()));
    fields.push((
        "version".into(),
        editing["version"].as_i64().expect("a version").to_string(),
    ));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    ok(app, UpdateIncident::PATH, &fields).await;
    let editing: Value = app.json(LessonsForEdit::PATH, &[("id", &id)]).await;
    let mut form = editing["form"].clone();
    for lesson in ["went_well", "went_wrong", "lucky"] {
        form[lesson] = json!(CORPUS.iter().rev().copied().collect::<Vec<_>>().join("\n"));
    }
    let mut fields = form_fields(&form);
    fields.push(("id".into(), id.clone()));
    fields.push((
        "version".into(),
        editing["version"].as_i64().expect("a version").to_string(),
    ));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    ok(app, UpdateLessons::PATH, &fields).await;

    // Participants, each playing a payload part.
    for (i, payload) in CORPUS.iter().enumerate() {
        ok(
            app,
            AddParticipant::PATH,
            &[
                ("incident_id", &id),
                ("form[user_id]", &names[i].0.to_string()),
                ("form[part]", &short(payload, 200)),
            ],
        )
        .await;
    }

    // The change API: an integration named with a payload records a change full of them, and
    // the team links it to the postmortem.
    let token: String = app
        .json(
            CreateIntegrationToken::PATH,
            &[("name", &short(CORPUS[0], 200))],
        )
        .await;
    let recorded = json!({
        "kind": "job_run",
        "system": short(CORPUS[2], 200),
        "identifier": short(CORPUS[17], 200),
        "summary": short(CORPUS[16], 200),
        "at": "2020-03-23T10:27:00Z",
        "started_by": short(CORPUS[19], 200),
        "parameters": CORPUS.iter().enumerate().map(|(i, p)| json!({
            "name": short(&format!("{i} {p}"), 200), "value": p,
        })).collect::<Vec<_>>(),
    });
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/changes"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(recorded.to_string())
        .send()
        .await
        .expect("the change API answers");
    assert_eq!(
        response.status().as_u16(),
        201,
        "{:?}",
        response.text().await
    );
    let log: Value = app.json(RecordedChanges::PATH, &[]).await;
    let row = log["rows"][0]["id"].as_i64().expect("the recorded change");
    let _: i64 = app
        .json(
            LinkRecordedChange::PATH,
            &[("id", &row.to_string()), ("incident_id", &id)],
        )
        .await;

    app.publish(hostile).await;

    // Comments on a section, every payload.
    for payload in CORPUS {
        ok(
            app,
            AddComment::PATH,
            &[
                ("incident_id", &id),
                ("anchor", "section:summary"),
                ("form[body]", payload),
            ],
        )
        .await;
    }

    // Tags hold letters, digits and hyphens only, so most payloads are refused (which is the
    // point); full-width letters are letters, and go in.
    for payload in CORPUS
        .iter()
        .map(|p| short(p, 40))
        .chain(["ｓｃｒｉｐｔ".into()])
    {
        let (status, body) = app
            .call(
                TagLesson::PATH,
                &[
                    ("incident_id", &id),
                    ("kind", "went_wrong"),
                    ("tag", &payload),
                ],
            )
            .await;
        assert!(status == 200 || status == 422, "{status}: {body}");
    }

    // Reading lists titled and annotated with payloads, each listing a hostile lesson.
    for (i, payload) in CORPUS.iter().enumerate() {
        let list: i64 = app
            .json(
                CreateReadingList::PATH,
                &[
                    ("form[title]", &short(payload, 200)),
                    ("form[note]", payload),
                ],
            )
            .await;
        let kind = ["went_well", "went_wrong", "lucky"][i % 3];
        let _: i64 = app
            .json(
                AddToReadingList::PATH,
                &[
                    ("list_id", &list.to_string()),
                    ("incident_id", &id),
                    ("kind", kind),
                    ("note", &short(payload, 200)),
                ],
            )
            .await;
    }

    let share_token: String = app.json(CreateShareLink::PATH, &[("id", &id)]).await;

    // Incidents titled with every payload, for the list, the dashboard and search.
    let mut titled = Vec::new();
    for payload in CORPUS {
        let created: i64 = app
            .json(
                CreateIncident::PATH,
                &[
                    ("form[title]", &short(payload, 200)),
                    ("form[severity]", "sev3"),
                    ("form[summary]", payload),
                    ("form[services]", &short(payload, 200)),
                    ("zone", "UTC"),
                ],
            )
            .await;
        titled.push(created);
    }

    let pm: Value = app
        .json(GetPostmortem::PATH, &[("id", &draft.to_string())])
        .await;
    let first = |part: &str| pm[part][0]["id"].as_i64().expect("an id");
    Seeded {
        hostile,
        draft,
        titled,
        share_token,
        timeline: first("timeline"),
        change: first("changes"),
        impact: first("impact"),
        follow_up: first("follow_ups"),
    }
}

/// What a page must not contain after rendering: injected event handlers, links and sources
/// with script URLs, frames, plugins, `<base>`, refreshes, and scripts the server did not write
/// (every script Debrief writes carries the nonce or is a file of its own).
const INJECTED: &str = "[onerror], [onload], [onclick], [onmouseover], [onfocus], [ontoggle], \
    [onbegin], [href*='script:' i], [src*='script:' i], [action*='script:' i], \
    [formaction*='script:' i], [xlink\\:href*='script:' i], [href^='data:' i], [src^='data:' i], \
    [data^='data:' i], iframe, object, embed, base, math, meta[http-equiv], \
    script:not([nonce]):not([src])";

/// Finds, in the rendered page, any attribute named `on…` (CSS cannot match those by prefix).
const EVENT_HANDLERS: &str = "return Array.from(document.querySelectorAll('*')).flatMap(e => \
    Array.from(e.attributes).filter(a => a.name.toLowerCase().startsWith('on')) \
    .map(a => e.tagName + ' ' + a.name + '=' + a.value));";

/// What shows that a payload reached the page as text: every payload has one of these.
const SHOWN: [&str; 4] = ["__xss", "alert(1)", "msgbox(1)", "data:text/html"];

/// Opens `path` and checks it.
async fn inspect(j: &Journey, app: &TestApp, path: &str) {
    j.open(&app.url(path)).await;
    check(j, path).await;
}

/// Checks the page the browser shows (`what` names it in failures): the payloads are there, as
/// text, and nothing of them ran or became markup.
async fn check(j: &Journey, what: &str) {
    assert!(
        j.client.get_alert_text().await.is_err(),
        "a dialog opened on {what}"
    );
    if j.javascript {
        // Let late handlers (image errors, toggles, focus) fire before looking.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let hook = j
            .client
            .execute("return typeof window.__xss;", vec![])
            .await
            .expect("the page runs the check");
        assert_eq!(hook, json!("undefined"), "a payload ran on {what}");
        let handlers = j
            .client
            .execute(EVENT_HANDLERS, vec![])
            .await
            .expect("the page runs the check");
        assert_eq!(handlers, json!([]), "event handlers injected on {what}");
    }
    // None are expected, so any console error fails: Markdown loses `<img>` (and with it any
    // broken-image 404) to the sanitiser, plain text is never markup, and the pages ask for
    // nothing from elsewhere, so there is nothing for the policy to block. A CSP report (an
    // inline script, an event handler, a `javascript:` URL, an image) means markup got into the
    // page; a hydration error means the server and the browser disagree about the markup.
    let errors = console_errors(&j.client).await;
    assert!(
        errors.is_empty(),
        "the browser console reported errors on {what}: {errors:#?}"
    );
    let injected = j
        .client
        .find_all(Locator::Css(INJECTED))
        .await
        .expect("the page can be searched");
    let mut found = Vec::new();
    for element in injected {
        found.push(element.html(false).await.unwrap_or_default());
    }
    assert!(found.is_empty(), "markup injected on {what}: {found:#?}");
    let text = j
        .client
        .find(Locator::Css("body"))
        .await
        .expect("a body")
        .text()
        .await
        .expect("its text");
    assert!(
        SHOWN.iter().any(|shown| text.contains(shown)),
        "{what} shows no payload, so it checked nothing:\n{text}"
    );
}

async fn pages(seeded: &Seeded) -> Vec<String> {
    let id = seeded.hostile;
    let draft = seeded.draft;
    let mut pages = vec![
        "/".to_owned(),
        format!("/incidents/{id}"),
        format!("/incidents/{id}/history"),
        format!("/incidents/{draft}"),
        format!("/incidents/{id}/share"),
        format!("/incidents/{id}/review"),
        format!("/incidents/{draft}/timeline/{}", seeded.timeline),
        format!("/incidents/{draft}/impact/{}", seeded.impact),
        format!("/incidents/{draft}/changes/{}", seeded.change),
        format!("/incidents/{draft}/follow-ups/{}", seeded.follow_up),
        format!("/shared/{}", seeded.share_token),
        "/follow-ups".to_owned(),
        "/follow-ups?view=all".to_owned(),
        "/changes".to_owned(),
        "/metrics".to_owned(),
        "/library".to_owned(),
        "/library?tag=%EF%BD%93%EF%BD%83%EF%BD%92%EF%BD%89%EF%BD%90%EF%BD%94".to_owned(),
        "/library/lists".to_owned(),
        "/search?q=script".to_owned(),
        "/search?q=xss+onerror+javascript".to_owned(),
        format!(
            "/search?q={}",
            url::form_urlencoded::byte_serialize(CORPUS[15].as_bytes()).collect::<String>()
        ),
        "/my-work".to_owned(),
        "/admin/users".to_owned(),
        "/admin/integrations".to_owned(),
    ];
    // The editors: the title in an input, the summary and lessons in textareas.
    pages.push(format!("/incidents/{draft}/edit"));
    pages.push(format!("/incidents/{draft}/lessons"));
    pages.extend(seeded.titled.iter().map(|t| format!("/incidents/{t}")));
    pages
}

async fn logged_in(
    driver: &Driver,
    dir: &std::path::Path,
    javascript: bool,
    app: &TestApp,
) -> Journey {
    let profile = dir.join(if javascript { "on" } else { "off" });
    std::fs::create_dir_all(&profile).expect("a profile directory");
    let j = Journey {
        client: browser(driver, javascript, &profile).await,
        javascript,
    };
    j.open(&app.url("/login")).await;
    j.type_into("email", crate::common::ADMIN_EMAIL).await;
    j.type_into("password", crate::common::PASSWORD).await;
    j.submit("Log in").await;
    j.wait_text("Log out").await;
    j
}

#[tokio::test]
async fn hostile_text_in_every_field_never_runs_on_any_page_with_or_without_javascript() {
    let app = crate::common::spawn().await;
    let seeded = seed(&app).await;
    exports_are_never_served_as_html(&app, &seeded).await;
    let pages = pages(&seeded).await;
    let driver = Driver::start().await;
    let profiles = tempfile::tempdir().expect("profiles");
    for javascript in [true, false] {
        let j = logged_in(&driver, profiles.path(), javascript, &app).await;
        let result = tokio::time::timeout(Duration::from_secs(150), async {
            for page in &pages {
                inspect(&j, &app, page).await;
            }
            // The `</title>` payload stays the title's text.
            j.open(&app.url(&format!("/incidents/{}", seeded.draft)))
                .await;
            let title = j.client.title().await.expect("a title");
            assert!(title.contains(CORPUS[15].trim()), "{title:?}");
            if javascript {
                // Pages rendered in the browser, after client-side navigation, too.
                for (from, link) in [
                    ("/", format!("/incidents/{}", seeded.hostile)),
                    ("/", format!("/incidents/{}", seeded.titled[2])),
                    (
                        &format!("/incidents/{}", seeded.hostile) as &str,
                        format!("/incidents/{}/history", seeded.hostile),
                    ),
                ] {
                    j.open(&app.url(from)).await;
                    j.wait_for(&format!("a[href='{link}']"))
                        .await
                        .click()
                        .await
                        .expect("the link is clickable");
                    let deadline = std::time::Instant::now() + Duration::from_secs(15);
                    while j.client.current_url().await.expect("a URL").path() != link {
                        assert!(std::time::Instant::now() < deadline, "{link} never opened");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    // Something only the destination has: the diffs, or the link to them.
                    j.wait_for(&format!("ol.history, a[href='{link}/history']"))
                        .await;
                    check(&j, &format!("{link} (navigated from {from})")).await;
                }
            }
        })
        .await;
        let _ = j.client.close().await;
        result.expect("every page was checked within the time");
    }
}

/// The Markdown, JSON and CSV downloads carry the payloads as written, as files a browser
/// will not render: not `text/html`, and `nosniff` so it does not guess otherwise.
async fn exports_are_never_served_as_html(app: &TestApp, seeded: &Seeded) {
    for path in [
        format!("/incidents/{}/export.md", seeded.hostile),
        format!("/incidents/{}/export.json", seeded.hostile),
        "/follow-ups/export.csv?view=all".to_owned(),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .send()
            .await
            .expect("the export answers");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let kind = header("content-type");
        assert!(
            !kind.is_empty() && !kind.contains("html"),
            "{path} is served as {kind:?}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        let body = response.text().await.expect("a body");
        assert!(
            body.contains("window.__xss=1"),
            "the export carries the text as written: {path}"
        );
    }
}
