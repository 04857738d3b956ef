//! Review groups: one review covering several incidents (say, two outages set off by the same
//! change). A group has a name; an incident is in at most one group. The group's timeline
//! merges its incidents' entries in the order they happened, each labelled with its incident.

use serde::{Deserialize, Serialize};

use crate::domain::form::{FieldErrors, MAX_SHORT_TEXT_CHARS, required_text};
use crate::domain::timeline::TimelineEntry;

/// The form starting a group from an incident ("Review together with…"), as the browser sends
/// it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewGroupForm {
    /// The group's name ("JMX settings rollout, March 2020"); required.
    pub name: String,
    /// The id of the other incident to review together with; required.
    pub together_with: String,
}

/// A checked [`ReviewGroupForm`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReviewGroup {
    pub name: String,
    pub together_with: i64,
}

impl ReviewGroupForm {
    /// The checked name and other incident.
    ///
    /// # Errors
    /// Under `name`: it is required and at most [`MAX_SHORT_TEXT_CHARS`] characters; under
    /// `together_with`: an incident must be chosen.
    pub fn parse(&self) -> Result<NewReviewGroup, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check(
            "name",
            required_text(&self.name, "The group's name", MAX_SHORT_TEXT_CHARS),
        );
        let together_with = errors.check("together_with", incident_id(&self.together_with));
        match (name, together_with) {
            (Some(name), Some(together_with)) => Ok(NewReviewGroup {
                name,
                together_with,
            }),
            _ => Err(errors),
        }
    }
}

/// The form adding an incident to a group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    /// The incident's id; required.
    pub incident_id: String,
}

impl MemberForm {
    /// The checked incident id.
    ///
    /// # Errors
    /// Under `incident_id` when no incident is chosen.
    pub fn parse(&self) -> Result<i64, FieldErrors> {
        let mut errors = FieldErrors::new();
        errors
            .check("incident_id", incident_id(&self.incident_id))
            .ok_or(errors)
    }
}

fn incident_id(value: &str) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| "Choose an incident to review together.".to_owned())
}

/// One incident of a group with its timeline, as the merge reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberTimeline {
    pub incident_id: i64,
    /// How its entries are labelled ("#12 Logins failed").
    pub label: String,
    pub entries: Vec<TimelineEntry>,
}

/// An entry of the merged timeline, with the incident it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct MergedEntry {
    pub incident_id: i64,
    pub label: String,
    pub entry: TimelineEntry,
}

/// The members' entries in the order they happened (a range counts at its midpoint, as on a
/// postmortem's own timeline); entries at the same moment keep their incidents' order (the
/// older incident first), then the order they were added in.
pub fn merge_timelines(members: Vec<MemberTimeline>) -> Vec<MergedEntry> {
    let mut merged: Vec<MergedEntry> = members
        .into_iter()
        .flat_map(|member| {
            let (incident_id, label) = (member.incident_id, member.label);
            member.entries.into_iter().map(move |entry| MergedEntry {
                incident_id,
                label: label.clone(),
                entry,
            })
        })
        .collect();
    merged.sort_by(|a, b| {
        a.entry
            .entry
            .time
            .point()
            .cmp(&b.entry.entry.time.point())
            .then(a.incident_id.cmp(&b.incident_id))
            .then(a.entry.id.cmp(&b.entry.id))
    });
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{Precision, RecordedTime};
    use crate::domain::timeline::{EntryKind, NewTimelineEntry};
    use chrono::{TimeZone, Utc};

    fn at(minute: u32, precision: Precision, until: Option<u32>) -> RecordedTime {
        let time = |m: u32| Utc.with_ymd_and_hms(2020, 3, 23, 10, m, 0).unwrap();
        RecordedTime {
            at: time(minute),
            precision,
            until: until.map(time),
            offset_minutes: 0,
        }
    }

    fn entry(id: i64, incident_id: i64, time: RecordedTime, body: &str) -> TimelineEntry {
        TimelineEntry {
            id,
            incident_id,
            entry: NewTimelineEntry {
                time,
                kind: EntryKind::Observation,
                marker: None,
                actor: "on-call engineer".into(),
                body_md: body.into(),
                time_source: String::new(),
            },
        }
    }

    fn member(incident_id: i64, entries: Vec<TimelineEntry>) -> MemberTimeline {
        MemberTimeline {
            incident_id,
            label: format!("#{incident_id}"),
            entries,
        }
    }

    fn bodies(merged: &[MergedEntry]) -> Vec<(String, &str)> {
        merged
            .iter()
            .map(|m| (m.label.clone(), m.entry.entry.body_md.as_str()))
            .collect()
    }

    #[test]
    fn entries_of_several_incidents_are_merged_in_the_order_they_happened() {
        let merged = merge_timelines(vec![
            member(
                1,
                vec![
                    entry(10, 1, at(27, Precision::Minute, None), "logins fail"),
                    entry(11, 1, at(40, Precision::Minute, None), "logins back"),
                ],
            ),
            member(
                2,
                vec![
                    entry(20, 2, at(20, Precision::Minute, None), "metrics gap"),
                    entry(21, 2, at(30, Precision::Approximate, None), "restart seen"),
                ],
            ),
        ]);
        assert_eq!(
            bodies(&merged),
            [
                ("#2".to_owned(), "metrics gap"),
                ("#1".to_owned(), "logins fail"),
                ("#2".to_owned(), "restart seen"),
                ("#1".to_owned(), "logins back"),
            ]
        );
    }

    #[test]
    fn a_range_counts_at_its_midpoint_and_ties_keep_the_older_incident_first() {
        let merged = merge_timelines(vec![
            member(
                2,
                vec![entry(
                    5,
                    2,
                    at(30, Precision::Minute, None),
                    "later incident",
                )],
            ),
            member(
                1,
                vec![
                    entry(9, 1, at(30, Precision::Minute, None), "older incident"),
                    // 10:20–10:50 counts at 10:35.
                    entry(3, 1, at(20, Precision::Range, Some(50)), "a range"),
                ],
            ),
        ]);
        assert_eq!(
            bodies(&merged),
            [
                ("#1".to_owned(), "older incident"),
                ("#2".to_owned(), "later incident"),
                ("#1".to_owned(), "a range"),
            ]
        );
    }

    #[test]
    fn a_group_without_entries_has_an_empty_timeline() {
        assert!(merge_timelines(vec![member(1, vec![]), member(2, vec![])]).is_empty());
    }

    #[test]
    fn a_group_needs_a_name_and_another_incident() {
        let errors = ReviewGroupForm {
            name: "  ".into(),
            together_with: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("name"), Some("The group's name is required."));
        assert_eq!(
            errors.get("together_with"),
            Some("Choose an incident to review together.")
        );
        assert_eq!(
            ReviewGroupForm {
                name: " JMX rollout ".into(),
                together_with: "7".into(),
            }
            .parse(),
            Ok(NewReviewGroup {
                name: "JMX rollout".into(),
                together_with: 7
            })
        );
        assert!(
            MemberForm {
                incident_id: "x".into()
            }
            .parse()
            .is_err()
        );
    }
}
