//! Sharing a published postmortem beyond the team: a redacted version (people's names replaced
//! by the part they played; lines marked "Internal:", owners, tracker links, evidence, reasons,
//! comments, history and participants' names left out), previewed by an author, served at an unguessable link anyone
//! can open until it is revoked.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::views::{ChangeView, ImpactRow, IncidentHeader, LessonsView, TimelineRow};
use crate::domain::follow_up::{ActionType, FollowUpState, Priority};
use crate::error::AppError;

/// A follow-up as others see it: what, how urgent, and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedFollowUp {
    pub title: String,
    pub action_type: ActionType,
    pub priority: Priority,
    pub state: FollowUpState,
}

/// The redacted postmortem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedView {
    pub zone: String,
    pub header: IncidentHeader,
    /// The parts people played ("incident commander"), without their names.
    pub parts: Vec<String>,
    pub impact: Vec<ImpactRow>,
    pub changes: Vec<ChangeView>,
    pub timeline: Vec<TimelineRow>,
    pub lessons: LessonsView,
    pub follow_ups: Vec<SharedFollowUp>,
}

/// One share link as its postmortem's authors see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareLinkRow {
    pub id: i64,
    pub created_by: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The sharing page: the preview and the links made so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sharing {
    pub incident_id: i64,
    pub title: String,
    /// "https://debrief.example.com", for showing a whole link to copy.
    pub origin: String,
    /// None until the postmortem is published.
    pub preview: Option<SharedView>,
    pub links: Vec<ShareLinkRow>,
}

