use chrono::{DateTime, FixedOffset};

use super::*;
use crate::domain::change::{Change, Parameter};
use crate::domain::example::worked_example;
use crate::domain::follow_up::FollowUp;
use crate::domain::impact::ImpactFigure;
use crate::domain::incident::Incident;
use crate::domain::timeline::TimelineEntry;

/// The worked example as if stored: ids, and its follow-ups targeting the change by id (the
/// mentor notes' tests start from it too).
pub(super) fn stored() -> (
    Incident,
    Vec<TimelineEntry>,
    Vec<ImpactFigure>,
    Vec<Change>,
    Vec<FollowUp>,
) {
    let e = worked_example().expect("the worked example");
    let at = DateTime::from_timestamp(1_585_000_000, 0).unwrap();
    let incident = Incident {
        id: 1,
        title: e.incident.title.clone(),
        summary_md: e.incident.summary_md.clone(),
        severity: e.incident.severity,
        status: IncidentStatus::Published,
        revision: 1,
        services: e.incident.services.clone(),
        milestones: e.incident.milestones.clone(),
        lessons: e.lessons.clone(),
        created_at: at,
        updated_at: at,
    };
    let timeline = e
        .timeline
        .iter()
        .enumerate()
        .map(|(n, entry)| TimelineEntry {
            id: n as i64 + 10,
            incident_id: 1,
            entry: entry.clone(),
        })
        .collect();
    let impact = e
        .impact
        .iter()
        .enumerate()
        .map(|(n, figure)| ImpactFigure {
            id: n as i64 + 20,
            incident_id: 1,
            figure: figure.clone(),
        })
        .collect();
    let change = Change {
        id: 30,
        incident_id: 1,
        change: e.change.clone(),
        parameters: e
            .parameters
            .iter()
            .enumerate()
            .map(|(n, p)| Parameter {
                id: n as i64 + 40,
                change_id: 30,
                version: 1,
                parameter: p.clone(),
            })
            .collect(),
    };
    let follow_ups = e
        .follow_ups
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let mut f = item.follow_up.clone();
            let parameter = item
                .targets_parameter
                .as_ref()
                .and_then(|name| change.parameters.iter().find(|p| &p.parameter.name == name));
            if item.targets_change || parameter.is_some() {
                f.change_id = Some(30);
            }
            f.parameter_id = parameter.map(|p| p.id);
            FollowUp {
                id: n as i64 + 50,
                incident_id: 1,
                follow_up: f,
                state: item.state,
                wont_do_reason: None,
                evidence: None,
                verified: None,
                closed_at: None,
                created_at: at,
                updated_at: at,
            }
        })
        .collect();
    (incident, timeline, impact, vec![change], follow_ups)
}

fn export() -> PostmortemExport {
    let (incident, timeline, impact, changes, follow_ups) = stored();
    PostmortemExport::of(&Parts {
        incident: &incident,
        timeline: &timeline,
        impact: &impact,
        changes: &changes,
        follow_ups: &follow_ups,
        field_values: &[],
        factors: &[],
        mentor_notes: &[],
    })
}

#[test]
fn the_json_export_reads_back_whole_and_passes_its_checks() {
    let exported = export();
    assert_eq!(exported.format, FORMAT);
    let json = serde_json::to_string_pretty(&exported).unwrap();
    let back: PostmortemExport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, exported);
    assert_eq!(back.check(), Ok(()));
    assert_eq!(
        back.draft().status,
        IncidentStatus::Draft,
        "imported as a draft"
    );
    let targeted = back
        .follow_ups
        .iter()
        .find(|f| f.parameter.is_some())
        .expect("a follow-up targets the parameter");
    assert_eq!(targeted.change, Some(0));
    assert_eq!(
        back.changes[0].parameters[targeted.parameter.unwrap()].name,
        "concurrency"
    );
    assert!(
        back.follow_ups
            .iter()
            .all(|f| f.follow_up.change_id.is_none() && f.follow_up.owner_id.is_none()),
        "no ids travel"
    );
}

