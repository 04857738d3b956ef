//! Tags on lessons, and reading lists of lessons.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::stored;
use crate::domain::library::{LessonKind, NewReadingList};
use crate::server::entities::{
    lesson_tags as tags, published_lessons as lessons, reading_list_items as items,
    reading_lists as lists,
};

/// Every tag: (incident, kind, tag).
///
/// # Errors
/// On a database failure or a kind the domain does not know.
pub async fn all_tags<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<(i64, LessonKind, String)>, DbErr> {
    tags::Entity::find()
        .order_by_asc(tags::Column::Tag)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.incident_id,
                stored("lesson_tags.kind", &r.kind, LessonKind::parse)?,
                r.tag,
            ))
        })
        .collect()
}

/// Tags a lesson (once: tagging it again changes nothing).
///
/// # Errors
/// On a database failure.
pub async fn tag<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    kind: LessonKind,
    tag: &str,
) -> Result<(), DbErr> {
    // One statement: a refused write leaves the tags as they were, and two people tagging the
    // same lesson at once both succeed.
    tags::Entity::insert(tags::ActiveModel {
        incident_id: Set(incident_id),
        kind: Set(kind.as_str().to_owned()),
        tag: Set(tag.to_owned()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            tags::Column::IncidentId,
            tags::Column::Kind,
            tags::Column::Tag,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Takes a tag off a lesson.
///
/// # Errors
/// On a database failure.
pub async fn untag<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    kind: LessonKind,
    tag: &str,
) -> Result<(), DbErr> {
    tags::Entity::delete_many()
        .filter(tags::Column::IncidentId.eq(incident_id))
        .filter(tags::Column::Kind.eq(kind.as_str()))
        .filter(tags::Column::Tag.eq(tag))
        .exec(conn)
        .await?;
    Ok(())
}

/// A reading list as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingList {
    pub id: i64,
    pub list: NewReadingList,
    pub created_by: String,
    /// The user who may edit it besides admins.
    pub owner_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A lesson on a reading list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub list_id: i64,
    pub incident_id: i64,
    pub kind: LessonKind,
    pub note: String,
}

/// Makes a reading list; returns its id.
///
/// # Errors
/// On a database failure.
pub async fn create_list<C: ConnectionTrait>(
    conn: &C,
    list: &NewReadingList,
    (owner_id, by): (i64, &str),
) -> Result<i64, DbErr> {
    Ok(lists::ActiveModel {
        title: Set(list.title.clone()),
        note_md: Set(list.note_md.clone()),
        created_by: Set(by.to_owned()),
        owner_id: Set(Some(owner_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?
    .id)
}

/// Every reading list, newest first.
///
/// # Errors
/// On a database failure.
pub async fn lists<C: ConnectionTrait>(conn: &C) -> Result<Vec<ReadingList>, DbErr> {
    Ok(lists::Entity::find()
        .order_by_desc(lists::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(reading_list)
        .collect())
}

/// One reading list, if there is one with this id.
///
/// # Errors
/// On a database failure.
pub async fn get_list<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<ReadingList>, DbErr> {
    Ok(lists::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(reading_list))
}

/// The list an item is on, if there is such an item.
///
/// # Errors
/// On a database failure.
pub async fn list_of_item<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    Ok(items::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|item| item.list_id))
}

fn reading_list(r: lists::Model) -> ReadingList {
    ReadingList {
        id: r.id,
        list: NewReadingList {
            title: r.title,
            note_md: r.note_md,
        },
        created_by: r.created_by,
        owner_id: r.owner_id,
        created_at: r.created_at,
    }
}

/// Deletes a reading list and its items; false when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete_list<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    items::Entity::delete_many()
        .filter(items::Column::ListId.eq(id))
        .exec(conn)
        .await?;
    Ok(lists::Entity::delete_by_id(id)
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// Every item of every list, in the order added.
///
/// # Errors
/// On a database failure or a kind the domain does not know.
pub async fn items<C: ConnectionTrait>(conn: &C) -> Result<Vec<Item>, DbErr> {
    items::Entity::find()
        .order_by_asc(items::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Item {
                id: r.id,
                list_id: r.list_id,
                incident_id: r.incident_id,
                kind: stored("reading_list_items.kind", &r.kind, LessonKind::parse)?,
                note: r.note,
            })
        })
        .collect()
}

/// Puts a lesson on a list with a note (replacing the note when it is already there).
///
/// # Errors
/// On a database failure (including a list or incident that does not exist).
pub async fn add_item<C: ConnectionTrait>(
    conn: &C,
    list_id: i64,
    incident_id: i64,
    kind: LessonKind,
    note: &str,
) -> Result<i64, DbErr> {
    items::Entity::delete_many()
        .filter(items::Column::ListId.eq(list_id))
        .filter(items::Column::IncidentId.eq(incident_id))
        .filter(items::Column::Kind.eq(kind.as_str()))
        .exec(conn)
        .await?;
    Ok(items::ActiveModel {
        list_id: Set(list_id),
        incident_id: Set(incident_id),
        kind: Set(kind.as_str().to_owned()),
        note: Set(note.to_owned()),
        added_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?
    .id)
}

/// Takes an item off its list; returns the list it was on.
///
/// # Errors
/// On a database failure.
pub async fn remove_item<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    let Some(found) = items::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    items::Entity::delete_by_id(id).exec(conn).await?;
    Ok(Some(found.list_id))
}

/// Keeps the lessons of `incident` as it is being published, in the publishing transaction:
/// each lesson that says something, with the incident's title (the library's rows).
///
/// # Errors
/// On a database failure.
pub async fn keep_lessons<C: ConnectionTrait>(
    conn: &C,
    incident: &crate::domain::incident::Incident,
) -> Result<(), DbErr> {
    lessons::Entity::delete_many()
        .filter(lessons::Column::IncidentId.eq(incident.id))
        .exec(conn)
        .await?;
    let rows: Vec<lessons::ActiveModel> = LessonKind::ALL
        .into_iter()
        .zip(0_i16..)
        .filter(|(kind, _)| !kind.of(&incident.lessons).trim().is_empty())
        .map(|(kind, position)| lessons::ActiveModel {
            incident_id: Set(incident.id),
            kind: Set(kind.as_str().to_owned()),
            position: Set(position),
            incident_title: Set(incident.title.clone()),
            lesson_md: Set(kind.of(&incident.lessons).to_owned()),
        })
        .collect();
    if !rows.is_empty() {
        lessons::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// A published lesson as the library lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub incident_id: i64,
    pub incident_title: String,
    pub kind: LessonKind,
    pub markdown: String,
    /// Its tags, by name.
    pub tags: Vec<String>,
}

/// One page of the library: the published lessons with `tag` (when given) of `kind` (when
/// given), newest incident first and in the order of [`LessonKind::ALL`], up to `size` from
/// `offset`, each with its tags; and whether there are more.
///
/// # Errors
/// On a database failure or a kind the domain does not know.
pub async fn lessons_page<C: ConnectionTrait>(
    conn: &C,
    tag: Option<&str>,
    kind: Option<LessonKind>,
    offset: u64,
    size: u64,
) -> Result<(Vec<Lesson>, bool), DbErr> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    let mut query = lessons::Entity::find();
    if let Some(kind) = kind {
        query = query.filter(lessons::Column::Kind.eq(kind.as_str()));
    }
    if let Some(tag) = tag {
        query = query.filter(Expr::exists(
            tagged_same_lesson()
                .and_where(tags::Column::Tag.eq(tag))
                .to_owned(),
        ));
    }
    let mut found = query
        .order_by_desc(lessons::Column::IncidentId)
        .order_by_asc(lessons::Column::Position)
        .offset(offset)
        .limit(size + 1)
        .all(conn)
        .await?;
    let more = found.len() as u64 > size;
    found.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    Ok((with_tags(conn, found).await?, more))
}

/// The published lessons of `incident_ids`, with their tags (a reading list's lessons).
///
/// # Errors
/// On a database failure or a kind the domain does not know.
pub async fn lessons_of<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
) -> Result<Vec<Lesson>, DbErr> {
    if incident_ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = lessons::Entity::find()
        .filter(lessons::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .order_by_desc(lessons::Column::IncidentId)
        .order_by_asc(lessons::Column::Position)
        .all(conn)
        .await?;
    with_tags(conn, found).await
}

async fn with_tags<C: ConnectionTrait>(
    conn: &C,
    found: Vec<lessons::Model>,
) -> Result<Vec<Lesson>, DbErr> {
    let mut incidents: Vec<i64> = found.iter().map(|l| l.incident_id).collect();
    incidents.sort_unstable();
    incidents.dedup();
    let on_page = if incidents.is_empty() {
        Vec::new()
    } else {
        tags::Entity::find()
            .filter(tags::Column::IncidentId.is_in(incidents))
            .order_by_asc(tags::Column::Tag)
            .all(conn)
            .await?
    };
    let mut page = Vec::with_capacity(found.len());
    for row in found {
        let kind = stored("published_lessons.kind", &row.kind, LessonKind::parse)?;
        let own = on_page
            .iter()
            .filter(|t| t.incident_id == row.incident_id && t.kind == row.kind)
            .map(|t| t.tag.clone())
            .collect();
        page.push(Lesson {
            incident_id: row.incident_id,
            incident_title: row.incident_title,
            kind,
            markdown: row.lesson_md,
            tags: own,
        });
    }
    Ok(page)
}

/// Each tag on a published lesson with how many published lessons carry it, by name.
///
/// # Errors
/// On a database failure.
pub async fn tag_counts<C: ConnectionTrait>(conn: &C) -> Result<Vec<(String, usize)>, DbErr> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    // A tag counts where its lesson is in the library: published and saying something.
    let published = Query::select()
        .expr(Expr::val(1))
        .from(lessons::Entity)
        .and_where(
            Expr::col((lessons::Entity, lessons::Column::IncidentId))
                .equals((tags::Entity, tags::Column::IncidentId)),
        )
        .and_where(
            Expr::col((lessons::Entity, lessons::Column::Kind))
                .equals((tags::Entity, tags::Column::Kind)),
        )
        .to_owned();
    let rows: Vec<(String, i64)> = tags::Entity::find()
        .select_only()
        .column(tags::Column::Tag)
        .expr(Expr::col(tags::Column::Tag).count())
        .filter(Expr::exists(published))
        .group_by(tags::Column::Tag)
        .into_tuple()
        .all(conn)
        .await?;
    // Sorted here: the databases' collations order text differently.
    let mut counts: Vec<(String, usize)> = rows
        .into_iter()
        .map(|(tag, n)| (tag, usize::try_from(n).unwrap_or_default()))
        .collect();
    counts.sort();
    Ok(counts)
}

/// Whether the library holds any lesson at all (its empty state).
///
/// # Errors
/// On a database failure.
pub async fn any_lesson<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    use sea_orm::QuerySelect;
    Ok(lessons::Entity::find()
        .select_only()
        .column(lessons::Column::IncidentId)
        .limit(1)
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .is_some())
}

/// `SELECT 1 FROM lesson_tags WHERE` the tag is on the `published_lessons` row in hand.
fn tagged_same_lesson() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Query::select()
        .expr(Expr::val(1))
        .from(tags::Entity)
        .and_where(
            Expr::col((tags::Entity, tags::Column::IncidentId))
                .equals((lessons::Entity, lessons::Column::IncidentId)),
        )
        .and_where(
            Expr::col((tags::Entity, tags::Column::Kind))
                .equals((lessons::Entity, lessons::Column::Kind)),
        )
        .to_owned()
}
