//! Tags on lessons, and reading lists of lessons.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::stored;
use crate::domain::library::{LessonKind, NewReadingList};
use crate::server::entities::{
    lesson_tags as tags, reading_list_items as items, reading_lists as lists,
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
