//! A whole postmortem at once: read (for search and export) and written (for import).

use sea_orm::{ConnectionTrait, DbErr};

use super::{changes, follow_ups, impact, incidents, timeline};
use crate::domain::change::Change;
use crate::domain::export::PostmortemExport;
use crate::domain::follow_up::FollowUp;
use crate::domain::impact::ImpactFigure;
use crate::domain::incident::Incident;
use crate::domain::search::Parts;
use crate::domain::timeline::TimelineEntry;

/// A postmortem and all its parts, as stored.
pub struct Postmortem {
    pub incident: Incident,
    pub timeline: Vec<TimelineEntry>,
    pub impact: Vec<ImpactFigure>,
    pub changes: Vec<Change>,
    pub follow_ups: Vec<FollowUp>,
    /// The values of its template's own fields.
    pub field_values: Vec<crate::domain::template::FieldValue>,
    pub factors: Vec<crate::domain::factor::Factor>,
    /// The links to related incidents added on it.
    pub relations: Vec<crate::domain::relation::Relation>,
    /// Mentors' notes on it.
    pub mentor_notes: Vec<crate::domain::mentor_note::MentorNote>,
}

impl Postmortem {
    /// Its search documents: its parts' and its links' (what [`super::search::index_new`]
    /// writes).
    pub fn documents(&self) -> Vec<crate::domain::search::Document> {
        let mut docs = crate::domain::search::documents(&self.parts());
        docs.extend(
            self.relations
                .iter()
                .map(crate::domain::search::relation_document),
        );
        docs
    }

    /// Its parts, borrowed.
    pub fn parts(&self) -> Parts<'_> {
        Parts {
            incident: &self.incident,
            timeline: &self.timeline,
            impact: &self.impact,
            changes: &self.changes,
            follow_ups: &self.follow_ups,
            field_values: &self.field_values,
            factors: &self.factors,
            mentor_notes: &self.mentor_notes,
        }
    }
}

/// The postmortem of an incident, or None when there is no such incident.
///
/// # Errors
/// On a database failure.
pub async fn load<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Option<Postmortem>, DbErr> {
    let Some(incident) = incidents::get(conn, incident_id).await? else {
        return Ok(None);
    };
    Ok(Some(Postmortem {
        incident,
        timeline: timeline::list_for(conn, incident_id).await?,
        impact: impact::list_for_incidents(conn, &[incident_id]).await?,
        changes: changes::list_for(conn, incident_id).await?,
        follow_ups: follow_ups::list(
            conn,
            &follow_ups::FollowUpFilter {
                incident_id: Some(incident_id),
                ..Default::default()
            },
        )
        .await?,
        field_values: super::templates::values_of(conn, incident_id).await?.0,
        factors: super::factors::list_for(conn, incident_id).await?,
        relations: super::relations::added_on(conn, incident_id).await?,
        mentor_notes: super::mentor_notes::for_incidents(conn, &[incident_id], false).await?,
    }))
}

/// Writes an export (already checked) as a new draft postmortem, its mentor notes restored
/// under their writers' names; returns its incident id.
///
/// # Errors
/// On a database failure.
pub async fn import<C: ConnectionTrait>(conn: &C, export: &PostmortemExport) -> Result<i64, DbErr> {
    let incident_id = incidents::insert(conn, &export.draft(), &export.lessons).await?;
    super::templates::import_for(conn, incident_id, export.template.as_ref(), &export.fields)
        .await?;
    let mut entry_ids = Vec::new();
    for entry in &export.timeline {
        entry_ids.push(timeline::add(conn, incident_id, entry).await?);
    }
    for figure in &export.impact {
        impact::add(conn, incident_id, figure).await?;
    }
    for n in &export.mentor_notes {
        let entry = n.timeline_entry.and_then(|p| entry_ids.get(p).copied());
        let note = n.to_new(entry);
        super::mentor_notes::add(
            conn,
            (incident_id, note.timeline_entry_id),
            &super::mentor_notes::NoteText {
                body_md: &note.body_md,
                show_on_shared: note.show_on_shared,
            },
            (None, &n.author),
        )
        .await?;
    }
    let mut ids: Vec<(i64, Vec<i64>)> = Vec::new();
    for c in &export.changes {
        let change_id = changes::add(conn, incident_id, &c.change).await?;
        let mut parameter_ids = Vec::new();
        for p in &c.parameters {
            parameter_ids.push(changes::add_parameter(conn, change_id, p).await?);
        }
        ids.push((change_id, parameter_ids));
    }
    let mut factor_ids = Vec::new();
    for f in &export.factors {
        let mut changes = Vec::new();
        for link in f.change_links() {
            let Some((change_id, ps)) = ids.get(link.change) else {
                continue;
            };
            let parameter_id = link.parameter.and_then(|p| ps.get(p).copied());
            let link = crate::domain::factor::ChangeLink {
                change_id: *change_id,
                parameter_id,
            };
            if !changes.contains(&link) {
                changes.push(link);
            }
        }
        let mut timeline_entries = Vec::new();
        for id in f.entry_links().iter().filter_map(|n| entry_ids.get(*n)) {
            if !timeline_entries.contains(id) {
                timeline_entries.push(*id);
            }
        }
        let factor = crate::domain::factor::NewFactor {
            category_id: super::factors::category_named(conn, &f.category).await?,
            changes,
            timeline_entries,
            ..f.factor.clone()
        };
        factor_ids.push(super::factors::add(conn, incident_id, &factor).await?);
    }
    for f in &export.follow_ups {
        let mut follow_up = f.follow_up.clone();
        follow_up.factor_id = f.factor.and_then(|n| factor_ids.get(n).copied());
        let target = f.change.and_then(|c| ids.get(c));
        follow_up.change_id = target.map(|(id, _)| *id);
        follow_up.parameter_id =
            target.and_then(|(_, ps)| f.parameter.and_then(|p| ps.get(p).copied()));
        let id = follow_ups::add(conn, incident_id, &follow_up, f.state).await?;
        if (f.wont_do_reason.is_some() || f.evidence.is_some())
            && let Some(mut stored) = follow_ups::get(conn, id).await?
        {
            stored.wont_do_reason = f.wont_do_reason.clone();
            stored.evidence = f.evidence.clone();
            follow_ups::set_state(conn, &stored).await?;
        }
    }
    Ok(incident_id)
}
