//! Full-text search: what of a postmortem is searchable (its summary, lessons, timeline, impact,
//! changes and follow-ups, each a document that links to where it stands on the page), how a
//! person's words become a safe query, and how highlighted matches come back.

use serde::{Deserialize, Serialize};

use crate::domain::change::Change;
use crate::domain::follow_up::FollowUp;
use crate::domain::impact::ImpactFigure;
use crate::domain::incident::Incident;
use crate::domain::timeline::TimelineEntry;

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
    }
}

/// One searchable piece of a postmortem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub incident_id: i64,
    pub kind: DocumentKind,
    /// Where it stands on the postmortem page ("entry-12"); empty for the top.
    pub anchor: String,
    pub title: String,
    pub body: String,
}

/// The parts of a postmortem, as stored.
pub struct Parts<'a> {
    pub incident: &'a Incident,
    pub timeline: &'a [TimelineEntry],
    pub impact: &'a [ImpactFigure],
    pub changes: &'a [Change],
    pub follow_ups: &'a [FollowUp],
}

/// The documents of one postmortem.
pub fn documents(parts: &Parts<'_>) -> Vec<Document> {
    let i = parts.incident;
    let doc = |kind, anchor: String, title: String, body: String| Document {
        incident_id: i.id,
        kind,
        anchor,
        title,
        body,
    };
    let mut docs = vec![doc(
        DocumentKind::Incident,
        String::new(),
        i.title.clone(),
        format!("{}\n{}", i.summary_md, i.services.join(", ")),
    )];
    let l = &i.lessons;
    let lessons = [&l.went_well_md, &l.went_wrong_md, &l.lucky_md]
        .map(String::as_str)
        .join("\n");
    if !lessons.trim().is_empty() {
        docs.push(doc(
            DocumentKind::Lessons,
            "lessons".into(),
            format!("Lessons of {}", i.title),
            lessons,
        ));
    }
    for e in parts.timeline {
        docs.push(doc(
            DocumentKind::Timeline,
            format!("entry-{}", e.id),
            e.entry.actor.clone(),
            e.entry.body_md.clone(),
        ));
    }
    for f in parts.impact {
        let n = &f.figure;
        docs.push(doc(
            DocumentKind::Impact,
            "impact".into(),
            n.sentence(),
            format!("{}\n{}", n.affected, n.estimation),
        ));
    }
    for c in parts.changes {
        let n = &c.change;
        let parameters: Vec<String> = c
            .parameters
            .iter()
            .map(|p| format!("{} {}", p.parameter.name, p.parameter.value))
            .collect();
        docs.push(doc(
            DocumentKind::Change,
            format!("change-{}", c.id),
            c.name(),
            format!(
                "{}\n{}\n{}\n{}",
                n.summary,
                n.plan,
                n.rationale_md,
                parameters.join("\n")
            ),
        ));
    }
    for f in parts.follow_ups {
        let n = &f.follow_up;
        docs.push(doc(
            DocumentKind::FollowUp,
            format!("follow-up-{}", f.id),
            n.title.clone(),
            format!("{}\n{}", n.description_md, n.owner),
        ));
    }
    docs
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
    fn words_become_a_safe_query_with_the_last_as_a_prefix() {
        let words = query_words("Jenkins' \"concurrency\" OR NEAR(x) fail").unwrap();
        assert_eq!(words, ["jenkins", "concurrency", "or", "near", "x", "fail"]);
        assert_eq!(fts5_query(&words[..2]), "\"jenkins\" \"concurrency\"*");
        assert_eq!(query_words(" ?! ''"), None);
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
        });
        assert_eq!(docs[0].kind, DocumentKind::Incident);
        assert_eq!(docs[1].kind, DocumentKind::Lessons);
        assert_eq!(docs.len(), 2 + timeline.len());
        assert_eq!(docs[2].anchor, "entry-1");
        assert!(docs.iter().all(|d| d.incident_id == 7));
    }
}
