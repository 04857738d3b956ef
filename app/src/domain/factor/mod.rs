//! Contributing factors: what let a change have impact. A postmortem lists them, each a short
//! blameless statement in a category (from a list admins keep: risky default, missing
//! safeguard, …), either the **trigger** or a **condition**, optionally linked to the changes
//! (or particular parameters of them) and timeline entries that show it ([`ChangeLink`]). Every factor is addressed by a follow-up or
//! explicitly accepted with no action and a reason: the computed check of the reviewer's
//! checklist item "follow-ups address the trigger and the missing safeguards" ([`check`]).
//! Across incidents, a category seen before is a recurrence ([`Recurrence`]), and the factors by
//! category and system are what keeps hurting us ([`FactorRollup`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::change::{FollowUpTally, IncidentRef};
use crate::domain::follow_up::{FollowUp, FollowUpState};
use crate::domain::form::{
    FieldErrors, MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, checkbox, optional_text,
    required_choice, required_text,
};

/// Longest statement of a factor, in characters: a sentence, not an essay.
pub const MAX_STATEMENT_CHARS: usize = 300;

labelled_enum! {
    /// What part a factor played.
    pub enum FactorRole {
        /// What set the incident off.
        Trigger = ("trigger", "Trigger"),
        /// What let the trigger have impact, or made it worse.
        Condition = ("condition", "Condition"),
    }
}

/// A category of factors, as admins keep them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub name: String,
    /// Offered no more for new factors; factors that have it keep it.
    pub retired: bool,
}

/// The form that adds or renames a category.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    pub name: String,
}

impl CategoryForm {
    /// Checks the name.
    ///
    /// # Errors
    /// Under `name` when it is empty or too long.
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check(
            "name",
            required_text(&self.name, "The category's name", MAX_SHORT_TEXT_CHARS),
        );
        match name {
            Some(name) => Ok(name),
            None => Err(errors),
        }
    }
}

/// The factor form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FactorForm {
    /// Required: a short blameless statement.
    pub statement: String,
    /// The id of a category; required.
    pub category_id: String,
    /// A [`FactorRole::as_str`]; required.
    pub role: String,
    /// Checkbox: accepted, no action.
    pub accepted: String,
    /// Why no follow-up addresses it; required when accepted.
    pub accepted_reason: String,
    /// The ticked boxes of what shows it, by [`link_key`]: `c12` a change, `p12_34` parameter
    /// 34 of change 12, `e56` a timeline entry (each "on").
    pub links: BTreeMap<String, String>,
}

/// A change that shows a factor: the change as a whole, or one of its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChangeLink {
    pub change_id: i64,
    pub parameter_id: Option<i64>,
}

/// What a factor's form names a link by (the key of its checkbox): `c12` change 12, `p12_34`
/// parameter 34 of change 12, `e56` timeline entry 56.
pub fn link_key(link: LinkRef) -> String {
    match link {
        LinkRef::Change(ChangeLink {
            change_id,
            parameter_id: None,
        }) => format!("c{change_id}"),
        LinkRef::Change(ChangeLink {
            change_id,
            parameter_id: Some(p),
        }) => format!("p{change_id}_{p}"),
        LinkRef::Entry(id) => format!("e{id}"),
    }
}

/// One link of a factor, as its form names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRef {
    Change(ChangeLink),
    Entry(i64),
}

impl LinkRef {
    /// Reads a [`link_key`]; None for anything else.
    pub fn parse(key: &str) -> Option<Self> {
        let id = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
        if let Some(rest) = key.strip_prefix('c') {
            return Some(LinkRef::Change(ChangeLink {
                change_id: id(rest)?,
                parameter_id: None,
            }));
        }
        if let Some(rest) = key.strip_prefix('p') {
            let (change, parameter) = rest.split_once('_')?;
            return Some(LinkRef::Change(ChangeLink {
                change_id: id(change)?,
                parameter_id: Some(id(parameter)?),
            }));
        }
        key.strip_prefix('e').and_then(id).map(LinkRef::Entry)
    }
}

