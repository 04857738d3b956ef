//! Changes across incidents: which systems and jobs were the confirmed trigger of, or a
//! contributing factor in, which incidents; which of their parameters took a default; and what
//! became of the follow-ups that target them. Changes are the same job when their system and
//! identifier match, ignoring case (a change without an identifier is matched by its system
//! and summary).

use serde::{Deserialize, Serialize};

use super::{Change, ChangeRelation};
use crate::domain::follow_up::{FollowUp, FollowUpState};

/// An incident, by id and title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRef {
    pub id: i64,
    pub title: String,
}

/// How many follow-ups are in each part of their life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpTally {
    /// Proposed, committed or in progress.
    pub open: usize,
    /// Done, not yet verified.
    pub done: usize,
    pub verified: usize,
    pub wont_do: usize,
}

impl FollowUpTally {
    fn count(&mut self, state: FollowUpState) {
        match state {
            FollowUpState::Done => self.done += 1,
            FollowUpState::Verified => self.verified += 1,
            FollowUpState::WontDo => self.wont_do += 1,
            _ => self.open += 1,
        }
    }

    /// "1 follow-up open, 2 verified"; "no follow-up targets it" when there are none.
    pub fn describe(&self) -> String {
        let parts: Vec<(String, String)> = [
            (self.open, "open"),
            (self.done, "done, awaiting verification"),
            (self.verified, "verified"),
            (self.wont_do, "won't do"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| {
            let noun = if n == 1 { "follow-up" } else { "follow-ups" };
            (format!("{n} {noun} {what}"), format!("{n} {what}"))
        })
        .collect();
        match parts.split_first() {
            None => "no follow-up targets it".to_owned(),
            Some(((head, _), rest)) => {
                let rest = rest.iter().map(|(_, short)| short.clone());
                let head = head.clone();
                std::iter::once(head)
                    .chain(rest)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    }
}

/// A parameter of a job across incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterInsight {
    pub name: String,
    /// In how many incidents it took its default.
    pub defaulted_in: usize,
    /// Whether a follow-up targets it.
    pub named_by_follow_up: bool,
}

/// One system or job across the incidents it set off or made worse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeInsight {
    pub system: String,
    /// The job, commit or ticket; empty when the changes had none.
    pub identifier: String,
    /// Incidents it was the confirmed trigger of, oldest first: every one, or (on the changes
    /// view) the most recent of them.
    pub triggered: Vec<IncidentRef>,
    /// How many incidents it was the confirmed trigger of, listed or not.
    pub triggered_total: usize,
    /// Incidents it was a contributing factor in, oldest first (as `triggered`).
    pub contributed: Vec<IncidentRef>,
    /// How many incidents it was a contributing factor in, listed or not.
    pub contributed_total: usize,
    /// Parameters that took a default or that a follow-up targets.
    pub parameters: Vec<ParameterInsight>,
    /// The follow-ups that target it.
    pub follow_ups: FollowUpTally,
}

impl ChangeInsight {
    /// "Jenkins · generic run-command job", or the system alone.
    pub fn name(&self) -> String {
        if self.identifier.is_empty() {
            self.system.clone()
        } else {
            format!("{} · {}", self.system, self.identifier)
        }
    }

    /// The whole story in one line: "Jenkins · generic run-command job: confirmed trigger in 2
    /// incidents; the `concurrency` default is the named parameter; 1 follow-up open".
    pub fn sentence(&self) -> String {
        let incidents = |n: usize| {
            if n == 1 {
                "1 incident".to_owned()
            } else {
                format!("{n} incidents")
            }
        };
        let mut roles = Vec::new();
        if self.triggered_total > 0 {
            roles.push(format!(
                "confirmed trigger in {}",
                incidents(self.triggered_total)
            ));
        }
        if self.contributed_total > 0 {
            roles.push(format!(
                "contributing factor in {}",
                incidents(self.contributed_total)
            ));
        }
        let mut parts = vec![format!("{}: {}", self.name(), roles.join(", "))];
        for p in &self.parameters {
            parts.push(match (p.defaulted_in, p.named_by_follow_up) {
                (0, _) => format!("`{}` is the named parameter", p.name),
                (_, true) => format!("the `{}` default is the named parameter", p.name),
                (n, false) => format!("`{}` took its default in {}", p.name, incidents(n)),
            });
        }
        parts.push(self.follow_ups.describe());
        parts.join("; ")
    }

