//! The import JSON: a valid export reads back the same and passes the import's checks; any JSON,
//! however mangled, is read, checked and rendered without panicking: refused with every problem
//! named by its place in the JSON, or accepted only when each part is what its edit form saves.

use chrono::{FixedOffset, NaiveDate};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

use super::config;
use super::strategies::{
    change_at, follow_up, hostile, impact_figure, incident_at, lessons, offset_minutes, one_of,
    parameters, required, timeline_entry_at, zone,
};
use crate::domain::change::{ChangeForm, ParameterForm};
use crate::domain::export::{ExportedChange, ExportedFollowUp, FORMAT, PostmortemExport, VERSION};
use crate::domain::follow_up::FollowUpForm;
use crate::domain::follow_up::FollowUpState;
use crate::domain::form::{FieldErrors, MAX_MARKDOWN_CHARS};
use crate::domain::impact::ImpactForm;
use crate::domain::incident::{
    IncidentForm, IncidentStatus, LessonsForm, MilestoneKind, Milestones, NewIncident,
};
use crate::domain::time::RecordedTime;
use crate::domain::timeline::TimelineForm;

/// A follow-up as exported, with what its state requires and a target inside the export.
fn exported_follow_up(
    changes: &[ExportedChange],
) -> impl Strategy<Value = ExportedFollowUp> + use<> {
    let targets: Vec<(usize, usize)> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.parameters.len()))
        .collect();
    (
        follow_up(),
        one_of(&FollowUpState::ALL),
        required(MAX_MARKDOWN_CHARS),
        any::<(bool, bool, Index, Index)>(),
    )
        .prop_map(
            move |(mut f, state, note, (to_change, to_parameter, c, p))| {
                (f.owner_id, f.change_id, f.parameter_id) = (None, None, None);
                if state.needs_owner_and_due() && !f.has_owner_and_due() {
                    f.owner = "Platform team".to_owned();
                    f.due = NaiveDate::from_ymd_opt(2020, 4, 30);
                }
                let change =
                    (to_change && !targets.is_empty()).then(|| targets[c.index(targets.len())]);
                let parameter = change
                    .filter(|(_, count)| to_parameter && *count > 0)
                    .map(|(_, count)| p.index(count));
                ExportedFollowUp {
                    follow_up: f,
                    state,
                    wont_do_reason: (state == FollowUpState::WontDo).then(|| note.clone()),
                    evidence: (state == FollowUpState::Verified).then_some(note),
                    change: change.map(|(i, _)| i),
                    parameter,
                    factor: None,
                }
            },
        )
}

/// A valid export, its times entered at one offset.
fn export() -> impl Strategy<Value = PostmortemExport> {
    offset_minutes()
        .prop_flat_map(|o| {
            (
                incident_at(o),
                one_of(&IncidentStatus::ALL),
                lessons(),
                vec(timeline_entry_at(o), 0..3),
                vec(impact_figure(), 0..3),
                vec(
                    (change_at(o), parameters())
                        .prop_map(|(change, parameters)| ExportedChange { change, parameters }),
                    0..3,
                ),
            )
        })
        .prop_flat_map(|(incident, status, lessons, timeline, impact, changes)| {
            let follow_ups = vec(exported_follow_up(&changes), 0..3);
            (
                Just(PostmortemExport {
                    format: FORMAT.to_owned(),
                    version: VERSION,
                    incident: crate::domain::incident::NewIncident { status, ..incident },
                    lessons,
                    timeline,
                    impact,
                    changes,
                    follow_ups: Vec::new(),
                    template: None,
                    fields: Vec::new(),
                    factors: Vec::new(),
                    related: Vec::new(),
                    mentor_notes: Vec::new(),
                }),
                follow_ups,
            )
        })
        .prop_map(|(export, follow_ups)| PostmortemExport {
            follow_ups,
            ..export
        })
}

/// A JSON value that does not belong where it is put, or only just does.
fn hostile_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        any::<f64>().prop_map(Value::from),
        hostile().prop_map(Value::String),
        select(vec![
            "+262142-12-31T23:59:59Z",
            "-262143-01-01T00:00:00Z",
            "+262143-12-31T23:59:59.999999999Z",
            "9999-12-31T23:59:59.999999999+23:59",
            "1900-01-01T00:00:00-23:59",
            "2020-03-23T10:27:00.5Z",
            "+262143-12-31",
            "-262144-01-01",
            "range",
            "exact",
            "wont_do",
            "verified",
            "committed",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(serde_json::Map::new())),
    ]
}

