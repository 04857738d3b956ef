//! Feeds against the real server: a private, revocable key per person, served without a
//! session; an iCalendar of one's own dated, open follow-ups (as the person may read them); Atom
//! feeds of published postmortems and of reading lists.

use crate::common::{ADMIN_NAME, Browser, TestApp, incident_of, on_server, spawn};
use leptos::server_fn::ServerFn;

use app::api::feeds::{MakeFeedKey, RevokeFeedKey};
use app::api::follow_ups::AddFollowUp;
use app::api::library::{AddToReadingList, CreateReadingList};
use app::domain::account::Role;

/// GETs a feed without cookies, as a calendar or feed reader would: status, content type, body.
async fn feed(app: &TestApp, path: &str) -> (u16, String, String) {
    app.anonymous().download(path).await
}

/// Makes `browser`'s feed key and returns it.
async fn make_key(browser: &Browser) -> String {
    browser.json(MakeFeedKey::PATH, &[]).await
}

/// Checks that every element opened in `xml` is closed in order, and returns the element
/// names in document order (a small well-formedness check, with no XML parser to depend on).
fn elements(xml: &str) -> Vec<String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
        .expect("an XML declaration");
    let mut open: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for tag in body.split('<').skip(1) {
        let tag = tag.split('>').next().expect("a closed tag");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "closes what it opened");
        } else {
            let name = tag
                .split_whitespace()
                .next()
                .expect("a name")
                .trim_end_matches('/');
            names.push(name.to_owned());
            if !tag.ends_with('/') {
                open.push(name.to_owned());
            }
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    names
}

