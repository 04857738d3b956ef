//! Exporting a postmortem: as Markdown (a faithful, readable document) and as JSON (everything
//! another Debrief needs to import it: ids are replaced by positions, people by their names).
//! Importing checks the JSON with the rules the forms apply before anything is written.

use serde::{Deserialize, Serialize};

use crate::domain::change::{NewChange, NewParameter};
use crate::domain::factor::{FactorForm, NewFactor};
use crate::domain::follow_up::{FollowUpState, NewFollowUp, TransitionForm};
use crate::domain::form::FieldErrors;
use crate::domain::impact::NewImpactFigure;
use crate::domain::incident::{IncidentStatus, Lessons, NewIncident};
use crate::domain::search::Parts;
use crate::domain::time::{RecordedTime, Zone, t_offset};
use crate::domain::timeline::NewTimelineEntry;

/// What the JSON says it is.
pub const FORMAT: &str = "debrief-postmortem";
/// The version of the JSON format this Debrief writes. Version 2 added timeline entries' time
/// sources, impact kinds without a count, contributing factors, related incidents and the
/// template with its field values, each absent from (and empty when reading) version 1. Mentor
/// notes came later within version 2: absent from (and empty when reading) earlier exports,
/// and left aside by a Debrief from before them.
pub const VERSION: u32 = 2;
/// The oldest version this Debrief still reads.
pub const OLDEST_READ: u32 = 1;

/// A change with its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedChange {
    pub change: NewChange,
    pub parameters: Vec<NewParameter>,
}

/// A follow-up, its target given by position in `changes` and that change's `parameters`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedFollowUp {
    /// Its fields; `owner_id`, `change_id` and `parameter_id` are not exported (the owner's
    /// name is).
    pub follow_up: NewFollowUp,
    pub state: FollowUpState,
    pub wont_do_reason: Option<String>,
    pub evidence: Option<String>,
    pub change: Option<usize>,
    pub parameter: Option<usize>,
    /// The factor it addresses, by position in `factors`.
    #[serde(default)]
    pub factor: Option<usize>,
}

/// A contributing factor, its category by name and its links by position (`changes` in
/// `changes`, each with a parameter by position in that change's `parameters`;
/// `timeline_entries` in `timeline`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportedFactor {
    /// Its fields; `category_id`, `changes` and `timeline_entries` are not exported (they are
    /// ids).
    pub factor: NewFactor,
    pub category: String,
    /// The one change of an export from before a factor had several links (still read; this
    /// Debrief writes `changes`).
    #[serde(default)]
    pub change: Option<usize>,
    /// The parameter of that one change.
    #[serde(default)]
    pub parameter: Option<usize>,
    /// The one timeline entry of an export from before a factor had several links.
    #[serde(default)]
    pub timeline_entry: Option<usize>,
    /// The changes (or parameters of them) that show it.
    #[serde(default)]
    pub changes: Vec<ExportedChangeLink>,
    /// The timeline entries that show it, by position in `timeline`.
    #[serde(default)]
    pub timeline_entries: Vec<usize>,
}

/// A change that shows a factor, by position in `changes`, and one of its parameters by position
/// in that change's `parameters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedChangeLink {
    pub change: usize,
    #[serde(default)]
    pub parameter: Option<usize>,
}

impl ExportedFactor {
    /// Every change it links to: its list, and the one change of an older export.
    pub fn change_links(&self) -> Vec<ExportedChangeLink> {
        let mut links = self.changes.clone();
        if let Some(change) = self.change {
            let old = ExportedChangeLink {
                change,
                parameter: self.parameter,
            };
            if !links.contains(&old) {
                links.insert(0, old);
            }
        }
        links
    }

    /// Every timeline entry it links to: its list, and the one entry of an older export.
    pub fn entry_links(&self) -> Vec<usize> {
        let mut links = self.timeline_entries.clone();
        if let Some(entry) = self.timeline_entry
            && !links.contains(&entry)
        {
            links.insert(0, entry);
        }
        links
    }
}

