//! A change parameter as table cells — name, value, who set it — the same on the postmortem and
//! on the change's edit page, with a defaulted value called out.

use leptos::prelude::*;

use crate::dto::postmortem::ParameterRow;

/// The name, value (or "(unset)") and "Default value" / "Set explicitly" cells of a parameter.
#[component]
pub fn ParameterCells(p: ParameterRow) -> impl IntoView {
    let value = if p.value.is_empty() {
        "(unset)".to_owned()
    } else {
        p.value
    };
    view! {
        <td>{p.name}</td>
        <td>{value}</td>
        <td>{if p.is_default {
            view! { <span class="badge default">"Default value"</span> }.into_any()
        } else {
            view! { <span>"Set explicitly"</span> }.into_any()
        }}</td>
    }
}
