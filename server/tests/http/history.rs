//! History and concurrent editing against the real server: every save names the version it
//! started from, concurrent saves of one record let exactly one win, the losers get a conflict
//! that shows the winner's values and keeps their own, and the history reads back each version.

use crate::common::{spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::history::IncidentHistory;
use app::api::incidents::{CreateIncident, LessonsForEdit, UpdateLessons};
use app::api::timeline::{AddTimelineEntry, TimelineEntryForEdit, UpdateTimelineEntry};
use app::domain::account::Role;
use app::domain::timeline::TimelineForm;
use app::dto::editing::Editing;
use app::dto::history::HistoryView;
use app::error::AppError;

fn incident_fields(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[title]", title.to_owned()),
        ("form[summary]", "Logins failed.".to_owned()),
        ("form[severity]", "sev2".to_owned()),
        ("form[services]", "Login".to_owned()),
        ("form[impact_started_at]", "2020-03-23T10:27".to_owned()),
        ("form[impact_started_precision]", "approximate".to_owned()),
        ("zone", "UTC".to_owned()),
    ]
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

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// An incident with one timeline entry; returns (incident id, entry id).
async fn incident_with_entry(browser: &crate::common::Browser) -> (i64, i64) {
    let incident: i64 = browser
        .json(
            CreateIncident::PATH,
            &pairs(&incident_fields("Logins failed")),
        )
        .await;
    let mut fields = entry_fields("Paged the on-call.");
    fields.push(("incident_id", incident.to_string()));
    let entry: i64 = browser.json(AddTimelineEntry::PATH, &pairs(&fields)).await;
    (incident, entry)
}

async fn entry_form(browser: &crate::common::Browser, id: i64) -> Editing<TimelineForm> {
    browser
        .json(TimelineEntryForEdit::PATH, &[("id", &id.to_string())])
        .await
}

async fn save_entry(
    browser: &crate::common::Browser,
    id: i64,
    version: &str,
    body: &str,
) -> (u16, String) {
    let mut fields = entry_fields(body);
    fields.push(("id", id.to_string()));
    fields.push(("version", version.to_owned()));
    browser
        .call(UpdateTimelineEntry::PATH, &pairs(&fields))
        .await
}

async fn history(browser: &crate::common::Browser, incident: i64) -> HistoryView {
    browser
        .json(IncidentHistory::PATH, &[("id", &incident.to_string())])
        .await
}

#[tokio::test]
async fn of_concurrent_saves_from_one_version_exactly_one_wins_and_none_is_lost() {
    let app = spawn().await;
    let (incident, entry) = incident_with_entry(&app).await;
    let version = entry_form(&app, entry).await.version.to_string();
    // Five people (two authors, two reviewers and an admin) save at once.
    let mut browsers = vec![];
    for role in [
        Role::Author,
        Role::Author,
        Role::Reviewer,
        Role::Reviewer,
        Role::Admin,
    ] {
        browsers.push(app.browser_as(role).await);
    }
    let mut saves = tokio::task::JoinSet::new();
    for (i, browser) in browsers.into_iter().enumerate() {
        let version = version.clone();
        saves.spawn(async move {
            (
                i,
                save_entry(
                    &browser,
                    entry,
                    &version,
                    &format!("Version from writer {i}."),
                )
                .await,
            )
        });
    }
    let results = saves.join_all().await;

    let winners: Vec<usize> = results
        .iter()
        .filter(|(_, (s, _))| *s == 200)
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one save wins: {results:?}");
    for (i, (status, body)) in &results {
        if winners.contains(i) {
            continue;
        }
        assert_eq!(
            *status, 409,
            "writer {i} gets a conflict, not {status}: {body}"
        );
        let error = serde_json::from_str::<AppError>(body).expect("an AppError");
        let AppError::Conflict {
            theirs,
            version: current,
            ..
        } = error
        else {
            panic!("writer {i}: {body}");
        };
        assert_eq!(
            current,
            version.parse::<i64>().unwrap() + 1,
            "the conflict names the winner's version"
        );
        let their_body = theirs
            .iter()
            .find(|(f, _)| f == "body")
            .map(|(_, v)| v.as_str());
        assert_eq!(
            their_body,
            Some(format!("Version from writer {}.", winners[0]).as_str())
        );
    }
    let stored = entry_form(&app, entry).await;
    assert_eq!(
        stored.form.body,
        format!("Version from writer {}.", winners[0])
    );
    let edits: Vec<_> = history(&app, incident)
        .await
        .entries
        .into_iter()
        .filter(|e| e.action == "edited")
        .collect();
    assert_eq!(
        edits.len(),
        1,
        "only the winning save is recorded: {edits:?}"
    );
}

#[tokio::test]
async fn a_conflict_can_be_resolved_by_saving_again_with_the_new_version() {
    let app = spawn().await;
    let (_, entry) = incident_with_entry(&app).await;
    let opened_at = entry_form(&app, entry).await.version.to_string();
    let other = app.browser_as(Role::Author).await;
    assert_eq!(
        save_entry(&other, entry, &opened_at, "Theirs.").await.0,
        200
    );

    let (status, body) = save_entry(&app, entry, &opened_at, "Mine.").await;
    assert_eq!(status, 409, "{body}");
    let AppError::Conflict {
        version, message, ..
    } = serde_json::from_str::<AppError>(&body).expect("an AppError")
    else {
        panic!()
    };
    assert!(
        message.contains("Author person saved this timeline entry"),
        "{message}"
    );
    assert_eq!(
        entry_form(&app, entry).await.form.body,
        "Theirs.",
        "nothing of mine was saved"
    );

    let (status, body) = save_entry(&app, entry, &version.to_string(), "Mine.").await;
    assert_eq!(status, 200, "saving over theirs knowingly works: {body}");
    assert_eq!(entry_form(&app, entry).await.form.body, "Mine.");
}

#[tokio::test]
async fn saves_of_different_records_do_not_conflict() {
    let app = spawn().await;
    let (incident, first) = incident_with_entry(&app).await;
    let mut fields = entry_fields("Rolled back the job.");
    fields.push(("incident_id", incident.to_string()));
    let second: i64 = app.json(AddTimelineEntry::PATH, &pairs(&fields)).await;
    let v1 = entry_form(&app, first).await.version.to_string();
    let v2 = entry_form(&app, second).await.version.to_string();
    let other = app.browser_as(Role::Author).await;
    let (a, b) = tokio::join!(
        save_entry(&app, first, &v1, "First, edited."),
        save_entry(&other, second, &v2, "Second, edited."),
    );
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
}

#[tokio::test]
async fn the_history_reads_back_every_earlier_version_with_who_made_it() {
    let app = spawn().await;
    let (incident, entry) = incident_with_entry(&app).await;
    let bodies = [
        "Paged the on-call.\nThey answered.",
        "Paged the on-call.\nThey answered in 2 min.",
        "Paged the on-call.",
    ];
    for body in bodies {
        let version = entry_form(&app, entry).await.version.to_string();
        assert_eq!(save_entry(&app, entry, &version, body).await.0, 200);
    }
    let lessons: Editing<app::domain::incident::LessonsForm> = app
        .json(LessonsForEdit::PATH, &[("id", &incident.to_string())])
        .await;
    let (status, body) = app
        .call(
            UpdateLessons::PATH,
            &[
                ("id", &incident.to_string()),
                ("version", &lessons.version.to_string()),
                ("form[went_well]", "Paging worked."),
                ("form[went_wrong]", ""),
                ("form[lucky]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let view = history(&app, incident).await;
    let actions: Vec<&str> = view.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["edited", "edited", "edited", "edited", "added", "added"],
        "newest first"
    );
    assert!(
        view.entries.iter().all(|e| e.who == "Ada Admin"),
        "{:?}",
        view.entries
    );
    // Oldest first, the entry's versions: as added, then after each save.
    let versions: Vec<String> = view.entries[1..5]
        .iter()
        .rev()
        .map(|e| {
            e.record
                .iter()
                .find(|(f, _)| f == "body")
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect();
    let mut expected = vec!["Paged the on-call.".to_owned()];
    expected.extend(bodies.iter().map(|b| (*b).to_owned()));
    assert_eq!(versions, expected);
    // Each edit shows what it changed, multi-line text line by line.
    let second = &view.entries[3];
    assert_eq!(second.changes.len(), 1, "{second:?}");
    assert_eq!(second.changes[0].field, "body");
    assert!(
        !second.changes[0].lines.is_empty(),
        "a multi-line change has a line diff"
    );
    assert!(
        view.entries[0].summary.starts_with("Lessons"),
        "{}",
        view.entries[0].summary
    );

    let (status, html) = app.page(&format!("/incidents/{incident}/history")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("Ada Admin edited Timeline entry"), "{text}");
    assert!(
        html.contains("<ins>+ They answered in 2 min.") || html.contains("They answered in 2 min."),
        "{html}"
    );
}

#[tokio::test]
async fn without_javascript_a_conflict_brings_back_what_was_typed_and_shows_theirs() {
    let app = spawn().await;
    let (incident, entry) = incident_with_entry(&app).await;
    let opened_at = entry_form(&app, entry).await.version.to_string();
    let other = app.browser_as(Role::Author).await;
    assert_eq!(
        save_entry(&other, entry, &opened_at, "Theirs, saved first.")
            .await
            .0,
        200
    );

    let page = format!("/incidents/{incident}/timeline/{entry}");
    let mut fields = entry_fields("Mine, typed meanwhile.");
    fields.push(("id", entry.to_string()));
    fields.push(("version", opened_at.clone()));
    let (status, location) = app
        .submit(UpdateTimelineEntry::PATH, &page, &pairs(&fields))
        .await;
    assert!(
        matches!(status, 302 | 303),
        "sent back to the form, got {status}"
    );
    let location = location.expect("a location");
    assert!(location.contains("flash="), "{location}");

    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("saved this timeline entry"),
        "the conflict is explained: {text}"
    );
    assert!(
        html.contains("Mine, typed meanwhile."),
        "what I typed is back in the form"
    );
    assert!(
        text.contains("Their version: Theirs, saved first."),
        "{text}"
    );
    let next = (opened_at.parse::<i64>().unwrap() + 1).to_string();
    assert!(
        html.contains(&format!(r#"name="version" value="{next}""#)),
        "the form now saves over their version"
    );
}
