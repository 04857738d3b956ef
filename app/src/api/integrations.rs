//! Integrations: the tokens admins make for CI systems and deploy tools, the changes those
//! record through the change API (`POST /api/v1/changes`, in `server::http::v1`), and linking a
//! recorded change to an incident's postmortem.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::integrations::{CHANGE_LOG_LENGTH, LINK_CHOICES, RecordedRow};
use crate::dto::integrations::{ChangeLog, TokenRow};
use crate::error::AppError;

/// Every integration token (admins).
#[server(prefix = "/api", endpoint = "integrations/list")]
pub async fn list_integrations() -> Result<Vec<TokenRow>, AppError> {
    use crate::server::query::build::moment;
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let zone = super::zone();
    Ok(crate::server::repo::integrations::list_tokens(&state.db)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: format!("{} by {}", moment(t.created_at, &zone), t.created_by),
            last_used: t.last_used_at.map(|at| moment(at, &zone)),
            revoked: t.revoked_at.map(|at| moment(at, &zone)),
            scopes: t.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
        })
        .collect())
}

/// Makes a token for an integration (admins) with the scopes ticked (`read`, `write_changes`,
/// `write_follow_ups`: checkboxes, "on" when ticked; at least one); returns it. It is shown
/// once, never in an address: only its digest is kept. The form says it offered the scopes
/// (`scopes_offered`); a caller that does not (one written before scopes) gets a token that
/// records changes, as every token did then.
#[server(prefix = "/api", endpoint = "integrations/create")]
pub async fn create_integration_token(
    name: String,
    #[server(default)] read: String,
    #[server(default)] write_changes: String,
    #[server(default)] write_follow_ups: String,
    #[server(default)] scopes_offered: String,
) -> Result<String, AppError> {
    use crate::domain::form::{FieldErrors, MAX_SHORT_TEXT_CHARS, checkbox, required_text};
    use crate::domain::integration::TokenScope;
    use crate::server::password::{random_token, token_digest};
    let state = super::state()?;
    let admin = super::access::require(crate::domain::account::Role::Admin)?;
    let mut errors = FieldErrors::new();
    let name = errors.check(
        "name",
        required_text(&name, "The integration's name", MAX_SHORT_TEXT_CHARS),
    );
    let scopes: Vec<TokenScope> = [
        (read, TokenScope::Read),
        (write_changes, TokenScope::WriteChanges),
        (write_follow_ups, TokenScope::WriteFollowUps),
    ]
    .into_iter()
    .filter(|(ticked, _)| checkbox(ticked))
    .map(|(_, scope)| scope)
    .collect();
    let scopes = if scopes.is_empty() && scopes_offered.is_empty() {
        crate::domain::integration::LEGACY_SCOPES.to_vec()
    } else {
        scopes
    };
    if scopes.is_empty() {
        errors.add(
            "read",
            "Tick what the integration may do: a token that may do nothing is of no use.",
        );
    }
    let name = errors.into_result(name)?.unwrap_or_default();
    let token = random_token();
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::integrations::create_scoped_token(
        &txn,
        &name,
        &token_digest(&token),
        &admin.display_name,
        &scopes,
    )
    .await?;
    txn.commit().await?;
    super::show_once("/admin/integrations", &token).await?;
    Ok(token)
}

/// Revokes a token (admins): the integration's next call is refused.
#[server(prefix = "/api", endpoint = "integrations/revoke")]
pub async fn revoke_integration_token(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    if !crate::server::repo::integrations::revoke_token(&txn, id).await? {
        return Err(AppError::not_found(format!("Integration token {id}")));
    }
    txn.commit().await?;
    super::redirect("/admin/integrations");
    Ok(())
}

/// The latest recorded changes (authors).
#[server(prefix = "/api", endpoint = "integrations/changes")]
pub async fn recorded_changes() -> Result<ChangeLog, AppError> {
    use crate::domain::incident::IncidentStatus;
    use crate::server::query::build::{moment, time};
    use crate::server::repo::{incidents, integrations};
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Author)?;
    let zone = super::zone();
    let latest = integrations::latest(&state.db, CHANGE_LOG_LENGTH).await?;
    let linked: Vec<i64> = latest
        .iter()
        .filter_map(|r| r.linked.map(|(incident, _)| incident))
        .collect();
    let all = if linked.is_empty() {
        Vec::new()
    } else {
        use sea_orm::ColumnTrait;
        incidents::titles_where(
            &state.db,
            sea_orm::Condition::all()
                .add(crate::server::entities::incidents::Column::Id.is_in(linked)),
            CHANGE_LOG_LENGTH,
        )
        .await?
    };
    let rows = latest
        .into_iter()
        .map(|r| {
            let c = &r.change.change;
            RecordedRow {
                id: r.id,
                name: if c.identifier.is_empty() {
                    c.system.clone()
                } else {
                    format!("{} · {}", c.system, c.identifier)
                },
                summary: c.summary.clone(),
                kind: c.kind.label().to_owned(),
                time: c.time.as_ref().map(|t| time(t, &zone)),
                parameters: r
                    .change
                    .parameters
                    .iter()
                    .map(|p| {
                        if p.is_default {
                            format!("{} (took the default)", p.name)
                        } else {
                            format!("{} = {}", p.name, p.value)
                        }
                    })
                    .collect(),
                source: r.source.clone(),
                recorded: moment(r.recorded_at, &zone),
                linked: r.linked.map(|(incident, _)| {
                    let title = all
                        .iter()
                        .find(|(id, _)| *id == incident)
                        .map(|(_, title)| title.clone())
                        .unwrap_or_else(|| format!("Incident {incident}"));
                    (incident, title)
                }),
            }
        })
        .collect();
    // Those a recorded change may be linked to: the most recent postmortems being written (each
    // row offers them all, so not every draft there has ever been).
    let incidents = {
        use sea_orm::ColumnTrait;
        incidents::titles_where(
            &state.db,
            sea_orm::Condition::all().add(
                crate::server::entities::incidents::Column::Status.is_in([
                    IncidentStatus::Draft.as_str(),
                    IncidentStatus::ChangesRequested.as_str(),
                ]),
            ),
            LINK_CHOICES,
        )
        .await?
    };
    Ok(ChangeLog { rows, incidents })
}

/// Copies a recorded change, with its parameters, onto an incident's postmortem as a suspected
/// change (authors, while the postmortem is being written); recorded in its history.
#[server(prefix = "/api", endpoint = "integrations/link")]
pub async fn link_recorded_change(id: i64, incident_id: i64) -> Result<i64, AppError> {
    use super::edit::{Edit, Scope};
    use crate::server::repo::changes::{ChangePart, ParameterPart};
    use crate::server::repo::integrations;
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Author)?;
    let recorded = integrations::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Recorded change {id}")))?;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Postmortem).await?;
    let change_id = edit
        .add::<ChangePart>(incident_id, &recorded.change.change)
        .await?;
    for parameter in &recorded.change.parameters {
        edit.add::<ParameterPart>(change_id, parameter).await?;
    }
    integrations::mark_linked(edit.txn(), id, incident_id, change_id).await?;
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}#change-{change_id}"));
    Ok(change_id)
}
