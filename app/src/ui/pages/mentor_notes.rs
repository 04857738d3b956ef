//! Mentor notes of a published postmortem (`/library/notes/:id`): teaching notes on the lesson
//! as a whole or on one of its timeline entries, with who wrote them. Authors and above write
//! them; a note's writer or an admin edits (`?edit=<id>`) or deletes it (with confirmation).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, query_param, with_flash};
use crate::api::mentor_notes::{
    AddMentorNote, DeleteMentorNote, UpdateMentorNote, mentor_notes_of,
};
use crate::domain::mentor_note::MentorNoteForm;
use crate::dto::forms::FormFlash;
use crate::dto::mentor_notes::{MentorNoteView, MentorNotes};
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{CheckboxField, FormMessage, MarkdownField, SelectField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

const SHARED_HINT: &str =
    "Shared pages then show it, redacted like the rest and without your name.";

#[component]
pub fn MentorNotesPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => mentor_notes_of(id).await,
                    None => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Title text="Mentor notes" />
        <p class="crumbs"><a href="/library">"Lessons"</a>" / Mentor notes"</p>
        <Loaded resource=data view=|(notes, flash): (MentorNotes, Option<FormFlash>)| view! { <Notes notes flash /> }.into_any() />
    }
}

#[component]
fn Notes(notes: MentorNotes, flash: Option<FormFlash>) -> impl IntoView {
    let editing = query_param("edit");
    let incident_id = notes.incident_id;
    let entries = notes.entries.clone();
    let can_write = notes.can_write;
    let edit_flash = flash.clone();
    view! {
        <h1>{format!("Mentor notes: {}", notes.title)}</h1>
        <p class="lead">"Teaching notes on what this postmortem shows: “notice the pause before killing the job”. They appear beside its lessons in the library and on reading lists."</p>
        <p><a href=format!("/incidents/{incident_id}")>"Read the postmortem"</a></p>
        {if notes.notes.is_empty() {
            view! { <p class="empty-inline">{if can_write { "No mentor note yet. Write the first one below." } else { "No mentor note yet." }}</p> }.into_any()
        } else {
            view! {
                <ul class="mentor-notes">
                    {notes.notes.into_iter().map(|note| {
                        let flash = edit_flash.clone();
                        view! { <Note note editing flash /> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {can_write.then(|| view! { <NewNote incident_id entries flash /> })}
    }
}

#[component]
fn Note(note: MentorNoteView, editing: Memo<String>, flash: Option<FormFlash>) -> impl IntoView {
    let id = note.id;
    let is_editing = move || note.can_edit && editing.get() == id.to_string();
    let initial = MentorNoteForm {
        timeline_entry: String::new(),
        body: note.body_md.clone(),
        show_on_shared: if note.show_on_shared {
            "on".to_owned()
        } else {
            String::new()
        },
    };
    view! {
        <li class="mentor-note" id=format!("note-{id}")>
            <p class="small muted">{format!("On: {}", note.on)}</p>
            <div class="prose" inner_html=note.html.clone()></div>
            <p class="small muted">{format!("— {}", note.author)}{note.show_on_shared.then_some(" · shown on shared pages")}</p>
            {note.can_edit.then(|| view! {
                <Show when=is_editing fallback=move || view! {
                    <div class="actions">
                        <a class="button small secondary" href=format!("?edit={id}#note-{id}")>"Edit"</a>
                        <ConfirmDelete key=format!("note-{id}") warning="The note is deleted.".to_owned()>
                            <form method="post" action=DeleteMentorNote::PATH>
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="danger small">"Delete the note"</button>
                            </form>
                        </ConfirmDelete>
                    </div>
                }>
                    {
                        let form = FormState::new(&initial, flash.clone(), UpdateMentorNote::PATH);
                        view! {
                            <form method="post" action=UpdateMentorNote::PATH class="form">
                                <FormMessage form=form.clone() />
                                <input type="hidden" name="id" value=id />
                                <MarkdownField form=form.clone() name="body" label="Your note" rows=4 required=true />
                                <CheckboxField form name="show_on_shared" label="Show on shared pages" hint=SHARED_HINT />
                                <div class="actions">
                                    <button type="submit">"Save the note"</button>
                                    <a class="button secondary" href="?">"Cancel"</a>
                                </div>
                            </form>
                        }
                    }
                </Show>
            })}
        </li>
    }
}

#[component]
fn NewNote(
    incident_id: i64,
    entries: Vec<(i64, String)>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let form = FormState::new(&MentorNoteForm::default(), flash, AddMentorNote::PATH);
    let options = entries
        .into_iter()
        .map(|(id, label)| (id.to_string(), label))
        .collect();
    view! {
        <form method="post" action=AddMentorNote::PATH class="form" id="new-note">
            <h2>"Write a mentor note"</h2>
            <FormMessage form=form.clone() />
            <input type="hidden" name="incident_id" value=incident_id />
            <SelectField form=form.clone() name="timeline_entry" label="On" options blank="The lesson as a whole" />
            <MarkdownField form=form.clone() name="body" label="Your note" rows=4 required=true
                hint="What to notice, and why it matters. Markdown." />
            <CheckboxField form name="show_on_shared" label="Show on shared pages" hint=SHARED_HINT />
            <button type="submit">"Add the note"</button>
        </form>
    }
}
