//! An incident's comments as the reader sees them.

use crate::dto::comment::CommentView;
use crate::error::AppError;

/// An incident's comments, for the reader.
pub async fn comments_for(
    state: &crate::server::AppState,
    user: &crate::domain::account::User,
    incident_id: i64,
    zone: &crate::server::zone::NamedZone,
) -> Result<Vec<CommentView>, AppError> {
    Ok(
        crate::server::repo::comments::list_for(&state.db, incident_id)
            .await?
            .into_iter()
            .map(|c| CommentView {
                id: c.id,
                anchor: c.anchor.key(),
                deletable: crate::domain::comment::may_delete(user, c.author_id),
                author: c.author_name,
                at: super::build::moment(c.created_at, zone),
                body_html: crate::server::markdown::render_comment(&c.body_md),
            })
            .collect(),
    )
}
