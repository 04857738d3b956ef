//! Export and import: a postmortem as Markdown or JSON (downloaded through `endpoints`), a JSON
//! export imported as a new draft, and the follow-ups as CSV.

use leptos::prelude::*;

use crate::error::AppError;

/// The problems of an import, in the one field the import form has.
#[cfg(feature = "ssr")]
fn listed(errors: crate::domain::form::FieldErrors) -> AppError {
    let listed: Vec<String> = errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    AppError::invalid("json", listed.join(" "))
}

/// Gives each imported follow-up whose owner is named after an active account that account, as
/// if the person had been picked in the follow-up form; any other owner stays the name it was
/// exported with (a team, or someone without an account here), as the form keeps it.
#[cfg(feature = "ssr")]
async fn own_by_accounts(
    txn: &sea_orm::DatabaseTransaction,
    export: &mut crate::domain::export::PostmortemExport,
) -> Result<(), AppError> {
    if export
        .follow_ups
        .iter()
        .all(|f| f.follow_up.owner.is_empty())
    {
        return Ok(());
    }
    let people = crate::server::repo::accounts::list(txn).await?;
    for f in &mut export.follow_ups {
        let name = f.follow_up.owner.trim();
        if let Some(person) = people.iter().find(|p| {
            p.active && !name.is_empty() && p.display_name.trim().eq_ignore_ascii_case(name)
        }) {
            f.follow_up.owner_id = Some(person.id);
            f.follow_up.owner = person.display_name.clone();
        }
    }
    Ok(())
}

/// Imports a JSON export (authors) as a new draft postmortem; returns its id.
#[server(prefix = "/api", endpoint = "incidents/import")]
pub async fn import_postmortem(json: String) -> Result<i64, AppError> {
    use crate::domain::export::PostmortemExport;
    let state = super::state()?;
    let creation = super::edit::Creation::begin(&state).await?;
    if json.trim().is_empty() {
        return Err(AppError::invalid(
            "json",
            "Paste the JSON a Debrief export gave you.",
        ));
    }
    let mut export: PostmortemExport = serde_json::from_str(&json).map_err(|e| {
        AppError::invalid(
            "json",
            format!("This is not a Debrief postmortem export: {e}."),
        )
    })?;
    export.check().map_err(listed)?;
    own_by_accounts(creation.txn(), &mut export).await?;
    let id = crate::server::repo::postmortem::import(creation.txn(), &export).await?;
    let edit = creation.created(id, &export.draft()).await?;
    relink(&edit, id, &export.related).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{id}"));
    Ok(id)
}

/// Links an imported postmortem to its related incidents again: each to the one incident here
/// titled exactly as it was exported (its number means nothing here). A related incident with
/// no such title, or with several, is not linked; the links are recorded in both histories.
#[cfg(feature = "ssr")]
async fn relink(
    edit: &crate::server::edit::Edit,
    id: i64,
    related: &[crate::domain::relation::ExportedRelation],
) -> Result<(), AppError> {
    use crate::domain::relation::NewRelation;
    use crate::server::repo::relations::{self, RelationPart};
    let mut linked: Vec<i64> = Vec::new();
    for r in related {
        let found: Vec<i64> = relations::titled(edit.txn(), &r.title)
            .await?
            .into_iter()
            .filter(|other| *other != id)
            .collect();
        if let [other] = found[..]
            && !linked.contains(&other)
        {
            let new = NewRelation {
                kind: r.kind,
                related_incident_id: other,
                note: r.note.trim().to_owned(),
            };
            edit.add::<RelationPart>(id, &new).await?;
            linked.push(other);
        }
    }
    Ok(())
}
