//! Reading lists (`/library/lists`): lessons a mentor collected, each list with a note on why
//! and when to read it, each lesson with its own note; authors make, fill and delete lists.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, with_flash};
use crate::api::library::{
    CreateReadingList, DeleteReadingList, RemoveFromReadingList, list_reading_lists,
};
use crate::domain::library::ReadingListForm;
use crate::dto::forms::FormFlash;
use crate::dto::library::{ReadingListView, ReadingLists};
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{FormMessage, MarkdownField, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::mentor_notes::LessonNotes;

#[component]
pub fn ReadingListsPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, list_reading_lists()),
    );
    view! {
        <Title text="Reading lists" />
        <p class="crumbs"><a href="/library">"Lessons"</a>" / Reading lists"</p>
        <h1>"Reading lists"</h1>
        <p class="lead">"Lessons collected for someone else to read, with a note on why: “read this before your first production change”."</p>
        <Loaded resource=data view=|(lists, flash): (ReadingLists, Option<FormFlash>)| view! { <Lists lists flash /> }.into_any() />
    }
}

#[component]
fn Lists(lists: ReadingLists, flash: Option<FormFlash>) -> impl IntoView {
    let curate = lists.can_curate;
    view! {
        {if lists.lists.is_empty() {
            view! { <div class="empty"><p>"No reading list yet."{curate.then_some(" Make the first one below, then add lessons to it from the library.")}</p></div> }.into_any()
        } else {
            view! { <div class="reading-lists">{lists.lists.into_iter().map(|list| view! { <List list /> }).collect_view()}</div> }.into_any()
        }}
        {curate.then(|| view! { <NewList flash /> })}
    }
}

#[component]
fn List(list: ReadingListView) -> impl IntoView {
    let curate = list.can_edit;
    view! {
        <section class="reading-list" id=format!("list-{}", list.id)>
            <h2>{list.title.clone()}</h2>
            <p class="small muted">{format!("Curated by {}", list.created_by)}</p>
            <div class="prose mentor-note" inner_html=list.note_html.clone()></div>
            {if list.items.is_empty() {
                view! { <p class="empty-inline">"No lesson on this list yet. Add lessons from the "<a href="/library">"library"</a>"."</p> }.into_any()
            } else {
                view! {
                    <ol class="list-items">
                        {list.items.into_iter().map(|item| view! {
                            <li>
                                <p><strong>{item.lesson.kind.label()}</strong>" — "<a href=format!("/library#{}", item.lesson.anchor())>{item.lesson.incident_title.clone()}</a></p>
                                {(!item.note.is_empty()).then(|| view! { <p class="mentor-note small">{item.note.clone()}</p> })}
                                <div class="prose small" inner_html=item.lesson.html.clone()></div>
                                <LessonNotes incident_id=item.lesson.incident_id notes=item.lesson.notes.clone() curate=false />
                                {curate.then(|| view! {
                                    <form method="post" action=RemoveFromReadingList::PATH>
                                        <input type="hidden" name="id" value=item.id />
                                        <button type="submit" class="link-button small">"Take off the list"</button>
                                    </form>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {curate.then(|| view! {
                <ConfirmDelete key=format!("list-{}", list.id) warning="The list and its notes are deleted; the lessons stay in the library.".to_owned()>
                    <form method="post" action=DeleteReadingList::PATH>
                        <input type="hidden" name="id" value=list.id />
                        <button type="submit" class="danger small">"Delete the list"</button>
                    </form>
                </ConfirmDelete>
            })}
        </section>
    }
}

#[component]
fn NewList(flash: Option<FormFlash>) -> impl IntoView {
    let form = FormState::new(&ReadingListForm::default(), flash, CreateReadingList::PATH);
    view! {
        <form method="post" action=CreateReadingList::PATH class="form" id="new-list">
            <h2>"Make a reading list"</h2>
            <FormMessage form=form.clone() />
            <TextField form=form.clone() name="title" label="Title" required=true placeholder="Before your first production change" />
            <MarkdownField form name="note" label="Your note" rows=3 />
            <button type="submit">"Make the list"</button>
        </form>
    }
}
