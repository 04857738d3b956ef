//! Sharing a postmortem (`/incidents/:id/share`, authors): a preview of exactly what others
//! will read, the links made so far, making a new one and revoking one, and a one-click
//! "keep inside the team" for each timeline entry, impact figure, change and follow-up.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, id_param, secret_shown_once};
use crate::api::share::{CreateShareLink, RevokeShareLink, SetInternal, share_overview};
use crate::dto::share::{ShareMark, Sharing};
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::shared_view::SharedPostmortem;

#[component]
pub fn SharingPage() -> impl IntoView {
    let id = id_param("id");
    let shown = secret_shown_once();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => share_overview(id).await,
                None => Err(bad_address()),
            }
        },
    );
    view! {
        <Title text="Share" />
        <Loaded resource=data view=move |page: Sharing| view! { <ShareControls page shown /> } />
    }
}

#[component]
fn ShareControls(
    page: Sharing,
    /// A link made by a plain form, shown once.
    shown: Resource<Option<String>>,
) -> impl IntoView {
    let back = format!("/incidents/{}", page.incident_id);
    let origin = page.origin.clone();
    let new_link =
        move |shown: Option<String>| shown.map(|token| format!("{origin}/shared/{token}"));
    view! {
        <p class="crumbs"><a href=back.clone()>{page.title.clone()}</a>" / Share"</p>
        <h1>"Share beyond the team"</h1>
        <p class="lead">"Others read a redacted version: people's names become the part they played (or “a team member”); links, email addresses, host names and ticket keys are replaced; owners, tracker links, evidence, reasons, who ran and reviewed a change, its plan and parameter values, how impact was estimated, comments and history are left out, and so is every paragraph, list item or heading that starts with “Internal:” and every part you keep inside the team below. The preview shows exactly what they will read."</p>
        {match page.preview {
            None => view! {
                <div class="empty"><p>"Only a published postmortem can be shared. Take it through its review and publish it first."</p><p><a href=format!("{back}/review")>"Review and publishing"</a></p></div>
            }.into_any(),
            Some(preview) => view! {
                <section class="share-links">
                    <form method="post" action=CreateShareLink::PATH class="inline-form">
                        <input type="hidden" name="id" value=page.incident_id />
                        <button type="submit">"Create a share link"</button>
                    </form>
                    <p class="field-error" role="alert"></p>
                    <Suspense fallback=|| ()>
                        {move || {
                            let new_link = new_link.clone();
                            Suspend::new(async move {
                                new_link(shown.await).map(|link| view! {
                                    <p class="notice notice-ok" role="status">"Anyone with this link can read the shared version until it is revoked. Copy it now: it is not shown again. "
                                        <a href=link.clone() class="share-url" rel="external">{link.clone()}</a></p>
                                })
                            })
                        }}
                    </Suspense>
                    <h2>"Links"</h2>
                    {if page.links.is_empty() {
                        view! { <p class="muted">"No link yet."</p> }.into_any()
                    } else {
                        view! { <ul class="links">{page.links.into_iter().map(|l| view! { <LinkRow link=l /> }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                <h2>"Keep inside the team"</h2>
                <p class="muted">"One click leaves a part out of the shared version, or puts it back."</p>
                <ul class="share-marks">{page.marks.into_iter().map(|m| view! { <MarkRow mark=m /> }).collect_view()}</ul>
                <h2>"Preview"</h2>
                <div class="share-preview"><SharedPostmortem view=preview /></div>
            }.into_any(),
        }}
    }
}

#[component]
fn LinkRow(link: crate::dto::share::ShareLinkRow) -> impl IntoView {
    let label = format!("Made by {} on {}", link.created_by, link.created_at);
    view! {
        <li>
            {label}
            {match link.revoked_at {
                Some(at) => view! { <span class="badge">{format!("Revoked {at}")}</span> }.into_any(),
                None => view! {
                    <ConfirmDelete key=format!("share-{}", link.id) warning="The link stops working at once for everyone who has it.".to_owned()>
                        <form method="post" action=RevokeShareLink::PATH>
                            <input type="hidden" name="id" value=link.id />
                            <button type="submit" class="danger small">"Revoke"</button>
                        </form>
                    </ConfirmDelete>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn MarkRow(mark: ShareMark) -> impl IntoView {
    let state = if mark.internal_by_text {
        view! { <span class="badge">"Inside the team (starts with “Internal:”)"</span> }.into_any()
    } else if mark.internal {
        view! { <span class="badge">"Inside the team"</span> }.into_any()
    } else {
        view! { <span class="badge">"Shared"</span> }.into_any()
    };
    let (button, value) = if mark.internal {
        ("Share this", "false")
    } else {
        ("Keep inside the team", "true")
    };
    view! {
        <li class:internal=mark.internal || mark.internal_by_text>
            <span class="badge kind">{mark.label}</span>" "{state}" "{mark.text}
            {(!mark.internal_by_text || mark.internal).then(|| view! {
                <form method="post" action=SetInternal::PATH class="inline-form">
                    <input type="hidden" name="part" value=mark.part.clone() />
                    <input type="hidden" name="id" value=mark.id />
                    <input type="hidden" name="internal" value=value />
                    <button type="submit" class="small">{button}</button>
                </form>
            })}
            <span class="field-error" role="alert"></span>
        </li>
    }
}
