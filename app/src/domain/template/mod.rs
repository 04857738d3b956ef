//! Postmortem templates: which sections a postmortem shows, in what order, which must be
//! filled before it is submitted for review, the prompt its authors read in each, and the
//! team's own fields (text, number, choice, date) with their values.
//!
//! [`SectionKey`] is the one list of the postmortem page's sections. A part that adds a section
//! to the page adds its key there (with what "filled" means for it in [`Filled`]); templates
//! stored before the key existed show the new section in its default place (see
//! [`Definition::normalised`]), so no stored template has to be rewritten.
//!
//! The default template ([`Definition::standard`]) reproduces the page as it was before
//! templates: every section shown, in that order, none required, no prompts, no fields.
//! Values are kept by field key: a field dropped from a template (or an incident moved to
//! another template) keeps its values, shown "from an earlier template".
//!
//! Pure data and rules: no I/O.

pub mod admin;
pub mod example;
mod form;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use form::{
    FieldValuesForm, TemplateForm, key_from_label, parse_template_form, template_form,
    template_form_rows,
};

labelled_enum! {
    /// A section of the postmortem page. The order here is the default template's order.
    pub enum SectionKey {
        /// The summary, shown in the page's header (whatever its place in the order). Filled:
        /// the summary is written.
        Summary = ("summary", "Summary"),
        /// The impact figures. Filled: at least one figure.
        Impact = ("impact", "Impact"),
        /// The change(s) that set it off. Filled: at least one linked change.
        Changes = ("changes", "The change"),
        /// Links to related incidents. Filled: at least one link.
        Related = ("related", "Related incidents"),
        /// The timeline. Filled: at least one entry.
        Timeline = ("timeline", "Timeline"),
        /// What went well, what went wrong, where we got lucky. Filled: what went well and
        /// what went wrong are both written.
        Lessons = ("lessons", "Lessons"),
        /// The contributing factors. Filled: at least one factor.
        Factors = ("factors", "Contributing factors"),
        /// The follow-up actions. Filled: at least one follow-up.
        FollowUps = ("follow_ups", "Follow-ups"),
        /// The template's own fields. Never required as a whole: each field says whether it is.
        CustomFields = ("custom_fields", "Details"),
    }
}

impl SectionKey {
    /// Where on the postmortem page the section is, and where to go to fill it, after
    /// `/incidents/{id}`.
    pub fn place(self) -> &'static str {
        match self {
            Self::Summary => "/edit",
            Self::Impact => "/impact/new",
            Self::Changes => "/changes/new",
            Self::Related => "/related/new",
            Self::Timeline => "/timeline/new",
            Self::Lessons => "/lessons",
            Self::Factors => "/factors/new",
            Self::FollowUps => "/follow-ups/new",
            Self::CustomFields => "/fields",
        }
    }

    /// Whether a template may require the section before review.
    pub fn can_be_required(self) -> bool {
        self != Self::CustomFields
    }
}

labelled_enum! {
    /// What a custom field holds.
    pub enum FieldKind {
        Text = ("text", "Text"),
        Number = ("number", "Number"),
        Choice = ("choice", "Choice"),
        Date = ("date", "Date"),
    }
}

/// Longest value of a text field, in characters.
pub const MAX_FIELD_VALUE_CHARS: usize = 2_000;
/// Longest field key, in characters.
pub const MAX_FIELD_KEY_CHARS: usize = 40;
/// Most custom fields a template may have.
pub const MAX_FIELDS: usize = 40;

/// How one section appears in a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSetting {
    pub key: SectionKey,
    pub shown: bool,
    /// Must be filled before the postmortem is submitted for review.
    pub required: bool,
    /// What the authors read in the section while writing (plain text; may be empty).
    pub prompt: String,
}

/// A field of the team's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    /// What its values are kept under: lowercase letters, digits and `_`, starting with a
    /// letter. Stays the same when the label changes.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// The choices of a choice field, in order (empty for other kinds).
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub prompt: String,
}

impl CustomField {
    /// Checks a value typed into the field and returns it as stored (trimmed; empty = unset).
    ///
    /// # Errors
    /// A sentence saying what the field takes.
    pub fn check(&self, raw: &str) -> Result<String, String> {
        let value = raw.trim();
        if value.is_empty() {
            return Ok(String::new());
        }
        match self.kind {
            FieldKind::Text => {
                let chars = value.chars().count();
                if chars > MAX_FIELD_VALUE_CHARS {
                    return Err(format!(
                        "{} must be at most {MAX_FIELD_VALUE_CHARS} characters; it has {chars}.",
                        self.label
                    ));
                }
            }
            FieldKind::Number => {
                if !value.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(format!(
                        "{} takes a number, such as 42 or 3.5; “{value}” is not one.",
                        self.label
                    ));
                }
            }
            FieldKind::Date => {
                if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() {
                    return Err(format!(
                        "{} takes a date as YYYY-MM-DD, such as 2020-03-23; “{value}” is not one.",
                        self.label
                    ));
                }
            }
            FieldKind::Choice => {
                if !self.options.iter().any(|o| o == value) {
                    return Err(format!(
                        "Choose one of {} for {}.",
                        self.options
                            .iter()
                            .map(|o| format!("“{o}”"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        self.label
                    ));
                }
            }
        }
        Ok(value.to_owned())
    }
}

/// What a template says: its sections in order, and its fields in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub sections: Vec<SectionSetting>,
    pub fields: Vec<CustomField>,
}

