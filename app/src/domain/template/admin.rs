//! Looking after templates: moving a section or a field up or down on the template form (a
//! button of the plain form, so no order numbers to type), and a template's history (who
//! changed it, when, and what changed, read from its name and definition before and after).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Definition, MAX_FIELDS, SectionKey, TemplateForm};

/// The parts of a custom field row on the template form, moved together.
const FIELD_PARTS: [&str; 7] = [
    "key", "label", "kind", "options", "required", "prompt", "remove",
];

/// Which way a move goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// A move asked for by a button of the template form: `section:<key>:up|down` or
/// `field:<row>:up|down`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Section(SectionKey, Direction),
    Field(usize, Direction),
}

impl Move {
    /// Reads a button's value.
    ///
    /// # Errors
    /// A message when it names no section or field row, or no direction.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("“{text}” is not a move this form offers.");
        let mut parts = text.trim().splitn(3, ':');
        let (what, which, way) = (parts.next(), parts.next(), parts.next());
        let direction = match way {
            Some("up") => Direction::Up,
            Some("down") => Direction::Down,
            _ => return Err(bad()),
        };
        match (what, which) {
            (Some("section"), Some(key)) => SectionKey::parse(key)
                .map(|k| Move::Section(k, direction))
                .ok_or_else(bad),
            (Some("field"), Some(row)) => row
                .parse::<usize>()
                .ok()
                .filter(|r| *r < MAX_FIELDS)
                .map(|r| Move::Field(r, direction))
                .ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// The button's value: what [`Move::parse`] reads.
    pub fn value(self) -> String {
        let way = |d: Direction| match d {
            Direction::Up => "up",
            Direction::Down => "down",
        };
        match self {
            Move::Section(key, d) => format!("section:{}:{}", key.as_str(), way(d)),
            Move::Field(row, d) => format!("field:{row}:{}", way(d)),
        }
    }

    /// Where the form is scrolled back to after the move.
    pub fn anchor(self) -> String {
        match self {
            Move::Section(key, _) => format!("section-{}", key.as_str()),
            Move::Field(row, Direction::Up) => format!("field-row-{}", row.saturating_sub(1)),
            Move::Field(row, Direction::Down) => format!("field-row-{}", row + 1),
        }
    }
}

/// The sections of a template form in the order it shows them: by their order numbers (a
/// blank or unreadable one counts as the section's usual place), then their usual place.
pub fn sections_in_order(form: &TemplateForm) -> Vec<SectionKey> {
    let mut keyed: Vec<(i64, usize, SectionKey)> = SectionKey::ALL
        .into_iter()
        .enumerate()
        .map(|(place, key)| {
            let usual = i64::try_from(place + 1).unwrap_or_default();
            let order = form
                .get(&format!("{}_order", key.as_str()))
                .and_then(|v| v.trim().parse::<i64>().ok())
                .unwrap_or(usual);
            (order, place, key)
        })
        .collect();
    keyed.sort_by_key(|(order, place, _)| (*order, *place));
    keyed.into_iter().map(|(_, _, key)| key).collect()
}

/// Applies a move to the form as typed: a section swaps places with its neighbour (the order
/// numbers are written anew, 1 to n), a field row swaps every part with the row above or below.
/// A move past either end changes nothing.
pub fn apply_move(form: &mut TemplateForm, moving: Move) {
    match moving {
        Move::Section(key, direction) => {
            let mut order = sections_in_order(form);
            if let Some(at) = order.iter().position(|k| *k == key) {
                let other = match direction {
                    Direction::Up => at.checked_sub(1),
                    Direction::Down => Some(at + 1).filter(|n| *n < order.len()),
                };
                if let Some(other) = other {
                    order.swap(at, other);
                }
            }
            for (n, key) in order.into_iter().enumerate() {
                form.insert(format!("{}_order", key.as_str()), (n + 1).to_string());
            }
        }
        Move::Field(row, direction) => {
            let other = match direction {
                Direction::Up => row.checked_sub(1),
                Direction::Down => Some(row + 1).filter(|n| *n < MAX_FIELDS),
            };
            let Some(other) = other else { return };
            for part in FIELD_PARTS {
                let a = format!("field{row}_{part}");
                let b = format!("field{other}_{part}");
                let (va, vb) = (form.remove(&a), form.remove(&b));
                if let Some(v) = va {
                    form.insert(b, v);
                }
                if let Some(v) = vb {
                    form.insert(a, v);
                }
            }
        }
    }
}

labelled_enum! {
    /// What happened to a template.
    pub enum TemplateAction {
        Created = ("created", "Created"),
        Updated = ("updated", "Changed"),
        Retired = ("retired", "Retired"),
        Restored = ("restored", "Offered again"),
        Deleted = ("deleted", "Deleted"),
    }
}

/// A template as its history keeps it: its name and definition at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSnapshot {
    pub name: String,
    pub definition: Definition,
}

