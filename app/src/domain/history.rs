//! The history of a postmortem: every change to it and its parts, with who made it, when, and
//! the record before and after as field snapshots (the same fields a person edits in its form),
//! so any earlier version can be read back and each change shown as a diff.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::change::{ChangeForm, NewChange, NewParameter, ParameterForm};
use super::follow_up::{FollowUpForm, NewFollowUp};
use super::impact::{ImpactForm, NewImpactFigure};
use super::incident::{IncidentForm, Lessons, LessonsForm, NewIncident};
use super::time::Zone;
use super::timeline::{NewTimelineEntry, TimelineForm};

labelled_enum! {
    /// Which part of a postmortem a change touched.
    pub enum Part {
        /// The incident's fields and milestones.
        Incident = ("incident", "Incident"),
        /// What went well, what went wrong, where we got lucky.
        Lessons = ("lessons", "Lessons"),
        /// A timeline entry.
        TimelineEntry = ("timeline_entry", "Timeline entry"),
        /// An impact figure.
        ImpactFigure = ("impact_figure", "Impact figure"),
        /// A change linked to the incident.
        Change = ("change", "Change"),
        /// A parameter of a change.
        Parameter = ("parameter", "Parameter"),
        /// A follow-up action.
        FollowUp = ("follow_up", "Follow-up"),
        /// Someone who took part in the incident.
        Participant = ("participant", "Participant"),
        /// The review: submitted, approved, changes requested, published, corrected.
        Review = ("review", "Review"),
        /// The values of the template's own fields.
        FieldValues = ("field_values", "Custom fields"),
        /// Which template the postmortem follows.
        Template = ("template", "Template"),
        /// A link to a related incident.
        Relation = ("relation", "Related incident"),
        /// A contributing factor.
        Factor = ("factor", "Contributing factor"),
        /// A mentor's teaching note on the published postmortem (it does not make its writer
        /// one of the postmortem's writers).
        MentorNote = ("mentor_note", "Mentor note"),
    }
}

labelled_enum! {
    /// What was done to the part.
    pub enum Action {
        Created = ("created", "added"),
        Updated = ("updated", "edited"),
        Deleted = ("deleted", "deleted"),
        Moved = ("moved", "moved"),
    }
}

impl Part {
    /// Changes that do not make their maker one of the postmortem's writers: review steps,
    /// and mentors' notes on the published postmortem.
    pub const NOT_WRITING: [Part; 2] = [Part::Review, Part::MentorNote];

    /// How a sentence names one: "this timeline entry", "these lessons".
    pub fn this(self) -> String {
        match self {
            Part::Lessons => "these lessons".to_owned(),
            other => format!("this {}", other.label().to_lowercase()),
        }
    }
}

/// A record as a person edits it: field name → value, as its form shows them.
pub type Snapshot = BTreeMap<String, String>;

/// A snapshot of named values, for changes that have no form of their own (a move of a
/// follow-up, a review step, a participant).
pub fn fields(pairs: &[(&str, &str)]) -> Snapshot {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Turns a `…Form` struct (all string fields) into a snapshot, leaving out its version.
pub fn snapshot<T: Serialize>(form: &T) -> Snapshot {
    match serde_json::to_value(form) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter(|(k, _)| k != "version")
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect(),
        _ => Snapshot::new(),
    }
}

/// A record whose changes are kept: which part of a postmortem it is, what to call it in the
/// history, and its fields as its edit form shows them in a zone.
pub trait Recorded {
    const PART: Part;
    /// A few words that tell it apart from its siblings ("Paged the on-call").
    fn title(&self) -> String;
    fn snapshot(&self, zone: &dyn Zone) -> Snapshot;
}

/// The one-line summary of a change to `record`: "Timeline entry “Paged the on-call”".
pub fn summary<T: Recorded>(record: &T) -> String {
    let short = crate::domain::text::first_line(&record.title(), 80);
    format!("{} “{short}”", T::PART.label())
}

impl Recorded for NewIncident {
    const PART: Part = Part::Incident;
    fn title(&self) -> String {
        self.title.clone()
    }
    fn snapshot(&self, zone: &dyn Zone) -> Snapshot {
        snapshot(&IncidentForm::from_incident(self, zone))
    }
}

impl Recorded for Lessons {
    const PART: Part = Part::Lessons;
    fn title(&self) -> String {
        "what went well, what went wrong, where we got lucky".to_owned()
    }
    fn snapshot(&self, _: &dyn Zone) -> Snapshot {
        snapshot(&LessonsForm::from_lessons(self))
    }
}

impl Recorded for NewTimelineEntry {
    const PART: Part = Part::TimelineEntry;
    fn title(&self) -> String {
        self.body_md.clone()
    }
    fn snapshot(&self, zone: &dyn Zone) -> Snapshot {
        snapshot(&TimelineForm::from_entry(self, zone))
    }
}

impl Recorded for NewImpactFigure {
    const PART: Part = Part::ImpactFigure;
    fn title(&self) -> String {
        self.sentence()
    }
    fn snapshot(&self, _: &dyn Zone) -> Snapshot {
        snapshot(&ImpactForm::from_figure(self))
    }
}

