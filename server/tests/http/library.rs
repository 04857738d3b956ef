//! The lessons library against the real server: lessons of published postmortems only, tags,
//! and a mentor's reading list with notes, readable by everyone signed in.

use crate::common::{incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::library::{
    AddToReadingList, CreateReadingList, DeleteReadingList, LessonsLibrary, ListReadingLists,
    RemoveFromReadingList, TagLesson,
};
use app::domain::account::Role;
use app::domain::library::LessonKind;
use app::dto::library::{Library, ReadingLists};

#[tokio::test]
async fn a_mentor_tags_the_worked_examples_lessons_and_builds_a_reading_list() {
    let app = spawn().await;
    let draft = incident_of(&app.load_example().await);
    let library: Library = app.json(LessonsLibrary::PATH, &[]).await;
    assert!(
        !library.any_published,
        "a draft's lessons are not in the library"
    );
    let (_, html) = app.page("/library").await;
    assert!(text_of(&html).contains("No lessons yet"));

    app.publish(draft).await;
    let id = draft.to_string();
    let library: Library = app.json(LessonsLibrary::PATH, &[]).await;
    assert_eq!(
        library.lessons.iter().map(|l| l.kind).collect::<Vec<_>>(),
        LessonKind::ALL,
        "the example's three lessons"
    );

    let (status, body) = app
        .call(
            TagLesson::PATH,
            &[("incident_id", &id), ("kind", "went_wrong"), ("tag", "a/b")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .call(
            TagLesson::PATH,
            &[
                ("incident_id", &id),
                ("kind", "went_wrong"),
                ("tag", "Default values"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let tagged: Library = app
        .json(LessonsLibrary::PATH, &[("tag", "default-values")])
        .await;
    assert_eq!(tagged.lessons.len(), 1);
    assert_eq!(tagged.lessons[0].kind, LessonKind::WentWrong);
    assert_eq!(tagged.tags, [("default-values".to_owned(), 1)]);

    let list: i64 = app
        .json(
            CreateReadingList::PATH,
            &[
                ("form[title]", "Before your first production change"),
                ("form[note]", "Read these **in order**."),
            ],
        )
        .await;
    let item: i64 = app
        .json(
            AddToReadingList::PATH,
            &[
                ("list_id", &list.to_string()),
                ("incident_id", &id),
                ("kind", "went_wrong"),
                ("note", "Why a default can take a whole product down"),
            ],
        )
        .await;

    // Anyone signed in reads the list, mentor's notes included.
    let viewer = app.browser_as(Role::Viewer).await;
    let lists: ReadingLists = viewer.json(ListReadingLists::PATH, &[]).await;
    assert!(!lists.can_curate);
    let shown = &lists.lists[0];
    assert_eq!(shown.title, "Before your first production change");
    assert!(shown.note_html.contains("<strong>in order</strong>"));
    assert_eq!(
        shown.items[0].note,
        "Why a default can take a whole product down"
    );
    let (_, html) = viewer.page("/library/lists").await;
    let text = text_of(&html);
    assert!(
        text.contains("Why a default can take a whole product down"),
        "{text}"
    );
    assert!(
        html.contains(&format!("/library#lesson-{draft}-went_wrong")),
        "the lesson links back"
    );
    let (status, _) = viewer
        .call(
            TagLesson::PATH,
            &[("incident_id", &id), ("kind", "lucky"), ("tag", "luck")],
        )
        .await;
    assert_eq!(status, 403, "viewers read, mentors curate");

    // A lesson that is not published cannot be listed.
    let other = incident_of(&app.load_example().await).to_string();
    let (status, body) = app
        .call(
            AddToReadingList::PATH,
            &[
                ("list_id", &list.to_string()),
                ("incident_id", &other),
                ("kind", "lucky"),
            ],
        )
        .await;
    assert_eq!(status, 404, "{body}");

    assert_eq!(
        app.call(RemoveFromReadingList::PATH, &[("id", &item.to_string())])
            .await
            .0,
        200
    );
    assert_eq!(
        app.call(DeleteReadingList::PATH, &[("id", &list.to_string())])
            .await
            .0,
        200
    );
    let lists: ReadingLists = app.json(ListReadingLists::PATH, &[]).await;
    assert!(lists.lists.is_empty());
}

#[tokio::test]
async fn only_its_owner_or_an_admin_edits_or_deletes_a_reading_list() {
    let app = spawn().await;
    let published = incident_of(&app.load_example().await);
    app.publish(published).await;
    let id = published.to_string();
    let owner = app.browser_as(Role::Author).await;
    let other = app.browser_as(Role::Author).await;

    let list: i64 = owner
        .json(
            CreateReadingList::PATH,
            &[("form[title]", "Mine"), ("form[note]", "")],
        )
        .await;
    let list = list.to_string();
    let item: i64 = owner
        .json(
            AddToReadingList::PATH,
            &[
                ("list_id", &list),
                ("incident_id", &id),
                ("kind", "went_well"),
            ],
        )
        .await;
    let item = item.to_string();

    let mine: ReadingLists = owner.json(ListReadingLists::PATH, &[]).await;
    let theirs: ReadingLists = other.json(ListReadingLists::PATH, &[]).await;
    assert!(mine.lists[0].can_edit && !theirs.lists[0].can_edit);
    let offered: Library = other.json(LessonsLibrary::PATH, &[]).await;
    assert!(
        offered.lists.is_empty(),
        "another author is not offered the list to add to: {:?}",
        offered.lists
    );

    let (status, body) = other
        .call(
            AddToReadingList::PATH,
            &[("list_id", &list), ("incident_id", &id), ("kind", "lucky")],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = other
        .call(RemoveFromReadingList::PATH, &[("id", &item)])
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = other.call(DeleteReadingList::PATH, &[("id", &list)]).await;
    assert_eq!(status, 403, "{body}");
    let lists: ReadingLists = owner.json(ListReadingLists::PATH, &[]).await;
    assert_eq!(lists.lists[0].items.len(), 1, "nothing changed");

    // An admin may (the browser the app started with is one).
    let (status, body) = app
        .call(
            AddToReadingList::PATH,
            &[("list_id", &list), ("incident_id", &id), ("kind", "lucky")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call(RemoveFromReadingList::PATH, &[("id", &item)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call(DeleteReadingList::PATH, &[("id", &list)]).await;
    assert_eq!(status, 200, "{body}");
    let lists: ReadingLists = owner.json(ListReadingLists::PATH, &[]).await;
    assert!(lists.lists.is_empty());
}
