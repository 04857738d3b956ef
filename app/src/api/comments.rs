//! Server functions for comments on a postmortem, by anyone who can read it.

use leptos::prelude::*;

use crate::domain::comment::CommentForm;
#[cfg(feature = "ssr")]
use crate::dto::comment::thread_id;
use crate::error::AppError;

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
    let (user, incident) = super::access::readable_incident(&state, incident_id).await?;
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
    let txn = crate::server::db::begin_write(&state.db).await?;
    let id = comments::add(
        &txn,
        incident_id,
        anchor,
        (user.id, &user.display_name),
        &body,
    )
    .await?;
    crate::server::notify::events::comment_added(
        &txn,
        &incident,
        id,
        &thread_id(&anchor.key()),
        &user,
        &body,
        chrono::Utc::now(),
    )
    .await?;
    txn.commit().await?;
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
    if !crate::domain::comment::may_delete(&user, comment.author_id) {
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
