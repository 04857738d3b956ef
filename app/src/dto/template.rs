//! What the template pages and the template parts of the postmortem page show.

use serde::{Deserialize, Serialize};

use crate::domain::template::{FieldKind, SectionKey, TemplateForm};

/// A template as lists and pickers name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    /// Not offered for new incidents (listed for admins, and for an incident that follows it).
    #[serde(default)]
    pub retired: bool,
}

/// The admin's template form: which template (0 for a new one), and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateEditing {
    pub id: i64,
    pub is_default: bool,
    pub form: TemplateForm,
    #[serde(default)]
    pub retired: bool,
    /// How many incidents follow it (a template in use cannot be deleted).
    #[serde(default)]
    pub in_use: u64,
}

/// A custom field's value as the postmortem page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOnPage {
    pub label: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Empty when not filled.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
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

/// The template's part of the postmortem page. What is as in the default template is left out
/// of the page's data (it weighs on every page).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    /// Its name, when the page names it (beside values from an earlier template).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Every section in the template's order; empty for the default order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<SectionKey>,
    /// The sections the template hides (one that holds something is still shown: nothing
    /// written goes out of sight).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden: Vec<SectionKey>,
    /// What the authors read in a section while writing, for sections that have a prompt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<(SectionKey, String)>,
    /// The template's fields with their values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldOnPage>,
    /// Values of fields the template no longer has: "from an earlier template".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<FieldOnPage>,
}

impl TemplateView {
    /// Whether the template shows `key`.
    pub fn shows(&self, key: SectionKey) -> bool {
        !self.hidden.contains(&key)
    }

    /// The prompt of `key`, if it has one.
    pub fn prompt(&self, key: SectionKey) -> Option<String> {
        self.prompts
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| p.clone())
    }

    /// The sections in the template's order.
    pub fn order(&self) -> Vec<SectionKey> {
        if self.order.is_empty() {
            SectionKey::ALL.to_vec()
        } else {
            self.order.clone()
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

/// A template's history page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateHistoryView {
    pub id: i64,
    pub name: String,
    /// False once the template is deleted (its history stays).
    pub exists: bool,
    /// Newest first.
    pub revisions: Vec<RevisionRow>,
}

/// One change of a template, as its history page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRow {
    /// When, in the reader's zone.
    pub at: String,
    pub user_name: String,
    /// "Created", "Changed", "Retired", …
    pub action: String,
    /// What changed, one line each.
    pub changes: Vec<String>,
}