/// One change of a template, as the history page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRevision {
    pub at: DateTime<Utc>,
    pub user_name: String,
    pub action: TemplateAction,
    /// Its name after the change (before it, for a deletion).
    pub template_name: String,
    /// What changed, one line each: "Section Impact: required before review: no → yes".
    pub changes: Vec<String>,
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn quoted(text: &str) -> String {
    if text.trim().is_empty() {
        "(empty)".to_owned()
    } else {
        format!("“{text}”")
    }
}

/// What differs between two snapshots of a template, one readable line each (nothing when they
/// are the same).
pub fn describe_changes(before: &TemplateSnapshot, after: &TemplateSnapshot) -> Vec<String> {
    let mut lines = Vec::new();
    if before.name != after.name {
        lines.push(format!(
            "Name: {} → {}",
            quoted(&before.name),
            quoted(&after.name)
        ));
    }
    let order = |d: &Definition| {
        d.sections
            .iter()
            .filter(|s| s.shown)
            .map(|s| s.key.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if order(&before.definition) != order(&after.definition) {
        lines.push(format!(
            "Sections shown, in order: {} → {}",
            order(&before.definition),
            order(&after.definition)
        ));
    }
    for a in &after.definition.sections {
        let Some(b) = before.definition.sections.iter().find(|b| b.key == a.key) else {
            continue;
        };
        let name = a.key.label();
        if b.shown != a.shown {
            lines.push(format!(
                "Section {name}: shown: {} → {}",
                yes_no(b.shown),
                yes_no(a.shown)
            ));
        }
        if b.required != a.required {
            lines.push(format!(
                "Section {name}: required before review: {} → {}",
                yes_no(b.required),
                yes_no(a.required)
            ));
        }
        if b.prompt != a.prompt {
            lines.push(format!(
                "Section {name}: prompt: {} → {}",
                quoted(&b.prompt),
                quoted(&a.prompt)
            ));
        }
    }
    for b in &before.definition.fields {
        if !after.definition.fields.iter().any(|a| a.key == b.key) {
            lines.push(format!(
                "Field {}: removed (its values are kept)",
                quoted(&b.label)
            ));
        }
    }
    for a in &after.definition.fields {
        let Some(b) = before.definition.fields.iter().find(|b| b.key == a.key) else {
            lines.push(format!(
                "Field {}: added ({})",
                quoted(&a.label),
                a.kind.label()
            ));
            continue;
        };
        let name = quoted(&a.label);
        if b.label != a.label {
            lines.push(format!("Field {}: renamed {name}", quoted(&b.label)));
        }
        if b.kind != a.kind {
            lines.push(format!(
                "Field {name}: kind: {} → {}",
                b.kind.label(),
                a.kind.label()
            ));
        }
        if b.options != a.options {
            lines.push(format!(
                "Field {name}: choices: {} → {}",
                b.options.join(", "),
                a.options.join(", ")
            ));
        }
        if b.required != a.required {
            lines.push(format!(
                "Field {name}: required before review: {} → {}",
                yes_no(b.required),
                yes_no(a.required)
            ));
        }
        if b.prompt != a.prompt {
            lines.push(format!(
                "Field {name}: prompt: {} → {}",
                quoted(&b.prompt),
                quoted(&a.prompt)
            ));
        }
    }
    let keys = |d: &Definition| d.fields.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
    let kept = |d: &Definition, other: &Definition| {
        keys(d)
            .into_iter()
            .filter(|k| other.fields.iter().any(|f| f.key == *k))
            .collect::<Vec<_>>()
    };
    if kept(&before.definition, &after.definition) != kept(&after.definition, &before.definition) {
        lines.push(format!(
            "Fields, in order: {}",
            after
                .definition
                .fields
                .iter()
                .map(|f| f.label.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::{parse_template_form, template_form};

    fn with_fields() -> Definition {
        let mut form = template_form("Regional", &Definition::standard());
        for (i, label) in ["Region", "Customer tier"].iter().enumerate() {
            form.insert(format!("field{i}_label"), (*label).to_owned());
            form.insert(format!("field{i}_kind"), "text".to_owned());
            form.insert(format!("field{i}_prompt"), format!("prompt {i}"));
        }
        parse_template_form(&form).expect("valid").1
    }

    #[test]
    fn a_move_reads_back_from_its_button_value_and_nonsense_is_refused() {
        for m in [
            Move::Section(SectionKey::Impact, Direction::Up),
            Move::Field(3, Direction::Down),
        ] {
            assert_eq!(Move::parse(&m.value()), Ok(m));
        }
        for bad in [
            "",
            "section:impact",
            "section:nope:up",
            "field:x:up",
            "field:999:up",
        ] {
            assert!(Move::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn moving_a_section_up_swaps_it_with_the_one_above_and_keeps_what_was_typed() {
        let mut form = template_form("Regional", &Definition::standard());
        form.insert("impact_prompt".to_owned(), "How bad?".to_owned());
        let before = sections_in_order(&form);
        let at = before
            .iter()
            .position(|k| *k == SectionKey::Changes)
            .expect("changes");
        apply_move(&mut form, Move::Section(SectionKey::Changes, Direction::Up));
        let after = sections_in_order(&form);
        assert_eq!(after[at - 1], SectionKey::Changes);
        assert_eq!(after[at], before[at - 1]);
        assert_eq!(form["impact_prompt"], "How bad?");
        let (_, definition) = parse_template_form(&form).expect("valid");
        assert_eq!(
            definition
                .sections
                .iter()
                .map(|s| s.key)
                .collect::<Vec<_>>(),
            after
        );
    }

    #[test]
    fn moving_the_first_section_up_or_the_last_down_changes_nothing() {
        let mut form = template_form("Regional", &Definition::standard());
        let before = sections_in_order(&form);
        apply_move(&mut form, Move::Section(before[0], Direction::Up));
        let last = *before.last().expect("sections");
        apply_move(&mut form, Move::Section(last, Direction::Down));
        assert_eq!(sections_in_order(&form), before);
    }

    #[test]
    fn moving_a_field_down_swaps_every_part_of_its_row() {
        let mut form = template_form("Regional", &with_fields());
        apply_move(&mut form, Move::Field(0, Direction::Down));
        let (_, definition) = parse_template_form(&form).expect("valid");
        assert_eq!(
            definition
                .fields
                .iter()
                .map(|f| (f.label.as_str(), f.prompt.as_str()))
                .collect::<Vec<_>>(),
            [("Customer tier", "prompt 1"), ("Region", "prompt 0")]
        );
        apply_move(&mut form, Move::Field(0, Direction::Up));
        let (_, again) = parse_template_form(&form).expect("valid");
        assert_eq!(again, definition, "nothing above the first row");
    }

    #[test]
    fn a_templates_changes_are_described_in_words() {
        let before = TemplateSnapshot {
            name: "Regional".into(),
            definition: with_fields(),
        };
        let mut after = before.clone();
        after.name = "Regional teams".into();
        after.definition.sections[1].required = true;
        after.definition.fields.remove(0);
        after.definition.fields[0].prompt = "Which tier?".into();
        let lines = describe_changes(&before, &after);
        let impact = after.definition.sections[1].key.label();
        assert_eq!(
            lines,
            [
                "Name: “Regional” → “Regional teams”".to_owned(),
                format!("Section {impact}: required before review: no → yes"),
                "Field “Region”: removed (its values are kept)".to_owned(),
                "Field “Customer tier”: prompt: “prompt 1” → “Which tier?”".to_owned(),
            ]
        );
        assert!(describe_changes(&before, &before).is_empty());
    }
}
