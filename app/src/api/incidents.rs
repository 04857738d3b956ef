//! Server functions for incidents: list, postmortem, create, edit, lessons, delete, and loading
//! the worked example.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{Creation, Edit, PartEdit, Scope, Version};
#[cfg(feature = "ssr")]
use crate::domain::history::Part;
use crate::domain::incident::{IncidentForm, LessonsForm};
use crate::dto::editing::Editing;
use crate::dto::postmortem::IncidentList;
#[cfg(feature = "ssr")]
use crate::dto::postmortem::IncidentRow;
use crate::dto::postmortem::PostmortemView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::incidents::{IncidentPart, LessonsPart};

/// One page (from 1; empty = the first) of the incidents, optionally filtered by status and
/// severity (their `as_str` values; empty = all): only the page's rows are read, with their
/// open follow-ups counted in one grouped query.
#[server(prefix = "/api", endpoint = "incidents/list")]
pub async fn list_incidents(
    status: String,
    severity: String,
    #[server(default)] page: String,
    #[server(default)] field: String,
    #[server(default)] value: String,
) -> Result<IncidentList, AppError> {
    use crate::domain::incident::{IncidentStatus, Severity};
    use crate::dto::postmortem::INCIDENT_PAGE_SIZE;
    use crate::server::repo::{follow_ups, impact, incidents};

    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let zone = super::zone();
    let filter = incidents::IncidentFilter {
        status: parse_filter("status", &status, IncidentStatus::parse)?,
        severity: parse_filter("severity", &severity, Severity::parse)?,
        field_value: (!field.trim().is_empty() && !value.trim().is_empty())
            .then(|| (field.trim().to_owned(), value.trim().to_owned())),
    };
    let page = super::page_number(&page)?;
    // A viewer must not learn that drafts exist: they are left out in SQL, before the page.
    let published_only = !crate::server::visibility::writes_postmortems(&user);
    let listed = incidents::list_page(
        &state.db,
        &filter,
        published_only,
        (page - 1) * INCIDENT_PAGE_SIZE,
        INCIDENT_PAGE_SIZE,
    )
    .await?;
    let found = crate::server::visibility::seen_by(&state.db, &user, listed.incidents).await?;
    let any = !found.is_empty()
        || incidents::any_matching(&state.db, &Default::default(), published_only).await?;
    let ids: Vec<i64> = found
        .iter()
        .map(crate::server::visibility::Seen::id)
        .collect();
    let figures = found.impact(impact::list_for_incidents(&state.db, &ids).await?);
    let open = follow_ups::open_counts(&state.db, &ids).await?;
    let rows = found
        .incidents()
        .map(|i| IncidentRow {
            id: i.id,
            title: i.title.clone(),
            severity: i.severity,
            status: i.status,
            started: i
                .milestones
                .impact_started
                .as_ref()
                .map(|t| crate::server::query::build::time(t, &zone)),
            impact_headline: figures
                .iter()
                .find(|f| f.incident_id == i.id)
                .map(|f| f.figure.sentence()),
            time_to_detect: i.milestones.time_to_detect().map(|d| d.display()),
            open_follow_ups: open
                .iter()
                .find(|(id, _)| *id == i.id)
                .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or_default()),
        })
        .collect();
    let href = |page: u64| {
        // The parsed values, which are plain words: nothing to escape.
        let mut query: Vec<String> = [
            ("status", filter.status.map(IncidentStatus::as_str)),
            ("severity", filter.severity.map(Severity::as_str)),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
        if let Some((key, value)) = &filter.field_value {
            use crate::domain::follow_up::encode;
            query.push(format!("field={}&value={}", encode(key), encode(value)));
        }
        if page > 1 {
            query.push(format!("page={page}"));
        }
        if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", query.join("&"))
        }
    };
    Ok(IncidentList {
        zone: crate::domain::time::Zone::name(&zone),
        rows,
        any,
        previous_href: (page > 1).then(|| href(page - 1)),
        next_href: listed.more.then(|| href(page + 1)),
        filter_fields: crate::server::repo::templates::filter_fields(&state.db).await?,
    })
}

#[cfg(feature = "ssr")]
fn parse_filter<T>(
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    if value.is_empty() {
        return Ok(None);
    }
    parse(value)
        .map(Some)
        .ok_or_else(|| AppError::BadRequest(format!("Unknown {field} {value:?}.")))
}

/// Everything on an incident's postmortem page.
#[server(prefix = "/api", endpoint = "incidents/postmortem")]
pub async fn get_postmortem(id: i64) -> Result<PostmortemView, AppError> {
    let state = super::state()?;
    let (user, seen) = super::access::seen_incident(&state, id).await?;
    crate::server::query::postmortem::postmortem(&state, &user, seen).await
}

/// The edit form of an incident, in the reader's zone.
#[server(prefix = "/api", endpoint = "incidents/form")]
pub async fn incident_for_edit(id: i64) -> Result<Editing<IncidentForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<IncidentPart>(&state, id).await?;
    let zone = super::zone();
    Ok(Editing {
        version: found.version,
        zone: zone.name(),
        incident_id: id,
        incident_title: incident.title.clone(),
        form: IncidentForm::from_incident(&found.value, &zone),
    })
}

