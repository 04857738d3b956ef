//! Search (`/search?q=…`): matches across postmortems, best first, with the matching words
//! highlighted, each linking to where it stands on its postmortem.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::query_param;
use crate::api::search::search;
use crate::dto::search::SearchResults;
use crate::ui::components::loaded::Loaded;

/// Text pieces with the matches marked.
fn marked(pieces: Vec<(String, bool)>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|(text, is_match)| {
            if is_match {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                view! { <span>{text}</span> }.into_any()
            }
        })
        .collect_view()
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let q = query_param("q");
    let data = Resource::new(move || q.get(), search);
    view! {
        <Title text="Search" />
        <h1>"Search"</h1>
        <Form method="GET" action="/search" attr:class="search-form" attr:role="search">
            <label for="search-q" class="visually-hidden">"Search postmortems"</label>
            <input type="search" id="search-q" name="q" value=move || q.get() placeholder="concurrency default, login, Jenkins…" />
            <button type="submit">"Search"</button>
        </Form>
        <Loaded resource=data view=|results: SearchResults| {
            if results.query.trim().is_empty() {
                view! { <p class="muted">"Search incidents, timelines, impact, changes, lessons and follow-ups. Every word must match; the last may be the start of a word."</p> }.into_any()
            } else if results.hits.is_empty() {
                view! { <div class="empty"><p>{format!("Nothing matches “{}”.", results.query)}</p><p>"Try fewer words, or the start of a word."</p></div> }.into_any()
            } else {
                view! {
                    <p class="muted">{format!("{} results for “{}”, best first.", results.hits.len(), results.query)}</p>
                    <ol class="search-results">
                        {results.hits.into_iter().map(|hit| view! {
                            <li>
                                <p class="small"><span class="badge kind">{hit.kind.label()}</span>" in "{hit.incident_title.clone()}</p>
                                <h3><a href=hit.href.clone()>{marked(hit.title)}</a></h3>
                                <p class="snippet">{marked(hit.snippet)}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }
        } />
    }
}