/// The JSON pointers of every value inside `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(here.clone());
                pointers(inner, here, out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(inner, here, out);
            }
        }
        _ => {}
    }
}

/// Every problem names a place that is in the export's JSON: "impact[0].quantity" is the
/// pointer "/impact/0/quantity".
fn assert_places(errors: &FieldErrors, export: &PostmortemExport) {
    let json = serde_json::to_value(export).expect("serialises");
    for error in &errors.0 {
        let pointer = format!("/{}", error.field)
            .replace('[', "/")
            .replace(']', "")
            .replace('.', "/");
        assert!(
            json.pointer(&pointer).is_some(),
            "{:?} is no place in the JSON ({})",
            error.field,
            error.message
        );
    }
}

/// The clocks a time was entered on, once it is proven to be as its form saves it.
fn clocks(t: &RecordedTime) -> Result<FixedOffset, TestCaseError> {
    prop_assert_eq!(
        RecordedTime::new(t.at, t.until, t.precision, t.offset_minutes),
        Ok(*t)
    );
    Ok(zone(t.offset_minutes))
}

/// Each part of `export` is what its edit form saves.
fn saved_unchanged_by_its_forms(export: &PostmortemExport) -> Result<(), TestCaseError> {
    let utc = zone(0);
    let incident = export.draft();
    for t in MilestoneKind::ALL
        .iter()
        .filter_map(|k| incident.milestones.get(*k))
    {
        clocks(t)?;
    }
    let fields = NewIncident {
        milestones: Milestones::default(),
        ..incident
    };
    prop_assert_eq!(
        IncidentForm::from_incident(&fields, &utc).parse(&utc),
        Ok(fields)
    );
    prop_assert_eq!(
        LessonsForm::from_lessons(&export.lessons).parse(),
        Ok(export.lessons.clone())
    );
    for e in &export.timeline {
        let clocks = clocks(&e.time)?;
        prop_assert_eq!(
            TimelineForm::from_entry(e, &clocks).parse(&clocks),
            Ok(e.clone())
        );
    }
    for f in &export.impact {
        prop_assert_eq!(ImpactForm::from_figure(f).parse(), Ok(f.clone()));
    }
    for c in &export.changes {
        let clocks = c.change.time.as_ref().map_or(Ok(utc), clocks)?;
        prop_assert_eq!(
            ChangeForm::from_change(&c.change, &clocks).parse(&clocks),
            Ok(c.change.clone())
        );
        for p in &c.parameters {
            prop_assert_eq!(ParameterForm::from_parameter(p).parse(), Ok(p.clone()));
        }
    }
    for f in &export.follow_ups {
        prop_assert_eq!(
            FollowUpForm::from_follow_up(&f.follow_up).parse(),
            Ok(f.follow_up.clone())
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_valid_export_reads_back_the_same_and_passes_the_import_checks(export in export()) {
        let json = serde_json::to_string(&export).expect("serialises");
        let read: PostmortemExport =
            serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(read.check(), Ok(()));
        prop_assert_eq!(read.draft().status, IncidentStatus::Draft);
        prop_assert_eq!(serde_json::to_string(&read).expect("serialises"), json);
        prop_assert_eq!(read, export);
    }

    #[test]
    fn any_text_read_as_an_export_never_panics(input in hostile()) {
        if let Ok(export) = serde_json::from_str::<PostmortemExport>(&input) {
            let _ = export.check();
        }
    }

    #[test]
    fn a_mangled_export_is_refused_by_place_or_is_what_its_forms_save(
        export in export(),
        edits in vec((any::<Index>(), hostile_json()), 1..4),
        offset in offset_minutes(),
    ) {
        let mut json = serde_json::to_value(&export).expect("serialises");
        for (index, replacement) in edits {
            let mut all = Vec::new();
            pointers(&json, String::new(), &mut all);
            let pointer = &all[index.index(all.len())];
            if let Some(slot) = json.pointer_mut(pointer) {
                *slot = replacement;
            }
        }
        if let Ok(mangled) = serde_json::from_value::<PostmortemExport>(json) {
            match mangled.check() {
                Ok(()) => saved_unchanged_by_its_forms(&mangled)?,
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    assert_places(&errors, &mangled);
                }
            }
            let _ = mangled.to_markdown(&zone(offset));
            let _ = mangled.to_markdown(&chrono::Utc);
        }
    }
}