/// The redacted version of a published postmortem, or None when it has not been published.
#[cfg(feature = "ssr")]
async fn shared_view(
    state: &crate::server::AppState,
    incident_id: i64,
) -> Result<Option<SharedView>, AppError> {
    use super::views::build;
    use crate::domain::share::Redactor;
    use crate::domain::time::Zone;
    use crate::server::markdown::without_links;
    use crate::server::repo::{accounts, follow_ups, participants, published};

    let Some(mut found) = published::get(&state.db, incident_id).await? else {
        return Ok(None);
    };
    // An entry whose whole text is marked internal is left out whole.
    found.timeline.retain(|e| {
        e.entry.body_md.trim().is_empty()
            || !crate::domain::share::without_internal(&e.entry.body_md)
                .trim()
                .is_empty()
    });
    let zone = super::zone();
    let taking_part = participants::list_for(&state.db, incident_id).await?;
    let people = accounts::list(&state.db).await?;
    let replacement = |user_id: i64| {
        taking_part
            .iter()
            .find(|p| p.user_id == user_id && !p.part.trim().is_empty())
            .map_or_else(
                || "a team member".to_owned(),
                |p| format!("the {}", p.part.trim()),
            )
    };
    let replacements: Vec<(String, String, String)> = people
        .iter()
        .map(|u| (u.display_name.clone(), u.email.clone(), replacement(u.id)))
        .collect();
    let redactor = Redactor::new(
        replacements
            .iter()
            .map(|(n, e, r)| (n.as_str(), e.as_str(), r.as_str())),
    );
    let mut value = serde_json::to_value(&found).map_err(super::internal)?;
    redactor.redact_json(&mut value);
    let mut redacted: crate::domain::published::PublishedPostmortem =
        serde_json::from_value(value).map_err(super::internal)?;
    for change in &mut redacted.changes {
        change.change.link = None;
    }
    let incident = &redacted.incident;
    let mut header = build::header(incident, &zone);
    header.summary_html = without_links(&header.summary_html);
    let mut lessons = build::lessons(incident);
    for html in [
        &mut lessons.went_well_html,
        &mut lessons.went_wrong_html,
        &mut lessons.lucky_html,
    ] {
        *html = without_links(html);
    }
    let start = incident.milestones.impact_started.as_ref();
    let actions = follow_ups::list(
        &state.db,
        &follow_ups::FollowUpFilter {
            incident_id: Some(incident_id),
            ..Default::default()
        },
    )
    .await?;
    let mut parts: Vec<String> = taking_part
        .iter()
        .map(|p| p.part.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    parts.dedup();
    Ok(Some(SharedView {
        zone: zone.name(),
        header,
        parts,
        impact: redacted.impact.iter().map(build::impact).collect(),
        changes: redacted
            .changes
            .iter()
            .map(|c| {
                let mut view = build::change(c, &zone);
                view.rationale_html = without_links(&view.rationale_html);
                view
            })
            .collect(),
        timeline: redacted
            .timeline
            .iter()
            .map(|e| {
                let mut row = build::timeline(e, start, &zone);
                row.body_html = without_links(&row.body_html);
                row
            })
            .collect(),
        lessons,
        follow_ups: actions
            .iter()
            .filter(|f| !crate::domain::share::without_internal(&f.follow_up.title).is_empty())
            .map(|f| SharedFollowUp {
                title: redactor.redact(&f.follow_up.title),
                action_type: f.follow_up.action_type,
                priority: f.follow_up.priority,
                state: f.state,
            })
            .collect(),
    }))
}

/// The incident an author may share, or the refusal.
#[cfg(feature = "ssr")]
async fn shareable(
    state: &crate::server::AppState,
    id: i64,
) -> Result<
    (
        crate::domain::account::User,
        crate::domain::incident::Incident,
    ),
    AppError,
> {
    let (user, incident) = super::access::readable_incident(state, id).await?;
    super::access::require(crate::domain::account::Role::Author)?;
    Ok((user, incident))
}

/// The sharing page of an incident (authors).
#[server(prefix = "/api", endpoint = "share/overview")]
pub async fn share_overview(id: i64) -> Result<Sharing, AppError> {
    let state = super::state()?;
    let (_, incident) = shareable(&state, id).await?;
    let zone = super::zone();
    let origin = use_context::<http::request::Parts>()
        .map(|parts| {
            let scheme = if crate::server::session::is_https(&parts) {
                "https"
            } else {
                "http"
            };
            let host = parts
                .headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("{scheme}://{host}")
        })
        .unwrap_or_default();
    let links = crate::server::repo::shares::list_for(&state.db, id)
        .await?
        .into_iter()
        .map(|link| ShareLinkRow {
            id: link.id,
            created_by: link.created_by,
            created_at: super::views::build::moment(link.created_at, &zone),
            revoked_at: link
                .revoked_at
                .map(|at| super::views::build::moment(at, &zone)),
        })
        .collect();
    Ok(Sharing {
        incident_id: id,
        title: incident.title,
        origin,
        preview: shared_view(&state, id).await?,
        links,
    })
}

/// Makes a new share link for a published postmortem; returns its token (shown once, never in
/// an address: only its digest is kept).
#[server(prefix = "/api", endpoint = "share/create")]
pub async fn create_share_link(id: i64) -> Result<String, AppError> {
    use crate::server::password::{random_token, token_digest};
    let state = super::state()?;
    let (user, _) = shareable(&state, id).await?;
    if crate::server::repo::published::get(&state.db, id)
        .await?
        .is_none()
    {
        return Err(AppError::invalid(
            "id",
            "Only a published postmortem can be shared: publish it after its review first.",
        ));
    }
    let token = random_token();
    crate::server::repo::shares::create(
        &state.db,
        id,
        &token_digest(&token),
        (user.id, &user.display_name),
    )
    .await?;
    super::show_once(&format!("/incidents/{id}/share"), &token).await?;
    Ok(token)
}

/// Revokes a share link: it stops working at once.
#[server(prefix = "/api", endpoint = "share/revoke")]
pub async fn revoke_share_link(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::user()?;
    let link = crate::server::repo::shares::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Share link {id}")))?;
    shareable(&state, link.incident_id).await?;
    crate::server::repo::shares::revoke(&state.db, id).await?;
    super::redirect(&format!("/incidents/{}/share", link.incident_id));
    Ok(())
}

/// The shared postmortem behind a link, for anyone holding it; not found once revoked.
#[server(prefix = "/api", endpoint = "share/view")]
pub async fn shared_postmortem(token: String) -> Result<SharedView, AppError> {
    use crate::server::password::token_digest;
    let state = super::state()?;
    let gone = || AppError::not_found("This shared postmortem (the link may have been revoked)");
    let link = crate::server::repo::shares::find(&state.db, &token_digest(token.trim()))
        .await?
        .filter(|link| link.revoked_at.is_none())
        .ok_or_else(gone)?;
    shared_view(&state, link.incident_id)
        .await?
        .ok_or_else(gone)
}
