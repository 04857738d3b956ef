//! Editing an incident's lessons: what went well, what went wrong, where we got lucky.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, with_flash};
use crate::api::incidents::{UpdateLessons, lessons_for_edit};
use crate::domain::incident::LessonsForm;
use crate::dto::editing::Editing;
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{FormMessage, MarkdownField, VersionField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn LessonsPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => lessons_for_edit(id).await,
                    None => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|(editing, flash): (Editing<LessonsForm>, Option<FormFlash>)| view! { <LessonsEditor editing flash /> } />
    }
}

#[component]
fn LessonsEditor(editing: Editing<LessonsForm>, flash: Option<FormFlash>) -> impl IntoView {
    let form = FormState::new(&editing.form, flash, UpdateLessons::PATH);
    let back = format!("/incidents/{}#lessons", editing.incident_id);
    view! {
        <Title text=format!("Lessons: {}", editing.incident_title) />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Lessons"</p>
        <h1>"Lessons"</h1>
        <p class="lead">"Blameless: describe how tools, defaults and procedures let a mistake have impact — not who made it."</p>
        <form method="post" action=UpdateLessons::PATH class="form">
            <input type="hidden" name="id" value=editing.incident_id />
            <VersionField form=form.clone() version=editing.version />
            <FormMessage form=form.clone() />
            <MarkdownField form=form.clone() name="went_well" label="What went well" rows=6
                hint="Owning up at once, pausing before acting in a panic, asking for help." />
            <MarkdownField form=form.clone() name="went_wrong" label="What went wrong" rows=6
                hint="Which safeguard was missing? Which default was dangerous?" />
            <MarkdownField form=form name="lucky" label="Where we got lucky" rows=4 />
            <div class="actions">
                <button type="submit">"Save lessons"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </form>
    }
}