/// A whole postmortem, as exported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostmortemExport {
    pub format: String,
    pub version: u32,
    pub incident: NewIncident,
    pub lessons: Lessons,
    pub timeline: Vec<NewTimelineEntry>,
    pub impact: Vec<NewImpactFigure>,
    pub changes: Vec<ExportedChange>,
    pub follow_ups: Vec<ExportedFollowUp>,
    /// The template it followed (None: the default one). An import follows the template of
    /// that name, made from this definition when the importing Debrief has none of that name.
    #[serde(default)]
    pub template: Option<crate::domain::template::ExportedTemplate>,
    /// The values of its template's own fields (and of earlier templates'), by key with their
    /// labels.
    #[serde(default)]
    pub fields: Vec<crate::domain::template::FieldValue>,
    /// Exports from before contributing factors have none.
    #[serde(default)]
    pub factors: Vec<ExportedFactor>,
    /// Related incidents, by number and title (filled in by the server, which knows which the
    /// reader may read); an import relinks each to the one incident here of that exact title.
    #[serde(default)]
    pub related: Vec<crate::domain::relation::ExportedRelation>,
    /// Mentors' notes on the published postmortem (see [`ExportedMentorNote`]).
    #[serde(default)]
    pub mentor_notes: Vec<ExportedMentorNote>,
}

