//! The first start (`/setup?token=…`): while Debrief has no account, the operator creates the
//! first admin with the token the server printed in its log.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, query_param, with_flash};
use crate::api::account::{CreateFirstAdmin, setup_needed};
use crate::domain::account::AccountForm;
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{FormMessage, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn SetupPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, setup_needed()),
    );
    view! {
        <Title text="Set up Debrief" />
        <Loaded resource=data view=|(needed, flash): (bool, Option<FormFlash>)| {
            if needed {
                view! { <FirstAdmin flash /> }.into_any()
            } else {
                view! {
                    <section class="narrow">
                        <h1>"Debrief is set up"</h1>
                        <p>"It already has an admin. "<a href="/login">"Log in"</a>", or ask an admin for an account."</p>
                    </section>
                }.into_any()
            }
        } />
    }
}

#[component]
fn FirstAdmin(flash: Option<FormFlash>) -> impl IntoView {
    let token = query_param("token");
    let form = FormState::new(&AccountForm::default(), flash, CreateFirstAdmin::PATH);
    view! {
        <section class="narrow">
            <h1>"Welcome to Debrief"</h1>
            <p class="lead">"Create the first admin. You can add your team once you are in."</p>
            {if token.get_untracked().is_empty() { view! {
                <p class="notice notice-error">"Open the setup link the Debrief server printed in its log when it started (it ends in "<code>"?token=…"</code>"), or create the admin from the command line as the README shows."</p>
            }.into_any() } else { view! {
                <form method="post" action=CreateFirstAdmin::PATH class="form">
                    <input type="hidden" name="token" value=move || token.get() />
                    <FormMessage form=form.clone() />
                    <TextField form=form.clone() name="display_name" label="Your name" required=true />
                    <TextField form=form.clone() name="email" label="Email" kind="email" required=true />
                    <TextField form=form.clone() name="password" label="Password" kind="password" required=true
                        hint="At least 10 characters." />
                    <TextField form=form.clone() name="time_zone" label="Your time zone" placeholder="Europe/London"
                        hint="Times are shown in it; leave empty for UTC." />
                    <div class="actions">
                        <button type="submit">"Create admin and log in"</button>
                    </div>
                </form>
            }.into_any() }}
        </section>
    }
}
