//! Mentor notes beyond the library (issue 15): adding, editing and deleting one is in its
//! postmortem's history (who, when, what) without making the mentor one of its writers; a
//! postmortem's export holds its notes and an import restores them; search finds a postmortem
//! by its notes' words, and follows every change of a note.

use leptos::server_fn::ServerFn;

use app::api::export::ImportPostmortem;
use app::api::history::IncidentHistory;
use app::api::mentor_notes::{AddMentorNote, DeleteMentorNote, UpdateMentorNote};
use app::api::search::Search;
use app::domain::account::Role;
use app::domain::export::PostmortemExport;
use app::domain::search::DocumentKind;
use app::dto::history::HistoryView;
use app::dto::search::SearchResults;

use crate::common::{Browser, PASSWORD, TestApp, on_server, spawn, text_of};
use crate::mentor_notes::published_example;

/// A mentor (a reviewer) logged in: their account id and browser.
async fn mentor(app: &TestApp) -> (i64, Browser) {
    let id = app
        .add_user("grace@example.com", "Grace Mentor", Role::Reviewer)
        .await;
    let browser = app.anonymous();
    let (status, _) = browser.log_in("grace@example.com", PASSWORD).await;
    assert_eq!(status, 302, "the mentor logs in");
    (id, browser)
}

async fn add_note(browser: &Browser, incident: i64, entry: Option<i64>, body: &str) -> i64 {
    let (incident, entry) = (incident.to_string(), entry.map(|e| e.to_string()));
    let mut fields = vec![("incident_id", incident.as_str()), ("form[body]", body)];
    if let Some(entry) = &entry {
        fields.push(("form[timeline_entry]", entry.as_str()));
    }
    browser.json(AddMentorNote::PATH, &fields).await
}

async fn history(app: &TestApp, incident: i64) -> HistoryView {
    app.json(IncidentHistory::PATH, &[("id", &incident.to_string())])
        .await
}

async fn find(browser: &Browser, q: &str) -> SearchResults {
    browser.json(Search::PATH, &[("q", q)]).await
}

