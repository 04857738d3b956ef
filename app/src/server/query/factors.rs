//! What the postmortem page shows of its contributing factors: each with the change and
//! timeline entry that show it, the follow-ups that address it and, for those who write
//! postmortems, the other incidents its category contributed to (the recurrence hint).

use crate::domain::change::Change;
use crate::domain::factor::Factor;
use crate::domain::follow_up::FollowUp;
use crate::domain::timeline::TimelineEntry;
use crate::dto::factors::{FactorRow, RecurrenceView};
use crate::error::AppError;
use crate::server::zone::NamedZone;

/// What the rows are made of: the postmortem's parts as the reader sees them.
pub struct FactorParts<'a> {
    pub incident_id: i64,
    pub factors: &'a [Factor],
    pub changes: &'a [Change],
    pub timeline: &'a [TimelineEntry],
    pub follow_ups: &'a [FollowUp],
}

/// The factor rows, the trigger first; with the recurrence hint when `hint` (a reader who
/// writes postmortems).
///
/// # Errors
/// On a database failure.
pub async fn rows(
    state: &crate::server::AppState,
    parts: FactorParts<'_>,
    hint: bool,
    zone: &NamedZone,
) -> Result<Vec<FactorRow>, AppError> {
    let recurrences = if hint && !parts.factors.is_empty() {
        let mut categories: Vec<(i64, String)> = parts
            .factors
            .iter()
            .map(|f| (f.factor.category_id, f.category.clone()))
            .collect();
        categories.sort_unstable();
        categories.dedup();
        let mut systems: Vec<String> = parts
            .changes
            .iter()
            .map(|c| c.change.system.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        systems.sort_by_key(|s| s.to_lowercase());
        systems.dedup_by_key(|s| s.to_lowercase());
        let found = crate::server::repo::factors::recurrences(
            &state.db,
            parts.incident_id,
            &categories,
            &systems,
            false,
        )
        .await?;
        found
            .into_iter()
            .map(|(category, r)| {
                (
                    category,
                    RecurrenceView {
                        sentence: r.sentence(&systems),
                        more: r.total.saturating_sub(r.incidents.len()),
                        incidents: r.incidents,
                    },
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut ordered: Vec<&Factor> = parts.factors.iter().collect();
    ordered.sort_by_key(|f| {
        (
            f.factor.role != crate::domain::factor::FactorRole::Trigger,
            f.id,
        )
    });
    Ok(ordered
        .into_iter()
        .map(|f| {
            let n = &f.factor;
            FactorRow {
                id: f.id,
                statement: n.statement.clone(),
                category: f.category.clone(),
                role: n.role,
                accepted_reason: n.accepted_reason.clone(),
                follow_ups: parts
                    .follow_ups
                    .iter()
                    .filter(|u| u.follow_up.factor_id == Some(f.id))
                    .map(|u| u.id)
                    .collect(),
                recurrence: recurrences
                    .iter()
                    .find(|(category, _)| *category == n.category_id)
                    .map(|(_, r)| r.clone()),
                changes: n
                    .changes
                    .iter()
                    .filter_map(|link| {
                        let change = parts.changes.iter().find(|c| c.id == link.change_id)?;
                        let parameter = link.parameter_id.and_then(|pid| {
                            change
                                .parameters
                                .iter()
                                .find(|p| p.id == pid)
                                .map(|p| p.parameter.name.clone())
                        });
                        Some((change.id, parameter))
                    })
                    .collect(),
                // In the timeline's order.
                timeline_entries: parts
                    .timeline
                    .iter()
                    .filter(|e| n.timeline_entries.contains(&e.id))
                    .map(|e| (e.id, super::build::time(&e.entry.time, zone)))
                    .collect(),
            }
        })
        .collect())
}
