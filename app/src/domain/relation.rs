//! Related incidents: an incident linked to another with a relation ("earlier attempt at the
//! same change", "same trigger", "recurrence of", "caused by", "duplicate of") and a note.
//!
//! A link is stored once, on the incident it was added on, worded from that incident's side;
//! the other incident reads it through [`RelationKind::inverse`] ("caused by" ↔ "caused").
//! An incident is not linked to itself, and two incidents are linked once (either way round).

use serde::{Deserialize, Serialize};

use crate::domain::form::{FieldErrors, optional_text, required_choice};
use crate::domain::history::{Part, Recorded, Snapshot, snapshot};
use crate::domain::time::Zone;

labelled_enum! {
    /// How the other incident is related to this one, read from this one's side: "Earlier
    /// attempt at the same change: #12" says #12 was the earlier attempt.
    pub enum RelationKind {
        EarlierAttempt = ("earlier_attempt", "Earlier attempt at the same change"),
        LaterAttempt = ("later_attempt", "Later attempt at the same change"),
        SameTrigger = ("same_trigger", "Same trigger as"),
        RecurrenceOf = ("recurrence_of", "Recurrence of"),
        RecurredAs = ("recurred_as", "Recurred as"),
        CausedBy = ("caused_by", "Caused by"),
        Caused = ("caused", "Caused"),
        DuplicateOf = ("duplicate_of", "Duplicate of"),
        DuplicatedBy = ("duplicated_by", "Duplicated by"),
    }
}

impl RelationKind {
    /// The same link read from the other incident's side.
    pub fn inverse(self) -> Self {
        use RelationKind::*;
        match self {
            EarlierAttempt => LaterAttempt,
            LaterAttempt => EarlierAttempt,
            SameTrigger => SameTrigger,
            RecurrenceOf => RecurredAs,
            RecurredAs => RecurrenceOf,
            CausedBy => Caused,
            Caused => CausedBy,
            DuplicateOf => DuplicatedBy,
            DuplicatedBy => DuplicateOf,
        }
    }

    /// How a reader who may not know the other incident reads the link (the shared page):
    /// "Earlier attempt at the same change: an earlier incident".
    pub fn anonymous(self) -> String {
        use RelationKind::*;
        let other = match self {
            EarlierAttempt | RecurrenceOf => "an earlier incident",
            LaterAttempt | RecurredAs => "a later incident",
            _ => "another incident",
        };
        format!("{}: {other}", self.label())
    }

    /// The link as the incident it is read on shows it: "Caused by: #12 Logins failed".
    pub fn wording(self, number: i64, title: &str) -> String {
        format!("{}: #{number} {title}", self.label())
    }
}

/// Longest note on a link, in characters.
pub const MAX_NOTE_CHARS: usize = 1_000;

/// The related-incident form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelationForm {
    /// How the other incident is related to this one ([`RelationKind::as_str`]).
    pub kind: String,
    /// The other incident's number: "12", "#12" (its address, `/incidents/12`, also reads).
    pub related: String,
    /// Why they are related; may be empty.
    pub note: String,
}

/// A valid link, ready to be stored on the incident it is added on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRelation {
    pub kind: RelationKind,
    pub related_incident_id: i64,
    pub note: String,
}

/// A stored link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub id: i64,
    /// The incident it was added on (its postmortem edits it).
    pub incident_id: i64,
    pub version: i64,
    pub relation: NewRelation,
}

impl RelationForm {
    /// The form a new link opens with.
    pub fn blank() -> Self {
        RelationForm {
            kind: RelationKind::EarlierAttempt.as_str().to_owned(),
            ..RelationForm::default()
        }
    }

    /// A new link's form filled in with the other incident and the relation (the recurrence
    /// signal's "link them?").
    pub fn prefilled(related: i64, kind: RelationKind) -> Self {
        RelationForm {
            kind: kind.as_str().to_owned(),
            related: related.to_string(),
            note: String::new(),
        }
    }

    /// The form of a stored link.
    pub fn from_relation(r: &NewRelation) -> Self {
        RelationForm {
            kind: r.kind.as_str().to_owned(),
            related: r.related_incident_id.to_string(),
            note: r.note.clone(),
        }
    }