#[test]
fn the_markdown_export_tells_the_whole_postmortem() {
    let md = export().to_markdown(&FixedOffset::east_opt(0).unwrap());
    for expected in [
        "# Customer logins failed across all products for about a minute",
        "**Severity:** SEV1",
        "## Milestones",
        "- Time to mitigate: ≈1 min",
        "## Impact",
        "≈500 customer logins failed over ≈1 min",
        "## The change",
        "`concurrency`",
        "## Timeline",
        "## What went well",
        "## Where we got lucky",
        "## Follow-up actions",
        "addresses parameter `concurrency`",
    ] {
        assert!(md.contains(expected), "{expected} missing from:\n{md}");
    }
}

#[test]
fn an_import_that_breaks_the_rules_is_refused_by_place() {
    let mut bad = export();
    bad.follow_ups[0].change = Some(5);
    bad.follow_ups[1].state = FollowUpState::Verified;
    bad.follow_ups[1].evidence = None;
    bad.incident.title = "  ".into();
    let errors = bad.check().unwrap_err();
    assert!(errors.get("follow_ups[0].change").is_some(), "{errors:?}");
    assert!(errors.get("follow_ups[1].evidence").is_some(), "{errors:?}");
    assert!(errors.get("incident.title").is_some(), "{errors:?}");
    let other = PostmortemExport {
        version: 99,
        ..export()
    };
    assert!(other.check().unwrap_err().get("format").is_some());
}

#[test]
fn an_import_meets_the_rules_of_the_forms_field_by_field() {
    let mut bad = export();
    bad.changes[0].change.link = Some("javascript:alert(1)".into());
    bad.timeline[0].actor = "x".repeat(10_000);
    bad.lessons.went_well_md = "y".repeat(30_000);
    bad.impact[0].affected = " ".into();
    bad.changes[0].parameters[0].name = "n".repeat(500);
    let errors = bad.check().unwrap_err();
    for field in [
        "changes[0].change.link",
        "timeline[0].actor",
        "lessons.went_well_md",
        "impact[0].affected",
        "changes[0].parameters[0].name",
    ] {
        assert!(
            errors.get(field).is_some(),
            "{field} not named in {errors:?}"
        );
    }
}

#[test]
fn a_follow_up_note_longer_than_any_markdown_field_is_refused_on_import() {
    let mut bad = export();
    bad.follow_ups[0].evidence = Some("e".repeat(20_001));
    let errors = bad.check().unwrap_err();
    assert!(errors.get("follow_ups[0].evidence").is_some(), "{errors:?}");
}

#[test]
fn every_unsafe_link_scheme_is_refused_on_import() {
    for link in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        " javascript:alert(1)",
        "//evil.example/x",
        "http://exa mple.com",
    ] {
        let mut bad = export();
        bad.changes[0].change.link = Some(link.into());
        assert!(
            bad.check()
                .unwrap_err()
                .get("changes[0].change.link")
                .is_some(),
            "{link} was accepted"
        );
    }
}

#[test]
fn an_import_holding_what_no_form_would_save_is_refused_by_place() {
    let mut bad = export();
    bad.impact[0].quantity = crate::domain::impact::Quantity::Exact(-5.0);
    bad.changes[0].parameters[0].name = String::new();
    bad.timeline[0].time.offset_minutes = 10_000;
    bad.timeline[1].time.precision = crate::domain::time::Precision::Range;
    bad.timeline[1].time.until = None;
    bad.lessons.lucky_md = "x".repeat(20_001);
    bad.incident.title = " Logins failed ".into();
    bad.changes[0].change.link = Some("javascript:alert(1)".into());
    let errors = bad.check().unwrap_err();
    for place in [
        "impact[0].quantity",
        "changes[0].parameters[0].name",
        "timeline[0].time",
        "timeline[1].time",
        "lessons.lucky_md",
        "incident",
        "changes[0].change.link",
    ] {
        assert!(
            errors.get(place).is_some(),
            "{place} missing from {errors:?}"
        );
    }
    assert_eq!(
        errors.get("timeline[1].time"),
        Some(
            crate::domain::time::TimeError::RangeNeedsEnd
                .to_string()
                .as_str()
        )
    );
}

