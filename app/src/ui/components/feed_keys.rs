//! The "Feeds" section of one's account page: make a private feed key (its addresses are shown
//! once), replace it, or revoke it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::feeds::{MakeFeedKey, RevokeFeedKey, feed_key};
use crate::dto::feeds::FeedKeyStatus;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::loaded::Loaded;

/// The feeds section; `shown` is a key a plain form made, shown once.
#[component]
pub fn FeedKeys(shown: Resource<Option<String>>) -> impl IntoView {
    let status = Resource::new(|| (), |_| feed_key());
    view! {
        <section id="feeds" class="feeds">
            <h2>"Feeds"</h2>
            <p>"Subscribe to your follow-ups' due dates in a calendar, and to newly published postmortems and reading lists in a feed reader. The addresses hold a private key: anyone with one reads what you may read, so keep them to yourself. Replace or revoke the key if one leaks."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let key = shown.await;
                    let (lists, origin) = status.await.map(|s| (s.lists, s.origin)).unwrap_or_default();
                    key.map(|key| view! { <FeedAddresses key lists origin /> })
                })}
            </Suspense>
            <Loaded resource=status view=move |status: FeedKeyStatus| view! {
                {match status.made {
                    None => view! {
                        <p class="muted">"You have no feed key yet. Make one to get your feed addresses."</p>
                        <form method="post" action=MakeFeedKey::PATH>
                            <button type="submit">"Make feed addresses"</button>
                        </form>
                    }.into_any(),
                    Some(made) => view! {
                        <p>{format!("Your feed key was made {made}. Its addresses were shown once, when it was made.")}</p>
                        <div class="actions">
                            <ConfirmDelete key="feed-key-replace".to_owned() label="Replace key…"
                                warning="Your current feed addresses stop working at once; you get new ones.".to_owned()>
                                <form method="post" action=MakeFeedKey::PATH>
                                    <button type="submit" class="danger small">"Replace feed key"</button>
                                </form>
                            </ConfirmDelete>
                            <ConfirmDelete key="feed-key-revoke".to_owned() label="Revoke key…"
                                warning="Your feed addresses stop working at once.".to_owned()>
                                <form method="post" action=RevokeFeedKey::PATH>
                                    <button type="submit" class="danger small">"Revoke feed key"</button>
                                </form>
                            </ConfirmDelete>
                        </div>
                    }.into_any(),
                }}
            } />
        </section>
    }
}

/// The addresses of a new key, shown once, whole (`origin` and the path), ready to paste.
#[component]
fn FeedAddresses(key: String, lists: Vec<(i64, String)>, origin: String) -> impl IntoView {
    let address = move |label: String, path: String| {
        let address = format!("{origin}{path}");
        view! { <li>{label}": "<a href=address.clone() class="feed-address"><code>{address.clone()}</code></a></li> }
    };
    view! {
        <div class="notice notice-ok" role="status">
            <p>"Your feed addresses — copy them now, they are not shown again:"</p>
            <ul class="feed-addresses">
                {address("Your follow-ups' due dates (iCalendar)".to_owned(), format!("/feeds/{key}/follow-ups.ics"))}
                {address("Published postmortems (Atom)".to_owned(), format!("/feeds/{key}/published.atom"))}
                {lists.into_iter().map(|(id, title)| {
                    address(format!("Reading list “{title}” (Atom)"), format!("/feeds/{key}/reading-lists/{id}.atom"))
                }).collect_view()}
            </ul>
        </div>
    }
}
