//! The timeline of an incident: what was seen, done, decided and said, when, and by whom (a role,
//! never a name), with markers for the moments that mattered. Entries are shown in time order.

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, optional_choice, optional_text,
    required_choice, required_text,
};
use crate::domain::time::{RecordedTime, Zone, read_time_fields, to_input_value};

labelled_enum! {
    /// What a timeline entry records.
    pub enum EntryKind {
        /// Something someone saw or a system showed.
        Observation = ("observation", "Observation"),
        /// Something someone did.
        Action = ("action", "Action"),
        /// A choice made, including the choice not to act.
        Decision = ("decision", "Decision"),
        /// Something said or written to others.
        Communication = ("communication", "Communication"),
        /// An alert that fired.
        Alert = ("alert", "Alert"),
        /// A change to a system: a deploy, a job run, a configuration change.
        Change = ("change", "Change"),
    }
}

labelled_enum! {
    /// A moment in the response worth pointing out.
    pub enum Marker {
        /// The problem was noticed.
        Detection = ("detection", "Detection"),
        /// The cause was understood.
        Diagnosis = ("diagnosis", "Diagnosis"),
        /// The fix or mitigation was applied or confirmed.
        Repair = ("repair", "Repair"),
        /// A turning point: owning up, a decision under pressure.
        KeyMoment = ("key_moment", "Key moment"),
    }
}

/// The timeline entry form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineForm {
    /// `datetime-local` value; required.
    pub at: String,
    /// End of a range; read only when the precision is range.
    pub until: String,
    /// A [`crate::domain::time::Precision::as_str`]; empty means to the minute.
    pub precision: String,
    /// An [`EntryKind::as_str`]; required.
    pub kind: String,
    /// A [`Marker::as_str`], or empty for none.
    pub marker: String,
    /// Who acted, by role; required.
    pub actor: String,
    /// What happened, in Markdown; required.
    pub body: String,
    /// Where the time comes from ("Jenkins build log", "from memory"); may be empty.
    pub time_source: String,
}

/// A valid timeline entry, ready to be stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewTimelineEntry {
    /// When it happened.
    pub time: RecordedTime,
    /// What it records.
    pub kind: EntryKind,
    /// Whether it was a moment worth pointing out.
    pub marker: Option<Marker>,
    /// Who acted, by role ("on-call engineer", "Jenkins").
    pub actor: String,
    /// What happened, in Markdown.
    pub body_md: String,
    /// Where the time comes from ("Jenkins build log", "from memory"); empty when not given.
    /// Absent from exports older than it.
    #[serde(default)]
    pub time_source: String,
}

impl TimelineForm {
    /// The form a new entry opens with: an observation, known to the minute.
    pub fn blank() -> Self {
        TimelineForm {
            precision: crate::domain::time::Precision::Minute.as_str().to_owned(),
            kind: EntryKind::Observation.as_str().to_owned(),
            ..TimelineForm::default()
        }
    }

