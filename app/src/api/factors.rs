//! Server functions for contributing factors: a postmortem's factors (added, edited and
//! deleted like its other parts), the categories admins keep, and the rollup across incidents
//! on /changes.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::edit::{NewPart, PartEdit, Version};
use crate::domain::factor::{Category, CategoryForm, FactorForm};
use crate::dto::editing::Editing;
use crate::dto::factors::FactorEditing;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::repo::factors::FactorPart;

/// What a factor's form picks from, for its incident; `keep` a retired category it already has.
#[cfg(feature = "ssr")]
async fn editing(
    state: &crate::server::AppState,
    incident_id: i64,
    form: FactorForm,
    keep: Option<i64>,
) -> Result<FactorEditing, AppError> {
    use crate::dto::editing::TargetOption;
    let zone = super::zone();
    let categories = crate::server::repo::factors::categories(&state.db)
        .await?
        .into_iter()
        .filter(|c| !c.retired || Some(c.id) == keep)
        .map(|c| {
            let label = if c.retired {
                format!("{} (retired)", c.name)
            } else {
                c.name
            };
            (c.id.to_string(), label)
        })
        .collect();
    let mut targets = Vec::new();
    for change in crate::server::repo::changes::list_for(&state.db, incident_id).await? {
        targets.push(TargetOption {
            change_id: change.id,
            parameter_id: None,
            label: change.name(),
        });
        targets.extend(change.parameters.iter().map(|p| TargetOption {
            change_id: change.id,
            parameter_id: Some(p.id),
            label: change.target_label(Some(p.id)),
        }));
    }
    let entries = crate::server::repo::timeline::list_for(&state.db, incident_id)
        .await?
        .into_iter()
        .map(|e| {
            let body = crate::domain::text::first_line(&e.entry.body_md, 60);
            (
                e.id.to_string(),
                format!(
                    "{} — {}: {body}",
                    crate::server::query::build::time(&e.entry.time, &zone),
                    e.entry.actor
                ),
            )
        })
        .collect();
    Ok(FactorEditing {
        form,
        categories,
        targets,
        entries,
    })
}

/// A new factor's form on an incident.
#[server(prefix = "/api", endpoint = "factors/new-form")]
pub async fn factor_for_new(incident_id: i64) -> Result<Editing<FactorEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (_, incident) = super::access::editable_incident(&state, incident_id).await?;
    Ok(Editing {
        version: 0,
        zone: super::zone().name(),
        incident_id,
        incident_title: incident.title,
        form: editing(&state, incident_id, FactorForm::blank(), None).await?,
    })
}

/// A factor's edit form.
#[server(prefix = "/api", endpoint = "factors/form")]
pub async fn factor_for_edit(id: i64) -> Result<Editing<FactorEditing>, AppError> {
    use crate::domain::time::Zone;
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<FactorPart>(&state, id).await?;
    let keep = Some(found.value.category_id);
    Ok(Editing {
        version: found.version,
        zone: super::zone().name(),
        incident_id: incident.id,
        form: editing(
            &state,
            incident.id,
            FactorForm::from_factor(&found.value),
            keep,
        )
        .await?,
        incident_title: incident.title,
    })
}

/// Checks that a factor's category may be used and its links belong to its incident.
#[cfg(feature = "ssr")]
async fn check_links(
    txn: &sea_orm::DatabaseTransaction,
    incident_id: i64,
    factor: &crate::domain::factor::NewFactor,
    had_category: Option<i64>,
) -> Result<(), AppError> {
    let categories = crate::server::repo::factors::categories(txn).await?;
    if !categories
        .iter()
        .any(|c| c.id == factor.category_id && (!c.retired || had_category == Some(c.id)))
    {
        return Err(AppError::invalid(
            "category_id",
            "Choose one of the categories in the list.",
        ));
    }
    for link in &factor.changes {
        let change = crate::server::repo::changes::get(txn, link.change_id)
            .await?
            .filter(|c| c.incident_id == incident_id)
            .ok_or_else(|| AppError::invalid("links", "Tick changes recorded on this incident."))?;
        if let Some(pid) = link.parameter_id
            && !change.parameters.iter().any(|p| p.id == pid)
        {
            return Err(AppError::invalid(
                "links",
                "A ticked parameter does not belong to its change.",
            ));
        }
    }
    for entry_id in &factor.timeline_entries {
        if crate::server::repo::timeline::get(txn, *entry_id)
            .await?
            .is_none_or(|e| e.incident_id != incident_id)
        {
            return Err(AppError::invalid(
                "links",
                "Tick entries of this incident's timeline.",
            ));
        }
    }
    Ok(())
}

