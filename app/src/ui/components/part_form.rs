//! The page that adds or edits one part of a postmortem (a timeline entry, an impact figure, a
//! change, a follow-up) or an incident itself. Every part's pages share their shape: crumbs back
//! to the incident, a heading, the form with its error summary, the version it was opened at,
//! its buttons, and a danger zone to delete it. A part gives only its words, its server
//! functions and its field list (a [`PartPage`]).
//!
//! Like every form here it works without JavaScript: each form is a plain post to its server
//! function, and a failed post comes back with a flash that refills it (see `form_state`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::account::Role;
use crate::domain::change::ChangeForm;
use crate::domain::follow_up::FollowUpForm;
use crate::domain::impact::ImpactForm;
use crate::domain::incident::IncidentForm;
use crate::domain::timeline::TimelineForm;
use crate::dto::editing::{ChangeEditing, Editing, FollowUpEditing};
use crate::dto::forms::FormFlash;
use crate::error::AppError;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{FormMessage, VersionField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::session::IfRole;

/// What a part's page loads: the form's starting values, the item's id when editing (`None`
/// for a new one), and the flash a failed plain post came back with.
pub type PartData<F> = ((Editing<F>, Option<i64>), Option<FormFlash>);

/// What a part's page opens with that holds the form's values (the domain `…Form`), beside
/// what the form picks from.
pub trait PartValues {
    /// The domain form: a struct of the strings the browser sends.
    type Form: Serialize;
    /// The form's starting values.
    fn values(&self) -> &Self::Form;
}

macro_rules! form_is_its_own_values {
    ($($form:ty),*) => {$(
        impl PartValues for $form {
            type Form = $form;
            fn values(&self) -> &$form {
                self
            }
        }
    )*};
}

form_is_its_own_values!(TimelineForm, ImpactForm, IncidentForm);

impl PartValues for ChangeEditing {
    type Form = ChangeForm;
    fn values(&self) -> &ChangeForm {
        &self.form
    }
}

impl PartValues for FollowUpEditing {
    type Form = FollowUpForm;
    fn values(&self) -> &FollowUpForm {
        &self.form
    }
}

/// A server function a part's page posts to, its type erased so that one page serves every
/// part. Get one with [`PartFn::part_action`], e.g. `AddTimelineEntry::part_action`.
#[derive(Clone, Copy)]
pub struct PartAction {
    path: &'static str,
}

impl PartAction {
    /// The `<form>` posting to the server function, with `class` ("" for none).
    fn form(&self, class: &'static str, children: Children) -> AnyView {
        let class = (!class.is_empty()).then_some(class);
        view! { <form method="post" action=self.path class=class>{children()}</form> }.into_any()
    }
}

/// A server function that a part's page can post to.
pub trait PartFn {
    /// Where the page's form posts.
    fn part_action() -> PartAction;
}

impl<S: ServerFn> PartFn for S {
    fn part_action() -> PartAction {
        PartAction { path: S::PATH }
    }
}

/// The words of a part's pages.
#[derive(Clone, Copy)]
pub struct PartWords {
    /// The crumb after the incident's title ("Timeline").
    pub crumb: &'static str,
    /// Where on the postmortem the pages lead back to ("#timeline"; "" for its top).
    pub back: &'static str,
    /// The new page's document title.
    pub new_title: &'static str,
    /// The new page's heading.
    pub new_heading: &'static str,
    /// The line under the new page's heading, if any.
    pub new_lead: Option<&'static str>,
    /// The new page's submit button.
    pub add_button: &'static str,
    /// The edit page's document title, given the incident's title.
    pub edit_title: fn(&str) -> String,
    /// The edit page's heading.
    pub edit_heading: &'static str,
    /// The edit page's submit button.
    pub save_button: &'static str,
    /// The edit page's link back to the postmortem.
    pub edit_cancel: &'static str,
    /// Deleting the part from its edit page; `None` where it is not deleted there.
    pub delete: Option<DeleteWords>,
    /// Adding needs the author role; without it the new page says this instead of the form.
    /// (Only where loading the new page does not already refuse other roles.)
    pub new_needs_author: Option<&'static str>,
}

/// The danger zone of an edit page.
#[derive(Clone, Copy)]
pub struct DeleteWords {
    /// Which deletion this is, unique on the page (see `ConfirmDelete`).
    pub key: &'static str,
    /// What will be lost, in a sentence.
    pub warning: &'static str,
    /// The delete button.
    pub button: &'static str,
}

/// One part's new and edit pages: its words, its server functions and its fields.
pub struct PartPage<F> {
    /// What the pages say.
    pub words: PartWords,
    /// The server function the new page posts to (it takes `form`, and the `incident_id` of a part).
    pub add: fn() -> PartAction,
    /// The server function the edit page posts to (it takes `id`, `version` and `form`).
    pub update: fn() -> PartAction,
    /// The server function the danger zone posts to (it takes `id`); `None` for no danger zone.
    pub delete: Option<fn() -> PartAction>,
    /// The part's fields, given the form, what the page opened with, and whether it is new.
    pub fields: fn(FormState, &Editing<F>, bool) -> AnyView,
    /// What the edit page says between its heading and the form.
    pub edit_intro: Option<fn(&F) -> AnyView>,
    /// What the edit page shows after the form (given the item's id and the flash).
    pub after_form: Option<AfterForm<F>>,
}

/// What an edit page shows after its form, given what it opened with, the item's id and the
/// flash (a change's parameters).
pub type AfterForm<F> = fn(&Editing<F>, i64, Option<FormFlash>) -> AnyView;

impl<F> Clone for PartPage<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for PartPage<F> {}

impl<F> PartPage<F> {
    /// A page with `words`, posting to `add` and `update`, showing `fields`; nothing else.
    pub fn new(
        words: PartWords,
        add: fn() -> PartAction,
        update: fn() -> PartAction,
        fields: fn(FormState, &Editing<F>, bool) -> AnyView,
    ) -> Self {
        PartPage {
            words,
            add,
            update,
            delete: None,
            fields,
            edit_intro: None,
            after_form: None,
        }
    }
}

/// The new or edit page of a part, once `resource` (see `pages::load_part`) has loaded.
#[component]
pub fn PartFormPage<F>(
    resource: Resource<Result<PartData<F>, AppError>>,
    page: PartPage<F>,
) -> impl IntoView
where
    F: PartValues + Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let view = move |((editing, id), flash): PartData<F>| match id {
        None => view! { <NewPart page editing flash /> }.into_any(),
        Some(id) => view! { <EditPart page editing flash id /> }.into_any(),
    };
    view! { <Loaded resource view /> }
}