    /// Checks the form of a link added on incident `own_incident_id`.
    ///
    /// # Errors
    /// Every problem, under its field: a relation must be chosen; the other incident must be
    /// given by its number and must not be this one; the note has a length limit.
    pub fn parse(&self, own_incident_id: i64) -> Result<NewRelation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            "kind",
            required_choice::<RelationKind>(&self.kind, "a relation"),
        );
        let related = errors.check("related", incident_number(&self.related));
        if related == Some(own_incident_id) {
            errors.add(
                "related",
                format!(
                    "That is this incident (#{own_incident_id}); give the number of the other \
                     incident."
                ),
            );
        }
        let note = errors.check(
            "note",
            optional_text(&self.note, "The note", MAX_NOTE_CHARS),
        );
        match (kind, related, note) {
            (Some(kind), Some(related_incident_id), Some(note)) if errors.is_empty() => {
                Ok(NewRelation {
                    kind,
                    related_incident_id,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Reads an incident's number as people give it: "12", "#12", "INC-12", or its address.
///
/// # Errors
/// What to type instead.
pub fn incident_number(value: &str) -> Result<i64, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("Give the other incident's number (after # in its address).".to_owned());
    }
    let lower = value.to_ascii_lowercase();
    let digits = lower
        .rsplit("/incidents/")
        .next()
        .unwrap_or(&lower)
        .trim_start_matches('#')
        .trim_start_matches("inc-")
        .trim_start_matches("inc")
        .trim()
        .trim_end_matches('/');
    match digits.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "“{value}” is not an incident number; give the number after # in its address, \
             e.g. 12."
        )),
    }
}

impl NewRelation {
    /// The same link as the incident `owner` links to reads it: the relation inverted, `owner`
    /// as the other incident.
    pub fn mirrored(&self, owner: i64) -> NewRelation {
        NewRelation {
            kind: self.kind.inverse(),
            related_incident_id: owner,
            note: self.note.clone(),
        }
    }
}

impl Relation {
    /// How incident `incident_id` reads this link: the relation from its side and the other
    /// incident; None when the link does not touch it.
    pub fn seen_from(&self, incident_id: i64) -> Option<(RelationKind, i64)> {
        if self.incident_id == incident_id {
            Some((self.relation.kind, self.relation.related_incident_id))
        } else if self.relation.related_incident_id == incident_id {
            Some((self.relation.kind.inverse(), self.incident_id))
        } else {
            None
        }
    }

    /// Whether it links `a` and `b`, either way round.
    pub fn links(&self, a: i64, b: i64) -> bool {
        let (x, y) = (self.incident_id, self.relation.related_incident_id);
        (x, y) == (a, b) || (x, y) == (b, a)
    }
}

/// Refuses a link of `own` to `new.related_incident_id` when `existing` (the links touching
/// `own`) already links the two; `except` is the link being edited.
///
/// # Errors
/// Under `related`: the existing link, and to edit it instead.
pub fn check_not_linked(
    existing: &[Relation],
    own: i64,
    new: &NewRelation,
    except: Option<i64>,
) -> Result<(), FieldErrors> {
    let other = new.related_incident_id;
    match existing
        .iter()
        .filter(|r| Some(r.id) != except)
        .find(|r| r.links(own, other))
        .and_then(|r| r.seen_from(own))
    {
        Some((kind, _)) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "related",
                format!(
                    "This incident is already linked to #{other} (“{}”). Edit that link to \
                     change how they are related.",
                    kind.label()
                ),
            );
            Err(errors)
        }
        None => Ok(()),
    }
}

/// A related incident in a JSON export: named by its number and title, since another Debrief
/// has other ids; the relation is worded from the exported incident's side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedRelation {
    pub kind: RelationKind,
    /// Its number where it was exported from.
    pub number: i64,
    pub title: String,
    #[serde(default)]
    pub note: String,
}

impl ExportedRelation {
    /// A Markdown list item: "- Caused by: #12 Logins failed — the note".
    pub fn markdown(&self) -> String {
        let mut line = format!("- {}", self.kind.wording(self.number, &self.title));
        if !self.note.trim().is_empty() {
            line.push_str(&format!(" — {}", self.note.trim().replace('\n', " ")));
        }
        line
    }
}

impl Recorded for NewRelation {
    const PART: Part = Part::Relation;
    fn title(&self) -> String {
        format!("{}: #{}", self.kind.label(), self.related_incident_id)
    }
    fn snapshot(&self, _: &dyn Zone) -> Snapshot {
        snapshot(&RelationForm::from_relation(self))
    }
}

#[cfg(test)]
#[path = "relation_tests.rs"]
mod tests;
