//! Due-date policies (`/admin/policies`, admins only): weeks per priority from committing a
//! follow-up to its default due date.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, query_param, with_flash};
use crate::api::policies::{SaveDuePolicies, due_policies};
use crate::domain::follow_up::{PolicyForm, Priority};
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{FormMessage, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, due_policies()),
    );
    view! {
        <Title text="Due-date policies" />
        <Loaded resource=data view=|(form, flash): (PolicyForm, Option<FormFlash>)| view! { <Policies form flash /> } />
    }
}

#[component]
fn Policies(form: PolicyForm, flash: Option<FormFlash>) -> impl IntoView {
    let flash_for_notices = flash.clone();
    let saved = query_param("saved");
    let state = FormState::new(&form, flash, SaveDuePolicies::PATH);
    let fields = state.clone();
    let field = move |priority: Priority| {
        view! {
            <TextField form=fields.clone() name=priority.as_str() label=priority.label() kind="number"
                hint="Weeks; empty for no default." />
        }
    };
    view! {
        <section class="narrow">
            <h1>"Due-date policies"</h1>
            <p class="lead">"How long the team gives itself to finish a follow-up, by priority. When someone commits to a follow-up without a due date, it becomes due this many weeks later. Due dates already set do not change."</p>
            <Show when=move || saved.get() == "1">
                <p class="notice notice-ok" role="status">"Saved. Follow-ups committed from now on take these defaults."</p>
            </Show>
            <form method="post" action=SaveDuePolicies::PATH class="form" id="policies">
                <FormMessage form=state.clone() />
                <div class="row">{field(Priority::P1)}{field(Priority::P2)}</div>
                <div class="row">{field(Priority::P3)}{field(Priority::P4)}</div>
                <div class="actions"><button type="submit">"Save policies"</button></div>
            </form>
            <super::notification_settings::NoticePolicySection flash=flash_for_notices />
        </section>
    }
}