/// The postmortem (at the part's section), or the list of incidents before there is one.
fn back_link<F>(editing: &Editing<F>, section: &str) -> String {
    if editing.incident_id == 0 {
        "/".to_owned()
    } else {
        format!("/incidents/{}{section}", editing.incident_id)
    }
}

fn crumbs<F>(editing: &Editing<F>, crumb: &'static str, back: &str) -> Option<AnyView> {
    (editing.incident_id != 0).then(|| {
        view! { <p class="crumbs"><a href=back.to_owned()>{editing.incident_title.clone()}</a>{format!(" / {crumb}")}</p> }
            .into_any()
    })
}

#[component]
fn NewPart<F>(page: PartPage<F>, editing: Editing<F>, flash: Option<FormFlash>) -> impl IntoView
where
    F: PartValues + Clone + Send + Sync + 'static,
{
    let words = page.words;
    let back = back_link(&editing, words.back);
    let crumbs = crumbs(&editing, words.crumb, &back);
    let form = move |editing: Editing<F>, flash: Option<FormFlash>| {
        let action = (page.add)();
        let form = FormState::new(editing.form.values(), flash, action.path);
        let back = back.clone();
        let lead = words
            .new_lead
            .map(|lead| view! { <p class="lead">{lead}</p> });
        let body = Box::new(move || {
            view! {
                {(editing.incident_id != 0).then(|| view! { <input type="hidden" name="incident_id" value=editing.incident_id /> })}
                <FormMessage form=form.clone() />
                {(page.fields)(form, &editing, true)}
                <div class="actions">
                    <button type="submit">{words.add_button}</button>
                    <a class="button secondary" href=back>"Cancel"</a>
                </div>
            }
            .into_any()
        });
        view! { {lead} {action.form("form", body)} }.into_any()
    };
    let shown = match words.new_needs_author {
        Some(otherwise) => view! {
            <IfRole role=Role::Author otherwise=otherwise>{form(editing.clone(), flash.clone())}</IfRole>
        }
        .into_any(),
        None => form(editing, flash),
    };
    view! {
        <Title text=words.new_title />
        {crumbs}
        <h1>{words.new_heading}</h1>
        {shown}
    }
}

#[component]
fn EditPart<F>(
    page: PartPage<F>,
    editing: Editing<F>,
    flash: Option<FormFlash>,
    id: i64,
) -> impl IntoView
where
    F: PartValues + Clone + Send + Sync + 'static,
{
    let words = page.words;
    let action = (page.update)();
    let form = FormState::new(editing.form.values(), flash.clone(), action.path);
    let back = back_link(&editing, words.back);
    let crumbs = crumbs(&editing, words.crumb, &back);
    let title = (words.edit_title)(&editing.incident_title);
    let intro = page.edit_intro.map(|intro| intro(&editing.form));
    let after = page.after_form.map(|after| after(&editing, id, flash));
    let danger = page.delete.zip(words.delete).map(|(delete, delete_words)| {
        let delete = delete();
        view! {
            <section class="danger-zone">
                <ConfirmDelete key=delete_words.key.to_owned() warning=delete_words.warning.to_owned()>
                    {delete.form("", Box::new(move || view! {
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="danger">{delete_words.button}</button>
                    }.into_any()))}
                </ConfirmDelete>
            </section>
        }
    });
    let version = editing.version;
    let body = Box::new(move || {
        view! {
            <input type="hidden" name="id" value=id />
            <VersionField form=form.clone() version />
            <FormMessage form=form.clone() />
            {(page.fields)(form, &editing, false)}
            <div class="actions">
                <button type="submit">{words.save_button}</button>
                <a class="button secondary" href=back>{words.edit_cancel}</a>
            </div>
        }
        .into_any()
    });
    view! {
        <Title text=title />
        {crumbs}
        <h1>{words.edit_heading}</h1>
        {intro}
        {action.form("form", body)}
        {after}
        {danger}
    }
}
