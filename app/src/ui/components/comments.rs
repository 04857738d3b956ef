//! A thread of comments under a section, a timeline entry or a follow-up of a postmortem: what
//! was said, and a form to add to it (a plain form that works without JavaScript).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::changed::{Changed, Comments};
use super::confirm::ConfirmDelete;
use super::fields::{FormMessage, MarkdownField};
use super::form_state::FormState;
use crate::api::comments::{AddComment, DeleteComment};
use crate::domain::comment::CommentForm;
use crate::dto::comment::{CommentView, thread_id};
use crate::dto::forms::FormFlash;

/// The comments on `anchor` (an `Anchor::key`) among `comments`, and the form to add one.
#[component]
pub fn CommentThread(
    incident_id: i64,
    anchor: String,
    comments: Vec<CommentView>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let here: Vec<CommentView> = comments
        .into_iter()
        .filter(|c| c.anchor == anchor)
        .collect();
    // A failed plain post comes back to the thread it was written in, not to every thread.
    let flash = flash.filter(|f| f.value("anchor") == Some(anchor.as_str()));
    let open = flash.is_some();
    let action = ServerAction::<AddComment>::new();
    Changed::<Comments>::after(move || action.value().get());
    let form = FormState::new(
        &CommentForm::default(),
        flash,
        AddComment::PATH,
        move || action.value().get(),
    );
    let label = if here.is_empty() {
        "Comment"
    } else {
        "Add a comment"
    };
    let id = thread_id(&anchor);
    view! {
        <div class="comments" id=id>
            {(!here.is_empty()).then(|| view! {
                <ul class="comment-list">
                    {here.into_iter().map(|c| view! { <Comment comment=c /> }).collect_view()}
                </ul>
            })}
            <details class="comment-add" open=open>
                <summary>{label}</summary>
                <ActionForm action=action attr:class="comment-form">
                    <input type="hidden" name="incident_id" value=incident_id />
                    <input type="hidden" name="anchor" value=anchor />
                    <FormMessage form=form.clone() />
                    <MarkdownField form name="body" label="Your comment" rows=3 />
                    <button type="submit" class="small">"Add comment"</button>
                </ActionForm>
            </details>
        </div>
    }
}

#[component]
fn Comment(comment: CommentView) -> impl IntoView {
    let delete = ServerAction::<DeleteComment>::new();
    Changed::<Comments>::after(move || delete.value().get());
    view! {
        <li class="comment">
            <p class="comment-head"><strong>{comment.author.clone()}</strong>
                <span class="muted small">" · "{comment.at.clone()}</span></p>
            <div class="prose small" inner_html=comment.body_html.clone()></div>
            {comment.deletable.then(|| view! {
                <ConfirmDelete key=format!("comment-{}", comment.id) label="Delete comment…"
                    warning="This comment will be removed.".to_owned()>
                    <ActionForm action=delete>
                        <input type="hidden" name="id" value=comment.id />
                        <button type="submit" class="danger small">"Delete comment"</button>
                    </ActionForm>
                </ConfirmDelete>
            })}
        </li>
    }
}