#[test]
fn related_incidents_export_by_number_and_title_and_older_exports_have_none() {
    use crate::domain::relation::{ExportedRelation, MAX_NOTE_CHARS, RelationKind};
    let mut exported = export();
    exported.related = vec![ExportedRelation {
        kind: RelationKind::EarlierAttempt,
        number: 12,
        title: "Metrics collection broke".into(),
        note: "the first attempt".into(),
    }];
    let json = serde_json::to_string(&exported).unwrap();
    let back: PostmortemExport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.related, exported.related);
    assert_eq!(back.check(), Ok(()));
    let md = back.to_markdown(&FixedOffset::east_opt(0).unwrap());
    assert!(
        md.contains(
            "## Related incidents\n\n- Earlier attempt at the same change: #12 Metrics collection \
             broke — the first attempt\n"
        ),
        "{md}"
    );

    let mut older: serde_json::Value = serde_json::to_value(export()).unwrap();
    older.as_object_mut().unwrap().remove("related");
    let read: PostmortemExport = serde_json::from_value(older).unwrap();
    assert!(read.related.is_empty());
    assert!(
        !read
            .to_markdown(&FixedOffset::east_opt(0).unwrap())
            .contains("Related incidents")
    );

    exported.related[0].note = "n".repeat(MAX_NOTE_CHARS + 1);
    assert!(
        exported
            .check()
            .unwrap_err()
            .get("related[0].note")
            .is_some()
    );
}

