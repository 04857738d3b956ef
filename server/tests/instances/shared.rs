//! What one instance writes or decides holds on the other: sessions, versions, login limits,
//! stored form errors, the search index and the kept views all live in the database.

use leptos::server_fn::ServerFn;

use app::api::account::{CreateFirstAdmin, LogIn, LogOut, WhoAmI};
use app::api::history::IncidentHistory;
use app::api::incidents::CreateIncident;
use app::api::integrations::CreateIntegrationToken;
use app::api::search::Search;
use app::api::timeline::{AddTimelineEntry, TimelineEntryForEdit, UpdateTimelineEntry};
use app::domain::account::User;
use app::domain::timeline::TimelineForm;
use app::dto::editing::Editing;
use app::dto::history::HistoryView;
use app::dto::search::SearchResults;

use crate::common::{ADMIN_EMAIL, Browser, PASSWORD, text_of};
use crate::pair::Pair;

async fn who_am_i(browser: &Browser) -> Option<User> {
    browser.json(WhoAmI::PATH, &[]).await
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn entry_fields(body: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[at]", "2020-03-23T10:29".to_owned()),
        ("form[precision]", "minute".to_owned()),
        ("form[kind]", "action".to_owned()),
        ("form[actor]", "on-call engineer".to_owned()),
        ("form[body]", body.to_owned()),
        ("zone", "UTC".to_owned()),
    ]
}

/// An incident with one timeline entry, created through `browser`; (incident id, entry id).
async fn incident_with_entry(browser: &Browser, body: &str) -> (i64, i64) {
    let incident: i64 = browser
        .json(
            CreateIncident::PATH,
            &[
                ("form[title]", "Logins failed"),
                ("form[summary]", "Logins failed."),
                ("form[severity]", "sev2"),
                ("form[services]", "Login"),
                ("form[impact_started_at]", "2020-03-23T10:27"),
                ("form[impact_started_precision]", "approximate"),
                ("zone", "UTC"),
            ],
        )
        .await;
    let mut fields = entry_fields(body);
    fields.push(("incident_id", incident.to_string()));
    let entry: i64 = browser.json(AddTimelineEntry::PATH, &pairs(&fields)).await;
    (incident, entry)
}

async fn entry_version(browser: &Browser, entry: i64) -> String {
    let editing: Editing<TimelineForm> = browser
        .json(TimelineEntryForEdit::PATH, &[("id", &entry.to_string())])
        .await;
    editing.version.to_string()
}

async fn save_entry(browser: &Browser, entry: i64, version: &str, body: &str) -> (u16, String) {
    let mut fields = entry_fields(body);
    fields.push(("id", entry.to_string()));
    fields.push(("version", version.to_owned()));
    browser
        .call(UpdateTimelineEntry::PATH, &pairs(&fields))
        .await
}

async fn search(browser: &Browser, q: &str) -> SearchResults {
    browser.json(Search::PATH, &[("q", q)]).await
}

#[tokio::test]
async fn a_session_started_through_one_instance_is_valid_and_ended_on_both() {
    let pair = Pair::start("sessions").await;
    let visitor = pair.admin().await;
    let user = who_am_i(&visitor.b())
        .await
        .unwrap_or_else(|| panic!("B knows the session A started\n{}", pair.logs()));
    assert_eq!(user.email, ADMIN_EMAIL);
    let (status, _) = visitor.b().page("/follow-ups").await;
    assert_eq!(status, 200, "B serves the page to the session A started");

    let held = visitor.copy();
    assert!(
        who_am_i(&held.a()).await.is_some(),
        "the copy holds the session"
    );
    let (status, body) = visitor.b().call(LogOut::PATH, &[]).await;
    assert_eq!(status, 200, "logged out through B: {body}");
    for (name, browser) in [("A", held.a()), ("B", held.b())] {
        assert_eq!(
            who_am_i(&browser).await,
            None,
            "the session ended on {name} too"
        );
        let (status, _) = browser.page("/follow-ups").await;
        assert_eq!(status, 303, "{name} sends the ended session to log in");
    }
}

#[tokio::test]
async fn an_edit_through_the_other_instance_from_the_same_version_gets_the_conflict() {
    let pair = Pair::start("conflict").await;
    let visitor = pair.admin().await;
    let (incident, entry) = incident_with_entry(&visitor.a(), "Paged the on-call.").await;
    // Both open the entry at the same version, one through each instance.
    let opened = entry_version(&visitor.a(), entry).await;
    assert_eq!(entry_version(&visitor.b(), entry).await, opened);

    let (status, body) = save_entry(&visitor.a(), entry, &opened, "Saved through A.").await;
    assert_eq!(status, 200, "the first save wins: {body}");
    let (status, body) = save_entry(&visitor.b(), entry, &opened, "Saved through B.").await;
    assert_eq!(status, 409, "the second save, through B, conflicts: {body}");
    assert!(
        body.contains("Saved through A."),
        "it shows the winner's: {body}"
    );

    // Saved again at the version B now shows, it goes through.
    let current = entry_version(&visitor.b(), entry).await;
    assert_ne!(current, opened);
    let (status, body) = save_entry(&visitor.b(), entry, &current, "Saved through B.").await;
    assert_eq!(status, 200, "{body}");

    let history: HistoryView = visitor
        .a()
        .json(IncidentHistory::PATH, &[("id", &incident.to_string())])
        .await;
    let actions: Vec<&str> = history.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["edited", "edited", "added", "added"],
        "newest first"
    );
    let bodies: Vec<String> = history.entries[..3]
        .iter()
        .rev()
        .map(|e| {
            e.record
                .iter()
                .find(|(field, _)| field == "body")
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        bodies,
        ["Paged the on-call.", "Saved through A.", "Saved through B."],
        "every version, none lost"
    );
}

