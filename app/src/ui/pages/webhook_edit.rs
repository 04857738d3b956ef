//! A webhook destination's edit page (`/admin/webhooks/:id`, admins only): the fields it was
//! added with, whether it is paused, and, for a generic JSON destination, "Make a new secret"
//! (the secret is shown once, when made; never again). A failed save comes back with what was
//! typed and each error beside its field, with JavaScript or without.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::webhooks::DestinationFields;
use super::{flash_id, id_param, secret_shown_once, with_flash};
use crate::api::webhooks::{NewWebhookSecret, UpdateWebhook, webhook_for_edit};
use crate::dto::forms::FormFlash;
use crate::dto::webhooks::WebhookEditing;
use crate::error::AppError;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{CheckboxField, FormMessage};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn WebhookEditPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let shown = secret_shown_once();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| async move {
            match id {
                Some(id) => with_flash(flash, webhook_for_edit(id)).await,
                None => Err(AppError::not_found("This webhook destination")),
            }
        },
    );
    view! {
        <Title text="Edit a webhook destination" />
        <p><a href="/admin/webhooks#webhooks">"← Webhooks and deliveries"</a></p>
        <Loaded resource=data view=move |(editing, flash): (WebhookEditing, Option<FormFlash>)| view! { <Editor editing flash shown /> } />
    }
}

#[component]
fn Editor(
    editing: WebhookEditing,
    flash: Option<FormFlash>,
    shown: Resource<Option<String>>,
) -> impl IntoView {
    let form = FormState::new(&editing.form, flash, UpdateWebhook::PATH);
    let id = editing.id;
    let signed = editing.signed.then(|| {
        view! {
            <section id="secret">
                <h2>"Signing secret"</h2>
                <p>"Each payload is signed with this destination's secret, shown once when it was made. If it was lost or may have leaked, make a new one and give it to the receiver: the old one stops signing at once."</p>
                <ConfirmDelete key="webhook-secret".to_owned() label="Make a new secret…"
                    warning="Payloads are signed with the new secret from now on: the receiver refuses them until it has it.".to_owned()>
                    <form method="post" action=NewWebhookSecret::PATH>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="danger small">"Make a new secret"</button>
                    </form>
                </ConfirmDelete>
            </section>
        }
    });
    view! {
        <h1>{format!("Webhook destination “{}”", editing.name)}</h1>
        <p class="muted">{format!("Added {}.", editing.created)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                shown.await.map(|secret| view! {
                    <p class="notice notice-ok" role="status">"The destination's new signing secret — copy it now, it is not shown again: "<code class="token">{secret}</code></p>
                })
            })}
        </Suspense>
        <form method="post" action=UpdateWebhook::PATH class="form" id="edit-webhook">
            <FormMessage form=form.clone() />
            <input type="hidden" name="id" value=id />
            <DestinationFields form=form.clone() />
            <CheckboxField form=form.clone() name="paused" label="Paused"
                hint="While paused it gets no new notice; what was already queued for it is still sent." />
            <p class="hint">"Saving changes only what is sent from now on: notices already queued stay as they are."</p>
            <button type="submit">"Save destination"</button>
        </form>
        {signed}
    }
}