/// A valid factor, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredFactor")]
pub struct NewFactor {
    pub statement: String,
    pub category_id: i64,
    pub role: FactorRole,
    /// Set when the team accepts it with no action: why.
    pub accepted_reason: Option<String>,
    /// The changes (or parameters of them) that show it, in order, each once. JSON from before
    /// a factor had several links gives its one change here (see `StoredFactor`).
    pub changes: Vec<ChangeLink>,
    /// The timeline entries that show it, by id, in order, each once.
    pub timeline_entries: Vec<i64>,
}

/// A factor as JSON holds it (a published version, an export): its lists of links, or the one
/// change, parameter and entry of a version written before a factor had several.
#[derive(Deserialize)]
struct StoredFactor {
    statement: String,
    category_id: i64,
    role: FactorRole,
    #[serde(default)]
    accepted_reason: Option<String>,
    #[serde(default)]
    changes: Vec<ChangeLink>,
    #[serde(default)]
    timeline_entries: Vec<i64>,
    #[serde(default)]
    change_id: Option<i64>,
    #[serde(default)]
    parameter_id: Option<i64>,
    #[serde(default)]
    timeline_entry_id: Option<i64>,
}

impl From<StoredFactor> for NewFactor {
    fn from(s: StoredFactor) -> Self {
        let mut changes = s.changes;
        if let Some(change_id) = s.change_id {
            let old = ChangeLink {
                change_id,
                parameter_id: s.parameter_id,
            };
            if !changes.contains(&old) {
                changes.insert(0, old);
            }
        }
        let mut timeline_entries = s.timeline_entries;
        if let Some(entry) = s.timeline_entry_id
            && !timeline_entries.contains(&entry)
        {
            timeline_entries.insert(0, entry);
        }
        NewFactor {
            statement: s.statement,
            category_id: s.category_id,
            role: s.role,
            accepted_reason: s.accepted_reason,
            changes,
            timeline_entries,
        }
    }
}

/// A stored factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    pub id: i64,
    pub incident_id: i64,
    /// Its category's name, as it is now.
    pub category: String,
    pub factor: NewFactor,
}

impl Factor {
    /// How it is named in a list of factors: "Trigger (Risky default): The concurrency …".
    pub fn label(&self) -> String {
        format!(
            "{} ({}): {}",
            self.factor.role.label(),
            self.category,
            self.factor.statement
        )
    }
}

