//! One follow-up action with its state, owner, due date, the change it targets, and a form to
//! move it on (won't do asks for a reason, verified for evidence).

use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use crate::api::follow_ups::TransitionFollowUp;
use crate::dto::forms::FormFlash;
use crate::dto::postmortem::FollowUpRow;
use crate::ui::components::badges::StateBadge;
use crate::ui::components::form_state::html_name;

/// Evidence as a link when it is one address, as text otherwise.
#[component]
fn Evidence(evidence: String) -> impl IntoView {
    if let Ok(Some(_)) = crate::domain::form::parse_link(&evidence) {
        let href = evidence.clone();
        view! { <a href=href rel="noopener noreferrer">{evidence}</a> }.into_any()
    } else {
        view! { <span>{evidence}</span> }.into_any()
    }
}

#[component]
pub fn FollowUpCard(
    row: FollowUpRow,
    /// The flash the page came back with: used when it is this card's failed move.
    #[prop(default = None)]
    flash: Option<FormFlash>,
    #[prop(optional)] show_incident: bool,
    /// Its comment thread, where the card shows one (on the postmortem).
    #[prop(optional)]
    comments: Option<AnyView>,
) -> impl IntoView {
    let id = row.id.to_string();
    let mine = flash
        .filter(|f| f.action == TransitionFollowUp::PATH && f.value("id") == Some(id.as_str()));
    let typed_note = mine
        .as_ref()
        .and_then(|f| f.value(&html_name("note")).map(str::to_owned))
        .unwrap_or_default();
    let typed_to = mine
        .as_ref()
        .and_then(|f| f.value(&html_name("to")).map(str::to_owned))
        .unwrap_or_default();
    let error = mine.map(|f| f.error).map(|e| {
        e.field("note")
            .or(e.field("to"))
            .map(str::to_owned)
            .unwrap_or_else(|| e.to_string())
    });
    let next = row.state.next_states();
    let edit_href = format!("/incidents/{}/follow-ups/{}", row.incident_id, row.id);
    let state_id = format!("to-{}", row.id);
    let note_id = format!("note-{}", row.id);
    view! {
        <li class="follow-up" class:is-overdue=row.overdue id=format!("follow-up-{}", row.id)>
            <div class="card-head">
                <StateBadge state=row.state overdue=row.overdue />
                <span class="badge">{row.priority.label()}</span>
                <span class="badge kind">{row.action_type.label()}</span>
            </div>
            <h3><a href=edit_href.clone()>{row.title.clone()}</a></h3>
            {show_incident.then(|| view! {
                <p class="small">"From " <a href=format!("/incidents/{}", row.incident_id)>{row.incident_title.clone()}</a></p>
            })}
            <dl class="card-facts">
                <div><dt>"Owner"</dt><dd>{if row.owner.is_empty() { "Not assigned".to_owned() } else { row.owner.clone() }}</dd></div>
                <div><dt>"Due"</dt><dd>{row.due.clone().unwrap_or_else(|| "No due date".to_owned())}</dd></div>
                <div><dt>"Addresses"</dt><dd>{match (row.target.clone(), row.change_id) {
                    (Some(t), Some(cid)) => view! { <a href=format!("/incidents/{}#change-{cid}", row.incident_id)>{t}</a> }.into_any(),
                    _ => view! { <span class="muted">"No change linked"</span> }.into_any(),
                }}</dd></div>
                {row.factor.clone().map(|(fid, statement)| view! {
                    <div><dt>"Addresses the factor"</dt><dd><a href=format!("/incidents/{}#factor-{fid}", row.incident_id)>{statement}</a></dd></div>
                })}
            </dl>
            {(!row.description_html.is_empty()).then(|| view! { <div class="prose small" inner_html=row.description_html.clone()></div> })}
            {row.wont_do_reason.clone().map(|r| view! { <p class="small"><strong>"Won't do because: "</strong>{r}</p> })}
            {row.evidence.clone().map(|evidence| view! { <p class="small evidence"><strong>"Evidence it worked: "</strong><Evidence evidence /></p> })}
            {row.verified.clone().map(|by| view! { <p class="small verified-by"><strong>"Verified by "</strong>{by}</p> })}
            {(!next.is_empty()).then(|| view! {
                <form method="post" action=TransitionFollowUp::PATH class="transition">
                    <input type="hidden" name="id" value=row.id />
                    <label for=state_id.clone() class="visually-hidden">"Move to"</label>
                    <select id=state_id name=html_name("to")>
                        {next.iter().map(|s| view! { <option value=s.as_str() selected=typed_to == s.as_str()>{format!("→ {}", s.label())}</option> }).collect_view()}
                    </select>
                    <label for=note_id.clone() class="visually-hidden">"Note"</label>
                    <input id=note_id name=html_name("note") value=typed_note placeholder="Reason (won't do) or evidence: a link or a note (verified)" />
                    <button type="submit" class="secondary small">"Move"</button>
                    <p class="field-error" role="alert">{error}</p>
                </form>
            })}
            {comments}
        </li>
    }
}