/// The JSON pointers of every string inside `value`.
fn string_leaves(value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(_) => out.push(at.to_owned()),
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                string_leaves(inner, &format!("{at}/{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                string_leaves(inner, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Found by the property test of mangled exports: a range ending (or starting) at the last
/// instant chrono knows, shown on clocks east of UTC, has no local date, and showing it
/// panicked where a refusal by place was due.
#[test]
fn a_time_at_the_ends_of_the_calendar_is_refused_by_place_and_rendered_without_panicking() {
    let json = serde_json::to_value(export()).unwrap();
    let mut leaves = Vec::new();
    string_leaves(&json, "", &mut leaves);
    let times: Vec<&String> = leaves
        .iter()
        .filter(|p| {
            serde_json::from_value::<DateTime<chrono::Utc>>(json.pointer(p).unwrap().clone())
                .is_ok()
        })
        .collect();
    assert!(
        times.iter().any(|p| p.ends_with("/until")),
        "the worked example has a range: {times:?}"
    );
    let clocks: Vec<FixedOffset> = [-1439, -1122, 0, 1122, 1439]
        .iter()
        .map(|m| FixedOffset::east_opt(m * 60).unwrap())
        .collect();
    for pointer in &leaves {
        for extreme in ["+262142-12-31T23:59:59Z", "-262143-01-01T00:00:00Z"] {
            let mut mangled = json.clone();
            *mangled.pointer_mut(pointer).unwrap() = serde_json::Value::from(extreme);
            let Ok(read) = serde_json::from_value::<PostmortemExport>(mangled) else {
                continue;
            };
            if times.contains(&pointer) {
                let errors = read.check().expect_err(pointer);
                assert!(
                    errors.0.iter().any(|e| {
                        let place = format!("/{}", e.field)
                            .replace('[', "/")
                            .replace(']', "")
                            .replace('.', "/");
                        pointer.starts_with(&format!("{place}/"))
                    }),
                    "{pointer} = {extreme}: {errors:?}"
                );
            }
            for zone in &clocks {
                let md = read.to_markdown(zone);
                assert!(md.contains("## Timeline"), "{pointer} = {extreme}");
            }
            read.to_markdown(&chrono::Utc);
        }
    }
}

/// Found by the property test of mangled exports: the impact form's reason, currency and
/// period fields were named as such, and no such place is in the JSON.
#[test]
fn a_quantity_no_form_would_save_is_refused_at_the_figures_quantity() {
    use crate::domain::impact::Quantity;
    for quantity in [
        Quantity::NotMeasured {
            reason: "r".repeat(363),
        },
        Quantity::NotMeasured { reason: " ".into() },
        Quantity::Money {
            amount: 12.0,
            approximate: false,
            currency: "dollars".into(),
        },
    ] {
        let mut bad = export();
        bad.impact[0].quantity = quantity;
        let errors = bad.check().unwrap_err();
        assert!(
            errors.get("impact[0].quantity").is_some(),
            "{errors:?} names no quantity"
        );
        for e in &errors.0 {
            let place = format!("/{}", e.field)
                .replace('[', "/")
                .replace(']', "")
                .replace('.', "/");
            let json = serde_json::to_value(&bad).unwrap();
            assert!(json.pointer(&place).is_some(), "{} is no place", e.field);
        }
    }
}

/// The worked example's export with one factor shown by the change, its first parameter and two
/// timeline entries.
fn export_with_a_linked_factor() -> PostmortemExport {
    use crate::domain::factor::{ChangeLink, Factor, FactorRole, NewFactor};
    let (incident, timeline, impact, changes, follow_ups) = stored();
    let change = &changes[0];
    let factor = Factor {
        id: 1,
        incident_id: incident.id,
        category: "Risky default".into(),
        factor: NewFactor {
            statement: "The concurrency took its high default".into(),
            category_id: 1,
            role: FactorRole::Trigger,
            accepted_reason: None,
            changes: vec![
                ChangeLink {
                    change_id: change.id,
                    parameter_id: None,
                },
                ChangeLink {
                    change_id: change.id,
                    parameter_id: Some(change.parameters[0].id),
                },
            ],
            timeline_entries: vec![timeline[1].id, timeline[2].id],
        },
    };
    PostmortemExport::of(&Parts {
        incident: &incident,
        timeline: &timeline,
        impact: &impact,
        changes: &changes,
        follow_ups: &follow_ups,
        field_values: &[],
        factors: &[factor],
        mentor_notes: &[],
    })
}

#[test]
fn a_factors_links_export_by_position_and_the_markdown_names_them() {
    let exported = export_with_a_linked_factor();
    let f = &exported.factors[0];
    assert_eq!(
        f.changes,
        [
            ExportedChangeLink {
                change: 0,
                parameter: None
            },
            ExportedChangeLink {
                change: 0,
                parameter: Some(0)
            }
        ]
    );
    assert_eq!(f.timeline_entries, [1, 2]);
    assert!(f.factor.changes.is_empty() && f.factor.timeline_entries.is_empty());
    assert_eq!(exported.check(), Ok(()));
    let md = exported.to_markdown(&FixedOffset::east_opt(0).unwrap());
    let line = md
        .lines()
        .find(|l| l.contains("The concurrency took its high default"))
        .expect("the factor's line");
    let parameter = &exported.changes[0].parameters[0].name;
    assert!(
        line.contains("shown by Jenkins")
            && line.contains(&format!("— parameter {parameter}"))
            && line.matches("the timeline at").count() == 2,
        "{line}"
    );
}

#[test]
fn a_factor_with_the_single_links_of_an_older_export_still_reads_and_is_checked() {
    let mut json: serde_json::Value =
        serde_json::to_value(export_with_a_linked_factor()).expect("json");
    let f = json["factors"][0].as_object_mut().expect("a factor");
    f.remove("changes");
    f.remove("timeline_entries");
    f.insert("change".into(), 0.into());
    f.insert("parameter".into(), 0.into());
    f.insert("timeline_entry".into(), 2.into());
    let old: PostmortemExport = serde_json::from_value(json).expect("an older export reads");
    let f = &old.factors[0];
    assert_eq!(
        f.change_links(),
        [ExportedChangeLink {
            change: 0,
            parameter: Some(0)
        }]
    );
    assert_eq!(f.entry_links(), [2]);
    assert_eq!(old.check(), Ok(()));

    let mut bad = old.clone();
    bad.factors[0].timeline_entry = Some(99);
    bad.factors[0].changes = vec![ExportedChangeLink {
        change: 0,
        parameter: Some(99),
    }];
    let errors = bad.check().unwrap_err();
    assert!(
        errors.get("factors[0].timeline_entries").is_some(),
        "{errors:?}"
    );
    assert!(errors.get("factors[0].changes").is_some(), "{errors:?}");
    let mut orphan = old;
    orphan.factors[0].change = None;
    let errors = orphan.check().unwrap_err();
    assert!(errors.get("factors[0].parameter").is_some(), "{errors:?}");
}
