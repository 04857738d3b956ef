//! Server functions for postmortem templates: the admin's list and form; the templates an
//! author picks from; an incident's custom field values (a part of the postmortem, versioned
//! and recorded in the history) and its template (changed without losing any value).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::account::Role;
use crate::domain::template::{FieldValuesForm, TemplateForm};
use crate::dto::editing::Editing;
use crate::dto::template::{FieldsEditing, TemplateChoice, TemplateEditing};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn choice(t: &crate::domain::template::Template) -> TemplateChoice {
    TemplateChoice {
        id: t.id,
        name: t.name.clone(),
        is_default: t.is_default,
        retired: t.retired,
    }
}

/// Every template, the default first (authors and up: they pick one for an incident).
#[server(prefix = "/api", endpoint = "templates/list")]
pub async fn template_choices() -> Result<Vec<TemplateChoice>, AppError> {
    let state = super::state()?;
    super::access::require(Role::Author)?;
    Ok(crate::server::repo::templates::list(&state.db)
        .await?
        .iter()
        .map(choice)
        .collect())
}

/// The form of a template (admins only); `id` 0 for a new one, which starts as the standard.
#[server(prefix = "/api", endpoint = "templates/form")]
pub async fn template_for_edit(id: i64) -> Result<TemplateEditing, AppError> {
    use crate::domain::template::{Definition, template_form};
    let state = super::state()?;
    super::access::require(Role::Admin)?;
    if id == 0 {
        return Ok(TemplateEditing {
            id,
            is_default: false,
            form: template_form("", &Definition::standard()),
            retired: false,
            in_use: 0,
        });
    }
    let found = crate::server::repo::templates::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Template {id}")))?;
    Ok(TemplateEditing {
        id,
        is_default: found.is_default,
        form: template_form(&found.name, &found.definition),
        retired: found.retired,
        in_use: crate::server::repo::template_admin::incidents_using(&state.db, id).await?,
    })
}

/// Creates (`id` 0 or empty) or replaces a template (admins only), recording the change in
/// its history. Values already written under a field the template no longer has are kept,
/// shown "from an earlier template". `moving` (a "move up"/"move down" button of the form, see
/// `domain::template::admin::Move`) first moves a section or field, then saves, and brings the
/// form back at the moved row.
#[server(prefix = "/api", endpoint = "templates/save")]
pub async fn save_template(
    #[server(default)] id: String,
    form: TemplateForm,
    #[server(default)] moving: String,
) -> Result<(), AppError> {
    use crate::domain::form::FieldErrors;
    use crate::domain::template::admin::{Move, TemplateAction, TemplateSnapshot, apply_move};
    use crate::server::repo::{template_admin, templates};
    let state = super::state()?;
    let user = super::access::require(Role::Admin)?;
    let id: i64 = match id.trim() {
        "" => 0,
        text => text
            .parse()
            .map_err(|_| AppError::BadRequest(format!("Unknown template {text:?}.")))?,
    };
    let mut form = form;
    let moved = match moving.trim() {
        "" => None,
        text => {
            let m = Move::parse(text).map_err(AppError::BadRequest)?;
            apply_move(&mut form, m);
            Some(m)
        }
    };
    let (name, definition) = crate::domain::template::parse_template_form(&form)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    if templates::name_taken(&txn, &name, (id != 0).then_some(id)).await? {
        let mut errors = FieldErrors::new();
        errors.add("name", "Another template has this name: choose another.");
        return Err(errors.into());
    }
    let after = TemplateSnapshot { name, definition };
    let saved = if id == 0 {
        let id = templates::create(&txn, &after.name, &after.definition).await?;
        template_admin::record(&txn, id, &user, TemplateAction::Created, None, Some(&after))
            .await?;
        id
    } else {
        let before = templates::get(&txn, id)
            .await?
            .ok_or_else(|| AppError::not_found(format!("Template {id}")))?;
        templates::update(&txn, id, &after.name, &after.definition).await?;
        let before = TemplateSnapshot {
            name: before.name,
            definition: before.definition,
        };
        if before != after {
            template_admin::record(
                &txn,
                id,
                &user,
                TemplateAction::Updated,
                Some(&before),
                Some(&after),
            )
            .await?;
        }
        id
    };
    txn.commit().await?;
    match moved {
        Some(m) => super::redirect(&format!("/admin/templates/{saved}#{}", m.anchor())),
        None => super::redirect("/admin/templates?saved=1"),
    }
    Ok(())
}

