//! Tags on lessons and reading lists: a tag is on a lesson once, listed by tag; a list reads
//! back with its owner; a lesson is on a list once with its latest note; deleting a list
//! takes its items, and deleting an incident takes its tags and items.

use super::*;
use app::domain::account::Role;
use app::domain::library::{LessonKind, NewReadingList};
use app::server::repo::library::{self, Item};

fn reading(title: &str) -> NewReadingList {
    NewReadingList {
        title: title.to_owned(),
        note_md: format!("Why read *{title}*."),
    }
}

fn lesson_items(items: &[Item]) -> Vec<(i64, i64, LessonKind, &str)> {
    items
        .iter()
        .map(|i| (i.list_id, i.incident_id, i.kind, i.note.as_str()))
        .collect()
}

#[tokio::test]
async fn a_lesson_is_tagged_once_and_tags_list_in_tag_order() {
    let t = fresh_db().await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    for (incident, kind, tag) in [
        (first, LessonKind::WentWrong, "retries"),
        (second, LessonKind::Lucky, "alerting"),
        (first, LessonKind::WentWrong, "retries"),
        (first, LessonKind::WentWell, "retries"),
        (second, LessonKind::WentWrong, "capacity"),
    ] {
        library::tag(&t.db, incident, kind, tag)
            .await
            .expect("tagged");
    }

    let mut tags = library::all_tags(&t.db).await.expect("read");
    // Only the tag order is promised; within one tag the order is the test's to fix.
    tags.sort_by_key(|(id, kind, tag)| (tag.clone(), *id, kind.as_str()));
    assert_eq!(
        tags,
        [
            (second, LessonKind::Lucky, "alerting".to_owned()),
            (second, LessonKind::WentWrong, "capacity".to_owned()),
            (first, LessonKind::WentWell, "retries".to_owned()),
            (first, LessonKind::WentWrong, "retries".to_owned()),
        ]
    );
    let in_order: Vec<String> = library::all_tags(&t.db)
        .await
        .expect("read")
        .into_iter()
        .map(|(_, _, tag)| tag)
        .collect();
    assert_eq!(in_order, ["alerting", "capacity", "retries", "retries"]);

    library::untag(&t.db, first, LessonKind::WentWrong, "retries")
        .await
        .expect("untagged");
    let left: Vec<(i64, LessonKind)> = library::all_tags(&t.db)
        .await
        .expect("read")
        .into_iter()
        .filter(|(_, _, tag)| tag == "retries")
        .map(|(id, kind, _)| (id, kind))
        .collect();
    assert_eq!(left, [(first, LessonKind::WentWell)]);
}

#[tokio::test]
async fn reading_lists_read_back_with_their_owner_newest_first() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let sam = person(&t.db, "Sam", Role::Author).await;
    let before = Utc::now();
    let older = library::create_list(&t.db, &reading("Onboarding"), (pat, "Pat"))
        .await
        .expect("created");
    let newer = library::create_list(&t.db, &reading("Retries"), (sam, "Sam"))
        .await
        .expect("created");

    let stored = library::get_list(&t.db, older)
        .await
        .expect("read")
        .expect("the list just created");
    assert_eq!(
        (
            stored.id,
            &stored.list,
            stored.created_by.as_str(),
            stored.owner_id
        ),
        (older, &reading("Onboarding"), "Pat", Some(pat))
    );
    assert!(stored.created_at >= before);
    let ids: Vec<i64> = library::lists(&t.db)
        .await
        .expect("listed")
        .iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, [newer, older]);
    assert!(
        library::get_list(&t.db, newer + 1)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_lesson_is_on_a_list_once_with_its_latest_note_in_the_order_added() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let first = plain_incident(&t.db, "First").await;
    let second = plain_incident(&t.db, "Second").await;
    let list = library::create_list(&t.db, &reading("Retries"), (pat, "Pat"))
        .await
        .expect("created");
    let other = library::create_list(&t.db, &reading("Other"), (pat, "Pat"))
        .await
        .expect("created");
    library::add_item(&t.db, list, first, LessonKind::WentWrong, "Read this first")
        .await
        .expect("added");
    library::add_item(&t.db, list, second, LessonKind::Lucky, "Then this")
        .await
        .expect("added");
    library::add_item(&t.db, other, first, LessonKind::WentWrong, "Elsewhere")
        .await
        .expect("added");
    library::add_item(
        &t.db,
        list,
        first,
        LessonKind::WentWell,
        "A different lesson",
    )
    .await
    .expect("added");

    let renoted = library::add_item(&t.db, list, first, LessonKind::WentWrong, "Now last")
        .await
        .expect("added again");

    let items = library::items(&t.db).await.expect("read");
    assert_eq!(
        lesson_items(&items),
        [
            (list, second, LessonKind::Lucky, "Then this"),
            (other, first, LessonKind::WentWrong, "Elsewhere"),
            (list, first, LessonKind::WentWell, "A different lesson"),
            (list, first, LessonKind::WentWrong, "Now last"),
        ]
    );
    assert_eq!(items[3].id, renoted);
    assert_eq!(
        library::list_of_item(&t.db, renoted).await.expect("read"),
        Some(list)
    );
    assert!(
        library::add_item(&t.db, list + 100, first, LessonKind::Lucky, "")
            .await
            .is_err(),
        "no such list"
    );
    assert!(
        library::add_item(&t.db, list, second + 100, LessonKind::Lucky, "")
            .await
            .is_err(),
        "no such incident"
    );
}