/// Records a new incident and opens its postmortem.
#[server(prefix = "/api", endpoint = "incidents/create")]
pub async fn create_incident(
    form: IncidentForm,
    #[server(default)] zone: String,
    #[server(default)] template: String,
) -> Result<i64, AppError> {
    let state = super::state()?;
    let creation = Creation::begin(&state).await?;
    let incident = form.parse(&super::form_zone(&zone)?)?;
    let template =
        crate::server::query::template::parse_template_id(creation.txn(), &template, None).await?;
    let id = crate::server::repo::incidents::insert(creation.txn(), &incident, &Default::default())
        .await?;
    if let Some(template) = template {
        crate::server::repo::templates::set_for_incident(creation.txn(), id, Some(template.id))
            .await?;
    }
    creation.created(id, &incident).await?.commit().await?;
    super::redirect(&format!("/incidents/{id}"));
    Ok(id)
}

/// Saves an incident's fields and milestones.
#[server(prefix = "/api", endpoint = "incidents/update")]
pub async fn update_incident(
    id: i64,
    form: IncidentForm,
    #[server(default)] zone: String,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let editing = PartEdit::<IncidentPart>::open(&state, id).await?;
    let zone = super::form_zone(&zone)?;
    let mut incident = form.parse(&zone)?;
    // The review status is the workflow's to change, not the form's.
    incident.status = editing.incident().status;
    editing
        .save(Version::parse(&version)?, &incident, &zone)
        .await?;
    super::redirect(&format!("/incidents/{id}"));
    Ok(())
}

/// The lessons form of an incident.
#[server(prefix = "/api", endpoint = "incidents/lessons/form")]
pub async fn lessons_for_edit(id: i64) -> Result<Editing<LessonsForm>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<LessonsPart>(&state, id).await?;
    Ok(Editing {
        version: found.version,
        zone: super::zone().name(),
        incident_id: id,
        incident_title: incident.title.clone(),
        form: LessonsForm::from_lessons(&found.value),
    })
}

/// Saves what went well, what went wrong and where we got lucky.
#[server(prefix = "/api", endpoint = "incidents/lessons/update")]
pub async fn update_lessons(
    id: i64,
    form: LessonsForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let editing = PartEdit::<LessonsPart>::open(&state, id).await?;
    let lessons = form.parse()?;
    editing
        .save(Version::parse(&version)?, &lessons, &super::zone())
        .await?;
    super::redirect(&format!("/incidents/{id}#lessons"));
    Ok(())
}

/// Deletes an incident with everything recorded under it, and returns to the list.
#[server(prefix = "/api", endpoint = "incidents/delete")]
pub async fn delete_incident(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let (edit, existing) = Edit::begin(&state, id, Scope::Postmortem).await?;
    if existing.was_published() {
        return Err(AppError::Forbidden(
            "This postmortem has been published, so it is kept: a correction can change it, \
             but not delete it."
                .to_owned(),
        ));
    }
    use crate::domain::history::{Action, Recorded, summary};
    crate::server::repo::incidents::delete(edit.txn(), id).await?;
    let was = existing.as_new();
    edit.record(
        Part::Incident,
        id,
        Action::Deleted,
        summary(&was),
        Some(was.snapshot(&chrono::Utc)),
        None,
    )
    .await?;
    edit.commit().await?;
    super::redirect("/");
    Ok(())
}

/// Loads the worked example (the login outage) as a new incident and opens it.
#[server(prefix = "/api", endpoint = "incidents/example")]
pub async fn load_worked_example() -> Result<i64, AppError> {
    let state = super::state()?;
    let creation = Creation::begin(&state).await?;
    let (earlier, id) = crate::server::repo::example::load_both_in(creation.txn()).await?;
    let loaded = crate::server::repo::incidents::get(creation.txn(), id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Incident {id}")))?;
    let edit = creation.created(id, &loaded.as_new()).await?;
    // The earlier incident written with it: created in its own history, and searchable.
    use crate::domain::history::{Action, Recorded, summary};
    let first = crate::server::repo::incidents::get(edit.txn(), earlier)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Incident {earlier}")))?
        .as_new();
    edit.record_on(
        earlier,
        Part::Incident,
        earlier,
        Action::Created,
        summary(&first),
        None,
        Some(first.snapshot(&chrono::Utc)),
    )
    .await?;
    crate::server::repo::search::index_new(edit.txn(), earlier).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{id}"));
    Ok(id)
}

/// The incident a new timeline entry, impact figure, change or follow-up will belong to.
#[server(prefix = "/api", endpoint = "incidents/context")]
pub async fn incident_context(id: i64) -> Result<Editing<()>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (_, incident) = super::access::editable_incident(&state, id).await?;
    Ok(Editing {
        version: 0,
        zone: super::zone().name(),
        incident_id: id,
        incident_title: incident.title,
        form: (),
    })
}
