//! Server functions that look after templates beyond their form (admins only): retiring one (a
//! retired template is not offered for new incidents and keeps working on incidents that
//! follow it) or offering it again, deleting one that no incident follows (never the default),
//! and reading a template's history.

use leptos::prelude::*;

use crate::dto::template::TemplateHistoryView;
use crate::error::AppError;

/// The template `id` with its snapshot, or not found.
#[cfg(feature = "ssr")]
async fn found(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<crate::domain::template::Template, AppError> {
    crate::server::repo::templates::get(txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Template {id}")))
}

#[cfg(feature = "ssr")]
fn snapshot(
    t: &crate::domain::template::Template,
) -> crate::domain::template::admin::TemplateSnapshot {
    crate::domain::template::admin::TemplateSnapshot {
        name: t.name.clone(),
        definition: t.definition.clone(),
    }
}

/// Retires a template (`retired` a ticked checkbox) or offers it again. The default template is
/// not retired: incidents that name no template follow it.
#[server(prefix = "/api", endpoint = "templates/retire")]
pub async fn retire_template(id: i64, #[server(default)] retired: String) -> Result<(), AppError> {
    use crate::domain::template::admin::TemplateAction;
    use crate::server::repo::template_admin;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Admin)?;
    let retired = crate::domain::form::checkbox(&retired);
    let txn = crate::server::db::begin_write(&state.db).await?;
    let template = found(&txn, id).await?;
    if retired && template.is_default {
        return Err(AppError::BadRequest(
            "The default template cannot be retired: incidents that name no template follow it."
                .to_owned(),
        ));
    }
    if template.retired != retired {
        template_admin::set_retired(&txn, id, retired).await?;
        let action = if retired {
            TemplateAction::Retired
        } else {
            TemplateAction::Restored
        };
        let kept = snapshot(&template);
        template_admin::record(&txn, id, &user, action, Some(&kept), Some(&kept)).await?;
    }
    txn.commit().await?;
    super::redirect(&format!("/admin/templates/{id}?saved=1"));
    Ok(())
}

/// Deletes a template. Refused for the default template, and while incidents follow it (they
/// would lose their sections and prompts): retire it instead.
#[server(prefix = "/api", endpoint = "templates/delete")]
pub async fn delete_template(id: i64) -> Result<(), AppError> {
    use crate::domain::template::admin::TemplateAction;
    use crate::server::repo::template_admin;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Admin)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let template = found(&txn, id).await?;
    if template.is_default {
        return Err(AppError::BadRequest(
            "The default template cannot be deleted: incidents that name no template follow it."
                .to_owned(),
        ));
    }
    let using = template_admin::incidents_using(&txn, id).await?;
    if using > 0 {
        let incidents = if using == 1 {
            "1 incident follows it".to_owned()
        } else {
            format!("{using} incidents follow it")
        };
        return Err(AppError::BadRequest(format!(
            "“{}” cannot be deleted: {incidents}. Retire it instead: it is then no longer \
             offered for new incidents, and keeps working on those that follow it.",
            template.name
        )));
    }
    template_admin::delete(&txn, id).await?;
    template_admin::record(
        &txn,
        id,
        &user,
        TemplateAction::Deleted,
        Some(&snapshot(&template)),
        None,
    )
    .await?;
    txn.commit().await?;
    super::redirect("/admin/templates?deleted=1");
    Ok(())
}

/// A template's history, newest first (admins only); kept after the template is deleted.
#[server(prefix = "/api", endpoint = "templates/history")]
pub async fn template_history(id: i64) -> Result<TemplateHistoryView, AppError> {
    use crate::server::repo::{template_admin, templates};
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let zone = super::zone();
    let revisions = template_admin::history(&state.db, id).await?;
    let current = templates::get(&state.db, id).await?;
    let name = match (&current, revisions.first()) {
        (Some(t), _) => t.name.clone(),
        (None, Some(r)) => r.template_name.clone(),
        (None, None) => return Err(AppError::not_found(format!("Template {id}"))),
    };
    Ok(TemplateHistoryView {
        id,
        name,
        exists: current.is_some(),
        revisions: revisions
            .into_iter()
            .map(|r| crate::dto::template::RevisionRow {
                at: crate::server::query::build::moment(r.at, &zone),
                user_name: r.user_name,
                action: r.action.label().to_owned(),
                changes: r.changes,
            })
            .collect(),
    })
}