#[tokio::test]
async fn removing_an_item_says_which_list_it_was_on() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let incident_id = plain_incident(&t.db, "First").await;
    let list = library::create_list(&t.db, &reading("Retries"), (pat, "Pat"))
        .await
        .expect("created");
    let item = library::add_item(&t.db, list, incident_id, LessonKind::Lucky, "")
        .await
        .expect("added");

    assert_eq!(
        library::remove_item(&t.db, item).await.expect("removed"),
        Some(list)
    );
    assert_eq!(
        library::remove_item(&t.db, item)
            .await
            .expect("no database error"),
        None
    );
    assert_eq!(
        library::list_of_item(&t.db, item).await.expect("read"),
        None
    );
    assert!(library::items(&t.db).await.expect("read").is_empty());
}

#[tokio::test]
async fn deleting_a_list_takes_its_items_and_leaves_other_lists_alone() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let incident_id = plain_incident(&t.db, "First").await;
    let doomed = library::create_list(&t.db, &reading("Doomed"), (pat, "Pat"))
        .await
        .expect("created");
    let kept = library::create_list(&t.db, &reading("Kept"), (pat, "Pat"))
        .await
        .expect("created");
    for list in [doomed, kept] {
        library::add_item(&t.db, list, incident_id, LessonKind::WentWrong, "note")
            .await
            .expect("added");
    }

    assert!(library::delete_list(&t.db, doomed).await.expect("deleted"));
    assert!(
        !library::delete_list(&t.db, doomed)
            .await
            .expect("no database error")
    );

    assert!(
        library::get_list(&t.db, doomed)
            .await
            .expect("read")
            .is_none()
    );
    let items = library::items(&t.db).await.expect("read");
    assert_eq!(
        lesson_items(&items),
        [(kept, incident_id, LessonKind::WentWrong, "note")]
    );
}

#[tokio::test]
async fn deleting_an_incident_takes_its_tags_and_its_lessons_off_every_list() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let doomed = plain_incident(&t.db, "Doomed").await;
    let kept = plain_incident(&t.db, "Kept").await;
    let list = library::create_list(&t.db, &reading("Retries"), (pat, "Pat"))
        .await
        .expect("created");
    for incident in [doomed, kept] {
        library::tag(&t.db, incident, LessonKind::WentWrong, "retries")
            .await
            .expect("tagged");
        library::add_item(&t.db, list, incident, LessonKind::WentWrong, "")
            .await
            .expect("added");
    }

    assert!(incidents::delete(&t.db, doomed).await.expect("deleted"));

    let tagged: Vec<i64> = library::all_tags(&t.db)
        .await
        .expect("read")
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(tagged, [kept]);
    let listed: Vec<i64> = library::items(&t.db)
        .await
        .expect("read")
        .iter()
        .map(|i| i.incident_id)
        .collect();
    assert_eq!(listed, [kept]);
    assert!(
        library::get_list(&t.db, list)
            .await
            .expect("read")
            .is_some()
    );
}

#[tokio::test]
async fn a_refused_re_tag_keeps_the_tag_the_lesson_had() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Tagged").await;
    library::tag(&t.db, id, LessonKind::WentWrong, "retries")
        .await
        .expect("tagged");
    refuse_inserts(&t.db, "lesson_tags", "NEW.tag = 'retries'").await;

    assert!(
        library::tag(&t.db, id, LessonKind::WentWrong, "retries")
            .await
            .is_err()
    );

    assert_eq!(
        library::all_tags(&t.db).await.expect("read"),
        [(id, LessonKind::WentWrong, "retries".to_owned())]
    );
}
