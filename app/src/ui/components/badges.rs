//! Small labels: severity, review status, follow-up state, change relation.

use leptos::prelude::*;

use crate::domain::change::ChangeRelation;
use crate::domain::follow_up::FollowUpState;
use crate::domain::incident::{IncidentStatus, Severity};

#[component]
pub fn SeverityBadge(severity: Severity) -> impl IntoView {
    view! {
        <span class=format!("badge sev sev-{}", severity.as_str()) title=severity.definition()>
            {severity.label()}
        </span>
    }
}

#[component]
pub fn StatusBadge(status: IncidentStatus) -> impl IntoView {
    view! { <span class=format!("badge status status-{}", status.as_str())>{status.label()}</span> }
}

#[component]
pub fn StateBadge(state: FollowUpState, #[prop(optional)] overdue: bool) -> impl IntoView {
    view! {
        <span class=format!("badge state state-{}", state.as_str())>{state.label()}</span>
        {overdue.then_some(view! { <span class="badge overdue">"Overdue"</span> })}
    }
}

#[component]
pub fn RelationBadge(relation: ChangeRelation) -> impl IntoView {
    view! { <span class=format!("badge relation relation-{}", relation.as_str())>{relation.label()}</span> }
}
