//! The import's rule that each part of an export is what its edit form would save: every part
//! goes through that form, so an import cannot store what a person typing it in could not (a
//! negative figure, a nameless parameter, a time offset of days, a range without an end).

use chrono::FixedOffset;

use super::PostmortemExport;
use crate::domain::change::{ChangeForm, ParameterForm};
use crate::domain::follow_up::FollowUpForm;
use crate::domain::form::FieldErrors;
use crate::domain::impact::ImpactForm;
use crate::domain::incident::{IncidentForm, LessonsForm, MilestoneKind, Milestones, NewIncident};
use crate::domain::time::{RecordedTime, fixed_offset};
use crate::domain::timeline::TimelineForm;

const NOT_AS_SAVED: &str = "It is not as Debrief saves it (spaces around a text, a service listed twice…); export it again, or correct it.";

/// Files the problems of `read` (a form's reading of `part`) under `place`, each form field
/// renamed to its JSON field by `renames`; one problem under `place` when the form would save
/// something other than `part`.
fn as_its_form_saves<T: PartialEq>(
    errors: &mut FieldErrors,
    place: &str,
    part: &T,
    read: Result<T, FieldErrors>,
    renames: &[(&str, &str)],
) {
    match read {
        Ok(saved) if saved == *part => {}
        Ok(_) => errors.add(place, NOT_AS_SAVED),
        Err(found) => {
            for error in found.0 {
                let field = renames
                    .iter()
                    .find(|(form, _)| *form == error.field)
                    .map_or(error.field.as_str(), |(_, json)| json);
                errors.add(&format!("{place}.{field}"), error.message);
            }
        }
    }
}

/// Checks a time as its form saves it (an offset under a day, whole seconds, none when to the
/// minute, an end only for a range, and after the start); returns the clocks it was entered on.
fn time(errors: &mut FieldErrors, place: &str, t: &RecordedTime) -> Option<FixedOffset> {
    match RecordedTime::new(t.at, t.until, t.precision, t.offset_minutes) {
        Ok(saved) if saved == *t => fixed_offset(t.offset_minutes),
        Ok(_) => {
            errors.add(
                place,
                "A time holds whole seconds, and none when it is to the minute.",
            );
            None
        }
        Err(error) => {
            errors.add(place, error.to_string());
            None
        }
    }
}

const TIME: [(&str, &str); 3] = [("at", "time"), ("until", "time"), ("precision", "time")];

/// Every part of `export` through its edit form; problems named by their place in the JSON
/// (`impact[0].quantity`, `timeline[2].time`).
pub(super) fn check_parts(export: &PostmortemExport, errors: &mut FieldErrors) {
    let incident = export.draft();
    for kind in MilestoneKind::ALL {
        if let Some(t) = incident.milestones.get(kind) {
            time(errors, &format!("incident.milestones.{}", kind.as_str()), t);
        }
    }
    // Milestones may each be on other clocks: checked one by one above, their order by `check`.
    let fields = NewIncident {
        milestones: Milestones::default(),
        ..incident
    };
    let utc = FixedOffset::east_opt(0);
    if let Some(utc) = utc {
        let read = IncidentForm::from_incident(&fields, &utc).parse(&utc);
        as_its_form_saves(
            errors,
            "incident",
            &fields,
            read,
            &[("summary", "summary_md")],
        );
    }
    let read = LessonsForm::from_lessons(&export.lessons).parse();
    let lessons = [
        ("went_well", "went_well_md"),
        ("went_wrong", "went_wrong_md"),
        ("lucky", "lucky_md"),
    ];
    as_its_form_saves(errors, "lessons", &export.lessons, read, &lessons);
    for (i, entry) in export.timeline.iter().enumerate() {
        let place = format!("timeline[{i}]");
        if let Some(clocks) = time(errors, &format!("{place}.time"), &entry.time) {
            let read = TimelineForm::from_entry(entry, &clocks).parse(&clocks);
            let renames = [TIME.as_slice(), &[("body", "body_md")]].concat();
            as_its_form_saves(errors, &place, entry, read, &renames);
        }
    }
    for (i, figure) in export.impact.iter().enumerate() {
        let read = ImpactForm::from_figure(figure).parse();
        // The form's fields for the kind, bounds, period, currency and reason are all parts of
        // the JSON's one `quantity`.
        let renames = [
            ("quantity_kind", "quantity"),
            ("quantity_high", "quantity"),
            ("rate_per", "quantity"),
            ("currency", "quantity"),
            ("not_measured_reason", "quantity"),
            ("window_approx", "window"),
        ];
        as_its_form_saves(errors, &format!("impact[{i}]"), figure, read, &renames);
    }
    for (i, c) in export.changes.iter().enumerate() {
        let place = format!("changes[{i}].change");
        let clocks = match &c.change.time {
            Some(t) => time(errors, &format!("{place}.time"), t),
            None => utc,
        };
        if let Some(clocks) = clocks {
            let read = ChangeForm::from_change(&c.change, &clocks).parse(&clocks);
            let renames = [TIME.as_slice(), &[("rationale", "rationale_md")]].concat();
            as_its_form_saves(errors, &place, &c.change, read, &renames);
        }
        for (j, p) in c.parameters.iter().enumerate() {
            let read = ParameterForm::from_parameter(p).parse();
            as_its_form_saves(
                errors,
                &format!("changes[{i}].parameters[{j}]"),
                p,
                read,
                &[],
            );
        }
    }
    for (i, f) in export.follow_ups.iter().enumerate() {
        let read = FollowUpForm::from_follow_up(&f.follow_up).parse();
        let place = format!("follow_ups[{i}].follow_up");
        as_its_form_saves(
            errors,
            &place,
            &f.follow_up,
            read,
            &[("description", "description_md")],
        );
    }
}