/// A stored definition as read back: section keys as text, so one written by a newer version
/// (with a key this one does not know) still reads.
#[derive(Deserialize)]
struct StoredDefinition {
    #[serde(default)]
    sections: Vec<StoredSection>,
    #[serde(default)]
    fields: Vec<CustomField>,
}

#[derive(Deserialize)]
struct StoredSection {
    key: String,
    #[serde(default = "shown")]
    shown: bool,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    prompt: String,
}

fn shown() -> bool {
    true
}

impl Definition {
    /// The default template: today's page, every section shown in its usual order, none
    /// required, no prompts, no fields.
    pub fn standard() -> Self {
        Self {
            sections: SectionKey::ALL
                .into_iter()
                .map(|key| SectionSetting {
                    key,
                    shown: true,
                    required: false,
                    prompt: String::new(),
                })
                .collect(),
            fields: Vec::new(),
        }
    }

    /// Reads a definition stored as JSON; unknown section keys are skipped and missing ones
    /// take their default place ([`Self::normalised`]). Unreadable JSON reads as the standard.
    pub fn from_json(json: &str) -> Self {
        let Ok(stored) = serde_json::from_str::<StoredDefinition>(json) else {
            return Self::standard();
        };
        Self {
            sections: stored
                .sections
                .into_iter()
                .filter_map(|s| {
                    SectionKey::parse(&s.key).map(|key| SectionSetting {
                        key,
                        shown: s.shown,
                        required: s.required && key.can_be_required(),
                        prompt: s.prompt,
                    })
                })
                .collect(),
            fields: stored.fields,
        }
        .normalised()
    }

    /// The definition as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Each known section exactly once: duplicates dropped, a missing one (a section added to
    /// Debrief after the template was written) shown right after the section that precedes it
    /// in the default order.
    pub fn normalised(mut self) -> Self {
        let mut seen = Vec::new();
        self.sections.retain(|s| {
            let first = !seen.contains(&s.key);
            seen.push(s.key);
            first
        });
        for (i, key) in SectionKey::ALL.into_iter().enumerate() {
            if self.sections.iter().any(|s| s.key == key) {
                continue;
            }
            let at = SectionKey::ALL[..i]
                .iter()
                .rev()
                .find_map(|before| self.sections.iter().position(|s| s.key == *before))
                .map_or(0, |p| p + 1);
            self.sections.insert(
                at,
                SectionSetting {
                    key,
                    shown: true,
                    required: false,
                    prompt: String::new(),
                },
            );
        }
        self
    }

    /// How `key` appears (every key is there once normalised).
    pub fn section(&self, key: SectionKey) -> Option<&SectionSetting> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The field kept under `key`.
    pub fn field(&self, key: &str) -> Option<&CustomField> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Checks values typed into the fields (by key; keys of other fields are ignored).
    ///
    /// # Errors
    /// Each bad value under its field's key.
    pub fn check_values(
        &self,
        typed: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, super::form::FieldErrors> {
        let mut errors = super::form::FieldErrors::new();
        let mut values = BTreeMap::new();
        for field in &self.fields {
            let raw = typed.get(&field.key).map_or("", String::as_str);
            if let Some(value) = errors.check(&field.key, field.check(raw)) {
                values.insert(field.key.clone(), value);
            }
        }
        errors.into_result(values)
    }

    /// What must still be filled before review, in page order: required sections that are
    /// empty, then required fields without a value.
    pub fn missing(&self, filled: &Filled) -> Vec<Missing> {
        let mut missing: Vec<Missing> = self
            .sections
            .iter()
            .filter(|s| s.shown && s.required && !filled.section(s.key))
            .map(|s| Missing {
                label: s.key.label().to_owned(),
                place: s.key.place().to_owned(),
            })
            .collect();
        missing.extend(
            self.fields
                .iter()
                .filter(|f| f.required)
                .filter(|f| {
                    filled
                        .values
                        .get(&f.key)
                        .is_none_or(|v| v.trim().is_empty())
                })
                .map(|f| Missing {
                    label: f.label.clone(),
                    place: format!("/fields#f-{}", f.key),
                }),
        );
        missing
    }
}

/// A template as stored: its name and definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: i64,
    pub name: String,
    /// The template of every incident that names none.
    pub is_default: bool,
    pub version: i64,
    pub definition: Definition,
    /// Not offered for new incidents; the incidents that follow it keep it.
    #[serde(default)]
    pub retired: bool,
}

