//! The lessons library: the lessons of published postmortems (as published), tags on them, and
//! reading lists mentors curate with a note. Everyone signed in reads them; authors and above
//! tag lessons and curate lists.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::library::LessonKind;
use crate::domain::library::ReadingListForm;
use crate::dto::library::{LessonCard, Library, ReadingLists};
#[cfg(feature = "ssr")]
use crate::dto::library::{ListItem, ReadingListView};
use crate::error::AppError;

impl LessonCard {
    /// Its anchor in the library: "lesson-12-went_well".
    pub fn anchor(&self) -> String {
        format!("lesson-{}-{}", self.incident_id, self.kind.as_str())
    }
}

/// A lesson as the library shows it.
#[cfg(feature = "ssr")]
fn card(lesson: crate::server::repo::library::Lesson) -> LessonCard {
    LessonCard {
        incident_id: lesson.incident_id,
        incident_title: lesson.incident_title,
        kind: lesson.kind,
        html: crate::server::markdown::render(&lesson.markdown),
        tags: lesson.tags,
        notes: Vec::new(),
    }
}

#[cfg(feature = "ssr")]
fn can_curate(user: &crate::domain::account::User) -> bool {
    user.role.includes(crate::domain::account::Role::Author)
}

/// Whether `user` may edit or delete a reading list owned by `owner`: its owner (an author or
/// up) or an admin.
#[cfg(feature = "ssr")]
fn may_edit_list(user: &crate::domain::account::User, owner: Option<i64>) -> bool {
    use crate::domain::account::Role;
    user.role == Role::Admin || (can_curate(user) && owner == Some(user.id))
}

/// The reading list `id` if `user` may edit it.
///
/// # Errors
/// NotFound when there is no such list, Forbidden when it is someone else's.
#[cfg(feature = "ssr")]
async fn editable_list(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    id: i64,
) -> Result<crate::server::repo::library::ReadingList, AppError> {
    let list = crate::server::repo::library::get_list(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Reading list {id}")))?;
    if !may_edit_list(user, list.owner_id) {
        return Err(AppError::Forbidden(format!(
            "The reading list “{}” is {}'s: only they or an admin may change it.",
            list.list.title, list.created_by
        )));
    }
    Ok(list)
}

/// The library, narrowed to a tag and a kind (each may be empty): one page (from 1, empty = the
/// first) of [`crate::dto::library::LIBRARY_PAGE_SIZE`] lessons.
#[server(prefix = "/api", endpoint = "library")]
pub async fn lessons_library(
    #[server(default)] tag: String,
    #[server(default)] kind: String,
    #[server(default)] page: String,
) -> Result<Library, AppError> {
    use crate::dto::library::LIBRARY_PAGE_SIZE;
    use crate::server::repo::library;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let page = super::page_number(&page)?;
    let tag = tag.trim().to_lowercase();
    let kind = LessonKind::parse(&kind);
    let (found, more) = library::lessons_page(
        &state.db,
        Some(tag.as_str()).filter(|t| !t.is_empty()),
        kind,
        (page - 1) * LIBRARY_PAGE_SIZE,
        LIBRARY_PAGE_SIZE,
    )
    .await?;
    let mut lessons: Vec<LessonCard> = found.into_iter().map(card).collect();
    crate::server::query::mentor_notes::attach(&state.db, &user, &super::zone(), &mut lessons)
        .await?;
    let on_this_day = on_this_day(&state).await?;
    let tags = library::tag_counts(&state.db).await?;
    let any_published = library::any_lesson(&state.db).await?;
    let at = |page: u64| {
        let mut query = Vec::new();
        if !tag.is_empty() {
            query.push(format!("tag={tag}"));
        }
        if let Some(kind) = kind {
            query.push(format!("kind={}", kind.as_str()));
        }
        query.push(format!("page={page}"));
        format!("/library?{}", query.join("&"))
    };
    let (previous_href, next_href) = ((page > 1).then(|| at(page - 1)), more.then(|| at(page + 1)));
    let lists = crate::server::repo::library::lists(&state.db)
        .await?
        .into_iter()
        .filter(|l| may_edit_list(&user, l.owner_id))
        .map(|l| (l.id, l.list.title))
        .collect();
    Ok(Library {
        lessons,
        tags,
        tag,
        kind,
        lists,
        can_curate: can_curate(&user),
        any_published,
        previous_href,
        next_href,
        on_this_day,
    })
}

/// How many postmortems "on this day" shows.
#[cfg(feature = "ssr")]
const ON_THIS_DAY: u64 = 5;

/// Postmortems published on today's month and day (the reader's) in earlier years.
#[cfg(feature = "ssr")]
async fn on_this_day(
    state: &crate::server::AppState,
) -> Result<Vec<crate::dto::feeds::OnThisDayItem>, AppError> {
    use chrono::Datelike;
    let zone = super::zone();
    let today = super::today(&zone);
    Ok(
        crate::server::repo::feeds::on_this_day(&state.db, today, &zone, ON_THIS_DAY)
            .await?
            .into_iter()
            .map(|p| {
                let then = p.published_at.with_timezone(&zone.0).date_naive();
                crate::dto::feeds::OnThisDayItem {
                    incident_id: p.postmortem.incident.id,
                    title: p.postmortem.incident.title,
                    year: then.year(),
                    ago: crate::domain::feeds::on_this_day::years_ago(today, then),
                }
            })
            .collect(),
    )
}

/// A lesson that exists in a published postmortem, or the error saying so.
#[cfg(feature = "ssr")]
async fn published_lesson(
    state: &crate::server::AppState,
    incident_id: i64,
    kind: &str,
) -> Result<LessonKind, AppError> {
    let kind = LessonKind::parse(kind)
        .ok_or_else(|| AppError::invalid("kind", format!("Unknown kind of lesson {kind:?}.")))?;
    let published = crate::server::repo::published::get(&state.db, incident_id).await?;
    match published {
        Some(p) if !kind.of(&p.incident.lessons).trim().is_empty() => Ok(kind),
        _ => Err(AppError::not_found(format!(
            "A published lesson “{}” of incident {incident_id}",
            kind.label()
        ))),
    }
}

/// Tags a lesson (authors).
#[server(prefix = "/api", endpoint = "library/tag")]
pub async fn tag_lesson(incident_id: i64, kind: String, tag: String) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Author)?;
    let kind = published_lesson(&state, incident_id, &kind).await?;
    let tag = crate::domain::library::parse_tag(&tag).map_err(|m| AppError::invalid("tag", m))?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::library::tag(&txn, incident_id, kind, &tag).await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a tag off a lesson (authors).
