//! Mentor notes as readers see them: rendered, with what they are on and who wrote them, for
//! the library, reading lists and the notes page.

use sea_orm::{ConnectionTrait, DbErr};

use crate::domain::account::{Role, User};
use crate::domain::timeline::TimelineEntry;
use crate::dto::library::LessonCard;
use crate::dto::mentor_notes::MentorNoteView;
use crate::server::repo::mentor_notes::MentorNote;
use crate::server::zone::NamedZone;

/// What a note on the lesson as a whole says it is on.
pub const WHOLE_LESSON: &str = "The lesson as a whole";

/// A timeline entry as a note names it: "10:27 · on-call: The job connected to all servers…".
pub fn entry_label(entry: &TimelineEntry, zone: &NamedZone) -> String {
    let time = super::build::time(&entry.entry.time, zone);
    let body = crate::domain::text::first_line(&entry.entry.body_md, 80);
    format!("{time} · {}: {body}", entry.entry.actor)
}

/// Whether `user` may edit or delete `note`: its writer (still an author or above) or an admin.
pub fn may_edit(user: &User, note: &MentorNote) -> bool {
    user.role == Role::Admin
        || (user.role.includes(Role::Author) && note.author_id == Some(user.id))
}

/// `notes` as `user` sees them; `entries` are the published timeline entries they may be on.
pub fn views(
    user: &User,
    notes: Vec<MentorNote>,
    entries: &[TimelineEntry],
    zone: &NamedZone,
) -> Vec<MentorNoteView> {
    notes
        .into_iter()
        .map(|n| {
            let on = match n.timeline_entry_id {
                None => WHOLE_LESSON.to_owned(),
                Some(id) => entries.iter().find(|e| e.id == id).map_or_else(
                    || "A timeline entry no longer published".to_owned(),
                    |e| entry_label(e, zone),
                ),
            };
            let can_edit = may_edit(user, &n);
            MentorNoteView {
                id: n.id,
                on,
                timeline_entry_id: n.timeline_entry_id,
                html: crate::server::markdown::render(&n.body_md),
                author: n.author_name,
                show_on_shared: n.show_on_shared,
                can_edit,
                body_md: if can_edit { n.body_md } else { String::new() },
            }
        })
        .collect()
}

/// Puts the mentor notes of each incident on its first card among `cards` (a postmortem's
/// lessons are several cards; its notes are shown once). The published timelines are loaded
/// only for incidents with a note on an entry.
///
/// # Errors
/// On a database failure or a published version the domain cannot read.
pub async fn attach<C: ConnectionTrait>(
    conn: &C,
    user: &User,
    zone: &NamedZone,
    cards: &mut [LessonCard],
) -> Result<(), DbErr> {
    let mut ids: Vec<i64> = cards.iter().map(|c| c.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let notes = crate::server::repo::mentor_notes::for_incidents(conn, &ids, false).await?;
    if notes.is_empty() {
        return Ok(());
    }
    let mut on_entries: Vec<i64> = notes
        .iter()
        .filter(|n| n.timeline_entry_id.is_some())
        .map(|n| n.incident_id)
        .collect();
    on_entries.sort_unstable();
    on_entries.dedup();
    let published = if on_entries.is_empty() {
        Vec::new()
    } else {
        crate::server::repo::published::get_many(conn, &on_entries).await?
    };
    let entries: Vec<TimelineEntry> = published.into_iter().flat_map(|p| p.timeline).collect();
    let mut seen = Vec::new();
    for card in cards.iter_mut() {
        if seen.contains(&card.incident_id) {
            continue;
        }
        seen.push(card.incident_id);
        let mine: Vec<MentorNote> = notes
            .iter()
            .filter(|n| n.incident_id == card.incident_id)
            .cloned()
            .collect();
        card.notes = views(user, mine, &entries, zone);
    }
    Ok(())
}
