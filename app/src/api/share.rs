//! Sharing a published postmortem beyond the team: a redacted version, previewed by an author,
//! served at an unguessable link anyone can open until it is revoked.
//!
//! The shared version is built from an allow-list: the `Shared*` types below hold every field
//! a stranger may read, filled from the published version, redacted (people become the part
//! they played, addresses and ticket keys are replaced, text marked "Internal:" is left out:
//! see `domain::share` and `server::markdown::render_shared`). A field added to a postmortem
//! reaches no one outside the team until it is added here. Left out altogether: owners, due
//! dates, tracker links, evidence, reasons, who started or reviewed a change, its plan and
//! parameter values, how an impact was estimated, comments, history, and every part an author
//! has marked to keep inside the team.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::dto::share::{
    ShareLinkRow, ShareMark, SharedChange, SharedEntry, SharedFollowUp, SharedImpact,
};
use crate::dto::share::{SharedView, Sharing};
use crate::error::AppError;

/// A published postmortem with what its sharing depends on.
#[cfg(feature = "ssr")]
struct Published {
    found: crate::domain::published::PublishedPostmortem,
    /// The follow-ups as published.
    follow_ups: Vec<crate::domain::follow_up::FollowUp>,
    /// The parts marked to stay inside the team, now (a sharing decision is not reviewed, so
    /// the live mark counts, not the one at publishing).
    marks: std::collections::HashSet<(crate::domain::history::Part, i64)>,
    /// The custom field values (as they are now: they are not kept with the published
    /// version).
    field_values: Vec<crate::domain::template::FieldValue>,
}

#[cfg(feature = "ssr")]
impl Published {
    /// The published version of an incident, or None when it has not been published.
    async fn load(
        state: &crate::server::AppState,
        incident_id: i64,
    ) -> Result<Option<Self>, AppError> {
        use crate::server::repo::{follow_ups, published, shares};
        let Some(found) = published::get(&state.db, incident_id).await? else {
            return Ok(None);
        };
        let follow_ups = match found.follow_ups.clone() {
            Some(kept) => kept,
            None => {
                // Published before the follow-ups were kept with it: those that existed then.
                let at = published::published_at(&state.db, incident_id).await?;
                follow_ups::list(
                    &state.db,
                    &follow_ups::FollowUpFilter {
                        incident_id: Some(incident_id),
                        ..Default::default()
                    },
                )
                .await?
                .into_iter()
                .filter(|f| at.is_none_or(|at| f.created_at <= at))
                .collect()
            }
        };
        let marks = shares::internal_marks(&state.db, incident_id).await?;
        let field_values = crate::server::repo::templates::values_of(&state.db, incident_id)
            .await?
            .0;
        Ok(Some(Self {
            found,
            follow_ups,
            marks,
            field_values,
        }))
    }

    fn shared(&self, part: crate::domain::history::Part, id: i64) -> bool {
        !self.marks.contains(&(part, id))
    }