    fn involvement(&self) -> usize {
        self.triggered_total + self.contributed_total
    }
}

/// The key that makes two changes the same job.
/// What makes two changes the same job: their system, and their identifier or (without one)
/// their summary, trimmed and lowercased.
pub fn job_key(change: &Change) -> (String, String) {
    let c = &change.change;
    let identifier = if c.identifier.trim().is_empty() {
        c.summary.trim().to_lowercase()
    } else {
        c.identifier.trim().to_lowercase()
    };
    (c.system.trim().to_lowercase(), identifier)
}

/// Whether two changes are the same system and job.
pub fn same_job(a: &Change, b: &Change) -> bool {
    job_key(a) == job_key(b)
}

fn title_of(incidents: &[IncidentRef], id: i64) -> Option<&IncidentRef> {
    incidents.iter().find(|i| i.id == id)
}

/// Every job that was the confirmed trigger of, or contributed to, one of `incidents` (the ones
/// the reader may see), most involved first: most incidents, then most triggers, then most open
/// follow-ups, then by name. Suspected and ruled-out changes are left out.
pub fn change_insights(
    changes: &[Change],
    incidents: &[IncidentRef],
    follow_ups: &[FollowUp],
) -> Vec<ChangeInsight> {
    let mut groups: Vec<((String, String), ChangeInsight)> = Vec::new();
    let mut ordered: Vec<&Change> = changes
        .iter()
        .filter(|c| {
            matches!(
                c.change.relation,
                ChangeRelation::ConfirmedTrigger | ChangeRelation::Contributing
            )
        })
        .collect();
    ordered.sort_by_key(|c| (c.incident_id, c.id));
    for change in ordered {
        let Some(incident) = title_of(incidents, change.incident_id).cloned() else {
            continue;
        };
        let key = job_key(change);
        let index = match groups.iter().position(|(k, _)| *k == key) {
            Some(index) => index,
            None => {
                groups.push((
                    key,
                    ChangeInsight {
                        system: change.change.system.trim().to_owned(),
                        identifier: change.change.identifier.trim().to_owned(),
                        triggered: Vec::new(),
                        triggered_total: 0,
                        contributed: Vec::new(),
                        contributed_total: 0,
                        parameters: Vec::new(),
                        follow_ups: FollowUpTally::default(),
                    },
                ));
                groups.len() - 1
            }
        };
        let insight = &mut groups[index].1;
        let list = if change.change.relation == ChangeRelation::ConfirmedTrigger {
            &mut insight.triggered
        } else {
            &mut insight.contributed
        };
        if !list.iter().any(|i| i.id == incident.id) {
            list.push(incident);
        }
        insight.triggered_total = insight.triggered.len();
        insight.contributed_total = insight.contributed.len();
        let targeting: Vec<&FollowUp> = follow_ups
            .iter()
            .filter(|f| f.follow_up.change_id == Some(change.id))
            .collect();
        for f in &targeting {
            insight.follow_ups.count(f.state);
        }
        for parameter in &change.parameters {
            let named = targeting
                .iter()
                .any(|f| f.follow_up.parameter_id == Some(parameter.id));
            if !parameter.parameter.is_default && !named {
                continue;
            }
            let name = parameter.parameter.name.trim();
            let index = match insight
                .parameters
                .iter()
                .position(|p| p.name.eq_ignore_ascii_case(name))
            {
                Some(index) => index,
                None => {
                    insight.parameters.push(ParameterInsight {
                        name: name.to_owned(),
                        defaulted_in: 0,
                        named_by_follow_up: false,
                    });
                    insight.parameters.len() - 1
                }
            };
            let entry = &mut insight.parameters[index];
            entry.defaulted_in += usize::from(parameter.parameter.is_default);
            entry.named_by_follow_up |= named;
        }
    }
    let mut insights: Vec<ChangeInsight> = groups.into_iter().map(|(_, i)| i).collect();
    insights.sort_by(|a, b| {
        (b.involvement(), b.triggered_total, b.follow_ups.open)
            .cmp(&(a.involvement(), a.triggered_total, a.follow_ups.open))
            .then_with(|| a.name().to_lowercase().cmp(&b.name().to_lowercase()))
    });
    insights
}

/// Another incident the same job was involved in, and what became of its follow-ups there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierIncident {
    pub incident: IncidentRef,
    pub relation: ChangeRelation,
    pub follow_ups: FollowUpTally,
}

/// The incidents recorded before `change`'s own (lower ids, among `incidents`) in which the
/// same job was involved (anything but ruled out), oldest first.
pub fn earlier_involvement(
    change: &Change,
    changes: &[Change],
    incidents: &[IncidentRef],
    follow_ups: &[FollowUp],
) -> Vec<EarlierIncident> {
    let mut found: Vec<EarlierIncident> = Vec::new();
    let mut before: Vec<&Change> = changes
        .iter()
        .filter(|c| c.incident_id < change.incident_id && same_job(c, change))
        .filter(|c| c.change.relation != ChangeRelation::RuledOut)
        .collect();
    before.sort_by_key(|c| (c.incident_id, c.id));
    for earlier in before {
        let Some(incident) = title_of(incidents, earlier.incident_id) else {
            continue;
        };
        let mut tally = FollowUpTally::default();
        for f in follow_ups
            .iter()
            .filter(|f| f.follow_up.change_id == Some(earlier.id))
        {
            tally.count(f.state);
        }
        match found.iter_mut().find(|e| e.incident.id == incident.id) {
            Some(existing) => {
                existing.follow_ups.open += tally.open;
                existing.follow_ups.done += tally.done;
                existing.follow_ups.verified += tally.verified;
                existing.follow_ups.wont_do += tally.wont_do;
            }
            None => found.push(EarlierIncident {
                incident: incident.clone(),
                relation: earlier.change.relation,
                follow_ups: tally,
            }),
        }
    }
    found
}

#[cfg(test)]
#[path = "insights_tests.rs"]
mod tests;
