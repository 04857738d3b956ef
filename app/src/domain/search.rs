//! Full-text search: what of a postmortem is searchable (its summary, lessons, timeline, impact,
//! changes and follow-ups, each a document that links to where it stands on the page), how a
//! person's words become a safe query, and how highlighted matches come back.

use serde::{Deserialize, Serialize};

use crate::domain::change::Change;
use crate::domain::factor::{Factor, NewFactor};
use crate::domain::follow_up::{FollowUp, NewFollowUp};
use crate::domain::impact::{ImpactFigure, NewImpactFigure};
use crate::domain::incident::Incident;
use crate::domain::timeline::{NewTimelineEntry, TimelineEntry};

/// Marks the start of a highlighted match in text coming back from the index (a private-use
/// character, never typed).
pub const MATCH_START: char = '\u{E000}';
/// Marks the end of a highlighted match.
pub const MATCH_END: char = '\u{E001}';

labelled_enum! {
    /// What a search result is.
    pub enum DocumentKind {
        Incident = ("incident", "Incident"),
        Lessons = ("lessons", "Lessons"),
        Timeline = ("timeline", "Timeline entry"),
        Impact = ("impact", "Impact"),
        Change = ("change", "Change"),
        FollowUp = ("follow_up", "Follow-up"),
        /// The values of the template's own fields.
        Fields = ("fields", "Details"),
        Relation = ("relation", "Related incident"),
        Factor = ("factor", "Contributing factor"),
        /// A mentor's teaching note on the published postmortem.
        MentorNote = ("mentor_note", "Mentor note"),
    }
}

/// One searchable piece of a postmortem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub incident_id: i64,
    pub kind: DocumentKind,
    /// The id of the part it is made of: the incident's for its summary and its lessons.
    pub part_id: i64,
    /// Where it stands on the postmortem page ("entry-12"); empty for the top.
    pub anchor: String,
    pub title: String,
    pub body: String,
}

impl Document {
    /// Its number in the index, the same whenever its part is indexed: the part's id and the
    /// kind of document (ids are unique within a kind), so one part's document is found,
    /// replaced or removed without looking at any other.
    pub fn key(&self) -> i64 {
        key(self.kind, self.part_id)
    }
}

/// Room for this many kinds of document in a key: a part's id times this, plus its kind's code.
/// Changing it changes every key, so a migration empties the index for the application to
/// rebuild (as `…000160_search_keys_for_sixteen_kinds` did when nine kinds outgrew eight).
pub const KINDS: i64 = 16;

/// The number in the index of the document of `kind` made of part `part_id` (see
/// [`Document::key`]).
pub fn key(kind: DocumentKind, part_id: i64) -> i64 {
    let code = match kind {
        DocumentKind::Incident => 0,
        DocumentKind::Lessons => 1,
        DocumentKind::Timeline => 2,
        DocumentKind::Impact => 3,
        DocumentKind::Change => 4,
        DocumentKind::FollowUp => 5,
        DocumentKind::Relation => 6,
        DocumentKind::Factor => 7,
        DocumentKind::Fields => 8,
        DocumentKind::MentorNote => 9,
    };
    part_id.saturating_mul(KINDS).saturating_add(code)
}

/// The parts of a postmortem, as stored.
pub struct Parts<'a> {
    pub incident: &'a Incident,
    pub timeline: &'a [TimelineEntry],
    pub impact: &'a [ImpactFigure],
    pub changes: &'a [Change],
    pub follow_ups: &'a [FollowUp],
    /// The values of its template's own fields (and of earlier templates').
    pub field_values: &'a [crate::domain::template::FieldValue],
    pub factors: &'a [Factor],
    /// Mentors' notes on it (once it is published).
    pub mentor_notes: &'a [crate::domain::mentor_note::MentorNote],
}

/// The documents of one postmortem: each part's, as the functions below make them one by one.
pub fn documents(parts: &Parts<'_>) -> Vec<Document> {
    let i = parts.incident;
    let mut docs = vec![incident_document(i)];
    docs.extend(lessons_document(i));
    docs.extend(
        parts
            .timeline
            .iter()
            .map(|e| timeline_document(i.id, e.id, &e.entry)),
    );
    docs.extend(
        parts
            .impact
            .iter()
            .map(|f| impact_document(i.id, f.id, &f.figure)),
    );
    docs.extend(parts.changes.iter().map(change_document));
    docs.extend(
        parts
            .follow_ups
            .iter()
            .map(|f| follow_up_document(i.id, f.id, &f.follow_up)),
    );
    docs.extend(
        parts
            .factors
            .iter()
            .map(|f| factor_document(i.id, f.id, &f.factor)),
    );
    docs.extend(fields_document(i, parts.field_values));
    docs.extend(parts.mentor_notes.iter().map(mentor_note_document));
    docs
}

