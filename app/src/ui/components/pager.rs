//! Links to the page before and after on a paged list: plain links that work without JavaScript,
//! worded for what the list holds ("← Newer incidents", "Older incidents →").

use leptos::prelude::*;

/// The pager, or nothing when the list fits on one page.
#[component]
pub fn Pager(
    previous: Option<String>,
    next: Option<String>,
    /// The words of the link back, after its arrow.
    back: &'static str,
    /// The words of the link on, before its arrow.
    on: &'static str,
) -> impl IntoView {
    (previous.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {previous.map(|href| view! { <a rel="prev" href=href>{format!("← {back}")}</a> })}
                " "
                {next.map(|href| view! { <a rel="next" href=href>{format!("{on} →")}</a> })}
            </nav>
        }
    })
}