#[tokio::test]
async fn wrong_passwords_through_both_instances_count_toward_one_limit() {
    let pair = Pair::start("limits").await;
    let guesser = pair.visitor();
    let guess = async |browser: Browser| {
        browser
            .call(
                LogIn::PATH,
                &[
                    ("form[email]", ADMIN_EMAIL),
                    ("form[password]", "not the password at all"),
                ],
            )
            .await
    };
    // Five through A and B in turn: each is checked (and wrong).
    for i in 0..5 {
        let (status, body) = guess(guesser.at(i)).await;
        assert_eq!(status, 422, "guess {i} is checked: {body}");
    }
    // Neither instance has seen five of them alone; together they have.
    for (name, browser) in [("B", guesser.b()), ("A", guesser.a())] {
        let (status, body) = guess(browser).await;
        assert_eq!(status, 429, "{name} refuses the sixth unchecked: {body}");
        assert!(body.contains("Too many failed logins"), "{body}");
    }
}

#[tokio::test]
async fn a_failed_plain_form_through_one_instance_shows_its_error_through_the_other() {
    let pair = Pair::start("flash").await;
    let visitor = pair.admin().await;
    let (status, location) = visitor
        .a()
        .submit(
            CreateIntegrationToken::PATH,
            "/admin/integrations",
            &[("name", "   ")],
        )
        .await;
    assert_eq!(status, 303, "A sends the failed form back to its page");
    let location = location.expect("back to the form");
    assert!(location.contains("flash="), "{location}");

    let (status, html) = visitor.b().page(&location).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("field invalid"),
        "B shows the error A stored: {html}"
    );
    let (_, html) = visitor.a().page(&location).await;
    assert!(
        !html.contains("field invalid"),
        "read once through B, it is gone on A too"
    );
}

#[tokio::test]
async fn search_through_one_instance_finds_what_was_just_written_through_the_other() {
    let pair = Pair::start("search").await;
    let visitor = pair.admin().await;
    let (incident, entry) = incident_with_entry(&visitor.a(), "The quokka alarm fired.").await;
    let found = search(&visitor.b(), "quokka").await;
    assert!(
        found.hits.iter().any(|h| h.incident_id == incident),
        "B finds what A wrote: {found:?}"
    );

    let version = entry_version(&visitor.b(), entry).await;
    let (status, body) = save_entry(&visitor.b(), entry, &version, "The wombat alarm fired.").await;
    assert_eq!(status, 200, "{body}");
    let found = search(&visitor.a(), "wombat").await;
    assert!(
        found.hits.iter().any(|h| h.incident_id == incident),
        "A finds what B wrote: {found:?}"
    );
    assert!(
        search(&visitor.a(), "quokka").await.hits.is_empty(),
        "and no longer what B replaced"
    );
}

#[tokio::test]
async fn the_kept_views_of_one_instance_show_a_write_through_the_other_at_once() {
    let pair = Pair::start("kept_views").await;
    let visitor = pair.admin().await;
    let views = ["/follow-ups?view=all", "/changes", "/metrics"];
    // B computes and keeps each view while there is nothing to show.
    for path in views {
        for _ in 0..2 {
            let (status, html) = visitor.b().page(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(!text_of(&html).contains("Jenkins"), "{path} starts empty");
        }
    }
    // A writes: the worked example, its follow-ups on Jenkins, its change to Jenkins.
    visitor.a().load_example().await;
    for path in ["/follow-ups?view=all", "/changes"] {
        let text = text_of(&visitor.b().page(path).await.1);
        assert!(
            text.contains("Jenkins"),
            "B's {path} shows A's write: {text}"
        );
    }
    let text = text_of(&visitor.b().page("/metrics").await.1);
    assert!(
        text.contains("Customer logins failed"),
        "B's metrics show A's incident: {text}"
    );
}

/// The token in the setup link a server printed in its log.
fn setup_token_in(log: &str) -> Option<String> {
    let (_, rest) = log.split_once("/setup?token=")?;
    Some(rest.chars().take_while(char::is_ascii_hexdigit).collect())
}

#[tokio::test]
async fn the_setup_link_one_instance_prints_works_through_the_other() {
    let pair = Pair::without_accounts("setup").await;
    let token = setup_token_in(&pair.a.log())
        .unwrap_or_else(|| panic!("A prints a setup link\n{}", pair.logs()));
    assert_eq!(token.len(), 64, "{token}");
    assert_eq!(
        setup_token_in(&pair.b.log()).as_deref(),
        Some(token.as_str()),
        "both print the same link"
    );
    let visitor = pair.visitor();
    let (status, location) = visitor
        .b()
        .submit(
            CreateFirstAdmin::PATH,
            "/setup",
            &[
                ("token", token.as_str()),
                ("form[email]", "first@example.com"),
                ("form[display_name]", "Frida First"),
                ("form[password]", PASSWORD),
                ("form[time_zone]", "Europe/Amsterdam"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (302, Some("/")),
        "B accepts the link A printed\n{}",
        pair.logs()
    );
    let admin = who_am_i(&visitor.a()).await.expect("logged in, on A too");
    assert_eq!(admin.email, "first@example.com");
}
