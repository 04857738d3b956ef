//! Mentors' teaching notes beside a lesson (library, reading lists), with who wrote them and
//! a link to the postmortem's notes page.

use leptos::prelude::*;

use crate::dto::mentor_notes::MentorNoteView;

/// The notes, or (for those who may write one) a link to write the first.
#[component]
pub fn LessonNotes(incident_id: i64, notes: Vec<MentorNoteView>, curate: bool) -> impl IntoView {
    let href = format!("/library/notes/{incident_id}");
    if notes.is_empty() {
        return curate
            .then(|| view! { <p class="small"><a href=href>"Add a mentor note"</a></p> })
            .into_any();
    }
    view! {
        <aside class="mentor-notes" aria-label="Mentor notes">
            <h3 class="small">"Mentor notes"</h3>
            <ul>
                {notes.into_iter().map(|n| view! {
                    <li class="mentor-note">
                        <p class="small muted">{format!("On: {}", n.on)}</p>
                        <div class="prose small" inner_html=n.html></div>
                        <p class="small muted">{format!("— {}", n.author)}</p>
                    </li>
                }).collect_view()}
            </ul>
            <p class="small"><a href=href>{if curate { "Write or edit mentor notes" } else { "All mentor notes" }}</a></p>
        </aside>
    }
    .into_any()
}
