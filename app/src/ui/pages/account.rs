//! One's own account (`/account`): who you are, your role, and changing your password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, query_param, with_flash};
use crate::api::account::{ChangePassword, who_am_i};
use crate::domain::account::{PasswordForm, User};
use crate::dto::forms::FormFlash;
use crate::error::AppError;
use crate::ui::components::fields::{FormMessage, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn AccountPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| {
            with_flash(flash, async {
                who_am_i().await?.ok_or(AppError::Unauthorized)
            })
        },
    );
    view! {
        <Title text="Your account" />
        <Loaded resource=data view=|(user, flash): (User, Option<FormFlash>)| view! { <Account user flash /> } />
    }
}

#[component]
fn Account(user: User, flash: Option<FormFlash>) -> impl IntoView {
    let flash_for_email = flash.clone();
    let saved = query_param("saved");
    let form = FormState::new(&PasswordForm::default(), flash, ChangePassword::PATH);
    view! {
        <section class="narrow">
            <h1>"Your account"</h1>
            <dl class="facts">
                <div><dt>"Name"</dt><dd>{user.display_name.clone()}</dd></div>
                <div><dt>"Email"</dt><dd>{user.email.clone()}</dd></div>
                <div><dt>"Role"</dt><dd>{user.role.label()}" — "{user.role.description()}</dd></div>
                <div><dt>"Time zone"</dt><dd>{user.time_zone.clone()}</dd></div>
            </dl>
            <Show when=move || saved.get() == "password">
                <p class="notice notice-ok" role="status">"Your password is changed. Other browsers you were logged in on are logged out."</p>
            </Show>
            <h2>"Change your password"</h2>
            <form method="post" action=ChangePassword::PATH class="form">
                <FormMessage form=form.clone() />
                <TextField form=form.clone() name="current_password" label="Current password" kind="password" required=true />
                <TextField form=form.clone() name="new_password" label="New password" kind="password" required=true
                    hint="At least 10 characters." />
                <TextField form name="confirm_password" label="New password again" kind="password" required=true />
                <div class="actions">
                    <button type="submit">"Change password"</button>
                </div>
            </form>
            <crate::ui::components::feed_keys::FeedKeys shown=super::secret_shown_once() />
            <super::notification_settings::EmailChoicesSection flash=flash_for_email />
        </section>
    }
}
