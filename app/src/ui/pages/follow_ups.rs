//! Follow-ups across all incidents: overdue first, then by due date; filtered by state and owner
//! with a plain GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::{flash_id, query_param, with_flash};
use crate::api::flash::FormFlash;
use crate::api::follow_ups::{FollowUpList, list_follow_ups};
use crate::ui::components::follow_up_card::FollowUpCard;
use crate::ui::components::loaded::{Loaded, Refresh};
use crate::ui::options;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let state = query_param("state");
    let owner = query_param("owner");
    let flash = flash_id();
    let data = Resource::new(
        move || (state.get(), owner.get(), flash.get(), Refresh::get()),
        |(state, owner, flash, _)| with_flash(flash, list_follow_ups(state, owner)),
    );
    view! {
        <Title text="Follow-ups" />
        <div class="page-head"><h1>"Follow-ups"</h1></div>
        <p class="lead">"Every follow-up action across incidents: overdue first, then by due date."</p>
        <Loaded resource=data view=move |(list, flash): (FollowUpList, Option<FormFlash>)| {
            let current_state = state.get_untracked();
            let current_owner = owner.get_untracked();
            view! {
                <Form method="GET" action="">
            <div class="filters">
                    <label>"State "
                        <select name="state">
                            <option value="" selected=current_state.is_empty()>"Any state"</option>
                            <option value="open" selected=current_state == "open">"Open (proposed, committed, in progress)"</option>
                            {options::states().into_iter().map(|(v, l)| {
                                let selected = v == current_state;
                                view! { <option value=v selected=selected>{l}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>"Owner "
                        <input name="owner" list="owners" value=current_owner placeholder="Any owner" />
                        <datalist id="owners">{list.owners.iter().map(|o| view! { <option value=o.clone()></option> }).collect_view()}</datalist>
                    </label>
                    <button type="submit" class="secondary small">"Filter"</button>
                </div>
        </Form>
                {if !list.any {
                    view! { <div class="empty"><p>"No follow-ups yet. They are added from an incident's postmortem."</p><p><a href="/">"Go to the incidents"</a></p></div> }.into_any()
                } else if list.rows.is_empty() {
                    view! { <div class="empty"><p>"No follow-up matches this filter."</p><p><a href="/follow-ups">"Show all follow-ups"</a></p></div> }.into_any()
                } else {
                    view! { <ul class="follow-up-list">{list.rows.into_iter().map(|row| view! { <FollowUpCard row flash=flash.clone() show_incident=true /> }).collect_view()}</ul> }.into_any()
                }}
            }
        } />
    }
}