impl Recorded for NewChange {
    const PART: Part = Part::Change;
    fn title(&self) -> String {
        self.summary.clone()
    }
    fn snapshot(&self, zone: &dyn Zone) -> Snapshot {
        snapshot(&ChangeForm::from_change(self, zone))
    }
}

impl Recorded for NewParameter {
    const PART: Part = Part::Parameter;
    fn title(&self) -> String {
        self.describe()
    }
    fn snapshot(&self, _: &dyn Zone) -> Snapshot {
        snapshot(&ParameterForm::from_parameter(self))
    }
}

impl Recorded for NewFollowUp {
    const PART: Part = Part::FollowUp;
    fn title(&self) -> String {
        self.title.clone()
    }
    fn snapshot(&self, _: &dyn Zone) -> Snapshot {
        snapshot(&FollowUpForm::from_follow_up(self))
    }
}

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub incident_id: i64,
    /// Who made it (None once their account is gone, or for changes made by the system).
    pub user_id: Option<i64>,
    /// Who made it, as they were named then.
    pub user_name: String,
    pub at: DateTime<Utc>,
    pub part: Part,
    pub part_id: i64,
    pub action: Action,
    /// One line: what it was ("Timeline entry “Paged the on-call”").
    pub summary: String,
    pub before: Option<Snapshot>,
    pub after: Option<Snapshot>,
}

/// A field whose value changed, with a line-by-line diff for long text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's name as a person reads it ("went wrong").
    pub field: String,
    pub before: String,
    pub after: String,
    /// Lines kept, removed and added, for values of more than one line.
    pub lines: Vec<Line>,
}

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Line {
    Same(String),
    Removed(String),
    Added(String),
}

impl HistoryEntry {
    /// The fields that differ between before and after (every field of a created or deleted
    /// record that has a value).
    pub fn changes(&self) -> Vec<FieldChange> {
        let empty = Snapshot::new();
        let before = self.before.as_ref().unwrap_or(&empty);
        let after = self.after.as_ref().unwrap_or(&empty);
        let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
        fields.sort();
        fields.dedup();
        fields
            .into_iter()
            .filter_map(|field| {
                let was = before.get(field).cloned().unwrap_or_default();
                let now = after.get(field).cloned().unwrap_or_default();
                (was != now).then(|| FieldChange {
                    field: field.replace('_', " "),
                    lines: if was.contains('\n') || now.contains('\n') {
                        diff_lines(&was, &now)
                    } else {
                        Vec::new()
                    },
                    before: was,
                    after: now,
                })
            })
            .collect()
    }
}

/// A line diff by longest common subsequence (postmortem texts are short enough for it).
pub fn diff_lines(before: &str, after: &str) -> Vec<Line> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Line::Same(a[i].to_owned()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removed lines first, as diffs are read.
            out.push(Line::Removed(a[i].to_owned()));
            i += 1;
        } else {
            out.push(Line::Added(b[j].to_owned()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(pairs: &[(&str, &str)]) -> Snapshot {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn entry(before: Option<Snapshot>, after: Option<Snapshot>) -> HistoryEntry {
        HistoryEntry {
            id: 1,
            incident_id: 1,
            user_id: Some(1),
            user_name: "Ada".into(),
            at: DateTime::from_timestamp(0, 0).unwrap(),
            part: Part::Lessons,
            part_id: 1,
            action: Action::Updated,
            summary: "Lessons".into(),
            before,
            after,
        }
    }

    #[test]
    fn a_snapshot_keeps_the_form_fields_but_not_the_version() {
        #[derive(Serialize)]
        struct Form {
            title: String,
            version: String,
        }
        let s = snapshot(&Form {
            title: "Logins failed".into(),
            version: "3".into(),
        });
        assert_eq!(s, snap(&[("title", "Logins failed")]));
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let e = entry(
            Some(snap(&[("title", "A"), ("went_well", "x")])),
            Some(snap(&[("title", "A"), ("went_well", "y")])),
        );
        let changes = e.changes();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "went well");
        assert_eq!(
            (changes[0].before.as_str(), changes[0].after.as_str()),
            ("x", "y")
        );
        assert!(
            changes[0].lines.is_empty(),
            "one-line values need no line diff"
        );
    }

    #[test]
    fn a_created_record_lists_its_filled_fields() {
        let e = entry(None, Some(snap(&[("title", "A"), ("owner", "")])));
        let fields: Vec<String> = e.changes().into_iter().map(|c| c.field).collect();
        assert_eq!(fields, ["title"]);
    }

    #[test]
    fn multi_line_text_gets_a_line_diff() {
        let lines = diff_lines("one\ntwo\nthree", "one\n2\nthree\nfour");
        assert_eq!(
            lines,
            vec![
                Line::Same("one".into()),
                Line::Removed("two".into()),
                Line::Added("2".into()),
                Line::Same("three".into()),
                Line::Added("four".into()),
            ]
        );
    }
}
