//! `(value, label)` option lists for the selects, from the domain's enums.

use crate::domain::account::Role;
use crate::domain::change::{ChangeKind, ChangeRelation};
use crate::domain::follow_up::{ActionType, FollowUpState, Priority};
use crate::domain::impact::RatePer;
use crate::domain::incident::{IncidentStatus, Severity};
use crate::domain::timeline::{EntryKind, Marker};

fn list<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|t| (value(*t).to_owned(), label(*t)))
        .collect()
}

pub fn roles() -> Vec<(String, String)> {
    list(&Role::ALL, Role::as_str, |r| {
        format!("{} — {}", r.label(), r.description())
    })
}
pub fn severities() -> Vec<(String, String)> {
    list(&Severity::ALL, Severity::as_str, |s| {
        format!("{} — {}", s.label(), s.definition())
    })
}
/// Severities by name only, for filters where the definitions would crowd the control.
pub fn severity_names() -> Vec<(String, String)> {
    list(&Severity::ALL, Severity::as_str, |s| s.label().to_owned())
}
pub fn statuses() -> Vec<(String, String)> {
    list(&IncidentStatus::ALL, IncidentStatus::as_str, |s| {
        s.label().to_owned()
    })
}
pub fn entry_kinds() -> Vec<(String, String)> {
    list(&EntryKind::ALL, EntryKind::as_str, |s| s.label().to_owned())
}
pub fn markers() -> Vec<(String, String)> {
    list(&Marker::ALL, Marker::as_str, |s| s.label().to_owned())
}
pub fn change_kinds() -> Vec<(String, String)> {
    list(&ChangeKind::ALL, ChangeKind::as_str, |s| {
        s.label().to_owned()
    })
}
pub fn relations() -> Vec<(String, String)> {
    list(&ChangeRelation::ALL, ChangeRelation::as_str, |s| {
        s.label().to_owned()
    })
}
pub fn action_types() -> Vec<(String, String)> {
    list(&ActionType::ALL, ActionType::as_str, |s| {
        s.label().to_owned()
    })
}
pub fn priorities() -> Vec<(String, String)> {
    list(&Priority::ALL, Priority::as_str, |s| s.label().to_owned())
}
pub fn states() -> Vec<(String, String)> {
    list(&FollowUpState::ALL, FollowUpState::as_str, |s| {
        s.label().to_owned()
    })
}
pub fn quantity_kinds() -> Vec<(String, String)> {
    vec![
        ("exact".to_owned(), "Exact".to_owned()),
        ("approximate".to_owned(), "Approximate (≈)".to_owned()),
        ("range".to_owned(), "Range (low–high)".to_owned()),
        (
            "share".to_owned(),
            "Share (% of requests or users)".to_owned(),
        ),
        ("rate".to_owned(), "Rate (so many per minute…)".to_owned()),
        ("money".to_owned(), "Money".to_owned()),
        ("not_measured".to_owned(), "Not measured".to_owned()),
    ]
}

pub fn rate_pers() -> Vec<(String, String)> {
    list(&RatePer::ALL, RatePer::as_str, |p| p.label().to_owned())
}
