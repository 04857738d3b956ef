//! Webhooks and deliveries (`/admin/webhooks`, admins only): whether email is configured, how
//! many notices wait, were delivered or were given up on; the dead letters with their errors
//! and a retry button; the webhook destinations, each with a link to edit it
//! (`webhook_edit`) and deletable after a confirmation; and the form to add one (a generic JSON
//! destination's signing secret is shown once).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, query_param, secret_shown_once, with_flash};
use crate::api::webhooks::{CreateWebhook, DeleteWebhook, RetryDelivery, webhooks_overview};
use crate::domain::notify::Event;
use crate::domain::webhook::{WebhookForm, WebhookKind};
use crate::dto::forms::FormFlash;
use crate::dto::webhooks::{DeadLetterRow, DestinationRow, WebhooksPage};
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{CheckboxField, FormMessage, SelectField, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::pager::Pager;

#[component]
pub fn WebhooksAdminPage() -> impl IntoView {
    let flash = flash_id();
    let page = query_param("page");
    let data = Resource::new(
        move || (flash.get(), page.get()),
        |(flash, page)| with_flash(flash, webhooks_overview(page.parse().unwrap_or(0))),
    );
    let shown = secret_shown_once();
    view! {
        <Title text="Webhooks and deliveries" />
        <h1>"Webhooks and deliveries"</h1>
        <p class="lead">"Debrief tells people by email when a review waits for them, a follow-up is theirs or due, or a postmortem is still unwritten; and it can post the same notices to chat channels and other systems."</p>
        <Loaded resource=data view=move |(data, flash): (WebhooksPage, Option<FormFlash>)| view! { <Body data flash shown /> } />
    }
}

#[component]
fn Body(
    data: WebhooksPage,
    flash: Option<FormFlash>,
    shown: Resource<Option<String>>,
) -> impl IntoView {
    let previous = (data.page > 0).then(|| format!("/admin/webhooks?page={}", data.page - 1));
    let next = data
        .more
        .then(|| format!("/admin/webhooks?page={}", data.page + 1));
    view! {
        <section id="deliveries">
            <h2>"Deliveries"</h2>
            {if data.email_configured {
                view! { <p class="notice notice-ok">"Email is configured: notices reach people through the SMTP server."</p> }.into_any()
            } else {
                view! { <p class="notice notice-error" role="status">"Email is not configured: set DEBRIEF_SMTP_URL and DEBRIEF_MAIL_FROM and restart Debrief. Until then each email is given up on at once and listed below, where you can retry it once email works."</p> }.into_any()
            }}
            <dl class="counts delivery-counts">
                <dt>"Waiting"</dt><dd>{data.pending}</dd>
                <dt>"Delivered"</dt><dd>{data.sent}</dd>
                <dt>"Given up"</dt><dd>{data.dead}</dd>
            </dl>
            <h3>"Given up (dead letters)"</h3>
            {if data.dead_letters.is_empty() {
                view! { <p class="muted">"Nothing was given up on. A delivery that fails every try is listed here with its last error."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="counts dead-letters">
                        <thead><tr><th scope="col">"Channel"</th><th scope="col">"To"</th><th scope="col">"Event"</th><th scope="col">"Tries"</th><th scope="col">"Last error"</th><th scope="col">"Given up"</th><th scope="col">""</th></tr></thead>
                        <tbody>{data.dead_letters.into_iter().map(|row| view! { <DeadLetter row /> }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <Pager previous next back="Newer" on="Older" />
        </section>
        <section id="webhooks">
            <h2>"Webhook destinations"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    shown.await.map(|secret| view! {
                        <p class="notice notice-ok" role="status">"The destination's signing secret — copy it now, it is not shown again: "<code class="token">{secret}</code></p>
                    })
                })}
            </Suspense>
            {if data.destinations.is_empty() {
                view! { <p class="muted">"No destination yet. Add a chat channel's incoming webhook or your own endpoint below."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="counts destinations">
                        <thead><tr><th scope="col">"Destination"</th><th scope="col">"Kind"</th><th scope="col">"Events"</th><th scope="col">"Reaches"</th><th scope="col">""</th></tr></thead>
                        <tbody>{data.destinations.into_iter().map(|d| view! { <Destination d /> }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <NewDestination flash />
        </section>
    }
}

#[component]
fn DeadLetter(row: DeadLetterRow) -> impl IntoView {
    view! {
        <tr>
            <td>{row.channel}</td>
            <td>{row.recipient}</td>
            <td>{row.event}<br /><span class="small">{row.subject}</span></td>
            <td>{row.attempts}</td>
            <td class="error-text">{row.last_error}</td>
            <td>{row.dead}</td>
            <td>
                <form method="post" action=RetryDelivery::PATH>
                    <input type="hidden" name="id" value=row.id />
                    <button type="submit" class="small">"Retry"</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn Destination(d: DestinationRow) -> impl IntoView {
    let reaches = if d.writers_only {
        "Postmortem writers: every notice"
    } else {
        "Everyone: only notices about published postmortems"
    };
    let paused = d
        .paused
        .then(|| view! { <br /><span class="badge default">"Paused: gets nothing new"</span> });
    view! {
        <tr>
            <th scope="row">{d.name.clone()}<br /><span class="small">{d.url.clone()}</span><br /><span class="small muted">{d.created.clone()}</span></th>
            <td>{d.kind.clone()}</td>
            <td>{d.events.join(", ")}</td>
            <td>{reaches}{paused}</td>
            <td>
                <a class="button small" href=format!("/admin/webhooks/{}", d.id)>"Edit"</a>
                <ConfirmDelete key=format!("webhook-{}", d.id) warning=format!("{} will receive no more notices; what is still queued for it is given up on.", d.name)>
                    <form method="post" action=DeleteWebhook::PATH>
                        <input type="hidden" name="id" value=d.id />
                        <button type="submit" class="danger small">"Delete destination"</button>
                    </form>
                </ConfirmDelete>
            </td>
        </tr>
    }
}

#[component]
fn NewDestination(flash: Option<FormFlash>) -> impl IntoView {
    let form = FormState::new(&WebhookForm::blank(), flash, CreateWebhook::PATH);
    view! {
        <form method="post" action=CreateWebhook::PATH class="form" id="new-webhook">
            <h3>"Add a destination"</h3>
            <FormMessage form=form.clone() />
            <DestinationFields form=form.clone() />
            <button type="submit">"Add destination"</button>
        </form>
    }
}

/// A destination's fields, the same when it is added and when it is edited.
#[component]
pub(super) fn DestinationFields(form: FormState) -> impl IntoView {
    let kinds: Vec<(String, String)> = WebhookKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    let events_error = form.field_error("events");
    view! {
        <TextField form=form.clone() name="name" label="Name" required=true placeholder="#incidents on Slack"
            hint="So you know which one is which." />
        <TextField form=form.clone() name="url" label="Address" required=true kind="url" placeholder="https://hooks.slack.com/services/…"
            hint="Where Debrief POSTs each notice (http:// or https://)." />
        <SelectField form=form.clone() name="kind" label="Payload" options=kinds
            hint="Slack-compatible: {\"text\": …} for a chat channel. Generic JSON: the whole notice, signed with a secret shown once." />
        <fieldset class="field" class:invalid=move || events_error.get().is_some()>
            <legend>"Events it receives"</legend>
            {Event::ALL.into_iter().map(|e| view! { <CheckboxField form=form.clone() name=e.as_str() label=e.label() /> }).collect_view()}
            {move || events_error.get().map(|m| view! { <p class="field-error" id="e-events" role="alert">{m}</p> })}
        </fieldset>
        <CheckboxField form=form.clone() name="writers_only" label="Reaches postmortem writers only"
            hint="Ticked: it receives every notice, drafts' titles too. Unticked: only notices every viewer may read (about published postmortems)." />
    }
}
