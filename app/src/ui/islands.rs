//! The only parts of a page the browser runs. Every page is rendered on the server, and its
//! forms and links work as plain HTML; the browser's code (the wasm bundle) is just these
//! islands, which react as people type or focus (Leptos' islands mode):
//!
//! - [`MarkdownHelp`]: a Markdown field's preview, and its blameless-wording hints as people type;
//! - [`ZoneInput`]: the time-zone field, whose suggestions come the first time it is focused;
//! - [`Ready`]: marks the page interactive once every island before it has hydrated.
//!
//! An island's props are written into the page as JSON and read back by the browser, so they
//! stay small: a field's text is never a prop (the browser reads it from the field itself).

use leptos::prelude::*;

use crate::domain::blameless::Finding;

/// Wraps a Markdown field's text area (`children`, rendered on the server): once the page is
/// interactive, a preview rendered by the server, and the wording hints, kept up to date as the
/// text changes. `hints` are those of the text the page was rendered with.
#[island]
pub fn MarkdownHelp(hints: Vec<Finding>, children: Children) -> impl IntoView {
    // `None` until the browser has read the field (the page is then interactive): the server's
    // hints stand until then.
    let text = RwSignal::new(None::<String>);
    let area = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| text.set(Some(typed(area))));
    let found = Memo::new(move |_| match text.get() {
        Some(text) => crate::domain::blameless::check(&text),
        None => hints.clone(),
    });
    let preview = Action::new(move |source: &String| {
        let source = source.clone();
        async move { crate::api::settings::preview_markdown(source).await }
    });
    let showing = RwSignal::new(false);
    view! {
        <div node_ref=area class="markdown-input" on:input=move |ev| text.set(Some(event_target_value(&ev)))>
            {children()}
        </div>
        <Show when=move || text.with(Option::is_some)>
            <button
                type="button"
                class="link-button preview-toggle"
                on:click=move |_| {
                    let show = !showing.get_untracked();
                    showing.set(show);
                    if show { preview.dispatch(text.get_untracked().unwrap_or_default()); }
                }
            >
                {move || if showing.get() { "Hide preview" } else { "Preview" }}
            </button>
            <Show when=move || showing.get()>
                <div class="preview prose">
                    {move || match preview.value().get() {
                        None => view! { <p class="muted">"Rendering…"</p> }.into_any(),
                        Some(Ok(html)) if html.trim().is_empty() => view! { <p class="muted">"Nothing to preview yet."</p> }.into_any(),
                        Some(Ok(html)) => view! { <div inner_html=html></div> }.into_any(),
                        Some(Err(e)) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                    }}
                </div>
            </Show>
        </Show>
        <LanguageHints found />
    }
}

/// The text in the text area inside `area`, as the browser has it when the island hydrates.
fn typed(area: NodeRef<leptos::html::Div>) -> String {
    use leptos::wasm_bindgen::JsCast;
    area.get_untracked()
        .and_then(|div| div.query_selector("textarea").ok().flatten())
        .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlTextAreaElement>().ok())
        .map(|textarea| textarea.value())
        .unwrap_or_default()
}

/// Wording that blames people, with why and what to try instead (advisory).
#[component]
fn LanguageHints(found: Memo<Vec<Finding>>) -> impl IntoView {
    move || {
        let found = found.get();
        (!found.is_empty()).then(|| {
            view! {
                <div class="language-hints" role="note">
                    <p class="hint-title">"Blameless wording (advisory)"</p>
                    <ul>
                        {found.into_iter().map(|f| view! {
                            <li>"“"<mark>{f.phrase}</mark>"” — "{f.why}" "<em>{f.try_instead}</em></li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The time-zone field of the footer's form. The zone names it suggests are fetched the first
/// time it is focused, not sent with every page.
#[island]
pub fn ZoneInput(current: String) -> impl IntoView {
    let names = RwSignal::new(Vec::<String>::new());
    let asked = StoredValue::new(false);
    let suggest = move |_| {
        if !asked.get_value() {
            asked.set_value(true);
            leptos::task::spawn_local(async move {
                if let Ok(all) = crate::api::settings::time_zone_names().await {
                    names.set(all);
                }
            });
        }
    };
    view! {
        <input id="zone" name="zone" list="zone-names" value=current on:focus=suggest />
        <datalist id="zone-names">
            {move || names.get().into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
        </datalist>
    }
}

/// Marks the page interactive (`data-hydrated` on the body; browser tests wait for it). Placed
/// last on the page: islands hydrate in document order, so every other one is ready by then.
#[island]
pub fn Ready() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