/// The custom field values' document ("Region: eu-west" a line), titled "Details"; none while
/// no value is written.
pub fn fields_document(
    i: &Incident,
    values: &[crate::domain::template::FieldValue],
) -> Option<Document> {
    (!values.is_empty()).then(|| Document {
        incident_id: i.id,
        kind: DocumentKind::Fields,
        part_id: i.id,
        anchor: "custom-fields".into(),
        title: DocumentKind::Fields.label().to_owned(),
        body: values
            .iter()
            .map(|v| format!("{}: {}", v.label, v.value))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// The incident's own document: its title, summary and services.
pub fn incident_document(i: &Incident) -> Document {
    Document {
        incident_id: i.id,
        kind: DocumentKind::Incident,
        part_id: i.id,
        anchor: String::new(),
        title: i.title.clone(),
        body: format!("{}\n{}", i.summary_md, i.services.join(", ")),
    }
}

/// The lessons' document, titled after the incident; none while no lesson is written.
pub fn lessons_document(i: &Incident) -> Option<Document> {
    let l = &i.lessons;
    let lessons = [&l.went_well_md, &l.went_wrong_md, &l.lucky_md]
        .map(String::as_str)
        .join("\n");
    (!lessons.trim().is_empty()).then(|| Document {
        incident_id: i.id,
        kind: DocumentKind::Lessons,
        part_id: i.id,
        anchor: "lessons".into(),
        title: format!("Lessons of {}", i.title),
        body: lessons,
    })
}

/// A timeline entry's document.
pub fn timeline_document(incident_id: i64, id: i64, e: &NewTimelineEntry) -> Document {
    Document {
        incident_id,
        kind: DocumentKind::Timeline,
        part_id: id,
        anchor: format!("entry-{id}"),
        title: e.actor.clone(),
        body: e.body_md.clone(),
    }
}

/// An impact figure's document.
pub fn impact_document(incident_id: i64, id: i64, n: &NewImpactFigure) -> Document {
    Document {
        incident_id,
        kind: DocumentKind::Impact,
        part_id: id,
        anchor: "impact".into(),
        title: n.sentence(),
        body: format!("{}\n{}", n.affected, n.estimation),
    }
}

/// A change's document, with its parameters.
pub fn change_document(c: &Change) -> Document {
    let n = &c.change;
    let parameters: Vec<String> = c
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.parameter.name, p.parameter.value))
        .collect();
    Document {
        incident_id: c.incident_id,
        kind: DocumentKind::Change,
        part_id: c.id,
        anchor: format!("change-{}", c.id),
        title: c.name(),
        body: format!(
            "{}\n{}\n{}\n{}",
            n.summary,
            n.plan,
            n.rationale_md,
            parameters.join("\n")
        ),
    }
}

/// A follow-up's document.
pub fn follow_up_document(incident_id: i64, id: i64, n: &NewFollowUp) -> Document {
    Document {
        incident_id,
        kind: DocumentKind::FollowUp,
        part_id: id,
        anchor: format!("follow-up-{id}"),
        title: n.title.clone(),
        body: format!("{}\n{}", n.description_md, n.owner),
    }
}

/// A contributing factor's document.
pub fn factor_document(incident_id: i64, id: i64, n: &NewFactor) -> Document {
    Document {
        incident_id,
        kind: DocumentKind::Factor,
        part_id: id,
        anchor: format!("factor-{id}"),
        title: n.statement.clone(),
        body: format!(
            "{}\n{}",
            n.role.label(),
            n.accepted_reason.as_deref().unwrap_or_default()
        ),
    }
}

/// A link to a related incident's document, on the incident it was added on: its relation and
/// its note. The other incident's title is left out: a reader who finds this incident may not
/// be one who may read the other.
pub fn relation_document(r: &crate::domain::relation::Relation) -> Document {
    Document {
        incident_id: r.incident_id,
        kind: DocumentKind::Relation,
        part_id: r.id,
        anchor: "related".into(),
        title: format!("Related incident: {}", r.relation.kind.label()),
        body: r.relation.note.clone(),
    }
}

/// A mentor note's document, titled with who wrote it (as the library shows it to every
/// reader), found at the note on its postmortem's notes page ([`href`]).
pub fn mentor_note_document(n: &crate::domain::mentor_note::MentorNote) -> Document {
    Document {
        incident_id: n.incident_id,
        kind: DocumentKind::MentorNote,
        part_id: n.id,
        anchor: format!("note-{}", n.id),
        title: format!("Mentor note by {}", n.author_name),
        body: n.body_md.clone(),
    }
}

/// Where a match links: the place on the postmortem's page its anchor names, or, for a mentor
/// note, the note on the postmortem's notes page in the library.
pub fn href(kind: DocumentKind, incident_id: i64, anchor: &str) -> String {
    match (kind, anchor) {
        (DocumentKind::MentorNote, anchor) => format!("/library/notes/{incident_id}#{anchor}"),
        (_, "") => format!("/incidents/{incident_id}"),
        (_, anchor) => format!("/incidents/{incident_id}#{anchor}"),
    }
}

/// The words of a search as a query both engines read safely: letters and digits only, every
/// word required, the last one also matching as a prefix (people search as they type). None
/// when nothing searchable is left.
pub fn query_words(text: &str) -> Option<Vec<String>> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect();
    (!words.is_empty()).then_some(words)
}

