//! Server functions for related incidents: a link from the incident being written to another
//! one the author may read, with a relation and a note. Both incidents' histories record each
//! change of a link (see `RelationPart`).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{NewPart, PartEdit, Version};
use crate::domain::relation::RelationForm;
use crate::dto::editing::Editing;
use crate::dto::relation::RelationEditing;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::relations::RelationPart;

/// How many of the newest incidents a new link's picker offers.
#[cfg(feature = "ssr")]
const RECENT: u64 = 50;

/// A new link's form for an incident being written, filled in with `related` and `kind` when
/// they are given (the recurrence signal's "link with a note…").
#[server(prefix = "/api", endpoint = "relations/new-form")]
pub async fn new_relation_form(
    incident_id: i64,
    #[server(default)] related: String,
    #[server(default)] kind: String,
) -> Result<Editing<RelationEditing>, AppError> {
    use crate::domain::relation::RelationKind;
    use crate::domain::time::Zone;
    use crate::dto::relation::IncidentOption;
    use crate::server::repo::{incidents, relations};
    let state = super::state()?;
    let (user, incident) = super::access::editable_incident(&state, incident_id).await?;
    let ids = relations::recent_incidents(&state.db, incident_id, RECENT).await?;
    let visible = crate::server::visibility::seen_by(
        &state.db,
        &user,
        incidents::get_many(&state.db, &ids).await?,
    )
    .await?;
    let recent = visible
        .incidents()
        .map(|i| IncidentOption {
            id: i.id,
            title: i.title.clone(),
        })
        .collect();
    let form = match (
        crate::domain::relation::incident_number(&related),
        RelationKind::parse(&kind),
    ) {
        (Ok(n), Some(kind)) => RelationForm::prefilled(n, kind),
        (Ok(n), None) => RelationForm {
            related: n.to_string(),
            ..RelationForm::blank()
        },
        _ => RelationForm::blank(),
    };
    Ok(Editing {
        version: 0,
        zone: super::zone().name(),
        incident_id,
        incident_title: incident.title,
        form: RelationEditing {
            form,
            recent,
            other: None,
        },
    })
}

/// A link's edit form.
#[server(prefix = "/api", endpoint = "relations/form")]
pub async fn relation_for_edit(id: i64) -> Result<Editing<RelationEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<RelationPart>(&state, id).await?;
    let other = found.value.related_incident_id;
    let title = crate::server::repo::incidents::get(&state.db, other)
        .await?
        .map(|i| i.title)
        .unwrap_or_default();
    Ok(Editing {
        version: found.version,
        zone: super::zone().name(),
        incident_id: incident.id,
        incident_title: incident.title,
        form: RelationEditing {
            form: RelationForm::from_relation(&found.value),
            recent: Vec::new(),
            other: Some(format!("#{other} {title}")),
        },
    })
}

/// Links the incident being written to another incident the author may read.
#[server(prefix = "/api", endpoint = "relations/add")]
pub async fn add_relation(incident_id: i64, form: RelationForm) -> Result<i64, AppError> {
    use crate::domain::relation::check_not_linked;
    use crate::server::repo::{incidents, relations};
    let state = super::state()?;
    let adding = NewPart::<RelationPart>::open(&state, incident_id).await?;
    let user = super::access::user()?;
    let new = form.parse(incident_id)?;
    let other = new.related_incident_id;
    if incidents::get(adding.txn(), other)
        .await?
        .filter(|i| crate::server::visibility::may_read(&user, i))
        .is_none()
    {
        return Err(AppError::invalid(
            "related",
            format!("There is no incident #{other}; check its number (after # in its address)."),
        ));
    }
    check_not_linked(
        &relations::touching(adding.txn(), incident_id).await?,
        incident_id,
        &new,
        None,
    )?;
    let id = adding.add(&new).await?;
    super::redirect(&format!("/incidents/{incident_id}#related"));
    Ok(id)
}

/// Saves a link's relation and note (the other incident stays: linking another one is a new
/// link).
#[server(prefix = "/api", endpoint = "relations/update")]
pub async fn update_relation(
    id: i64,
    form: RelationForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let editing = PartEdit::<RelationPart>::open(&state, id).await?;
    let stored = editing.stored();
    let new = RelationForm {
        related: stored.value.related_incident_id.to_string(),
        ..form
    }
    .parse(stored.incident_id)?;
    let saved = editing
        .save(Version::parse(&version)?, &new, &super::zone())
        .await?;
    super::redirect(&format!("/incidents/{}#related", saved.incident_id));
    Ok(())
}

/// Removes a link.
#[server(prefix = "/api", endpoint = "relations/delete")]
pub async fn delete_relation(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let deleted = PartEdit::<RelationPart>::open_to_delete(&state, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!("/incidents/{}#related", deleted.incident_id));
    Ok(())
}
