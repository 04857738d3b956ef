//! Confirmation before destroying data, without JavaScript: "Delete…" is a link that adds
//! `?confirm=<key>` to the page; with that key present the page shows what will be lost and the
//! real delete button (the caller's form), next to a way back.

use leptos::prelude::*;

use crate::dto::forms::CONFIRM_PARAM;
use leptos_router::hooks::{use_location, use_query_map};

/// A "Delete…" link, or, when confirming `key`, the warning with `children` (the delete form).
#[component]
pub fn ConfirmDelete(
    /// Which deletion this is, unique on the page (e.g. "incident", "parameter-4").
    key: String,
    /// What the link says.
    #[prop(default = "Delete…")]
    label: &'static str,
    /// What will be lost, in a sentence.
    warning: String,
    children: ChildrenFn,
) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let confirming = {
        let key = key.clone();
        move || query.read().get(CONFIRM_PARAM).as_deref() == Some(key.as_str())
    };
    let ask_href = move || format!("{}?{CONFIRM_PARAM}={}", location.pathname.get(), key);
    let cancel_href = move || location.pathname.get();
    view! {
        <Show
            when=confirming
            fallback=move || {
                let href = ask_href.clone();
                view! { <a class="button danger-link" href=href rel="nofollow">{label}</a> }
            }
        >
            <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
                <p><strong>"Are you sure? "</strong>{warning.clone()}" This cannot be undone."</p>
                <div class="actions">
                    {children()}
                    <a class="button secondary" href=cancel_href>"Cancel"</a>
                </div>
            </div>
        </Show>
    }
}
