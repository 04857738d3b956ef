use std::collections::BTreeMap;

use super::*;

fn region() -> CustomField {
    CustomField {
        key: "region".into(),
        label: "Region".into(),
        kind: FieldKind::Choice,
        options: vec!["eu-west".into(), "us-east".into()],
        required: true,
        prompt: "Where the impact was.".into(),
    }
}

fn field(kind: FieldKind) -> CustomField {
    CustomField {
        key: "f".into(),
        label: "F".into(),
        kind,
        options: Vec::new(),
        required: false,
        prompt: String::new(),
    }
}

fn form(pairs: &[(&str, &str)]) -> TemplateForm {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The standard template's form, with `pairs` written over it.
fn standard_form_with(pairs: &[(&str, &str)]) -> TemplateForm {
    let mut f = template_form("Team", &Definition::standard());
    for (k, v) in pairs {
        f.insert((*k).to_owned(), (*v).to_owned());
    }
    f
}

#[test]
fn the_standard_template_shows_every_section_in_the_page_order_and_requires_nothing() {
    let standard = Definition::standard();
    let keys: Vec<SectionKey> = standard.sections.iter().map(|s| s.key).collect();
    assert_eq!(keys, SectionKey::ALL.to_vec());
    assert!(
        standard
            .sections
            .iter()
            .all(|s| s.shown && !s.required && s.prompt.is_empty())
    );
    assert!(standard.fields.is_empty());
    assert!(standard.missing(&Filled::default()).is_empty());
}

#[test]
fn a_stored_definition_reads_back_the_same() {
    let mut d = Definition::standard();
    d.sections.swap(1, 3);
    d.sections[2].required = true;
    d.fields.push(region());
    assert_eq!(Definition::from_json(&d.to_json()), d);
}

#[test]
fn a_section_missing_from_a_stored_template_takes_its_default_place_and_unknown_keys_are_skipped() {
    let json = r#"{"sections":[{"key":"timeline","shown":false},{"key":"summary"},{"key":"from_the_future"}],"fields":[]}"#;
    let d = Definition::from_json(json);
    let keys: Vec<&str> = d.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "timeline",
            "lessons",
            "factors",
            "follow_ups",
            "custom_fields",
            "summary",
            "impact",
            "changes",
            "related"
        ]
    );
    assert!(!d.section(SectionKey::Timeline).unwrap().shown);
    assert!(d.section(SectionKey::Impact).unwrap().shown);
}

#[test]
fn unreadable_json_reads_as_the_standard_template() {
    assert_eq!(Definition::from_json("not json"), Definition::standard());
}

#[test]
fn a_number_field_takes_numbers_only() {
    let f = field(FieldKind::Number);
    assert_eq!(f.check(" 3.5 "), Ok("3.5".into()));
    assert_eq!(f.check("-2"), Ok("-2".into()));
    assert!(f.check("about 3").unwrap_err().contains("takes a number"));
    assert!(f.check("NaN").is_err());
    assert_eq!(f.check("  "), Ok(String::new()));
}

#[test]
fn a_date_field_takes_calendar_dates() {
    let f = field(FieldKind::Date);
    assert_eq!(f.check("2020-03-23"), Ok("2020-03-23".into()));
    assert!(f.check("2020-02-30").is_err());
    assert!(f.check("23/03/2020").unwrap_err().contains("YYYY-MM-DD"));
}

#[test]
fn a_choice_field_takes_one_of_its_options_only() {
    let f = region();
    assert_eq!(f.check("eu-west"), Ok("eu-west".into()));
    assert_eq!(
        f.check("mars"),
        Err("Choose one of “eu-west”, “us-east” for Region.".into())
    );
}

#[test]
fn a_text_field_has_a_length_limit() {
    let f = field(FieldKind::Text);
    assert!(f.check(&"x".repeat(MAX_FIELD_VALUE_CHARS)).is_ok());
    assert!(f.check(&"x".repeat(MAX_FIELD_VALUE_CHARS + 1)).is_err());
}

