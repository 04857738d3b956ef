//! The frame around every page: the header with navigation and the time-zone picker.

use leptos::prelude::*;

use crate::api::settings::time_zone;

/// The site header.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Debrief"</a>
            <nav>
                <a href="/">"Incidents"</a>
                <a href="/follow-ups">"Follow-ups"</a>
                <a class="button small" href="/incidents/new">"New incident"</a>
            </nav>
        </header>
    }
}

/// The footer: which zone times are in, and a plain form to change it (a full page load, so
/// every time on the page is redrawn in the new zone).
#[component]
pub fn Footer() -> impl IntoView {
    let zones = Resource::new(|| (), |_| time_zone());
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    zones.await.ok().map(|choice| {
                        let current = choice.current.clone();
                        view! {
                            <form method="post" action="/api/settings/zone/set" class="zone-form">
                                <label for="zone">"Times are shown and entered in"</label>
                                <input id="zone" name="zone" list="zone-names" value=current.clone() />
                                <datalist id="zone-names">
                                    {choice.all.into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
                                </datalist>
                                <button type="submit" class="secondary small">"Change time zone"</button>
                            </form>
                        }
                    })
                })}
            </Suspense>
            <p class="muted">"Debrief — blameless incident reviews. Name roles, not people; fix the safeguard, not the person."</p>
        </footer>
    }
}