/// The text of each `<name>` element of `xml`, in order.
fn texts(xml: &str, name: &str) -> Vec<String> {
    xml.split(&format!("<{name}>"))
        .skip(1)
        .map(|s| {
            s.split(&format!("</{name}>"))
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// Adds a follow-up to `incident` in `state` with these owner and due fields; returns its id.
async fn follow_up(
    app: &TestApp,
    incident: i64,
    (title, state): (&str, &str),
    (owner, due): (&str, &str),
) -> i64 {
    let incident = incident.to_string();
    app.json(
        AddFollowUp::PATH,
        &[
            ("incident_id", incident.as_str()),
            ("state", state),
            ("form[title]", title),
            ("form[action_type]", "prevent"),
            ("form[priority]", "p2"),
            ("form[owner]", owner),
            ("form[due]", due),
        ],
    )
    .await
}

#[tokio::test]
async fn feeds_need_no_cookie_and_a_replaced_revoked_or_unknown_key_answers_404() {
    let app = spawn().await;
    let key = make_key(&app).await;
    for path in ["follow-ups.ics", "published.atom"] {
        let (status, _, body) = feed(&app, &format!("/feeds/{key}/{path}")).await;
        assert_eq!(status, 200, "{path} without a cookie: {body}");
    }
    let (_, kind, _) = feed(&app, &format!("/feeds/{key}/follow-ups.ics")).await;
    assert_eq!(kind, "text/calendar; charset=utf-8");
    let (_, kind, _) = feed(&app, &format!("/feeds/{key}/published.atom")).await;
    assert_eq!(kind, "application/atom+xml; charset=utf-8");

    let replaced = make_key(&app).await;
    assert_ne!(replaced, key);
    let (old, _, old_body) = feed(&app, &format!("/feeds/{key}/published.atom")).await;
    assert_eq!(old, 404, "the replaced key stops working at once");
    let (new, _, _) = feed(&app, &format!("/feeds/{replaced}/published.atom")).await;
    assert_eq!(new, 200);

    let (status, body) = app.call(RevokeFeedKey::PATH, &[]).await;
    assert_eq!(status, 200, "{body}");
    let (revoked, _, revoked_body) = feed(&app, &format!("/feeds/{replaced}/follow-ups.ics")).await;
    assert_eq!(revoked, 404, "a revoked key answers 404");
    let unknown = "0".repeat(64);
    let (status, _, unknown_body) = feed(&app, &format!("/feeds/{unknown}/follow-ups.ics")).await;
    assert_eq!(status, 404);
    assert_eq!(old_body, revoked_body, "never says which");
    assert_eq!(unknown_body, revoked_body, "never says which");
    let (status, _) = app.call(RevokeFeedKey::PATH, &[]).await;
    assert_eq!(status, 404, "nothing left to revoke");
}

#[tokio::test]
async fn a_deactivated_persons_feed_key_answers_404() {
    let app = spawn().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let key = make_key(&viewer).await;
    let path = format!("/feeds/{key}/published.atom");
    assert_eq!(feed(&app, &path).await.0, 200);
    let db = app.db.clone();
    on_server(async move {
        use sea_orm::{ConnectionTrait, Statement};
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            "UPDATE users SET active = false WHERE role = 'viewer'",
        ))
        .await
        .expect("deactivated");
    })
    .await;
    assert_eq!(feed(&app, &path).await.0, 404);
}

#[tokio::test]
async fn my_calendar_holds_my_open_dated_follow_ups_only_with_overdue_ones_marked() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let mine = follow_up(
        &app,
        incident,
        ("Lower the default concurrency; ask first", "committed"),
        (ADMIN_NAME, "2020-01-31"),
    )
    .await;
    let later = follow_up(
        &app,
        incident,
        ("Teach the restart job", "proposed"),
        (ADMIN_NAME, "2099-06-30"),
    )
    .await;
    let undated = follow_up(
        &app,
        incident,
        ("No date yet", "proposed"),
        (ADMIN_NAME, ""),
    )
    .await;
    let theirs = follow_up(
        &app,
        incident,
        ("Someone else's", "committed"),
        ("Bea Other", "2099-01-01"),
    )
    .await;
    let key = make_key(&app).await;
    let (status, _, ics) = feed(&app, &format!("/feeds/{key}/follow-ups.ics")).await;
    assert_eq!(status, 200, "{ics}");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        ics.split("\r\n")
            .all(|line| line.len() <= 75 && !line.contains('\n')),
        "CRLF lines of at most 75 octets"
    );
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2, "{unfolded}");
    assert_eq!(unfolded.matches("END:VEVENT").count(), 2);
    assert!(unfolded.contains(&format!("UID:follow-up-{mine}@debrief\r\n")));
    assert!(unfolded.contains(&format!("UID:follow-up-{later}@debrief\r\n")));
    assert!(
        !unfolded.contains(&format!("follow-up-{undated}@")),
        "no date, no event"
    );
    assert!(
        !unfolded.contains(&format!("follow-up-{theirs}@")),
        "not mine"
    );
    assert!(unfolded.contains("SUMMARY:Overdue: Lower the default concurrency\\; ask first\r\n"));
    assert!(
        unfolded.contains("SUMMARY:Teach the restart job\r\n"),
        "not overdue"
    );
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20200131\r\n"));
    assert!(unfolded.contains(&format!("/incidents/{incident}#follow-up-{mine}\r\n")));
    assert!(unfolded.contains("DESCRIPTION:Follow-up of “"));
}

#[tokio::test]
async fn a_viewers_calendar_never_holds_a_drafts_follow_up() {
    let app = spawn().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let incident = incident_of(&app.load_example().await);
    let id = follow_up(
        &app,
        incident,
        ("Confirm before touching every server", "committed"),
        ("Viewer person", "2099-05-01"),
    )
    .await;
    let key = make_key(&viewer).await;
    let path = format!("/feeds/{key}/follow-ups.ics");
    let (status, _, ics) = feed(&app, &path).await;
    assert_eq!(status, 200);
    assert!(
        !ics.contains(&format!("follow-up-{id}@")),
        "a draft's: {ics}"
    );
    assert!(!ics.contains("BEGIN:VEVENT"));

    app.publish(incident).await;
    let (_, _, ics) = feed(&app, &path).await;
    assert!(
        ics.contains(&format!("follow-up-{id}@")),
        "published now: {ics}"
    );
}