/// What a postmortem has filled, for the required-before-review check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    pub summary: bool,
    pub impact: bool,
    pub changes: bool,
    pub timeline: bool,
    pub lessons: bool,
    pub follow_ups: bool,
    /// At least one link to a related incident.
    pub related: bool,
    /// At least one contributing factor.
    pub factors: bool,
    /// Custom field values by key.
    pub values: BTreeMap<String, String>,
}

impl Filled {
    fn section(&self, key: SectionKey) -> bool {
        match key {
            SectionKey::Summary => self.summary,
            SectionKey::Impact => self.impact,
            SectionKey::Changes => self.changes,
            SectionKey::Timeline => self.timeline,
            SectionKey::Lessons => self.lessons,
            SectionKey::FollowUps => self.follow_ups,
            SectionKey::Related => self.related,
            SectionKey::Factors => self.factors,
            SectionKey::CustomFields => true,
        }
    }
}

/// Something required before review that is not there yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// The section's or field's name.
    pub label: String,
    /// Where to fill it, after `/incidents/{id}`.
    pub place: String,
}

/// The sentence that refuses a submission: "Before submitting for review, fill in: Impact,
/// Region."
pub fn missing_sentence(missing: &[Missing]) -> String {
    format!(
        "Before submitting for review, fill in: {}.",
        missing
            .iter()
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// One custom field value of an incident as stored: under its key, with the label it had when
/// it was written (shown when the field is no longer in the incident's template).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// An incident's custom field values, by key: the value a part of the postmortem is edited as.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValues(pub Vec<FieldValue>);

impl FieldValues {
    /// The values by key.
    pub fn by_key(&self) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|v| (v.key.clone(), v.value.clone()))
            .collect()
    }

    /// These values with `checked` (from `definition`'s fields) written over them: a field's
    /// empty value removes it; values of fields not in the definition stay as they are.
    pub fn with(&self, definition: &Definition, checked: &BTreeMap<String, String>) -> Self {
        let mut values: BTreeMap<String, FieldValue> =
            self.0.iter().map(|v| (v.key.clone(), v.clone())).collect();
        for field in &definition.fields {
            match checked.get(&field.key).filter(|v| !v.is_empty()) {
                Some(value) => {
                    values.insert(
                        field.key.clone(),
                        FieldValue {
                            key: field.key.clone(),
                            label: field.label.clone(),
                            value: value.clone(),
                        },
                    );
                }
                None => {
                    values.remove(&field.key);
                }
            }
        }
        Self(values.into_values().collect())
    }

    /// The values whose field `definition` does not have: "from an earlier template".
    pub fn earlier<'a>(
        &'a self,
        definition: &'a Definition,
    ) -> impl Iterator<Item = &'a FieldValue> {
        self.0.iter().filter(|v| definition.field(&v.key).is_none())
    }
}

impl super::history::Recorded for FieldValues {
    const PART: super::history::Part = super::history::Part::FieldValues;
    fn title(&self) -> String {
        "the template's own fields".to_owned()
    }
    fn snapshot(&self, _: &dyn super::time::Zone) -> super::history::Snapshot {
        self.0
            .iter()
            .map(|v| (v.label.clone(), v.value.clone()))
            .collect()
    }
}

/// Checks the template and custom field values of an export with the rules of their forms: the
/// template as the admin's form would save it, keys as a template writes them (each once), with
/// a label, values no longer than a text field's. Problems are named `template.…` and
/// `fields[i].…`.
pub fn check_exported(
    template: Option<&ExportedTemplate>,
    values: &[FieldValue],
    errors: &mut super::form::FieldErrors,
) {
    if let Some(t) = template
        && let Err(found) = parse_template_form(&template_form(&t.name, &t.definition))
    {
        for e in found.0 {
            errors.add(&format!("template.{}", e.field), e.message);
        }
    }
    for (i, v) in values.iter().enumerate() {
        let at = |field: &str| format!("fields[{i}].{field}");
        if form::check_key(&v.key).is_err() || values[..i].iter().any(|w| w.key == v.key) {
            errors.add(
                &at("key"),
                "Each field needs its own key of lowercase letters, digits and “_”.",
            );
        }
        if v.label.trim().is_empty() || v.label.chars().count() > super::form::MAX_SHORT_TEXT_CHARS
        {
            errors.add(
                &at("label"),
                "Each field needs a label of at most 200 characters.",
            );
        }
        if v.value.chars().count() > MAX_FIELD_VALUE_CHARS {
            errors.add(
                &at("value"),
                format!("A value is at most {MAX_FIELD_VALUE_CHARS} characters."),
            );
        }
    }
}

/// A template as an export carries it: enough to make it again where it is imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedTemplate {
    pub name: String,
    pub definition: Definition,
}
