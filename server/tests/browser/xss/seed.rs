//! The hostile corpus, and the seeding that writes a payload into every field there is (through
//! the server functions, the JSON import and the change API) before the pages are opened.

use crate::common::{Browser, TestApp, incident_of};
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
pub(super) const CORPUS: [&str; 28] = [
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
pub(super) struct Seeded {
    /// The published postmortem with a payload in every field, commented, tagged, listed, shared.
    pub(super) hostile: i64,
    /// A draft copy of it, for the editors.
    pub(super) draft: i64,
    /// One incident per payload, titled, summarised and serviced with it.
    pub(super) titled: Vec<i64>,
    pub(super) share_token: String,
    pub(super) timeline: i64,
    pub(super) change: i64,
    pub(super) impact: i64,
    pub(super) follow_up: i64,
}

/// Writes a payload into every field there is, through the server functions, the JSON import
/// and the change API, as the UI, a script or an integration would.
pub(super) async fn seed(app: &TestApp) -> Seeded {
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