impl PostmortemExport {
    /// The export of a stored postmortem.
    pub fn of(parts: &Parts<'_>) -> Self {
        let changes: Vec<ExportedChange> = parts
            .changes
            .iter()
            .map(|c| ExportedChange {
                change: c.change.clone(),
                parameters: c.parameters.iter().map(|p| p.parameter.clone()).collect(),
            })
            .collect();
        let follow_ups = parts
            .follow_ups
            .iter()
            .map(|f| {
                let change = f
                    .follow_up
                    .change_id
                    .and_then(|id| parts.changes.iter().position(|c| c.id == id));
                let parameter = change.and_then(|index| {
                    let pid = f.follow_up.parameter_id?;
                    parts.changes[index]
                        .parameters
                        .iter()
                        .position(|p| p.id == pid)
                });
                ExportedFollowUp {
                    follow_up: NewFollowUp {
                        owner_id: None,
                        change_id: None,
                        parameter_id: None,
                        factor_id: None,
                        ..f.follow_up.clone()
                    },
                    state: f.state,
                    wont_do_reason: f.wont_do_reason.clone(),
                    evidence: f.evidence.clone(),
                    change,
                    parameter,
                    factor: f
                        .follow_up
                        .factor_id
                        .and_then(|id| parts.factors.iter().position(|x| x.id == id)),
                }
            })
            .collect();
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            incident: parts.incident.as_new(),
            lessons: parts.incident.lessons.clone(),
            timeline: parts.timeline.iter().map(|e| e.entry.clone()).collect(),
            impact: parts.impact.iter().map(|f| f.figure.clone()).collect(),
            changes,
            follow_ups,
            template: None,
            fields: parts.field_values.to_vec(),
            factors: parts
                .factors
                .iter()
                .map(|f| ExportedFactor {
                    factor: NewFactor {
                        category_id: 0,
                        changes: Vec::new(),
                        timeline_entries: Vec::new(),
                        ..f.factor.clone()
                    },
                    category: f.category.clone(),
                    change: None,
                    parameter: None,
                    timeline_entry: None,
                    changes: f
                        .factor
                        .changes
                        .iter()
                        .filter_map(|link| {
                            let change =
                                parts.changes.iter().position(|c| c.id == link.change_id)?;
                            let parameter = match link.parameter_id {
                                None => None,
                                Some(pid) => Some(
                                    parts.changes[change]
                                        .parameters
                                        .iter()
                                        .position(|p| p.id == pid)?,
                                ),
                            };
                            Some(ExportedChangeLink { change, parameter })
                        })
                        .collect(),
                    timeline_entries: f
                        .factor
                        .timeline_entries
                        .iter()
                        .filter_map(|id| parts.timeline.iter().position(|e| e.id == *id))
                        .collect(),
                })
                .collect(),
            related: Vec::new(),
            mentor_notes: notes::exported(parts),
        }
    }

    /// Checks an export before it is imported. An imported postmortem starts as a draft.
    ///
    /// Every part must be what its edit form would save, so an import breaks no rule the forms
    /// keep.
    ///
    /// # Errors
    /// Every problem, named by its place in the JSON (`follow_ups[1].change`,
    /// `impact[0].quantity`).
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.format != FORMAT || !(OLDEST_READ..=VERSION).contains(&self.version) {
            errors.add(
                "format",
                format!(
                    "This is not a Debrief postmortem export this Debrief reads (format “{FORMAT}”, \
                     versions {OLDEST_READ} to {VERSION}; this one says “{}”, version {}).",
                    self.format, self.version
                ),
            );
            return Err(errors);
        }
        forms::check_parts(self, &mut errors);
        if let Err(e) = self.incident.milestones.check_order() {
            errors.add("incident.milestones", e.to_string());
        }
        for (i, c) in self.changes.iter().enumerate() {
            for (j, p) in c.parameters.iter().enumerate() {
                if c.parameters[..j]
                    .iter()
                    .any(|q| q.name.eq_ignore_ascii_case(&p.name))
                {
                    errors.add(
                        &format!("changes[{i}].parameters[{j}].name"),
                        format!("“{}” is listed twice.", p.name),
                    );
                }
            }
        }
        self.check_factors(&mut errors);
        notes::check(self, &mut errors);
        for (i, f) in self.follow_ups.iter().enumerate() {
            let at = |field: &str| format!("follow_ups[{i}].{field}");
            if f.factor.is_some_and(|n| n >= self.factors.len()) {
                errors.add(
                    &at("factor"),
                    "It addresses a factor that is not in the export.",
                );
            }
            let change = f.change.and_then(|c| self.changes.get(c));
            if f.change.is_some() && change.is_none() {
                errors.add(
                    &at("change"),
                    "It targets a change that is not in the export.",
                );
            }
            if let Some(p) = f.parameter
                && change.is_none_or(|c| p >= c.parameters.len())
            {
                errors.add(
                    &at("parameter"),
                    "It targets a parameter its change does not have.",
                );
            }
            if f.state.needs_owner_and_due() && !f.follow_up.has_owner_and_due() {
                errors.add(
                    &at("state"),
                    "A committed or in-progress follow-up needs an owner and a due date.",
                );
            }
            if f.state == FollowUpState::WontDo
                && f.wont_do_reason
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty())
            {
                errors.add(
                    &at("wont_do_reason"),
                    "A follow-up that won't be done needs its reason.",
                );
            }
            if f.state == FollowUpState::Verified
                && f.evidence.as_deref().is_none_or(|e| e.trim().is_empty())
            {
                errors.add(&at("evidence"), "A verified follow-up needs its evidence.");
            }
            // The reason and the evidence are the notes of a move: the move form's rules apply.
            for (field, note) in [
                ("wont_do_reason", &f.wont_do_reason),
                ("evidence", &f.evidence),
            ] {
                let Some(note) = note else { continue };
                let form = TransitionForm {
                    to: f.state.as_str().to_owned(),
                    note: note.clone(),
                };
                if let Err(found) = form.target() {
                    for e in found.0.into_iter().filter(|e| e.field == "note") {
                        errors.add(&at(field), e.message);
                    }
                }
            }
        }
        crate::domain::template::check_exported(self.template.as_ref(), &self.fields, &mut errors);
        for (i, r) in self.related.iter().enumerate() {
            if let Err(e) = crate::domain::form::optional_text(
                &r.note,
                "The note",
                crate::domain::relation::MAX_NOTE_CHARS,
            ) {
                errors.add(&format!("related[{i}].note"), e);
            }
        }
        errors.into_result(())
    }

    /// Each factor must be what its form would save, with a category and links that exist.
    fn check_factors(&self, errors: &mut FieldErrors) {
        for (i, f) in self.factors.iter().enumerate() {
            let at = |field: &str| format!("factors[{i}].{field}");
            // Links are given by position here: the form checks the rest, and the positions
            // are checked below.
            let form = FactorForm {
                category_id: "1".to_owned(),
                links: Default::default(),
                ..FactorForm::from_factor(&f.factor)
            };
            if let Err(found) = form.parse() {
                for e in found.0 {
                    errors.add(&at(&e.field), e.message);
                }
            }
            if f.category.trim().is_empty() {
                errors.add(&at("category"), "A factor needs its category's name.");
            }
            if f.parameter.is_some() && f.change.is_none() {
                errors.add(
                    &at("parameter"),
                    "It points at a parameter without its change.",
                );
            }
            for link in f.change_links() {
                let Some(change) = self.changes.get(link.change) else {
                    errors.add(
                        &at("changes"),
                        "It points at a change that is not in the export.",
                    );
                    continue;
                };
                if link.parameter.is_some_and(|p| p >= change.parameters.len()) {
                    errors.add(
                        &at("changes"),
                        "It points at a parameter its change does not have.",
                    );
                }
            }
            if f.entry_links().iter().any(|n| *n >= self.timeline.len()) {
                errors.add(
                    &at("timeline_entries"),
                    "It points at a timeline entry that is not in the export.",
                );
            }
        }
    }

    /// The incident as it is imported: its fields, as a draft.
    pub fn draft(&self) -> NewIncident {
        NewIncident {
            status: IncidentStatus::Draft,
            ..self.incident.clone()
        }
    }

    /// The postmortem as a Markdown document, times on the clocks of `zone`.
    pub fn to_markdown(&self, zone: &dyn Zone) -> String {
        let time = |t: &RecordedTime| t.display_in(zone.offset_at(t.at));
        let i = &self.incident;
        let mut md = format!("# {}\n\n", i.title);
        md.push_str(&format!(
            "**Severity:** {} · **Status:** {}",
            i.severity.label(),
            i.status.label()
        ));
        if !i.services.is_empty() {
            md.push_str(&format!(" · **Services:** {}", i.services.join(", ")));
        }
        md.push_str("\n\n");
        if !i.summary_md.trim().is_empty() {
            md.push_str(&format!("{}\n\n", i.summary_md.trim()));
        }
        let m = &i.milestones;
        md.push_str("## Milestones\n\n");
        for (label, t) in [
            ("Impact started", &m.impact_started),
            ("Detected", &m.detected),
            ("Mitigated", &m.mitigated),
            ("Resolved", &m.resolved),
        ] {
            let shown = t.as_ref().map_or_else(|| "not recorded".to_owned(), time);
            md.push_str(&format!("- {label}: {shown}\n"));
        }
        for (label, d) in [
            ("Time to detect", m.time_to_detect()),
            ("Time to mitigate", m.time_to_mitigate()),
            ("Impact duration", m.impact_duration()),
        ] {
            if let Some(d) = d {
                md.push_str(&format!("- {label}: {}\n", d.display()));
            }
        }
        md.push_str("\n## Impact\n\n");
        for f in &self.impact {
            md.push_str(&format!("- {}", f.sentence()));
            if !f.estimation.trim().is_empty() {
                md.push_str(&format!(" (estimated from: {})", f.estimation.trim()));
            }
            md.push('\n');
        }
        md.push_str("\n## The change\n\n");
        for c in &self.changes {
            let n = &c.change;
            let name = if n.identifier.is_empty() {
                n.system.clone()
            } else {
                format!("{} · {}", n.system, n.identifier)
            };
            md.push_str(&format!(
                "### {} ({})\n\n{} — {}",
                n.summary,
                n.relation.label(),
                n.kind.label(),
                name
            ));
            if let Some(t) = &n.time {
                md.push_str(&format!(", {}", time(t)));
            }
            md.push_str("\n\n");
            for p in &c.parameters {
                md.push_str(&format!("- `{}`: {}\n", p.name, p.describe()));
            }
            if !n.rationale_md.trim().is_empty() {
                md.push_str(&format!("\n{}\n", n.rationale_md.trim()));
            }
            md.push('\n');
        }
        md.push_str("## Timeline\n\n");
        let mut entries: Vec<&NewTimelineEntry> = self.timeline.iter().collect();
        entries.sort_by_key(|e| e.time.point());
        for e in entries {
            let offset = m
                .impact_started
                .as_ref()
                .map(|s| format!("{} ", t_offset(s, &e.time)))
                .unwrap_or_default();
            let source = if e.time_source.is_empty() {
                String::new()
            } else {
                format!(" _(time from {})_", e.time_source)
            };
            md.push_str(&format!(
                "- **{offset}{}**{source} — {} ({}): {}\n",
                time(&e.time),
                e.actor,
                e.kind.label(),
                e.body_md.trim().replace('\n', " ")
            ));
        }
        for (heading, text) in [
            ("What went well", &self.lessons.went_well_md),
            ("What went wrong", &self.lessons.went_wrong_md),
            ("Where we got lucky", &self.lessons.lucky_md),
        ] {
            md.push_str(&format!(
                "\n## {heading}\n\n{}\n",
                if text.trim().is_empty() {
                    "—"
                } else {
                    text.trim()
                }
            ));
        }
        if !self.factors.is_empty() {
            md.push_str("\n## Contributing factors\n\n");
            for f in &self.factors {
                md.push_str(&format!(
                    "- **{}** ({}): {}",
                    f.factor.role.label(),
                    f.category,
                    f.factor.statement
                ));
                let shown: Vec<String> = f
                    .change_links()
                    .iter()
                    .filter_map(|link| {
                        let c = self.changes.get(link.change)?;
                        let name = if c.change.identifier.is_empty() {
                            format!("{}: {}", c.change.system, c.change.summary)
                        } else {
                            format!("{} · {}", c.change.system, c.change.identifier)
                        };
                        Some(match link.parameter.and_then(|p| c.parameters.get(p)) {
                            Some(p) => format!("{name} — parameter {}", p.name),
                            None => name,
                        })
                    })
                    .chain(
                        f.entry_links()
                            .iter()
                            .filter_map(|n| self.timeline.get(*n))
                            .map(|e| format!("the timeline at {}", time(&e.time))),
                    )
                    .collect();
                if !shown.is_empty() {
                    md.push_str(&format!(" — shown by {}", shown.join("; ")));
                }
                if let Some(reason) = &f.factor.accepted_reason {
                    md.push_str(&format!(" — accepted, no action: {reason}"));
                }
                md.push('\n');
            }
        }
        if !self.related.is_empty() {
            md.push_str("\n## Related incidents\n\n");
            for r in &self.related {
                md.push_str(&r.markdown());
                md.push('\n');
            }
        }
        md.push_str("\n## Follow-up actions\n\n");
        for f in &self.follow_ups {
            let n = &f.follow_up;
            md.push_str(&format!(
                "- **{}** — {}, {}, {}",
                n.title,
                f.state.label(),
                n.priority.label(),
                n.action_type.label()
            ));
            if !n.owner.is_empty() {
                md.push_str(&format!(", owner: {}", n.owner));
            }
            if let Some(due) = n.due {
                md.push_str(&format!(", due {due}"));
            }
            if let Some(c) = f.change.and_then(|c| self.changes.get(c)) {
                let target = f.parameter.and_then(|p| c.parameters.get(p)).map_or_else(
                    || c.change.summary.clone(),
                    |p| format!("parameter `{}`", p.name),
                );
                md.push_str(&format!(", addresses {target}"));
            }
            if let Some(factor) = f.factor.and_then(|n| self.factors.get(n)) {
                md.push_str(&format!(
                    ", addresses the factor “{}”",
                    factor.factor.statement
                ));
            }
            if let Some(reason) = &f.wont_do_reason {
                md.push_str(&format!(". Won't do because: {reason}"));
            }
            if let Some(evidence) = &f.evidence {
                md.push_str(&format!(". Evidence: {evidence}"));
            }
            md.push('\n');
        }
        md.push_str(&notes::markdown(self));
        if self.template.is_some() || !self.fields.is_empty() {
            md.push_str("\n## Details\n\n");
            if let Some(template) = &self.template {
                md.push_str(&format!("Template: {}\n\n", template.name));
            }
            for f in &self.fields {
                md.push_str(&format!(
                    "- **{}:** {}\n",
                    f.label,
                    f.value.trim().replace('\n', " ")
                ));
            }
        }
        md
    }
}

#[path = "export_forms.rs"]
mod forms;
#[path = "export_notes.rs"]
mod notes;
pub use notes::ExportedMentorNote;

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
