//! Logging in (`/login?next=…`): email and password, then back to the page that asked.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, query_param, with_flash};
use crate::api::account::LogIn;
use crate::domain::account::LoginForm;
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{FormMessage, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn LoginPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, async { Ok(()) }),
    );
    view! {
        <Title text="Log in" />
        <Loaded resource=data view=|((), flash): ((), Option<FormFlash>)| view! { <LoginBox flash /> } />
    }
}

#[component]
fn LoginBox(flash: Option<FormFlash>) -> impl IntoView {
    let next = query_param("next");
    let form = FormState::new(&LoginForm::default(), flash, LogIn::PATH);
    view! {
        <section class="narrow">
            <h1>"Log in to Debrief"</h1>
            <form method="post" action=LogIn::PATH class="form">
                <input type="hidden" name="next" value=move || next.get() />
                <FormMessage form=form.clone() />
                <TextField form=form.clone() name="email" label="Email" kind="email" required=true />
                <TextField form name="password" label="Password" kind="password" required=true />
                <div class="actions">
                    <button type="submit">"Log in"</button>
                </div>
            </form>
            <p class="muted small">"No account yet? Ask an admin of your Debrief to add you."</p>
        </section>
    }
}
