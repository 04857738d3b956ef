//! A shared postmortem (`/shared/:token`): the redacted version, for anyone holding the link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::share::shared_postmortem;
use crate::dto::share::SharedView;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::shared_view::SharedPostmortem;

#[component]
pub fn SharedPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let data = Resource::new(move || token.get(), shared_postmortem);
    view! {
        <Title text="Shared postmortem" />
        <p class="notice" role="note">"A blameless postmortem shared from Debrief. People are named by the part they played, not by name."</p>
        <Loaded resource=data view=|view: SharedView| {
            view! { <SharedPostmortem view /> }
        } />
    }
}
