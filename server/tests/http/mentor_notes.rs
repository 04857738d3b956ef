//! Mentor notes against the real server: authors and above annotate a published postmortem or
//! one of its timeline entries; the library and reading lists show the notes with who wrote
//! them; a shared page shows only those chosen for it, without a name; only the writer or an
//! admin changes a note.

use crate::common::{TestApp, incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::library::{AddToReadingList, CreateReadingList};
use app::api::mentor_notes::{AddMentorNote, DeleteMentorNote, UpdateMentorNote};
use app::api::share::CreateShareLink;
use app::domain::account::Role;

/// A published worked example and its first published timeline entry's id.
pub(crate) async fn published_example(app: &TestApp) -> (i64, i64) {
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;
    let db = app.db.clone();
    let entry = crate::common::on_server(async move {
        app::server::repo::published::get(&db, incident)
            .await
            .expect("read")
            .expect("published")
            .timeline[0]
            .id
    })
    .await;
    (incident, entry)
}

#[tokio::test]
async fn mentors_annotate_lessons_and_entries_and_the_library_shows_who_wrote_them() {
    let app = spawn().await;
    let (incident, entry) = published_example(&app).await;
    let (id, entry) = (incident.to_string(), entry.to_string());
    let viewer = app.browser_as(Role::Viewer).await;
    let author = app.browser_as(Role::Author).await;
    let reviewer = app.browser_as(Role::Reviewer).await;

    let (status, _) = viewer
        .call(
            AddMentorNote::PATH,
            &[("incident_id", &id), ("form[body]", "Mine")],
        )
        .await;
    assert_eq!(status, 403, "viewers read notes, they do not write them");

    let whole: i64 = author
        .json(
            AddMentorNote::PATH,
            &[
                ("incident_id", &id),
                ("form[body]", "Read the **plan** first."),
            ],
        )
        .await;
    let on_entry: i64 = reviewer
        .json(
            AddMentorNote::PATH,
            &[
                ("incident_id", &id),
                ("form[timeline_entry]", &entry),
                ("form[body]", "Notice the pause before killing the job."),
                ("form[show_on_shared]", "on"),
            ],
        )
        .await;

    let (status, html) = viewer.page("/library").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("Mentor notes"), "{text}");
    assert!(
        html.contains("Read the <strong>plan</strong> first."),
        "rendered Markdown"
    );
    assert!(text.contains("Notice the pause before killing the job."));
    assert!(text.contains("— Author person") && text.contains("— Reviewer person"));
    assert!(text.contains("On: The lesson as a whole"));

    let (status, html) = viewer.page(&format!("/library/notes/{incident}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("id=\"note-{whole}\"")));
    assert!(html.contains(&format!("id=\"note-{on_entry}\"")));
    assert!(!html.contains("Write a mentor note"), "no form for viewers");

    // A reading list holding one of its lessons shows the notes too.
    let list: i64 = app
        .json(
            CreateReadingList::PATH,
            &[("form[title]", "Pausing"), ("form[note]", "")],
        )
        .await;
    let list = list.to_string();
    let _: i64 = app
        .json(
            AddToReadingList::PATH,
            &[
                ("list_id", &list),
                ("incident_id", &id),
                ("kind", "went_well"),
            ],
        )
        .await;
    let (_, html) = viewer.page("/library/lists").await;
    let text = text_of(&html);
    assert!(
        text.contains("Notice the pause before killing the job."),
        "{text}"
    );
    assert!(text.contains("— Reviewer person"));
}

#[tokio::test]
async fn only_the_writer_or_an_admin_edits_or_deletes_a_note() {
    let app = spawn().await;
    let (incident, _) = published_example(&app).await;
    let id = incident.to_string();
    let author = app.browser_as(Role::Author).await;
    let other = app.browser_as(Role::Reviewer).await;
    let note: i64 = author
        .json(
            AddMentorNote::PATH,
            &[("incident_id", &id), ("form[body]", "First words")],
        )
        .await;
    let note = note.to_string();

    let (status, _) = other
        .call(
            UpdateMentorNote::PATH,
            &[("id", &note), ("form[body]", "Not mine")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = other.call(DeleteMentorNote::PATH, &[("id", &note)]).await;
    assert_eq!(status, 403);

    let (status, body) = author
        .call(
            UpdateMentorNote::PATH,
            &[("id", &note), ("form[body]", "  ")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("body"), "the message names its field: {body}");
    let (status, body) = author
        .call(
            UpdateMentorNote::PATH,
            &[("id", &note), ("form[body]", "Better words")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.page(&format!("/library/notes/{incident}")).await;
    assert!(text_of(&html).contains("Better words"));

    let (status, _) = app.call(DeleteMentorNote::PATH, &[("id", &note)]).await;
    assert_eq!(status, 200, "an admin deletes anyone's note");
    let (_, html) = app.page(&format!("/library/notes/{incident}")).await;
    assert!(!text_of(&html).contains("Better words"));
    let (status, _) = author.call(DeleteMentorNote::PATH, &[("id", &note)]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_plain_form_with_a_mistake_comes_back_with_the_message_and_what_was_typed() {
    let app = spawn().await;
    let (incident, _) = published_example(&app).await;
    let id = incident.to_string();
    let page = format!("/library/notes/{incident}");
    let (status, location) = app
        .submit(
            AddMentorNote::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("form[timeline_entry]", "999999"),
                ("form[body]", "Keep these words"),
            ],
        )
        .await;
    assert_eq!(status, 303, "back to the form");
    let (_, html) = app.page(&location.expect("a location")).await;
    let text = text_of(&html);
    assert!(
        text.contains("Pick one of the published timeline"),
        "{text}"
    );
    assert!(html.contains("Keep these words"), "nothing typed is lost");
}

#[tokio::test]
async fn a_shared_page_shows_only_notes_chosen_for_it_and_never_who_wrote_them() {
    let app = spawn().await;
    let (incident, entry) = published_example(&app).await;
    let (id, entry) = (incident.to_string(), entry.to_string());
    let author = app.browser_as(Role::Author).await;
    let _: i64 = author
        .json(
            AddMentorNote::PATH,
            &[
                ("incident_id", &id),
                ("form[body]", "Kept inside: the team note only."),
            ],
        )
        .await;
    let _: i64 = author
        .json(
            AddMentorNote::PATH,
            &[
                ("incident_id", &id),
                ("form[timeline_entry]", &entry),
                ("form[body]", "Notice how the engineer owned up at once."),
                ("form[show_on_shared]", "on"),
            ],
        )
        .await;
    let token: String = app.json(CreateShareLink::PATH, &[("id", &id)]).await;
    let (status, html) = app.anonymous().page(&format!("/shared/{token}")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Notice how the engineer owned up at once."),
        "{text}"
    );
    assert!(!text.contains("Kept inside: the team note only."));
    assert!(
        !text.contains("Author person"),
        "no writer's name on a shared page"
    );
}
