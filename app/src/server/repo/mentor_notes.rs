//! Mentors' teaching notes on published postmortems (the lesson as a whole, or one of its
//! timeline entries).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::server::entities::mentor_notes as rows;

pub use crate::domain::mentor_note::MentorNote;

fn to_note(r: rows::Model) -> MentorNote {
    MentorNote {
        id: r.id,
        incident_id: r.incident_id,
        timeline_entry_id: r.timeline_entry_id,
        body_md: r.body_md,
        show_on_shared: r.show_on_shared,
        author_id: r.author_id,
        author_name: r.author_name,
        updated_at: r.updated_at,
    }
}

/// What a note says and where it may show.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteText<'a> {
    pub body_md: &'a str,
    pub show_on_shared: bool,
}

/// Adds a note by its writer (none for one restored from an export); returns its id.
///
/// # Errors
/// On a database failure (including an incident that does not exist).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    (incident_id, timeline_entry_id): (i64, Option<i64>),
    text: &NoteText<'_>,
    (author_id, author_name): (Option<i64>, &str),
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let row = rows::ActiveModel {
        incident_id: Set(incident_id),
        timeline_entry_id: Set(timeline_entry_id),
        body_md: Set(text.body_md.to_owned()),
        show_on_shared: Set(text.show_on_shared),
        author_id: Set(author_id),
        author_name: Set(author_name.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Rewrites a note; false when there is none with this id.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    text: &NoteText<'_>,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::BodyMd, Expr::value(text.body_md.to_owned()))
        .col_expr(rows::Column::ShowOnShared, Expr::value(text.show_on_shared))
        .col_expr(rows::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(rows::Column::Id.eq(id))
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// Deletes a note; false when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    Ok(rows::Entity::delete_by_id(id)
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// One note.
///
/// # Errors
/// On a database failure.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<MentorNote>, DbErr> {
    Ok(rows::Entity::find_by_id(id).one(conn).await?.map(to_note))
}

/// The notes on these incidents, oldest first; only those chosen for shared pages when
/// `shared_only`.
///
/// # Errors
/// On a database failure.
pub async fn for_incidents<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
    shared_only: bool,
) -> Result<Vec<MentorNote>, DbErr> {
    if incident_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query =
        rows::Entity::find().filter(rows::Column::IncidentId.is_in(incident_ids.iter().copied()));
    if shared_only {
        query = query.filter(rows::Column::ShowOnShared.eq(true));
    }
    Ok(query
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_note)
        .collect())
}
