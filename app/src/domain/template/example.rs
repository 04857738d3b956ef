//! The worked example's template and its values: a template for incidents set off by a change,
//! that requires the change and the follow-ups before review, prompts for the defaults, and
//! asks who noticed first and when the change ran. (Kept small: the example's page has a weight
//! budget.)

use super::{CustomField, Definition, FieldKind, FieldValue, SectionKey};

/// The name of the worked example's template (made when the example is first loaded).
pub const NAME: &str = "Change-triggered incident";

/// The worked example's template.
pub fn definition() -> Definition {
    let mut d = Definition::standard();
    for s in &mut d.sections {
        match s.key {
            SectionKey::Changes => {
                s.required = true;
                s.prompt = "Which parameters took their defaults?".into();
            }
            SectionKey::FollowUps => s.required = true,
            _ => {}
        }
    }
    d.fields = vec![
        CustomField {
            key: "detected_by".into(),
            label: "Detected by".into(),
            kind: FieldKind::Choice,
            options: vec![
                "Monitoring alert".into(),
                "Customer report".into(),
                "The engineer running the change".into(),
                "Another team".into(),
            ],
            required: true,
            prompt: "Who or what noticed first?".into(),
        },
        CustomField {
            key: "change_date".into(),
            label: "Date of the change".into(),
            kind: FieldKind::Date,
            options: Vec::new(),
            required: false,
            prompt: String::new(),
        },
    ];
    d
}

/// The worked example's values of its template's fields.
pub fn values() -> Vec<FieldValue> {
    let value = |key: &str, value: &str| FieldValue {
        key: key.into(),
        label: definition()
            .field(key)
            .map(|f| f.label.clone())
            .unwrap_or_default(),
        value: value.into(),
    };
    vec![
        value("change_date", "2020-03-23"),
        value("detected_by", "The engineer running the change"),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::template::{Filled, parse_template_form, template_form};

    #[test]
    fn the_worked_examples_template_is_one_the_admins_form_would_save() {
        let d = definition();
        assert_eq!(
            parse_template_form(&template_form(NAME, &d)),
            Ok((NAME.to_owned(), d))
        );
    }

    #[test]
    fn the_worked_examples_values_pass_their_fields_and_its_template_asks_for_nothing_more() {
        let d = definition();
        let typed: BTreeMap<String, String> =
            values().into_iter().map(|v| (v.key, v.value)).collect();
        assert_eq!(d.check_values(&typed), Ok(typed.clone()));
        let filled = Filled {
            summary: true,
            impact: true,
            changes: true,
            timeline: true,
            lessons: true,
            follow_ups: true,
            related: true,
            factors: true,
            values: typed,
        };
        assert!(d.missing(&filled).is_empty());
    }
}