    /// The free-text fields that hold names: follow-up owners and verifiers, who started and
    /// reviewed each change.
    fn typed_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for f in &self.follow_ups {
            names.push(&f.follow_up.owner);
            if let Some(v) = &f.verified {
                names.push(&v.by);
            }
        }
        for c in &self.found.changes {
            names.push(&c.change.started_by);
            names.push(&c.change.reviewer);
        }
        names
    }

    /// The redactor for this postmortem and the parts people played, redacted.
    async fn redactor(
        &self,
        state: &crate::server::AppState,
    ) -> Result<(crate::domain::share::Redactor, Vec<String>), AppError> {
        use crate::domain::share::{Redactor, SOMEONE, is_internal};
        use crate::server::repo::{accounts, participants};
        let incident_id = self.found.incident.id;
        let taking_part = participants::list_for(&state.db, incident_id).await?;
        let people = accounts::list(&state.db).await?;
        let names = self.typed_names();
        // The parts themselves are free text and may name someone.
        let anonymous = Redactor::new(
            people
                .iter()
                .map(|u| (u.display_name.as_str(), u.email.as_str(), SOMEONE)),
        )
        .with_names(names.iter().copied());
        let part_of = |user_id: i64| {
            taking_part
                .iter()
                .find(|p| p.user_id == user_id && !p.part.trim().is_empty())
                .filter(|p| !is_internal(&p.part))
                .map(|p| anonymous.redact(p.part.trim()))
        };
        let replacements: Vec<(&str, &str, String)> = people
            .iter()
            .map(|u| {
                let put = part_of(u.id).map_or_else(|| SOMEONE.to_owned(), |p| format!("the {p}"));
                (u.display_name.as_str(), u.email.as_str(), put)
            })
            .collect();
        let redactor = Redactor::new(replacements.iter().map(|(n, e, r)| (*n, *e, r.as_str())))
            .with_names(names.iter().copied());
        let mut parts: Vec<String> = Vec::new();
        for p in &taking_part {
            if let Some(part) = part_of(p.user_id)
                && !part.is_empty()
                && !parts.contains(&part)
            {
                parts.push(part);
            }
        }
        Ok((redactor, parts))
    }

    /// The shared version: only allow-listed fields, redacted.
    async fn view(&self, state: &crate::server::AppState) -> Result<SharedView, AppError> {
        use crate::domain::history::Part;
        use crate::domain::share::is_internal;
        use crate::domain::time::Zone;
        use crate::server::markdown::render_shared;
        use crate::server::query::build;

        let (redactor, parts) = self.redactor(state).await?;
        let related =
            crate::server::repo::relations::touching(&state.db, self.found.incident.id).await?;
        let text = |s: &str| redactor.redact(s);
        let md = |s: &str| render_shared(s, &redactor);
        let zone = super::zone();
        let incident = &self.found.incident;
        let start = incident.milestones.impact_started.as_ref();
        let notes =
            crate::server::repo::mentor_notes::for_incidents(&state.db, &[incident.id], true)
                .await?;
        Ok(SharedView {
            zone: zone.name(),
            title: text(&incident.title),
            severity: incident.severity,
            services: incident
                .services
                .iter()
                .filter(|s| !is_internal(s))
                .map(|s| text(s))
                .collect(),
            summary_html: md(&incident.summary_md),
            durations: build::header(incident, &zone).durations,
            parts,
            impact: self
                .found
                .impact
                .iter()
                .filter(|f| self.shared(Part::ImpactFigure, f.id))
                .filter(|f| !is_internal(&f.figure.affected))
                .map(|f| SharedImpact {
                    sentence: text(&f.figure.sentence()),
                    customer_visible: f.figure.customer_visible,
                })
                .collect(),
            changes: self
                .found
                .changes
                .iter()
                .filter(|c| self.shared(Part::Change, c.id))
                .filter(|c| !is_internal(&c.change.summary))
                .map(|c| SharedChange {
                    summary: text(&c.change.summary),
                    kind: c.change.kind,
                    system: text(&c.change.system),
                    identifier: text(&c.change.identifier),
                    relation: c.change.relation,
                    defaulted: c
                        .parameters
                        .iter()
                        .filter(|p| p.parameter.is_default)
                        .map(|p| text(&p.parameter.name))
                        .collect(),
                    rationale_html: md(&c.change.rationale_md),
                })
                .collect(),
            timeline: self
                .found
                .timeline
                .iter()
                .filter(|e| self.shared(Part::TimelineEntry, e.id))
                .filter(|e| !is_internal(&e.entry.body_md) && !is_internal(&e.entry.actor))
                .map(|e| SharedEntry {
                    time: build::time(&e.entry.time, &zone),
                    t_offset: start.map(|s| crate::domain::time::t_offset(s, &e.entry.time)),
                    kind: e.entry.kind,
                    marker: e.entry.marker,
                    actor: text(&e.entry.actor),
                    body_html: md(&e.entry.body_md),
                })
                .collect(),
            went_well_html: md(&incident.lessons.went_well_md),
            went_wrong_html: md(&incident.lessons.went_wrong_md),
            lucky_html: md(&incident.lessons.lucky_md),
            follow_ups: self
                .follow_ups
                .iter()
                .filter(|f| self.shared(Part::FollowUp, f.id))
                .filter(|f| !is_internal(&f.follow_up.title))
                .map(|f| SharedFollowUp {
                    title: text(&f.follow_up.title),
                    action_type: f.follow_up.action_type,
                    priority: f.follow_up.priority,
                    state: f.state,
                })
                .collect(),
            // Free text like any other: a value marked internal stays inside the team, and
            // names, links and hosts in the rest are redacted.
            fields: self
                .field_values
                .iter()
                .filter(|v| !is_internal(&v.value) && !is_internal(&v.label))
                .map(|v| (text(&v.label), text(&v.value)))
                .collect(),
            factors: self
                .found
                .factors
                .iter()
                .flatten()
                .filter(|f| !is_internal(&f.factor.statement))
                .map(|f| crate::dto::share::SharedFactor {
                    statement: text(&f.factor.statement),
                    category: text(&f.category),
                    role: f.factor.role,
                })
                .collect(),
            related: related
                .iter()
                .filter_map(|r| {
                    let own = r.incident_id == incident.id;
                    let (kind, _) = r.seen_from(incident.id)?;
                    // A note written on the other incident is that postmortem's, not this one's.
                    let note = if own && !is_internal(&r.relation.note) {
                        text(&crate::domain::share::without_internal(&r.relation.note))
                    } else {
                        String::new()
                    };
                    Some(crate::dto::share::SharedRelation {
                        wording: kind.anonymous(),
                        note,
                    })
                })
                .collect(),
            // Only notes chosen for shared pages, never who wrote them; a note on an entry
            // kept inside the team stays inside with it.
            mentor_notes: notes
                .iter()
                .filter(|n| !is_internal(&n.body_md))
                .filter_map(|n| {
                    let on = match n.timeline_entry_id {
                        None => crate::server::query::mentor_notes::WHOLE_LESSON.to_owned(),
                        Some(id) => {
                            let e = self.found.timeline.iter().find(|e| {
                                e.id == id
                                    && self.shared(Part::TimelineEntry, e.id)
                                    && !is_internal(&e.entry.body_md)
                                    && !is_internal(&e.entry.actor)
                            })?;
                            format!("The entry at {}", build::time(&e.entry.time, &zone))
                        }
                    };
                    Some(crate::dto::mentor_notes::SharedMentorNote {
                        on,
                        html: md(&n.body_md),
                    })
                })
                .collect(),
        })
    }

    /// Every part that can be kept inside the team, for its authors.
    fn marks(&self) -> Vec<ShareMark> {
        use crate::domain::history::Part;
        use crate::domain::share::is_internal;
        let zone = super::zone();
        let mark = |part: Part, id: i64, text: String, by_text: bool| ShareMark {
            part: part.as_str().to_owned(),
            id,
            label: part.label().to_owned(),
            text: crate::domain::text::first_line(&text, 120),
            internal: !self.shared(part, id),
            internal_by_text: by_text,
        };
        let found = &self.found;
        let mut marks = Vec::new();
        for e in &found.timeline {
            let time = crate::server::query::build::time(&e.entry.time, &zone);
            marks.push(mark(
                Part::TimelineEntry,
                e.id,
                format!("{time} · {}: {}", e.entry.actor, e.entry.body_md),
                is_internal(&e.entry.body_md) || is_internal(&e.entry.actor),
            ));
        }
        for f in &found.impact {
            marks.push(mark(
                Part::ImpactFigure,
                f.id,
                f.figure.sentence(),
                is_internal(&f.figure.affected),
            ));
        }
        for c in &found.changes {
            marks.push(mark(
                Part::Change,
                c.id,
                c.change.summary.clone(),
                is_internal(&c.change.summary),
            ));
        }
        for f in &self.follow_ups {
            marks.push(mark(
                Part::FollowUp,
                f.id,
                f.follow_up.title.clone(),
                is_internal(&f.follow_up.title),
            ));
        }
        marks
    }
}

