//! Importing a postmortem (`/incidents/import`, authors): the JSON another Debrief exported,
//! pasted in; it becomes a new draft here.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, with_flash};
use crate::api::export::ImportPostmortem;
use crate::domain::account::Role;
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::FormMessage;
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::session::IfRole;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct ImportForm {
    json: String,
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, async { Ok(()) }),
    );
    view! {
        <Title text="Import a postmortem" />
        <p class="crumbs"><a href="/">"Incidents"</a>" / Import"</p>
        <h1>"Import a postmortem"</h1>
        <p class="lead">"Paste the JSON that “Export: JSON” gave you on another Debrief. It becomes a new draft here, with its timeline, impact, changes, lessons and follow-ups; owners are kept by name. Related incidents are linked again to the incident here with exactly the same title; one with no such incident here (or several) is left out."</p>
        <IfRole role=Role::Author otherwise="Importing needs the author role; an admin can change your role.">
            <Loaded resource=data view=|((), flash): ((), Option<FormFlash>)| view! { <Import flash /> } />
        </IfRole>
    }
}

#[component]
fn Import(flash: Option<FormFlash>) -> impl IntoView {
    let form = FormState::new(&ImportForm::default(), flash, ImportPostmortem::PATH);
    let typed = form.value("json");
    let error = form.field_error("json");
    view! {
        <form method="post" action=ImportPostmortem::PATH class="form">
            <FormMessage form=form.clone() />
            <div class="field">
                <label for="f-json">"Exported JSON"</label>
                <textarea id="f-json" name="json" rows="14" class="mono" aria-describedby="e-json">{crate::ui::raw_text::raw_text(&typed)}</textarea>
                <p class="field-error" id="e-json" role="alert">{error}</p>
            </div>
            <button type="submit">"Import as a draft"</button>
        </form>
    }
}
