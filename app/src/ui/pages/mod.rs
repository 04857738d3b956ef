//! Routed pages, one per file, each named `…Page`.

mod account;
mod change;
mod changes;
mod factor;
mod factor_categories;
mod fields;
mod follow_up;
mod follow_ups;
mod history;
mod impact_figure;
mod import;
mod incident_form;
mod incident_list;
mod integrations;
mod lessons;
mod library;
mod login;
mod mentor_notes;
mod metrics;
mod my_work;
mod not_found;
mod notification_settings;
mod policies;
mod postmortem;
mod reading_lists;
mod related_incident;
mod review;
mod review_group;
mod search;
mod setup;
mod share;
mod shared;
mod template_history;
mod template_parts;
mod templates;
mod timeline_entry;
mod users;
mod webhook_edit;
mod webhooks;

pub use account::AccountPage;
pub use change::ChangePage;
pub use changes::ChangesPage;
pub use factor::FactorPage;
pub use factor_categories::FactorCategoriesPage;
pub use fields::FieldsPage;
pub use follow_up::FollowUpPage;
pub use follow_ups::FollowUpsPage;
pub use history::HistoryPage;
pub use impact_figure::ImpactFigurePage;
pub use import::ImportPage;
pub use incident_form::IncidentFormPage;
pub use incident_list::IncidentListPage;
pub use integrations::IntegrationsPage;
pub use lessons::LessonsPage;
pub use library::LibraryPage;
pub use login::LoginPage;
pub use mentor_notes::MentorNotesPage;
pub use metrics::MetricsPage;
pub use my_work::MyWorkPage;
pub use not_found::NotFoundPage;
pub use policies::PoliciesPage;
pub use postmortem::PostmortemPage;
pub use reading_lists::ReadingListsPage;
pub use related_incident::RelatedIncidentPage;
pub use review::ReviewPage;
pub use review_group::{NewReviewGroupPage, ReviewGroupPage, ReviewGroupsPage};
pub use search::SearchPage;
pub use setup::SetupPage;
pub use share::SharingPage;
pub use shared::SharedPage;
pub use template_history::TemplateHistoryPage;
pub use templates::{TemplateFormPage, TemplatesPage};
pub use timeline_entry::TimelineEntryPage;
pub use users::UsersPage;
pub use webhook_edit::WebhookEditPage;
pub use webhooks::WebhooksAdminPage;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::flash::{get_flash, take_secret};
use crate::dto::editing::Editing;
use crate::dto::forms::{FLASH_PARAM, FormFlash, SECRET_PARAM};
use crate::error::AppError;
use crate::ui::components::part_form::PartData;

/// A route parameter as an id; `None` when absent or not a number (the page then says so).
fn id_param(name: &'static str) -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|v| v.parse().ok()))
}

/// Whether the `:item` route segment is `new` (a form to add) rather than an id (a form to edit).
fn is_new_item() -> Memo<bool> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("item").as_deref() == Some("new"))
}

/// A query parameter, empty when absent.
fn query_param(name: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).unwrap_or_default())
}

/// The id of the form flash this page was sent back with ("" when none).
pub(crate) fn flash_id() -> Memo<String> {
    query_param(FLASH_PARAM)
}

/// The new secret a plain form sent this page to show once (`?secret=<id>`): reading it as the
/// page renders deletes it, so a reload or a shared address shows nothing.
pub(crate) fn secret_shown_once() -> Resource<Option<String>> {
    let id = query_param(SECRET_PARAM);
    Resource::new(
        move || id.get(),
        |id| async move {
            if id.is_empty() {
                None
            } else {
                take_secret(id).await.ok().flatten()
            }
        },
    )
}

/// Loads a form page's data together with the flash it was sent back with, if any.
pub(crate) async fn with_flash<T>(
    flash_id: String,
    data: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<(T, Option<FormFlash>), AppError> {
    let flash = if flash_id.is_empty() {
        None
    } else {
        get_flash(flash_id).await?
    };
    Ok((data.await?, flash))
}

/// A bad id in the address, as an error the page can show.
fn bad_address() -> AppError {
    AppError::BadRequest("This address does not name an incident or item Debrief knows.".to_owned())
}

/// What the address of a form page opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opened {
    /// A form to add to the incident with this id (0 for a new incident).
    New(i64),
    /// The form of the item with this id.
    Edit(i64),
    /// An address that names nothing Debrief knows.
    Bad,
}

/// What `/incidents/:id/<part>/:item` opens: `new` adds to the incident, an id edits the item.
fn opened_part() -> Memo<Opened> {
    let incident = id_param("id");
    let item = id_param("item");
    let is_new = is_new_item();
    Memo::new(move |_| match (incident.get(), item.get(), is_new.get()) {
        (Some(incident), _, true) => Opened::New(incident),
        (Some(_), Some(item), false) => Opened::Edit(item),
        _ => Opened::Bad,
    })
}

/// Loads a part's form page for what the address opens: `load_new(incident)` for a new one,
/// `load_edit(id)` for an existing one, with the flash the page was sent back with.
fn load_part<F, N, NF, E, EF>(
    opened: Memo<Opened>,
    load_new: N,
    load_edit: E,
) -> Resource<Result<PartData<F>, AppError>>
where
    F: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    N: Fn(i64) -> NF + Copy + Send + Sync + 'static,
    NF: std::future::Future<Output = Result<Editing<F>, AppError>> + Send + 'static,
    E: Fn(i64) -> EF + Copy + Send + Sync + 'static,
    EF: std::future::Future<Output = Result<Editing<F>, AppError>> + Send + 'static,
{
    let flash = flash_id();
    Resource::new(
        move || (opened.get(), flash.get()),
        move |(opened, flash)| {
            with_flash(flash, async move {
                match opened {
                    Opened::New(incident) => load_new(incident).await.map(|e| (e, None)),
                    Opened::Edit(id) => load_edit(id).await.map(|e| (e, Some(id))),
                    Opened::Bad => Err(bad_address()),
                }
            })
        },
    )
}
