//! A thread of comments under a section, a timeline entry or a follow-up of a postmortem: what
//! was said, and a form to add to it (a plain form that works without JavaScript).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

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
    let failed_here = flash.is_some();
    // The form is on the page only for the thread asked for (`?comment=<anchor>`) or the one a
    // failed post came back to: one form per thread would be most of the page's weight. Every
    // other thread has a link that asks for its form, with or without JavaScript.
    let query = leptos_router::hooks::use_query_map();
    let asked_for = {
        let anchor = anchor.clone();
        move || query.read().get("comment").as_deref() == Some(anchor.as_str())
    };
    let form = FormState::new(&CommentForm::default(), flash, AddComment::PATH);
    let label = if here.is_empty() {
        "Comment"
    } else {
        "Add a comment"
    };
    let id = thread_id(&anchor);
    let open_href = format!("?comment={anchor}#{id}");
    let add = move || {
        if failed_here || asked_for() {
            let (anchor, form) = (anchor.clone(), form.clone());
            view! {
                <form method="post" action=AddComment::PATH class="comment-form">
                    <input type="hidden" name="incident_id" value=incident_id />
                    <input type="hidden" name="anchor" value=anchor />
                    <FormMessage form=form.clone() />
                    <MarkdownField form name="body" label="Your comment" rows=3 />
                    <button type="submit" class="small">"Add comment"</button>
                </form>
            }
            .into_any()
        } else {
            view! { <a class="comment-open" href=open_href.clone()>{label}</a> }.into_any()
        }
    };
    view! {
        <div class="comments" id=id>
            {(!here.is_empty()).then(|| view! {
                <ul class="comment-list">
                    {here.into_iter().map(|c| view! { <Comment comment=c /> }).collect_view()}
                </ul>
            })}
            {add}
        </div>
    }
}

#[component]
fn Comment(comment: CommentView) -> impl IntoView {
    view! {
        <li class="comment">
            <p class="comment-head"><strong>{comment.author.clone()}</strong>
                <span class="muted small">" · "{comment.at.clone()}</span></p>
            <div class="prose small" inner_html=comment.body_html.clone()></div>
            {comment.deletable.then(|| view! {
                <ConfirmDelete key=format!("comment-{}", comment.id) label="Delete comment…"
                    warning="This comment will be removed.".to_owned()>
                    <form method="post" action=DeleteComment::PATH>
                        <input type="hidden" name="id" value=comment.id />
                        <button type="submit" class="danger small">"Delete comment"</button>
                    </form>
                </ConfirmDelete>
            })}
        </li>
    }
}