/// Adds a contributing factor to an incident.
#[server(prefix = "/api", endpoint = "factors/add")]
pub async fn add_factor(incident_id: i64, form: FactorForm) -> Result<i64, AppError> {
    let state = super::state()?;
    let adding = NewPart::<FactorPart>::open(&state, incident_id).await?;
    let factor = form.parse()?;
    check_links(adding.txn(), incident_id, &factor, None).await?;
    let id = adding.add(&factor).await?;
    super::redirect(&format!("/incidents/{incident_id}#factor-{id}"));
    Ok(id)
}

/// Saves a contributing factor.
#[server(prefix = "/api", endpoint = "factors/update")]
pub async fn update_factor(
    id: i64,
    form: FactorForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    let editing = PartEdit::<FactorPart>::open(&state, id).await?;
    let factor = form.parse()?;
    let (incident_id, had) = (
        editing.stored().incident_id,
        editing.stored().value.category_id,
    );
    check_links(editing.txn(), incident_id, &factor, Some(had)).await?;
    editing
        .save(Version::parse(&version)?, &factor, &super::zone())
        .await?;
    super::redirect(&format!("/incidents/{incident_id}#factor-{id}"));
    Ok(())
}

/// Deletes a contributing factor; the follow-ups that addressed it stay, addressing no factor.
#[server(prefix = "/api", endpoint = "factors/delete")]
pub async fn delete_factor(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let deleted = PartEdit::<FactorPart>::open_to_delete(&state, id)
        .await?
        .delete()
        .await?;
    super::redirect(&format!("/incidents/{}#factors", deleted.incident_id));
    Ok(())
}

/// Every category, retired ones too (admins only).
#[server(prefix = "/api", endpoint = "factors/categories")]
pub async fn factor_categories() -> Result<Vec<Category>, AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    Ok(crate::server::repo::factors::categories(&state.db).await?)
}

/// Adds a category at the end of the list (admins only).
#[server(prefix = "/api", endpoint = "factors/categories/add")]
pub async fn add_factor_category(form: CategoryForm) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let name = form.parse()?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    check_unique(&txn, &name, None).await?;
    crate::server::repo::factors::add_category(&txn, &name).await?;
    txn.commit().await?;
    super::redirect("/admin/factor-categories?saved=1");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn check_unique(
    txn: &sea_orm::DatabaseTransaction,
    name: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    let taken = crate::server::repo::factors::categories(txn)
        .await?
        .into_iter()
        .any(|c| Some(c.id) != except && c.name.trim().eq_ignore_ascii_case(name.trim()));
    if taken {
        return Err(AppError::invalid(
            "name",
            format!("There is a category named “{name}” already."),
        ));
    }
    Ok(())
}

/// Renames a category, and retires it or brings it back (`retired`: a checkbox), for admins.
/// Factors that have a retired category keep it; new factors cannot choose it.
#[server(prefix = "/api", endpoint = "factors/categories/update")]
pub async fn update_factor_category(
    id: i64,
    form: CategoryForm,
    #[server(default)] retired: String,
) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let name = form.parse()?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    check_unique(&txn, &name, Some(id)).await?;
    let retired = crate::domain::form::checkbox(&retired);
    if !crate::server::repo::factors::set_category(&txn, id, &name, retired).await? {
        return Err(AppError::not_found(format!("Category {id}")));
    }
    txn.commit().await?;
    super::redirect("/admin/factor-categories?saved=1");
    Ok(())
}