/// The redacted version of a published postmortem, or None when it has not been published.
#[cfg(feature = "ssr")]
async fn shared_view(
    state: &crate::server::AppState,
    incident_id: i64,
) -> Result<Option<SharedView>, AppError> {
    match Published::load(state, incident_id).await? {
        Some(published) => Ok(Some(published.view(state).await?)),
        None => Ok(None),
    }
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
            created_at: crate::server::query::build::moment(link.created_at, &zone),
            revoked_at: link
                .revoked_at
                .map(|at| crate::server::query::build::moment(at, &zone)),
        })
        .collect();
    let published = Published::load(&state, id).await?;
    let (preview, marks) = match &published {
        Some(p) => (Some(p.view(&state).await?), p.marks()),
        None => (None, Vec::new()),
    };
    Ok(Sharing {
        incident_id: id,
        title: incident.title,
        origin,
        preview,
        marks,
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
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::shares::create(
        &txn,
        id,
        &token_digest(&token),
        (user.id, &user.display_name),
    )
    .await?;
    txn.commit().await?;
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
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::shares::revoke(&txn, id).await?;
    txn.commit().await?;
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

/// Keeps a part of a published postmortem (`part`: timeline_entry, impact_figure, change or
/// follow_up) inside the team when it is shared, or shares it again. A sharing decision, not
/// an edit of what was reviewed, so it can be made on a published postmortem; it is recorded
/// in the postmortem's history with who made it.
#[server(prefix = "/api", endpoint = "share/internal")]
pub async fn set_internal(part: String, id: i64, internal: bool) -> Result<(), AppError> {
    use super::edit::{Edit, Scope};
    use crate::domain::history::{Action, Part, fields};
    use crate::server::repo::shares;
    let state = super::state()?;
    super::access::user()?;
    let part = Part::parse(part.trim())
        .filter(|p| shares::is_markable(*p))
        .ok_or_else(|| {
            AppError::invalid(
                "part",
                "Only a timeline entry, an impact figure, a change or a follow-up can be kept \
                 inside the team.",
            )
        })?;
    let missing = || AppError::not_found(format!("{} {id}", part.label()));
    let (incident_id, _) = shares::mark_of(&state.db, part, id)
        .await?
        .ok_or_else(missing)?;
    let (edit, _) = Edit::begin(&state, incident_id, Scope::Sharing).await?;
    let (_, was) = shares::mark_of(edit.txn(), part, id)
        .await?
        .ok_or_else(missing)?;
    if was != internal {
        shares::set_internal(edit.txn(), part, id, internal).await?;
        let says = |internal: bool| {
            if internal {
                "kept inside the team"
            } else {
                "shared beyond the team"
            }
        };
        edit.record(
            part,
            id,
            Action::Updated,
            format!("{} {id}: {} when shared", part.label(), says(internal)),
            Some(fields(&[("sharing", says(was))])),
            Some(fields(&[("sharing", says(internal))])),
        )
        .await?;
    }
    edit.commit().await?;
    super::redirect(&format!("/incidents/{incident_id}/share"));
    Ok(())
}