/// An incident's custom fields form, with the values of fields its template no longer has.
#[server(prefix = "/api", endpoint = "incidents/fields/form")]
pub async fn fields_for_edit(id: i64) -> Result<Editing<FieldsEditing>, AppError> {
    use crate::domain::time::Zone;
    use crate::server::repo::templates::{self, FieldValuesPart};
    let state = super::state()?;
    let (found, incident) = super::edit::for_edit::<FieldValuesPart>(&state, id).await?;
    let template = templates::for_incident(&state.db, id).await?;
    let (fields, earlier) =
        crate::server::query::template::fields_shown(&template.definition, &found.value);
    Ok(Editing {
        version: found.version,
        zone: super::zone().name(),
        incident_id: id,
        incident_title: incident.title,
        form: FieldsEditing {
            template_id: template.id,
            template_name: template.name,
            fields,
            earlier,
            // A retired template is offered only to the incidents that follow it.
            templates: templates::list(&state.db)
                .await?
                .iter()
                .filter(|t| !t.retired || t.id == template.id)
                .map(choice)
                .collect(),
        },
    })
}

/// Saves an incident's custom field values (by field key), each checked by its kind; values of
/// fields the template no longer has stay as they are.
#[server(prefix = "/api", endpoint = "incidents/fields/update")]
pub async fn update_field_values(
    id: i64,
    #[server(default)] form: FieldValuesForm,
    #[server(default)] version: String,
) -> Result<(), AppError> {
    use super::edit::{PartEdit, Version};
    use crate::server::repo::templates::{self, FieldValuesPart};
    let state = super::state()?;
    let editing = PartEdit::<FieldValuesPart>::open(&state, id).await?;
    let template = templates::for_incident(editing.txn(), id).await?;
    let checked = template.definition.check_values(&form)?;
    let values = editing.stored().value.with(&template.definition, &checked);
    editing
        .save(Version::parse(&version)?, &values, &super::zone())
        .await?;
    super::redirect(&format!("/incidents/{id}#custom-fields"));
    Ok(())
}

/// Moves an incident to another template (empty or 0: the default one). No value is lost:
/// values of fields the new template lacks are shown "from an earlier template".
#[server(prefix = "/api", endpoint = "incidents/template/set")]
pub async fn set_incident_template(
    id: i64,
    #[server(default)] template: String,
) -> Result<(), AppError> {
    use super::edit::{Edit, Scope};
    use crate::domain::history::{Action, Part, fields};
    use crate::server::repo::templates;
    let state = super::state()?;
    let (edit, _) = Edit::begin(&state, id, Scope::Postmortem).await?;
    let before = templates::for_incident(edit.txn(), id).await?;
    let chosen =
        crate::server::query::template::parse_template_id(edit.txn(), &template, Some(before.id))
            .await?;
    templates::set_for_incident(edit.txn(), id, chosen.as_ref().map(|t| t.id)).await?;
    let after = match chosen {
        Some(t) => t,
        None => templates::default_template(edit.txn()).await?,
    };
    if before.id != after.id {
        edit.record(
            Part::Template,
            id,
            Action::Updated,
            format!("Template “{}”", after.name),
            Some(fields(&[("template", &before.name)])),
            Some(fields(&[("template", &after.name)])),
        )
        .await?;
    }
    edit.commit().await?;
    super::redirect(&format!("/incidents/{id}/fields"));
    Ok(())
}
