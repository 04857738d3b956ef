//! The frame around every page: the header with navigation and the time-zone picker.

use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use crate::api::account::LogOut;
use crate::api::settings::{SetTimeZone, time_zone};
use crate::domain::account::{Role, User};
use crate::ui::components::session::Session;
use crate::ui::islands::ZoneInput;
use crate::ui::pages::{flash_id, with_flash};

/// The site header: navigation for the logged-in user's role, and who they are.
#[component]
pub fn Header() -> impl IntoView {
    let session = Session::get();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Debrief"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let user = match session {
                        Some(s) => s.user_async().await,
                        None => None,
                    };
                    user.map(|user| view! { <UserNav user /> })
                })}
            </Suspense>
        </header>
    }
}

#[component]
fn UserNav(user: User) -> impl IntoView {
    let writes = user.role.includes(Role::Author);
    let admin = user.role.includes(Role::Admin);
    view! {
        <nav>
            <a href="/">"Incidents"</a>
            <a href="/follow-ups">"Follow-ups"</a>
            <a href="/changes">"Changes"</a>
            <a href="/metrics">"Metrics"</a>
            <a href="/library">"Lessons"</a>
            <a href="/search">"Search"</a>
            <a href="/my-work">"My work"</a>
            {admin.then(|| view! { <a href="/admin/users">"People"</a><a href="/admin/policies">"Policies"</a><a href="/admin/templates">"Templates"</a><a href="/admin/factor-categories">"Factor categories"</a><a href="/admin/integrations">"Integrations"</a><a href="/admin/webhooks">"Webhooks"</a> })}
            <a href="/account" class="who" title=format!("{} · {}", user.email, user.role.label())>
                {user.display_name.clone()}
            </a>
            <form method="post" action=LogOut::PATH class="logout-form">
                <button type="submit" class="link-button">"Log out"</button>
            </form>
            {writes.then(|| view! { <a class="button small" href="/incidents/new">"New incident"</a> })}
        </nav>
    }
}

/// The footer: which zone times are in, and a plain form to change it (a full page load, so
/// every time on the page is redrawn in the new zone), around the [`ZoneInput`] island.
#[component]
pub fn Footer() -> impl IntoView {
    let flash = flash_id();
    let zones = Resource::new(move || flash.get(), |flash| with_flash(flash, time_zone()));
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    zones.await.ok().map(|(choice, flash)| {
                        // A refused zone comes back as typed, with the reason beside it.
                        let refused = flash.filter(|f| f.action == SetTimeZone::PATH);
                        let current = refused
                            .as_ref()
                            .and_then(|f| f.value("zone").map(str::to_owned))
                            .unwrap_or_else(|| choice.current.clone());
                        let error = refused.and_then(|f| f.error.field("zone").map(str::to_owned));
                        view! {
                            <form method="post" action="/api/settings/zone/set" class="zone-form">
                                <label for="zone">"Times are shown and entered in"</label>
                                <ZoneInput current />
                                <button type="submit" class="secondary small">"Change time zone"</button>
                                {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                            </form>
                        }
                    })
                })}
            </Suspense>
            <p class="muted">"Debrief — blameless incident reviews. Name roles, not people; fix the safeguard, not the person."</p>
        </footer>
    }
}
