use super::*;

fn form(kind: &str, related: &str, note: &str) -> RelationForm {
    RelationForm {
        kind: kind.into(),
        related: related.into(),
        note: note.into(),
    }
}

fn stored(id: i64, on: i64, kind: RelationKind, to: i64) -> Relation {
    Relation {
        id,
        incident_id: on,
        version: 1,
        relation: NewRelation {
            kind,
            related_incident_id: to,
            note: String::new(),
        },
    }
}

#[test]
fn every_relation_reads_back_from_the_other_side() {
    for kind in RelationKind::ALL {
        assert_eq!(kind.inverse().inverse(), kind, "{kind:?}");
    }
    assert_eq!(RelationKind::CausedBy.inverse(), RelationKind::Caused);
    assert_eq!(
        RelationKind::DuplicateOf.inverse(),
        RelationKind::DuplicatedBy
    );
    assert_eq!(
        RelationKind::RecurrenceOf.inverse(),
        RelationKind::RecurredAs
    );
    assert_eq!(
        RelationKind::SameTrigger.inverse(),
        RelationKind::SameTrigger
    );
}

#[test]
fn a_link_is_worded_from_each_incident_s_side() {
    let link = stored(1, 20, RelationKind::EarlierAttempt, 12);
    let (later, other) = link.seen_from(20).expect("touches 20");
    assert_eq!(
        later.wording(other, "Metrics stopped"),
        "Earlier attempt at the same change: #12 Metrics stopped"
    );
    let (earlier, other) = link.seen_from(12).expect("touches 12");
    assert_eq!(
        earlier.wording(other, "Logins failed"),
        "Later attempt at the same change: #20 Logins failed"
    );
    assert_eq!(link.seen_from(7), None);
    let caused = stored(2, 5, RelationKind::CausedBy, 3);
    assert_eq!(caused.seen_from(3).map(|s| s.0.label()), Some("Caused"));
}

#[test]
fn the_shared_wording_names_no_incident() {
    assert_eq!(
        RelationKind::EarlierAttempt.anonymous(),
        "Earlier attempt at the same change: an earlier incident"
    );
    assert_eq!(RelationKind::Caused.anonymous(), "Caused: another incident");
}

#[test]
fn a_link_to_another_incident_by_its_number_is_valid() {
    for typed in [
        "12",
        " #12 ",
        "INC-12",
        "http://debrief.example/incidents/12",
    ] {
        let new = form("caused_by", typed, " the failover ")
            .parse(20)
            .expect("valid");
        assert_eq!(
            new,
            NewRelation {
                kind: RelationKind::CausedBy,
                related_incident_id: 12,
                note: "the failover".into()
            },
            "{typed}"
        );
    }
}

#[test]
fn a_link_to_itself_is_refused_under_the_number() {
    let errors = form("same_trigger", "#20", "").parse(20).expect_err("self");
    assert!(
        errors
            .get("related")
            .expect("on related")
            .contains("this incident"),
        "{errors:?}"
    );
}

#[test]
fn a_missing_or_unreadable_number_and_an_unknown_relation_are_refused() {
    let errors = form("", "", "").parse(20).expect_err("empty");
    assert!(errors.get("kind").is_some());
    assert!(errors.get("related").expect("number").contains("number"));
    let errors = form("sibling", "twelve", "").parse(20).expect_err("bad");
    assert!(errors.get("kind").expect("kind").contains("sibling"));
    assert!(errors.get("related").expect("number").contains("twelve"));
    let errors = form("caused_by", "0", "").parse(20).expect_err("zero");
    assert!(errors.get("related").is_some());
}

#[test]
fn a_note_longer_than_the_limit_is_refused() {
    let long = "x".repeat(MAX_NOTE_CHARS + 1);
    let errors = form("caused_by", "12", &long).parse(20).expect_err("long");
    assert!(errors.get("note").is_some());
}

#[test]
fn a_second_link_between_the_same_incidents_is_refused_either_way_round() {
    let existing = [stored(1, 12, RelationKind::LaterAttempt, 20)];
    let new = form("recurrence_of", "12", "").parse(20).expect("valid");
    let errors = check_not_linked(&existing, 20, &new, None).expect_err("linked");
    let message = errors.get("related").expect("on related");
    assert!(message.contains("#12"), "{message}");
    assert!(
        message.contains("Earlier attempt at the same change"),
        "worded from this side: {message}"
    );
    assert!(
        check_not_linked(&existing, 20, &new, Some(1)).is_ok(),
        "editing itself"
    );
    let other = form("recurrence_of", "13", "").parse(20).expect("valid");
    assert!(check_not_linked(&existing, 20, &other, None).is_ok());
}

#[test]
fn a_mirrored_link_names_its_owner_with_the_inverse_relation() {
    let new = NewRelation {
        kind: RelationKind::DuplicateOf,
        related_incident_id: 3,
        note: "same page".into(),
    };
    let mirrored = new.mirrored(9);
    assert_eq!(mirrored.kind, RelationKind::DuplicatedBy);
    assert_eq!(mirrored.related_incident_id, 9);
    assert_eq!(mirrored.title(), "Duplicated by: #9");
}

#[test]
fn a_link_s_form_round_trips() {
    let new = form("duplicate_of", "4", "the same page")
        .parse(1)
        .expect("valid");
    assert_eq!(RelationForm::from_relation(&new).parse(1), Ok(new));
}

#[test]
fn an_exported_link_reads_as_a_markdown_item() {
    let e = ExportedRelation {
        kind: RelationKind::EarlierAttempt,
        number: 12,
        title: "Metrics stopped".into(),
        note: "broke metrics\ncollection".into(),
    };
    assert_eq!(
        e.markdown(),
        "- Earlier attempt at the same change: #12 Metrics stopped — broke metrics collection"
    );
}