impl NewFactor {
    /// Its links in a line, for its history: "change 12, parameter 34 of change 12, timeline
    /// entry 56" (empty when it has none).
    pub fn links_described(&self) -> String {
        self.changes
            .iter()
            .map(|c| match c.parameter_id {
                None => format!("change {}", c.change_id),
                Some(p) => format!("parameter {p} of change {}", c.change_id),
            })
            .chain(
                self.timeline_entries
                    .iter()
                    .map(|e| format!("timeline entry {e}")),
            )
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl FactorForm {
    /// The form a new factor opens with: a condition.
    pub fn blank() -> Self {
        FactorForm {
            role: FactorRole::Condition.as_str().to_owned(),
            ..FactorForm::default()
        }
    }

    /// Checks the form.
    ///
    /// # Errors
    /// Every problem, under the field to correct: the statement, category and role are
    /// required; a parameter only with its change; an accepted factor needs its reason.
    pub fn parse(&self) -> Result<NewFactor, FieldErrors> {
        let mut errors = FieldErrors::new();
        let statement = errors.check(
            "statement",
            required_text(&self.statement, "The statement", MAX_STATEMENT_CHARS),
        );
        let category_id = match errors
            .check(
                "category_id",
                crate::domain::form::picked_id(&self.category_id, "a category"),
            )
            .flatten()
        {
            Some(id) => Some(id),
            None => {
                if errors.get("category_id").is_none() {
                    errors.add("category_id", "Choose a category.");
                }
                None
            }
        };
        let role = errors.check("role", required_choice(&self.role, "trigger or condition"));
        let mut changes = Vec::new();
        let mut timeline_entries = Vec::new();
        for (key, value) in &self.links {
            if !checkbox(value) {
                continue;
            }
            match LinkRef::parse(key) {
                Some(LinkRef::Change(link)) => changes.push(link),
                Some(LinkRef::Entry(id)) => timeline_entries.push(id),
                None => {
                    if errors.get("links").is_none() {
                        errors.add("links", "Tick changes and timeline entries from the lists.");
                    }
                }
            }
        }
        changes.sort_unstable();
        changes.dedup();
        timeline_entries.sort_unstable();
        timeline_entries.dedup();
        let accepted_reason = if checkbox(&self.accepted) {
            errors.check(
                "accepted_reason",
                required_text(
                    &self.accepted_reason,
                    "The reason for accepting it with no action",
                    MAX_MARKDOWN_CHARS,
                ),
            )
        } else {
            // A reason typed without ticking the box is checked for length, and kept out.
            errors.check(
                "accepted_reason",
                optional_text(&self.accepted_reason, "The reason", MAX_MARKDOWN_CHARS),
            );
            None
        };
        match (statement, category_id, role) {
            (Some(statement), Some(category_id), Some(role)) if errors.is_empty() => {
                Ok(NewFactor {
                    statement,
                    category_id,
                    role,
                    accepted_reason,
                    changes,
                    timeline_entries,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form for editing `factor`.
    pub fn from_factor(factor: &NewFactor) -> Self {
        let links = factor
            .changes
            .iter()
            .map(|c| LinkRef::Change(*c))
            .chain(factor.timeline_entries.iter().map(|e| LinkRef::Entry(*e)))
            .map(|l| (link_key(l), "on".to_owned()))
            .collect();
        FactorForm {
            statement: factor.statement.clone(),
            category_id: factor.category_id.to_string(),
            role: factor.role.as_str().to_owned(),
            accepted: if factor.accepted_reason.is_some() {
                "on".to_owned()
            } else {
                String::new()
            },
            accepted_reason: factor.accepted_reason.clone().unwrap_or_default(),
            links,
        }
    }
}

/// How one factor stands in the computed check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Follow-ups address it (their titles), none of them given up.
    Addressed(Vec<String>),
    /// Accepted with no action, for this reason.
    Accepted(String),
    /// Neither: the check fails on it.
    Unaddressed,
}

/// One factor in the computed check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedFactor {
    pub factor_id: i64,
    pub statement: String,
    pub role: FactorRole,
    pub standing: Standing,
}

/// The computed check "follow-ups address the trigger and the missing safeguards": every factor
/// is addressed by a follow-up that is not "won't do", or accepted with no action and a reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorCheck {
    pub factors: Vec<CheckedFactor>,
}

impl FactorCheck {
    /// Whether every factor is addressed or accepted (true with no factors: there is then
    /// nothing for the follow-ups to address, which [`FactorCheck::is_empty`] lets a page say).
    pub fn holds(&self) -> bool {
        self.factors
            .iter()
            .all(|f| f.standing != Standing::Unaddressed)
    }

    /// Whether no factor is recorded.
    pub fn is_empty(&self) -> bool {
        self.factors.is_empty()
    }

    /// The factors the check fails on.
    pub fn unaddressed(&self) -> impl Iterator<Item = &CheckedFactor> {
        self.factors
            .iter()
            .filter(|f| f.standing == Standing::Unaddressed)
    }

    /// Why an approval is refused, naming the factors; None when the check holds.
    pub fn refusal(&self) -> Option<String> {
        let open: Vec<String> = self
            .unaddressed()
            .map(|f| format!("“{}”", f.statement))
            .collect();
        (!open.is_empty()).then(|| {
            format!(
                "No follow-up addresses {} and {} not accepted with a reason: add a follow-up \
                 that addresses it, or mark it accepted with no action and say why.",
                open.join(", "),
                if open.len() == 1 { "it is" } else { "they are" }
            )
        })
    }
}

/// The computed check over a postmortem's factors and follow-ups (the trigger first, then the
/// conditions, each in the order recorded).
pub fn check(factors: &[Factor], follow_ups: &[FollowUp]) -> FactorCheck {
    let mut ordered: Vec<&Factor> = factors.iter().collect();
    ordered.sort_by_key(|f| (f.factor.role != FactorRole::Trigger, f.id));
    FactorCheck {
        factors: ordered
            .into_iter()
            .map(|f| {
                let addressing: Vec<String> = follow_ups
                    .iter()
                    .filter(|u| u.follow_up.factor_id == Some(f.id))
                    .filter(|u| u.state != FollowUpState::WontDo)
                    .map(|u| u.follow_up.title.clone())
                    .collect();
                let standing = match (&f.factor.accepted_reason, addressing.is_empty()) {
                    (_, false) => Standing::Addressed(addressing),
                    (Some(reason), true) => Standing::Accepted(reason.clone()),
                    (None, true) => Standing::Unaddressed,
                };
                CheckedFactor {
                    factor_id: f.id,
                    statement: f.factor.statement.clone(),
                    role: f.factor.role,
                    standing,
                }
            })
            .collect(),
    }
}

/// A category seen before: in other incidents (of the same systems, when `same_system`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurrence {
    pub category: String,
    /// The most recent of them.
    pub incidents: Vec<IncidentRef>,
    /// How many there are in all.
    pub total: usize,
    /// Whether they are incidents of the same systems as this one's changes.
    pub same_system: bool,
}

impl Recurrence {
    /// "Missing safeguard has contributed to 2 earlier incidents of Jenkins:"
    pub fn sentence(&self, systems: &[String]) -> String {
        let incidents = if self.total == 1 {
            "1 other incident".to_owned()
        } else {
            format!("{} other incidents", self.total)
        };
        let of = if self.same_system && !systems.is_empty() {
            format!(" of {}", systems.join(", "))
        } else {
            String::new()
        };
        format!("{} has contributed to {incidents}{of}:", self.category)
    }
}

/// Factors of one category (and, in the view by system, one system) across incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorRollup {
    pub category: String,
    /// The system of the changes they point at; None in the view by category.
    pub system: Option<String>,
    /// How many incidents had such a factor.
    pub incidents_total: usize,
    /// The most recent of them.
    pub incidents: Vec<IncidentRef>,
    /// A few of the statements, most recent first.
    pub statements: Vec<String>,
    /// The follow-ups that address these factors.
    pub follow_ups: FollowUpTally,
}

impl FactorRollup {
    /// "Missing safeguard: 3 incidents, 1 follow-up open".
    pub fn sentence(&self) -> String {
        let name = match &self.system {
            Some(system) => format!("{} in {system}", self.category),
            None => self.category.clone(),
        };
        let incidents = if self.incidents_total == 1 {
            "1 incident".to_owned()
        } else {
            format!("{} incidents", self.incidents_total)
        };
        let follow_ups = self.follow_ups.describe();
        let follow_ups = if follow_ups == "no follow-up targets it" {
            "no follow-up addresses it".to_owned()
        } else {
            follow_ups
        };
        format!("{name}: {incidents}, {follow_ups}")
    }
}

#[cfg(test)]
mod tests;

impl crate::domain::history::Recorded for NewFactor {
    const PART: crate::domain::history::Part = crate::domain::history::Part::Factor;
    fn title(&self) -> String {
        self.statement.clone()
    }
    fn snapshot(&self, _: &dyn crate::domain::time::Zone) -> crate::domain::history::Snapshot {
        let mut snapshot = crate::domain::history::snapshot(&FactorForm::from_factor(self));
        snapshot.insert("shown by".to_owned(), self.links_described());
        snapshot
    }
}
