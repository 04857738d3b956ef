//! Server functions for comments on a postmortem, by anyone who can read it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::comment::CommentForm;
use crate::error::AppError;

/// A comment as the postmortem page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    /// What it is about (`Anchor::key`).
    pub anchor: String,
    pub author: String,
    /// When, in the reader's zone.
    pub at: String,
    pub body_html: String,
    /// Whether the reader may delete it (its author, or an admin).
    pub deletable: bool,
}

/// The id HTML gives a thread of comments, for links back to it.
pub fn thread_id(anchor: &str) -> String {
    format!("comments-{}", anchor.replace([':', '_'], "-"))
}

/// An incident's comments, for the reader.
#[cfg(feature = "ssr")]
pub(crate) async fn comments_for(
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
                deletable: may_delete(user, c.author_id),
                author: c.author_name,
                at: super::views::build::moment(c.created_at, zone),
                body_html: crate::server::markdown::render(&c.body_md),
            })
            .collect(),
    )
}

#[cfg(feature = "ssr")]
fn may_delete(user: &crate::domain::account::User, author: Option<i64>) -> bool {
    author == Some(user.id) || user.role.includes(crate::domain::account::Role::Admin)
}

/// Comments on a section (`section:impact`), a timeline entry (`timeline_entry:12`) or a
/// follow-up (`follow_up:5`) of a postmortem the user can read.
#[server(prefix = "/api", endpoint = "comments/add")]
pub async fn add_comment(
    incident_id: i64,
    anchor: String,
    form: CommentForm,
) -> Result<i64, AppError> {
    use crate::domain::comment::Anchor;
    use crate::server::repo::{comments, follow_ups, timeline};
    let state = super::state()?;
    let (user, _) = super::access::readable_incident(&state, incident_id).await?;
    let anchor = Anchor::parse(&anchor).ok_or_else(|| {
        AppError::BadRequest(format!("{anchor:?} is not something to comment on."))
    })?;
    let belongs = match anchor {
        Anchor::Section(_) => true,
        Anchor::TimelineEntry(id) => timeline::get(&state.db, id)
            .await?
            .is_some_and(|e| e.incident_id == incident_id),
        Anchor::FollowUp(id) => follow_ups::get(&state.db, id)
            .await?
            .is_some_and(|f| f.incident_id == incident_id),
    };
    if !belongs {
        return Err(AppError::not_found(format!(
            "The item this comment is about ({})",
            anchor.key()
        )));
    }
    let body = form.parse()?;
    let id = comments::add(
        &state.db,
        incident_id,
        anchor,
        (user.id, &user.display_name),
        &body,
    )
    .await?;
    super::redirect(&format!(
        "/incidents/{incident_id}#{}",
        thread_id(&anchor.key())
    ));
    Ok(id)
}

/// Deletes a comment: its author may, and admins may.
#[server(prefix = "/api", endpoint = "comments/delete")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    use crate::server::repo::comments;
    let state = super::state()?;
    super::access::user()?;
    let comment = comments::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Comment {id}")))?;
    let (user, _) = super::access::readable_incident(&state, comment.incident_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::not_found(format!("Comment {id}")),
            other => other,
        })?;
    if !may_delete(&user, comment.author_id) {
        return Err(AppError::Forbidden(
            "Only its author or an admin can delete a comment.".to_owned(),
        ));
    }
    comments::delete(&state.db, id).await?;
    super::redirect(&format!(
        "/incidents/{}#{}",
        comment.incident_id,
        thread_id(&comment.anchor.key())
    ));
    Ok(())
}
