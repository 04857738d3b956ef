//! Who took part in an incident, and (while the postmortem is being written) adding and
//! removing them: people picked from the accounts, each with the part they played.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::fields::{FormMessage, SelectField, TextField};
use super::form_state::FormState;
use crate::api::participants::{AddParticipant, RemoveParticipant};
use crate::domain::participant::ParticipantForm;
use crate::dto::forms::FormFlash;
use crate::dto::people::ParticipantView;
use crate::dto::people::Person;

#[component]
pub fn Participants(
    incident_id: i64,
    participants: Vec<ParticipantView>,
    /// Whom the reader may add (empty when they may not edit).
    people: Vec<Person>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let listed: Vec<i64> = participants.iter().map(|p| p.user_id).collect();
    let options: Vec<(String, String)> = people
        .into_iter()
        .filter(|p| !listed.contains(&p.id))
        .map(|p| (p.id.to_string(), p.display_name))
        .collect();
    let editable = !options.is_empty() || !participants.is_empty();
    let open = flash
        .as_ref()
        .is_some_and(|f| f.action == AddParticipant::PATH);
    let form = FormState::new(&ParticipantForm::default(), flash, AddParticipant::PATH);
    view! {
        <div class="participants" id="participants">
            <h2 class="small-heading">"People involved"</h2>
            {if participants.is_empty() {
                view! { <p class="muted small">"Nobody is listed yet."<span class="edit-only">" Add the people who responded, with the part each played."</span></p> }.into_any()
            } else {
                view! {
                    <ul class="participant-list">
                        {participants.into_iter().map(|p| view! { <Participant incident_id participant=p /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(editable && !options.is_empty()).then(|| view! {
                <details class="edit-only participant-add" open=open>
                <summary>"Add someone who took part"</summary>
                <form method="post" action=AddParticipant::PATH class="inline-form participant-form">
                    <input type="hidden" name="incident_id" value=incident_id />
                    <FormMessage form=form.clone() />
                    <div class="row">
                        <SelectField form=form.clone() name="user_id" label="Person" options=options blank="Pick a person" />
                        <TextField form name="part" label="Their part (a role)" placeholder="incident commander" />
                    </div>
                    <button type="submit" class="small secondary">"Add to the incident"</button>
                </form>
                </details>
            })}
        </div>
    }
}

#[component]
fn Participant(incident_id: i64, participant: ParticipantView) -> impl IntoView {
    view! {
        <li>
            <strong>{participant.name.clone()}</strong>" — "{participant.part.clone()}
            <form method="post" action=RemoveParticipant::PATH class="inline-action edit-only">
                <input type="hidden" name="incident_id" value=incident_id />
                <input type="hidden" name="user_id" value=participant.user_id />
                <button type="submit" class="link-button small">"Remove"</button>
            </form>
        </li>
    }
}
