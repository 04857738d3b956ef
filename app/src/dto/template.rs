//! What the template pages and the template parts of the postmortem page show.

use serde::{Deserialize, Serialize};

use crate::domain::template::{FieldKind, SectionKey, TemplateForm};

/// A template as lists and pickers name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
}

/// The admin's template form: which template (0 for a new one), and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateEditing {
    pub id: i64,
    pub is_default: bool,
    pub form: TemplateForm,
}

/// A section of the postmortem page, in the template's order, with its prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionShown {
    pub key: SectionKey,
    /// Whether the template shows it (a hidden section that holds something is still shown,
    /// marked as not in the template: nothing written goes out of sight).
    pub shown: bool,
    /// What the authors read in it while writing (empty for none).
    pub prompt: String,
    pub required: bool,
}

/// A custom field with its value, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldShown {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// The choices of a choice field.
    pub options: Vec<String>,
    pub required: bool,
    pub prompt: String,
    /// Empty when not filled.
    pub value: String,
}

/// The template's part of the postmortem page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub name: String,
    /// Every section, in the template's order.
    pub sections: Vec<SectionShown>,
    /// The template's fields with their values.
    pub fields: Vec<FieldShown>,
    /// Values of fields the template no longer has: "from an earlier template".
    pub earlier: Vec<FieldShown>,
}

impl TemplateView {
    /// How the template has `key`.
    pub fn section(&self, key: SectionKey) -> Option<&SectionShown> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// Whether the template shows `key` (every section when the view is empty, as before
    /// templates).
    pub fn shows(&self, key: SectionKey) -> bool {
        self.section(key).is_none_or(|s| s.shown)
    }

    /// The prompt of `key`, if it has one.
    pub fn prompt(&self, key: SectionKey) -> Option<String> {
        self.section(key)
            .map(|s| s.prompt.clone())
            .filter(|p| !p.trim().is_empty())
    }

    /// The sections in the template's order (every section in the default order when the view
    /// is empty).
    pub fn order(&self) -> Vec<SectionKey> {
        if self.sections.is_empty() {
            SectionKey::ALL.to_vec()
        } else {
            self.sections.iter().map(|s| s.key).collect()
        }
    }
}

/// An incident's custom fields form: the template's fields, the values of earlier ones, and
/// the templates it can move to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldsEditing {
    pub template_id: i64,
    pub template_name: String,
    pub fields: Vec<FieldShown>,
    pub earlier: Vec<FieldShown>,
    pub templates: Vec<TemplateChoice>,
}
