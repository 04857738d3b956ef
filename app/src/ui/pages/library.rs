//! The lessons library (`/library`): the lessons of published postmortems, by tag and kind,
//! each with its own link; authors tag them and put them on reading lists.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::query_param;
use crate::api::library::{AddToReadingList, TagLesson, UntagLesson, lessons_library};
use crate::domain::library::LessonKind;
use crate::dto::library::{LessonCard, Library};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::mentor_notes::LessonNotes;
use crate::ui::components::pager::Pager;

#[component]
pub fn LibraryPage() -> impl IntoView {
    let tag = query_param("tag");
    let kind = query_param("kind");
    let page = query_param("page");
    let data = Resource::new(
        move || (tag.get(), kind.get(), page.get()),
        |(tag, kind, page)| lessons_library(tag, kind, page),
    );
    view! {
        <Title text="Lessons" />
        <div class="page-head"><h1>"Lessons"</h1><a class="button small secondary" href="/library/lists">"Reading lists"</a></div>
        <p class="lead">"What published postmortems taught us: what went well, what went wrong, where we got lucky. Told without blame, so anyone can learn from them."</p>
        <Loaded resource=data view=|library: Library| view! { <Lessons library /> }.into_any() />
    }
}

fn href(tag: &str, kind: Option<LessonKind>) -> String {
    let mut query = Vec::new();
    if !tag.is_empty() {
        query.push(format!("tag={tag}"));
    }
    if let Some(kind) = kind {
        query.push(format!("kind={}", kind.as_str()));
    }
    if query.is_empty() {
        "/library".to_owned()
    } else {
        format!("/library?{}", query.join("&"))
    }
}

#[component]
fn Lessons(library: Library) -> impl IntoView {
    if !library.any_published {
        return view! { <div class="empty"><p>"No lessons yet: they come from published postmortems. Take a postmortem through its review and publish it."</p><p><a href="/">"Go to the incidents"</a></p></div> }.into_any();
    }
    let (tag, kind) = (library.tag.clone(), library.kind);
    let on_this_day = library.on_this_day.clone();
    view! {
        {(!on_this_day.is_empty()).then(|| view! {
            <section class="on-this-day" aria-labelledby="on-this-day">
                <h2 id="on-this-day">"On this day"</h2>
                <ul>
                    {on_this_day.into_iter().map(|item| view! {
                        <li><a href=format!("/incidents/{}", item.incident_id)>{item.title}</a>
                            <span class="small muted">{format!(" — published {} ({})", item.year, item.ago)}</span></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <nav class="tabs" aria-label="Kinds of lesson">
            <a href=href(&tag, None) class:current=kind.is_none()>"All"</a>
            {LessonKind::ALL.into_iter().map(|k| view! { <a href=href(&tag, Some(k)) class:current=kind == Some(k)>{k.label()}</a> }).collect_view()}
        </nav>
        {(!library.tags.is_empty()).then(|| view! {
            <p class="tag-cloud">"Tags: "
                {library.tags.iter().map(|(t, n)| {
                    let current = *t == tag;
                    let link = if current { href("", kind) } else { href(t, kind) };
                    view! { <a href=link class="tag" class:current=current>{format!("{t} ({n})")}</a>" " }
                }).collect_view()}
            </p>
        })}
        {if library.lessons.is_empty() {
            view! { <div class="empty"><p>"No lesson carries this tag yet."</p><p><a href="/library">"Show every lesson"</a></p></div> }.into_any()
        } else {
            let lists = library.lists.clone();
            let curate = library.can_curate;
            view! {
                <ul class="lessons-library">{library.lessons.into_iter().map(|lesson| view! { <Lesson lesson lists=lists.clone() curate /> }).collect_view()}</ul>
                <Pager previous=library.previous_href.clone() next=library.next_href.clone() back="Previous lessons" on="More lessons" />
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn Lesson(lesson: LessonCard, lists: Vec<(i64, String)>, curate: bool) -> impl IntoView {
    let anchor = lesson.anchor();
    let (id, kind) = (lesson.incident_id, lesson.kind.as_str());
    let link = format!("/library#{anchor}");
    let (tag_input, list_input, note_input) = (
        format!("tag-{anchor}"),
        format!("list-{anchor}"),
        format!("note-{anchor}"),
    );
    view! {
        <li class="lesson" id=anchor>
            <div class="card-head"><span class="badge kind">{lesson.kind.label()}</span>
                {lesson.tags.clone().into_iter().map(|t| view! {
                    <span class="tag">{t.clone()}
                        {curate.then(|| view! {
                            <form method="post" action=UntagLesson::PATH class="untag">
                                <input type="hidden" name="incident_id" value=id />
                                <input type="hidden" name="kind" value=kind />
                                <input type="hidden" name="tag" value=t.clone() />
                                <button type="submit" class="link-button small" aria-label=format!("Remove the tag {t}")>"×"</button>
                            </form>
                        })}
                    </span>
                }).collect_view()}
            </div>
            <p class="small">"From "<a href=format!("/incidents/{id}")>{lesson.incident_title.clone()}</a>" · "<a href=link>"Link to this lesson"</a></p>
            <div class="prose" inner_html=lesson.html.clone()></div>
            <LessonNotes incident_id=id notes=lesson.notes.clone() curate />
            {curate.then(|| view! {
                <div class="curate">
                    <form method="post" action=TagLesson::PATH class="inline-form">
                        <input type="hidden" name="incident_id" value=id />
                        <input type="hidden" name="kind" value=kind />
                        <label class="visually-hidden" for=tag_input.clone()>"Tag"</label>
                        <input id=tag_input name="tag" placeholder="Add a tag" maxlength="40" />
                        <button type="submit" class="secondary small">"Tag"</button>
                        <p class="field-error" role="alert"></p>
                    </form>
                    {if lists.is_empty() {
                        view! { <p class="small muted">"Make a "<a href="/library/lists">"reading list"</a>" to collect lessons for others."</p> }.into_any()
                    } else {
                        view! {
                            <form method="post" action=AddToReadingList::PATH class="inline-form">
                                <input type="hidden" name="incident_id" value=id />
                                <input type="hidden" name="kind" value=kind />
                                <label class="visually-hidden" for=list_input.clone()>"Reading list"</label>
                                <select id=list_input name="list_id">
                                    {lists.iter().map(|(lid, title)| view! { <option value=lid.to_string()>{title.clone()}</option> }).collect_view()}
                                </select>
                                <label class="visually-hidden" for=note_input.clone()>"Why read it"</label>
                                <input id=note_input name="note" placeholder="Why read it (optional)" />
                                <button type="submit" class="secondary small">"Add to list"</button>
                                <p class="field-error" role="alert"></p>
                            </form>
                        }.into_any()
                    }}
                </div>
            })}
        </li>
    }
}