#[server(prefix = "/api", endpoint = "library/untag")]
pub async fn untag_lesson(incident_id: i64, kind: String, tag: String) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Author)?;
    let kind = LessonKind::parse(&kind)
        .ok_or_else(|| AppError::invalid("kind", format!("Unknown kind of lesson {kind:?}.")))?;
    crate::server::repo::library::untag(&state.db, incident_id, kind, tag.trim()).await?;
    Ok(())
}

/// Every reading list with its lessons (lessons no longer published are left out).
#[server(prefix = "/api", endpoint = "library/lists")]
pub async fn list_reading_lists() -> Result<ReadingLists, AppError> {
    use crate::server::repo::library;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let items = library::items(&state.db).await?;
    let mut on_lists: Vec<i64> = items.iter().map(|i| i.incident_id).collect();
    on_lists.sort_unstable();
    on_lists.dedup();
    let mut lessons: Vec<LessonCard> = library::lessons_of(&state.db, &on_lists)
        .await?
        .into_iter()
        .map(card)
        .collect();
    crate::server::query::mentor_notes::attach(&state.db, &user, &super::zone(), &mut lessons)
        .await?;
    let lists = library::lists(&state.db)
        .await?
        .into_iter()
        .map(|l| ReadingListView {
            can_edit: may_edit_list(&user, l.owner_id),
            id: l.id,
            title: l.list.title,
            note_html: crate::server::markdown::render(&l.list.note_md),
            created_by: l.created_by,
            items: items
                .iter()
                .filter(|i| i.list_id == l.id)
                .filter_map(|i| {
                    let lesson = lessons
                        .iter()
                        .find(|c| c.incident_id == i.incident_id && c.kind == i.kind)?;
                    Some(ListItem {
                        id: i.id,
                        lesson: lesson.clone(),
                        note: i.note.clone(),
                    })
                })
                .collect(),
        })
        .collect();
    Ok(ReadingLists {
        lists,
        can_curate: can_curate(&user),
    })
}

/// Makes a reading list (authors).
#[server(prefix = "/api", endpoint = "library/lists/create")]
pub async fn create_reading_list(form: ReadingListForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    let list = form.parse()?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let id = crate::server::repo::library::create_list(&txn, &list, (user.id, &user.display_name))
        .await?;
    txn.commit().await?;
    super::redirect(&format!("/library/lists#list-{id}"));
    Ok(id)
}

/// Deletes a reading list (its owner or an admin); the lessons stay in the library.
#[server(prefix = "/api", endpoint = "library/lists/delete")]
pub async fn delete_reading_list(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    editable_list(&state, &user, id).await?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    if !crate::server::repo::library::delete_list(&txn, id).await? {
        return Err(AppError::not_found(format!("Reading list {id}")));
    }
    txn.commit().await?;
    super::redirect("/library/lists");
    Ok(())
}

/// Puts a lesson on a reading list with a note on why to read it (the list's owner or an
/// admin).
#[server(prefix = "/api", endpoint = "library/lists/add")]
pub async fn add_to_reading_list(
    list_id: i64,
    incident_id: i64,
    kind: String,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    use crate::domain::form::{MAX_MARKDOWN_CHARS, optional_text};
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    let kind = published_lesson(&state, incident_id, &kind).await?;
    let note = optional_text(&note, "The note", MAX_MARKDOWN_CHARS)
        .map_err(|m| AppError::invalid("note", m))?;
    match editable_list(&state, &user, list_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::invalid(
                "list_id",
                "Choose one of the reading lists.",
            ));
        }
        found => found?,
    };
    let txn = crate::server::db::begin_write(&state.db).await?;
    let id =
        crate::server::repo::library::add_item(&txn, list_id, incident_id, kind, &note).await?;
    txn.commit().await?;
    super::redirect(&format!("/library/lists#list-{list_id}"));
    Ok(id)
}

/// Takes a lesson off its reading list (the list's owner or an admin).
#[server(prefix = "/api", endpoint = "library/lists/remove")]
pub async fn remove_from_reading_list(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Author)?;
    let gone = || AppError::not_found(format!("Reading list item {id}"));
    let on = crate::server::repo::library::list_of_item(&state.db, id)
        .await?
        .ok_or_else(gone)?;
    editable_list(&state, &user, on).await?;
    let list = crate::server::repo::library::remove_item(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Reading list item {id}")))?;
    super::redirect(&format!("/library/lists#list-{list}"));
    Ok(())
}