#[tokio::test]
async fn the_published_feed_is_atom_of_published_postmortems_newest_first_and_no_draft() {
    let app = spawn().await;
    let first = incident_of(&app.load_example().await);
    let second = incident_of(&app.load_example().await);
    let draft = incident_of(&app.load_example().await);
    app.publish(first).await;
    app.publish(second).await;
    let viewer = app.browser_as(Role::Viewer).await;
    let key = make_key(&viewer).await;
    let (status, _, xml) = feed(&app, &format!("/feeds/{key}/published.atom")).await;
    assert_eq!(status, 200, "{xml}");
    let names = elements(&xml);
    assert_eq!(names.first().map(String::as_str), Some("feed"));
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert_eq!(names.iter().filter(|n| *n == "entry").count(), 2);
    let ids = texts(&xml, "id");
    assert!(
        ids[1].ends_with(&format!("/incidents/{second}")),
        "newest first: {ids:?}"
    );
    assert!(ids[2].ends_with(&format!("/incidents/{first}")));
    assert!(
        !ids.iter()
            .any(|id| id.ends_with(&format!("/incidents/{draft}"))),
        "no draft"
    );
    let summaries = texts(&xml, "summary");
    assert!(
        summaries.iter().all(|s| !s.is_empty() && !s.contains('<')),
        "{summaries:?}"
    );
    assert_eq!(
        texts(&xml, "updated").len(),
        3,
        "the feed's and each entry's"
    );
}

#[tokio::test]
async fn a_reading_lists_feed_holds_its_lessons_with_the_mentors_note() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;
    let list: i64 = app
        .json(
            CreateReadingList::PATH,
            &[
                ("form[title]", "Before your first production change"),
                ("form[note]", ""),
            ],
        )
        .await;
    let (list_id, incident_id) = (list.to_string(), incident.to_string());
    let _: i64 = app
        .json(
            AddToReadingList::PATH,
            &[
                ("list_id", list_id.as_str()),
                ("incident_id", incident_id.as_str()),
                ("kind", "went_well"),
                (
                    "note",
                    "Owning up at once & asking <script>alert(1)</script>for help",
                ),
            ],
        )
        .await;
    let viewer = app.browser_as(Role::Viewer).await;
    let key = make_key(&viewer).await;
    let (status, kind, xml) = feed(&app, &format!("/feeds/{key}/reading-lists/{list}.atom")).await;
    assert_eq!(status, 200, "{xml}");
    assert_eq!(kind, "application/atom+xml; charset=utf-8");
    assert_eq!(elements(&xml).iter().filter(|n| *n == "entry").count(), 1);
    assert!(texts(&xml, "title")[0].contains("Before your first production change"));
    assert!(xml.contains("Owning up at once &amp; asking"), "{xml}");
    assert!(
        !xml.contains("<script") && !xml.contains("&lt;script"),
        "never the stored HTML"
    );
    assert!(xml.contains(&format!("/library#lesson-{incident}-went_well")));
    for missing in [
        format!("/feeds/{key}/reading-lists/{}.atom", list + 1000),
        format!("/feeds/{key}/reading-lists/{list}.xml"),
        format!("/feeds/{}/reading-lists/{list}.atom", "1".repeat(64)),
    ] {
        assert_eq!(feed(&app, &missing).await.0, 404, "{missing}");
    }
}

#[tokio::test]
async fn the_account_page_shows_new_feed_addresses_once_without_javascript() {
    let app = spawn().await;
    let (status, html) = app.page("/account").await;
    assert_eq!(status, 200);
    assert!(crate::common::text_of(&html).contains("You have no feed key yet"));
    let (status, location) = app.submit(MakeFeedKey::PATH, "/account", &[]).await;
    assert_eq!(status, 302, "back to the account page");
    let location = location.expect("a location");
    assert!(location.starts_with("/account?secret="), "{location}");
    let (_, html) = app.page(&location).await;
    let key = html
        .split("/feeds/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the addresses are shown")
        .to_owned();
    assert_eq!(key.len(), 64, "{key}");
    assert!(html.contains(&format!("/feeds/{key}/follow-ups.ics")));
    assert!(html.contains(&format!("/feeds/{key}/published.atom")));
    assert_eq!(
        feed(&app, &format!("/feeds/{key}/published.atom")).await.0,
        200
    );
    let (_, again) = app.page(&location).await;
    assert!(!again.contains(&key), "shown once");
    assert!(crate::common::text_of(&again).contains("Your feed key was made"));
    let (_, confirm) = app.page("/account?confirm=feed-key-revoke").await;
    assert!(confirm.contains("Revoke feed key"), "revoking asks first");
}