    /// Checks the form, reading the time as wall-clock time in `zone`.
    ///
    /// # Errors
    /// Every problem, under the form field to correct: the time, kind, actor and body are
    /// required; the marker may be empty.
    pub fn parse(&self, zone: &dyn Zone) -> Result<NewTimelineEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let time = if self.at.trim().is_empty() {
            errors.add(
                "at",
                "Enter when this happened; choose “Approximate” if unsure.",
            );
            None
        } else {
            read_time_fields(
                &mut errors,
                "",
                [&self.at, &self.until, &self.precision],
                zone,
            )
        };
        let kind = errors.check("kind", required_choice(&self.kind, "a kind of entry"));
        let marker = errors
            .check("marker", optional_choice(&self.marker, "a marker"))
            .flatten();
        let actor = errors.check(
            "actor",
            required_text(&self.actor, "Actor", MAX_SHORT_TEXT_CHARS).map_err(|message| {
                if self.actor.trim().is_empty() {
                    "Say who acted, by role rather than name, e.g. on-call engineer.".to_owned()
                } else {
                    message
                }
            }),
        );
        let body = errors.check(
            "body",
            required_text(&self.body, "What happened", MAX_MARKDOWN_CHARS),
        );
        let time_source = errors.check(
            "time_source",
            optional_text(
                &self.time_source,
                "Where the time comes from",
                MAX_SHORT_TEXT_CHARS,
            ),
        );
        match (time, kind, actor, body, time_source) {
            (Some(time), Some(kind), Some(actor), Some(body_md), Some(time_source))
                if errors.is_empty() =>
            {
                Ok(NewTimelineEntry {
                    time,
                    kind,
                    marker,
                    actor,
                    body_md,
                    time_source,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form for editing `entry`, with its time written on the clocks of `zone`.
    pub fn from_entry(entry: &NewTimelineEntry, zone: &dyn Zone) -> Self {
        let time = &entry.time;
        Self {
            at: to_input_value(time.at, zone.offset_at(time.at)),
            until: time
                .until
                .map(|until| to_input_value(until, zone.offset_at(until)))
                .unwrap_or_default(),
            precision: time.precision.as_str().to_owned(),
            kind: entry.kind.as_str().to_owned(),
            marker: entry
                .marker
                .map(|marker| marker.as_str().to_owned())
                .unwrap_or_default(),
            actor: entry.actor.clone(),
            body: entry.body_md.clone(),
            time_source: entry.time_source.clone(),
        }
    }
}

/// A stored timeline entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Its database id.
    pub id: i64,
    /// The incident it belongs to.
    pub incident_id: i64,
    /// What it records.
    pub entry: NewTimelineEntry,
}

/// Puts entries in the order they happened (a range counts at its midpoint); entries at the
/// same moment keep the order they were added in.
pub fn sort_entries(entries: &mut [TimelineEntry]) {
    entries.sort_by(|a, b| {
        a.entry
            .time
            .point()
            .cmp(&b.entry.time.point())
            .then(a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::tests::{approx, minute, range, utc};
    use crate::domain::time::{Precision, t_offset};
    use chrono::FixedOffset;

    fn utc0() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn valid_form() -> TimelineForm {
        TimelineForm {
            at: "2020-03-23T10:28".into(),
            until: String::new(),
            precision: "minute".into(),
            kind: "communication".into(),
            marker: "key_moment".into(),
            actor: " engineer running the change ".into(),
            body: "Says in the incident channel: “I have caused an outage.”".into(),
            time_source: " team channel ".into(),
        }
    }

    fn stored(id: i64, time: RecordedTime) -> TimelineEntry {
        TimelineEntry {
            id,
            incident_id: 1,
            entry: NewTimelineEntry {
                time,
                kind: EntryKind::Observation,
                marker: None,
                actor: "on-call engineer".into(),
                body_md: format!("entry {id}"),
                time_source: String::new(),
            },
        }
    }

    #[test]
    fn kinds_and_markers_have_stable_names() {
        assert_eq!(
            EntryKind::ALL.map(EntryKind::as_str),
            [
                "observation",
                "action",
                "decision",
                "communication",
                "alert",
                "change"
            ]
        );
        assert_eq!(
            Marker::ALL.map(Marker::as_str),
            ["detection", "diagnosis", "repair", "key_moment"]
        );
        assert_eq!(Marker::KeyMoment.label(), "Key moment");
        assert_eq!(Marker::parse("key_moment"), Some(Marker::KeyMoment));
        assert_eq!(
            serde_json::to_string(&Marker::KeyMoment).unwrap(),
            "\"key_moment\""
        );
    }

    #[test]
    fn a_valid_form_becomes_an_entry() {
        let entry = valid_form().parse(&utc0()).unwrap();
        assert_eq!(entry.time, minute(10, 28));
        assert_eq!(entry.kind, EntryKind::Communication);
        assert_eq!(entry.marker, Some(Marker::KeyMoment));
        assert_eq!(entry.actor, "engineer running the change");
        assert_eq!(entry.time_source, "team channel");
    }

    #[test]
    fn where_the_time_comes_from_is_optional_but_short() {
        let form = TimelineForm {
            time_source: "  ".into(),
            ..valid_form()
        };
        assert_eq!(form.parse(&utc0()).unwrap().time_source, "");
        let form = TimelineForm {
            time_source: "x".repeat(MAX_SHORT_TEXT_CHARS + 1),
            ..valid_form()
        };
        let errors = form.parse(&utc0()).unwrap_err();
        assert!(
            errors
                .get("time_source")
                .unwrap()
                .starts_with("Where the time comes from must be at most")
        );
    }

    #[test]
    fn an_empty_marker_means_none() {
        let form = TimelineForm {
            marker: String::new(),
            ..valid_form()
        };
        assert_eq!(form.parse(&utc0()).unwrap().marker, None);
    }

    #[test]
    fn form_errors_are_keyed_by_field() {
        let errors = TimelineForm::default().parse(&utc0()).unwrap_err();
        assert!(
            errors
                .get("at")
                .unwrap()
                .starts_with("Enter when this happened")
        );
        assert_eq!(errors.get("kind"), Some("Choose a kind of entry."));
        assert_eq!(
            errors.get("actor"),
            Some("Say who acted, by role rather than name, e.g. on-call engineer.")
        );
        assert_eq!(errors.get("body"), Some("What happened is required."));
        assert_eq!(errors.get("marker"), None);

        let form = TimelineForm {
            at: "2020-03-23T10:28".into(),
            until: "2020-03-23T10:27".into(),
            precision: "range".into(),
            marker: "turning_point".into(),
            actor: "a".repeat(MAX_SHORT_TEXT_CHARS + 1),
            ..valid_form()
        };
        let errors = form.parse(&utc0()).unwrap_err();
        assert_eq!(
            errors.get("until"),
            Some("The end of a range must be after its start.")
        );
        assert!(errors.get("marker").unwrap().contains("Key moment"));
        assert!(
            errors
                .get("actor")
                .unwrap()
                .contains("at most 200 characters")
        );
        assert_eq!(errors.0.len(), 3);
    }

    #[test]
    fn the_edit_form_reads_back_the_same_entry() {
        let zone = FixedOffset::west_opt(5 * 3_600).unwrap();
        for time in [minute(10, 28), approx(10, 27), range((10, 28), (10, 29))] {
            let time = RecordedTime {
                offset_minutes: -300,
                ..time
            };
            let entry = NewTimelineEntry {
                time,
                marker: None,
                ..valid_form().parse(&utc0()).unwrap()
            };
            let form = TimelineForm::from_entry(&entry, &zone);
            assert_eq!(form.marker, "");
            assert_eq!(form.parse(&zone), Ok(entry));
        }
        let exact = RecordedTime::new(utc(10, 27, 15), None, Precision::Exact, 0).unwrap();
        let entry = NewTimelineEntry {
            time: exact,
            ..valid_form().parse(&utc0()).unwrap()
        };
        assert_eq!(
            TimelineForm::from_entry(&entry, &utc0()).at,
            "2020-03-23T10:27:15"
        );
    }

    #[test]
    fn entries_are_sorted_by_when_they_happened_then_by_id() {
        let mut entries = vec![
            stored(1, minute(10, 30)),
            stored(5, minute(10, 28)),
            stored(3, range((10, 27), (10, 29))), // midpoint 10:28, ties with id 5
            stored(4, approx(10, 20)),
            stored(2, minute(10, 28)),
        ];
        sort_entries(&mut entries);
        assert_eq!(
            entries.iter().map(|e| e.id).collect::<Vec<_>>(),
            [4, 2, 3, 5, 1]
        );
    }

    #[test]
    fn entries_are_placed_relative_to_impact_start() {
        let impact = approx(10, 27);
        let entry = valid_form().parse(&utc0()).unwrap();
        assert_eq!(t_offset(&impact, &entry.time), "≈T+0:01");
    }

    #[test]
    fn a_blank_entry_filled_with_its_required_text_is_an_observation_to_the_minute() {
        let form = TimelineForm {
            at: "2020-03-23T10:28".into(),
            actor: "on-call engineer".into(),
            body: "Paged.".into(),
            ..TimelineForm::blank()
        };
        let entry = form.parse(&utc0()).unwrap();
        assert_eq!(entry.kind, EntryKind::Observation);
        assert_eq!(entry.marker, None);
        assert_eq!(entry.time.precision, Precision::Minute);
    }
}