/// The FTS5 MATCH expression for the words: `"login" "fail"*`.
pub fn fts5_query(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == last {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Postgres `to_tsquery` expression for the words: `'login' & 'fail':*`. Each word is
/// quoted (a quote or backslash in it doubled), so whatever it holds is read as text to split
/// into lexemes, as FTS5 reads a quoted string, never as the query syntax's operators.
pub fn tsquery(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let quoted = format!("'{}'", w.replace('\\', "\\\\").replace('\'', "''"));
            if i == last {
                format!("{quoted}:*")
            } else {
                quoted
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Text with highlighted matches, as (piece, is_match) in order; markers are dropped.
pub fn highlighted(text: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut in_match = false;
    for c in text.chars() {
        match c {
            MATCH_START | MATCH_END => {
                if !current.is_empty() {
                    pieces.push((std::mem::take(&mut current), in_match));
                }
                in_match = c == MATCH_START;
            }
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        pieces.push((current, in_match));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::example::worked_example;

    #[test]
    fn every_kind_of_document_of_every_part_has_a_key_of_its_own() {
        let mut keys = std::collections::BTreeSet::new();
        for part_id in 1..=200 {
            for kind in DocumentKind::ALL {
                assert!(keys.insert(key(kind, part_id)), "{kind:?} of {part_id}");
            }
        }
        assert!(DocumentKind::ALL.len() as i64 <= KINDS);
    }

    #[test]
    fn words_become_a_safe_query_with_the_last_as_a_prefix() {
        let words = query_words("Jenkins' \"concurrency\" OR NEAR(x) fail").unwrap();
        assert_eq!(words, ["jenkins", "concurrency", "or", "near", "x", "fail"]);
        assert_eq!(fts5_query(&words[..2]), "\"jenkins\" \"concurrency\"*");
        assert_eq!(query_words(" ?! ''"), None);
    }

    #[test]
    fn words_become_a_tsquery_of_quoted_lexemes_with_the_last_as_a_prefix() {
        let words = ["it's", "(recorded),", "a\\b", "fail"].map(String::from);
        assert_eq!(
            tsquery(&words),
            "'it''s' & '(recorded),' & 'a\\\\b' & 'fail':*"
        );
        assert_eq!(tsquery(&words[3..]), "'fail':*");
    }

    #[test]
    fn matches_come_back_as_pieces() {
        let text = format!("the {MATCH_START}concurrency{MATCH_END} default");
        assert_eq!(
            highlighted(&text),
            [
                ("the ".into(), false),
                ("concurrency".into(), true),
                (" default".into(), false)
            ]
        );
        assert_eq!(highlighted("plain"), [("plain".into(), false)]);
    }

    #[test]
    fn every_part_of_the_worked_example_is_a_document() {
        let example = worked_example().expect("the worked example");
        let incident = Incident {
            id: 7,
            title: example.incident.title.clone(),
            summary_md: example.incident.summary_md.clone(),
            severity: example.incident.severity,
            status: example.incident.status,
            revision: 1,
            services: example.incident.services.clone(),
            milestones: example.incident.milestones.clone(),
            lessons: example.lessons.clone(),
            created_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            updated_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
        };
        let timeline: Vec<TimelineEntry> = example
            .timeline
            .iter()
            .enumerate()
            .map(|(n, entry)| TimelineEntry {
                id: n as i64 + 1,
                incident_id: 7,
                entry: entry.clone(),
            })
            .collect();
        let docs = documents(&Parts {
            incident: &incident,
            timeline: &timeline,
            impact: &[],
            changes: &[],
            follow_ups: &[],
            field_values: &[],
            factors: &[],
            mentor_notes: &[],
        });
        assert_eq!(docs[0].kind, DocumentKind::Incident);
        assert_eq!(docs[1].kind, DocumentKind::Lessons);
        assert_eq!(docs.len(), 2 + timeline.len());
        assert_eq!(docs[2].anchor, "entry-1");
        assert!(docs.iter().all(|d| d.incident_id == 7));
    }
}
