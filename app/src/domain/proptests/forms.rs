//! The other forms: incidents, timeline entries, follow-ups and their moves, due-date policies,
//! lessons, participants, accounts, reviews, comments, reading lists and tags.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::strategies::{
    follow_up, hostile, incident_at, lessons, offset_minutes, one_of, timeline_entry_at, zone,
};
use super::{assert_fields_within, config};
use crate::domain::account::{AccountForm, PasswordForm, email};
use crate::domain::comment::{Anchor, CommentForm, Section};
use crate::domain::follow_up::{DuePolicies, FollowUpForm, PolicyForm, Priority, TransitionForm};
use crate::domain::incident::{IncidentForm, LessonsForm};
use crate::domain::library::{ReadingListForm, parse_tag};
use crate::domain::participant::ParticipantForm;
use crate::domain::review::{ApprovalForm, ChangesForm};
use crate::domain::timeline::TimelineForm;

/// `n` hostile strings.
fn fields<const N: usize>() -> impl Strategy<Value = [String; N]> {
    vec(hostile(), N).prop_map(|v| v.try_into().expect("N strings"))
}

/// Proves a form never panics and files each problem under one of its fields.
fn check<T>(
    result: Result<T, crate::domain::form::FieldErrors>,
    allowed: &[&str],
) -> Result<(), TestCaseError> {
    if let Err(errors) = result {
        prop_assert!(!errors.is_empty());
        assert_fields_within(&errors, allowed);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_incident_form_in_any_zone_never_panics_and_names_its_fields(
        f in fields::<16>(),
        offset in offset_minutes(),
    ) {
        let [title, summary, severity, services, a, b, c, d, e, g, h, i, j, k, l, m] = f;
        let form = IncidentForm {
            title, summary, severity, services,
            impact_started_at: a, impact_started_until: b, impact_started_precision: c,
            detected_at: d, detected_until: e, detected_precision: g,
            mitigated_at: h, mitigated_until: i, mitigated_precision: j,
            resolved_at: k, resolved_until: l, resolved_precision: m,
        };
        let mut allowed = vec!["title", "summary", "severity", "services"];
        let names: Vec<String> = ["impact_started", "detected", "mitigated", "resolved"]
            .iter()
            .flat_map(|m| ["at", "until", "precision"].map(|p| format!("{m}_{p}")))
            .collect();
        allowed.extend(names.iter().map(String::as_str));
        check(form.parse(&zone(offset)), &allowed)?;
    }

    #[test]
    fn an_incident_reads_back_from_its_edit_form(
        (offset, incident) in offset_minutes().prop_flat_map(|o| (Just(o), incident_at(o))),
    ) {
        let clocks = zone(offset);
        prop_assert_eq!(IncidentForm::from_incident(&incident, &clocks).parse(&clocks), Ok(incident));
    }

    #[test]
    fn any_timeline_form_in_any_zone_never_panics_and_names_its_fields(
        [at, until, precision, kind, marker, actor, body, time_source] in fields::<8>(),
        offset in offset_minutes(),
    ) {
        let form = TimelineForm { at, until, precision, kind, marker, actor, body, time_source };
        check(
            form.parse(&zone(offset)),
            &["at", "until", "precision", "kind", "marker", "actor", "body", "time_source"],
        )?;
    }

    #[test]
    fn a_timeline_entry_reads_back_from_its_edit_form(
        (offset, entry) in offset_minutes().prop_flat_map(|o| (Just(o), timeline_entry_at(o))),
    ) {
        let clocks = zone(offset);
        prop_assert_eq!(TimelineForm::from_entry(&entry, &clocks).parse(&clocks), Ok(entry));
    }

    #[test]
    fn any_follow_up_form_never_panics_and_names_its_fields(
        [title, description, action_type, priority, owner_id, owner, due, change_id, parameter_id, factor_id]
            in fields::<10>(),
    ) {
        let form = FollowUpForm {
            title, description, action_type, priority, owner_id, owner, due, change_id, parameter_id,
            factor_id,
        };
        check(
            form.parse(),
            &["title", "description", "action_type", "priority", "owner_id", "owner", "due",
              "change_id", "parameter_id", "factor_id"],
        )?;
    }

    #[test]
    fn a_follow_up_reads_back_from_its_edit_form(f in follow_up()) {
        prop_assert_eq!(FollowUpForm::from_follow_up(&f).parse(), Ok(f));
    }

    #[test]
    fn any_transition_names_its_fields([to, note] in fields::<2>()) {
        check(TransitionForm { to, note }.target(), &["to", "note"])?;
    }

    #[test]
    fn any_policy_form_never_panics_and_names_its_fields([p1, p2, p3, p4] in fields::<4>()) {
        check(PolicyForm { p1, p2, p3, p4 }.parse(), &["p1", "p2", "p3", "p4"])?;
    }

    #[test]
    fn due_policies_read_back_from_their_form(
        weeks in vec(option::of(1..=104u32), 4),
    ) {
        let policies = DuePolicies::new(
            Priority::ALL.into_iter().zip(weeks).filter_map(|(p, w)| Some((p, w?))),
        );
        prop_assert_eq!(PolicyForm::from_policies(&policies).parse(), Ok(policies));
    }

    #[test]
    fn any_lessons_form_never_panics_and_names_its_fields([went_well, went_wrong, lucky] in fields::<3>()) {
        check(
            LessonsForm { went_well, went_wrong, lucky }.parse(),
            &["went_well", "went_wrong", "lucky"],
        )?;
    }

    #[test]
    fn lessons_read_back_from_their_edit_form(l in lessons()) {
        prop_assert_eq!(LessonsForm::from_lessons(&l).parse(), Ok(l));
    }

    #[test]
    fn any_participant_form_never_panics_and_names_its_fields([user_id, part] in fields::<2>()) {
        check(ParticipantForm { user_id, part }.parse(), &["user_id", "part"])?;
    }

    #[test]
    fn any_account_form_never_panics_and_names_its_fields(
        [email_text, display_name, password, role, time_zone] in fields::<5>(),
    ) {
        let _ = email(&email_text);
        let form = AccountForm { email: email_text, display_name, password, role, time_zone };
        check(form.parse(), &["email", "display_name", "password", "role", "time_zone"])?;
    }

    #[test]
    fn any_password_form_never_panics_and_names_its_fields(
        [current_password, new_password, confirm_password] in fields::<3>(),
    ) {
        let form = PasswordForm { current_password, new_password, confirm_password };
        check(form.parse(), &["current_password", "new_password", "confirm_password"])?;
    }

    #[test]
    fn any_review_form_never_panics_and_names_its_fields(f in fields::<6>()) {
        let [timeline_complete, impact_quantified, trigger_identified, follow_ups_address_trigger, blameless, comments] = f;
        let approval = ApprovalForm {
            timeline_complete, impact_quantified, trigger_identified, follow_ups_address_trigger,
            blameless, comments: comments.clone(),
        };
        check(
            approval.parse(),
            &["timeline_complete", "impact_quantified", "trigger_identified",
              "follow_ups_address_trigger", "blameless", "comments"],
        )?;
        check(ChangesForm { comments }.parse(), &["comments"])?;
    }

    #[test]
    fn any_comment_reading_list_or_tag_never_panics_and_names_its_fields(
        [body, title, note, tag] in fields::<4>(),
    ) {
        check(CommentForm { body }.parse(), &["body"])?;
        check(ReadingListForm { title, note }.parse(), &["title", "note"])?;
        if let Ok(read) = parse_tag(&tag) {
            prop_assert_eq!(parse_tag(&read), Ok(read.clone()));
        }
    }

    #[test]
    fn any_anchor_key_never_panics_and_a_key_reads_back(
        key in hostile(),
        section in one_of(&Section::ALL),
        id in 1..=i64::MAX,
    ) {
        let _ = Anchor::parse(&key);
        for anchor in [Anchor::Section(section), Anchor::TimelineEntry(id), Anchor::FollowUp(id)] {
            prop_assert_eq!(Anchor::parse(&anchor.key()), Some(anchor));
        }
    }
}
