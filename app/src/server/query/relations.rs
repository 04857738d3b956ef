//! Related incidents of one incident, as one reader may see them: each link read from this
//! incident's side, and only links to incidents the reader may read (a viewer does not learn
//! the title, nor that a draft exists, through a link to it).

use crate::domain::account::User;
use crate::domain::relation::{ExportedRelation, Relation, RelationKind};
use crate::dto::relation::RelatedView;
use crate::error::AppError;
use crate::server::AppState;

/// The links touching `incident_id` whose other incident `user` may read, with that incident's
/// title as they see it, in the order the links were made.
///
/// # Errors
/// On a database failure.
pub async fn seen<C: sea_orm::ConnectionTrait>(
    conn: &C,
    user: &User,
    incident_id: i64,
) -> Result<Vec<(Relation, RelationKind, i64, String)>, AppError> {
    use crate::server::repo::{incidents, relations};
    use crate::server::visibility;
    let links = relations::touching(conn, incident_id).await?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let others: Vec<i64> = links
        .iter()
        .filter_map(|r| r.seen_from(incident_id).map(|(_, other)| other))
        .collect();
    let visible =
        visibility::seen_by(conn, user, incidents::get_many(conn, &others).await?).await?;
    Ok(links
        .into_iter()
        .filter_map(|r| {
            let (kind, other) = r.seen_from(incident_id)?;
            let title = visible.title(other)?.to_owned();
            Some((r, kind, other, title))
        })
        .collect())
}

/// The postmortem page's related incidents.
///
/// # Errors
/// On a database failure.
pub async fn related_for(
    state: &AppState,
    user: &User,
    incident_id: i64,
) -> Result<Vec<RelatedView>, AppError> {
    Ok(seen(&state.db, user, incident_id)
        .await?
        .into_iter()
        .map(|(r, kind, other_id, other_title)| RelatedView {
            id: r.id,
            added_here: r.incident_id == incident_id,
            kind,
            other_id,
            other_title,
            note: r.relation.note,
        })
        .collect())
}

/// The related incidents of an export: each named by its number and title.
///
/// # Errors
/// On a database failure.
pub async fn exported_for(
    state: &AppState,
    user: &User,
    incident_id: i64,
) -> Result<Vec<ExportedRelation>, AppError> {
    Ok(seen(&state.db, user, incident_id)
        .await?
        .into_iter()
        .map(|(r, kind, number, title)| ExportedRelation {
            kind,
            number,
            title,
            note: r.relation.note,
        })
        .collect())
}