#[test]
fn values_are_checked_under_their_field_keys() {
    let mut d = Definition::standard();
    d.fields.push(region());
    d.fields.push(CustomField {
        key: "cost".into(),
        label: "Cost".into(),
        ..field(FieldKind::Number)
    });
    let typed: BTreeMap<String, String> = [("region", "mars"), ("cost", "x"), ("other", "y")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let errors = d.check_values(&typed).unwrap_err();
    assert!(errors.get("region").is_some());
    assert!(errors.get("cost").is_some());
    assert_eq!(errors.0.len(), 2);
}

#[test]
fn required_sections_and_fields_that_are_empty_are_missing_in_page_order() {
    let mut d = Definition::standard();
    for s in &mut d.sections {
        s.required = matches!(s.key, SectionKey::FollowUps | SectionKey::Impact);
    }
    d.fields.push(region());
    let mut filled = Filled {
        follow_ups: true,
        ..Filled::default()
    };
    let missing = d.missing(&filled);
    assert_eq!(
        missing,
        vec![
            Missing {
                label: "Impact".into(),
                place: "/impact/new".into()
            },
            Missing {
                label: "Region".into(),
                place: "/fields#f-region".into()
            },
        ]
    );
    assert_eq!(
        missing_sentence(&missing),
        "Before submitting for review, fill in: Impact, Region."
    );
    filled.impact = true;
    filled.values.insert("region".into(), "eu-west".into());
    assert!(d.missing(&filled).is_empty());
}

#[test]
fn a_hidden_section_is_never_missing() {
    let mut d = Definition::standard();
    for s in &mut d.sections {
        if s.key == SectionKey::Timeline {
            s.required = true;
            s.shown = false;
        }
    }
    assert!(d.missing(&Filled::default()).is_empty());
}

#[test]
fn the_template_form_reads_back_the_definition_it_shows() {
    let mut d = Definition::standard();
    d.sections.swap(2, 4);
    d.sections[1].required = true;
    d.sections[3].prompt = "Name roles, not people.".into();
    d.sections[5].shown = false;
    d.fields.push(region());
    assert_eq!(
        parse_template_form(&template_form("Team", &d)),
        Ok(("Team".to_owned(), d))
    );
}

#[test]
fn sections_are_ordered_by_their_order_numbers() {
    let f = standard_form_with(&[("follow_ups_order", "0"), ("impact_order", "99")]);
    let (_, d) = parse_template_form(&f).unwrap();
    assert_eq!(d.sections.first().unwrap().key, SectionKey::FollowUps);
    assert_eq!(d.sections.last().unwrap().key, SectionKey::Impact);
}

#[test]
fn a_template_form_reports_each_problem_under_its_field() {
    let mut f = standard_form_with(&[
        ("name", " "),
        ("timeline_order", "second"),
        ("custom_fields_required", "on"),
        ("field0_label", "Region"),
        ("field0_kind", "choice"),
        ("field1_label", "Other region"),
        ("field1_key", "region"),
        ("field1_kind", "text"),
        ("field2_key", "Bad Key"),
        ("field2_kind", "weird"),
    ]);
    f.remove("impact_shown");
    f.insert("impact_required".into(), "on".into());
    let errors = parse_template_form(&f).unwrap_err();
    assert!(errors.get("name").is_some());
    assert!(
        errors
            .get("timeline_order")
            .unwrap()
            .contains("whole number")
    );
    assert!(errors.get("custom_fields_required").is_some());
    assert!(
        errors
            .get("impact_required")
            .unwrap()
            .contains("hidden section")
    );
    assert!(
        errors
            .get("field0_options")
            .unwrap()
            .contains("one per line")
    );
    assert!(
        errors
            .get("field1_key")
            .unwrap()
            .contains("already has the key")
    );
    assert!(errors.get("field2_label").is_some());
    assert!(errors.get("field2_key").unwrap().contains("lowercase"));
    assert!(errors.get("field2_kind").is_some());
}

#[test]
fn a_field_without_a_key_takes_one_made_of_its_label_and_blank_or_removed_rows_are_left_out() {
    let f = standard_form_with(&[
        ("field0_label", "Customer region (primary)"),
        ("field0_kind", "choice"),
        ("field0_options", "eu-west\n\n us-east \neu-west"),
        ("field1_label", "Gone"),
        ("field1_kind", "text"),
        ("field1_remove", "on"),
        ("field3_label", "3rd party cost"),
        ("field3_kind", "number"),
        ("field3_options", "ignored"),
    ]);
    let (_, d) = parse_template_form(&f).unwrap();
    let keys: Vec<&str> = d.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["customer_region_primary", "f_3rd_party_cost"]);
    assert_eq!(d.fields[0].options, ["eu-west", "us-east"]);
    assert!(d.fields[1].options.is_empty());
}

#[test]
fn the_form_shows_every_held_row_and_two_blank_ones() {
    assert_eq!(template_form_rows(&form(&[])), 2);
    assert_eq!(template_form_rows(&form(&[("field2_label", "x")])), 5);
}

#[test]
fn saving_values_keeps_those_of_fields_no_longer_in_the_template() {
    let earlier = FieldValues(vec![
        FieldValue {
            key: "old".into(),
            label: "Old field".into(),
            value: "kept".into(),
        },
        FieldValue {
            key: "region".into(),
            label: "Region".into(),
            value: "us-east".into(),
        },
    ]);
    let mut d = Definition::standard();
    d.fields.push(region());
    let checked: BTreeMap<String, String> = [("region".to_owned(), "eu-west".to_owned())].into();
    let saved = earlier.with(&d, &checked);
    assert_eq!(saved.by_key().get("old").map(String::as_str), Some("kept"));
    assert_eq!(
        saved.by_key().get("region").map(String::as_str),
        Some("eu-west")
    );
    let earlier_labels: Vec<&str> = saved.earlier(&d).map(|v| v.label.as_str()).collect();
    assert_eq!(earlier_labels, ["Old field"]);
    let cleared = saved.with(&d, &BTreeMap::new());
    assert_eq!(cleared.0.len(), 1);
}

#[test]
fn an_exported_template_and_values_are_checked_as_their_forms_would() {
    let mut d = Definition::standard();
    d.fields.push(CustomField {
        options: Vec::new(),
        ..region()
    });
    let template = ExportedTemplate {
        name: "Regional".into(),
        definition: d,
    };
    let values = vec![
        FieldValue {
            key: "Bad Key".into(),
            label: "Region".into(),
            value: "eu-west".into(),
        },
        FieldValue {
            key: "notes".into(),
            label: " ".into(),
            value: "x".repeat(MAX_FIELD_VALUE_CHARS + 1),
        },
    ];
    let mut errors = crate::domain::form::FieldErrors::new();
    check_exported(Some(&template), &values, &mut errors);
    assert!(
        errors.get("template.field0_options").is_some(),
        "{errors:?}"
    );
    assert!(errors.get("fields[0].key").is_some());
    assert!(errors.get("fields[1].label").is_some());
    assert!(errors.get("fields[1].value").is_some());
}