#[tokio::test]
async fn adding_editing_and_deleting_a_note_is_in_the_history_but_its_writer_is_no_author() {
    let app = spawn().await;
    let (incident, entry) = published_example(&app).await;
    let (grace, browser) = mentor(&app).await;
    let before = history(&app, incident).await.entries.len();

    let note = add_note(&browser, incident, Some(entry), "Notice the pause.").await;
    let id = note.to_string();
    let (status, body) = browser
        .call(
            UpdateMentorNote::PATH,
            &[("id", &id), ("form[body]", "Notice the long pause.")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = browser.call(DeleteMentorNote::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");

    let view = history(&app, incident).await;
    assert_eq!(view.entries.len(), before + 3, "three changes recorded");
    let [deleted, edited, added] = &view.entries[..3] else {
        unreachable!("three entries")
    };
    for (item, action) in [(added, "added"), (edited, "edited"), (deleted, "deleted")] {
        assert_eq!(item.who, "Grace Mentor");
        assert_eq!(item.action, action);
        assert!(
            item.summary.starts_with("Mentor note “"),
            "{}",
            item.summary
        );
    }
    assert_eq!(added.summary, "Mentor note “Notice the pause.”");
    let change = edited
        .changes
        .iter()
        .find(|c| c.field == "body")
        .expect("the body changed");
    assert_eq!(
        (change.before.as_str(), change.after.as_str()),
        ("Notice the pause.", "Notice the long pause.")
    );
    assert!(
        added
            .record
            .contains(&("timeline entry".to_owned(), entry.to_string())),
        "what it is on: {:?}",
        added.record
    );
    assert!(
        deleted
            .record
            .contains(&("body".to_owned(), "Notice the long pause.".to_owned())),
        "a deleted note reads back: {:?}",
        deleted.record
    );
    let (_, html) = app.page(&format!("/incidents/{incident}/history")).await;
    assert!(text_of(&html).contains("Mentor note “Notice the long pause.”"));

    let db = app.db.clone();
    let authors = on_server(async move {
        app::server::repo::history::authors(&db, incident)
            .await
            .expect("read")
    })
    .await;
    assert!(
        !authors.iter().any(|(id, _)| *id == grace),
        "a mentor does not become a writer (reminders and review notices go to writers): {authors:?}"
    );
}

#[tokio::test]
async fn search_finds_a_postmortem_by_its_notes_words_and_follows_each_change() {
    let app = spawn().await;
    let (incident, _) = published_example(&app).await;
    let (_, browser) = mentor(&app).await;
    let viewer = app.browser_as(Role::Viewer).await;
    assert!(find(&viewer, "zebrafish").await.hits.is_empty());

    let note = add_note(
        &browser,
        incident,
        None,
        "Like a zebrafish, the job regrew.",
    )
    .await;
    for reader in [&viewer, &app.browser] {
        let found = find(reader, "zebrafish").await;
        assert_eq!(found.hits.len(), 1, "{found:?}");
        let hit = &found.hits[0];
        assert_eq!(hit.kind, DocumentKind::MentorNote);
        assert_eq!(hit.incident_id, incident);
        assert_eq!(hit.href, format!("/library/notes/{incident}#note-{note}"));
        assert!(
            hit.snippet
                .iter()
                .any(|(text, marked)| *marked && text == "zebrafish")
        );
    }
    let (_, html) = viewer.page("/search?q=zebrafish").await;
    assert!(html.contains(&format!("href=\"/library/notes/{incident}#note-{note}\"")));

    let id = note.to_string();
    let (status, _) = browser
        .call(
            UpdateMentorNote::PATH,
            &[("id", &id), ("form[body]", "Like an axolotl, it regrew.")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        find(&viewer, "zebrafish").await.hits.is_empty(),
        "the old words are gone"
    );
    assert_eq!(find(&viewer, "axolotl").await.hits.len(), 1);
    let (status, _) = browser.call(DeleteMentorNote::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert!(
        find(&viewer, "axolotl").await.hits.is_empty(),
        "a deleted note is not found"
    );
}

#[tokio::test]
async fn a_postmortems_export_holds_its_notes_and_an_import_restores_them() {
    let app = spawn().await;
    let (incident, entry) = published_example(&app).await;
    let (_, browser) = mentor(&app).await;
    add_note(&browser, incident, None, "Read the plan first.").await;
    add_note(
        &browser,
        incident,
        Some(entry),
        "Notice the pause before killing the job.",
    )
    .await;

    let (status, _, json) = app
        .download(&format!("/incidents/{incident}/export.json"))
        .await;
    assert_eq!(status, 200, "{json}");
    let exported: PostmortemExport = serde_json::from_str(&json).expect("reads back");
    let notes = &exported.mentor_notes;
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].body_md, "Read the plan first.");
    assert_eq!(notes[0].timeline_entry, None);
    assert_eq!(
        notes[1].timeline_entry,
        Some(0),
        "on the first entry, by position"
    );
    assert!(notes.iter().all(|n| n.author == "Grace Mentor"));
    let (_, _, md) = app
        .download(&format!("/incidents/{incident}/export.md"))
        .await;
    assert!(md.contains("## Mentor notes"), "{md}");

    let there = spawn().await;
    let imported: i64 = there.json(ImportPostmortem::PATH, &[("json", &json)]).await;
    let (_, _, again) = there
        .download(&format!("/incidents/{imported}/export.json"))
        .await;
    let again: PostmortemExport = serde_json::from_str(&again).expect("reads back");
    assert_eq!(again.mentor_notes, exported.mentor_notes, "restored whole");
    let found = find(&there.browser, "killing").await;
    assert!(
        found
            .hits
            .iter()
            .any(|h| h.kind == DocumentKind::MentorNote && h.incident_id == imported),
        "the restored notes are searchable: {found:?}"
    );
}
