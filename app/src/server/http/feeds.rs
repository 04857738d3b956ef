//! Each person's private feeds, authenticated by their feed key alone (no session, no cookie):
//! `GET /feeds/{key}/follow-ups.ics` (their open follow-ups' due dates),
//! `/feeds/{key}/published.atom` (the newest published postmortems) and
//! `/feeds/{key}/reading-lists/{id}.atom` (a reading list's lessons). They read what the
//! key's owner may read now (`server::visibility`). An unknown or revoked key, or one of a
//! deactivated person, answers 404 the same way, so a feed never says which.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, HeaderValue, StatusCode, header};

use crate::domain::account::User;
use crate::domain::feeds::{atom, ical};
use crate::server::AppState;
use crate::server::password::token_digest;
use crate::server::repo::feeds;

/// How many entries the published feed holds.
pub const PUBLISHED_ENTRIES: u64 = 50;
/// How many lessons a reading list's feed holds.
const LIST_ENTRIES: u64 = 200;
/// How long an entry's summary may be, in characters.
const SUMMARY_CHARS: usize = 600;

/// The feeds' routes.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/feeds/{key}/follow-ups.ics", get(follow_ups_ics))
        .route("/feeds/{key}/published.atom", get(published_atom))
        .route("/feeds/{key}/reading-lists/{file}", get(reading_list_atom))
        .with_state(state)
}

/// Why a feed is not served.
enum Refused {
    NotFound,
    Failed(String),
}

impl From<sea_orm::DbErr> for Refused {
    fn from(e: sea_orm::DbErr) -> Self {
        Refused::Failed(e.to_string())
    }
}

fn answer(result: Result<(&'static str, String), Refused>) -> Response {
    match result {
        Ok((content_type, body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                // The address is a secret: no shared cache keeps what it answers.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(Refused::NotFound) => (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            "No such feed. Make a new feed address on your account page.",
        )
            .into_response(),
        Err(Refused::Failed(detail)) => {
            tracing::error!("serving a feed: {detail}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The active person the key belongs to.
async fn owner(state: &AppState, key: &str) -> Result<User, Refused> {
    if key.is_empty() || key.len() > 128 {
        return Err(Refused::NotFound);
    }
    feeds::person_with_key(&state.db, &token_digest(key))
        .await?
        .ok_or(Refused::NotFound)
}

/// The address the feed's links start with (see `server::origin`).
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    crate::server::origin::site_origin(state.public_url.as_deref(), headers)
}

/// Markdown as plain text for a summary: its words, never its markup or raw HTML, cut to
/// [`SUMMARY_CHARS`].
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    let text = out.trim();
    if text.chars().count() > SUMMARY_CHARS {
        let cut: String = text.chars().take(SUMMARY_CHARS).collect();
        format!("{}…", cut.trim_end())
    } else {
        text.to_owned()
    }
}

async fn follow_ups_ics(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(follow_ups_calendar(&state, &key, &origin(&state, &headers)).await)
}

async fn follow_ups_calendar(
    state: &AppState,
    key: &str,
    origin: &str,
) -> Result<(&'static str, String), Refused> {
    use crate::server::repo::{follow_ups, incidents};
    use crate::server::visibility::{seen_by, writes_postmortems};
    let user = owner(state, key).await?;
    let zone = crate::server::zone::NamedZone::parse(&user.time_zone).unwrap_or_default();
    let today = chrono::Utc::now().with_timezone(&zone.0).date_naive();
    let mine: Vec<_> = follow_ups::open_owned_by(
        &state.db,
        (user.id, &user.display_name),
        !writes_postmortems(&user),
    )
    .await?
    .into_iter()
    .filter(|f| f.follow_up.due.is_some())
    .collect();
    let mut ids: Vec<i64> = mine.iter().map(|f| f.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let visible = seen_by(
        &state.db,
        &user,
        incidents::get_many(&state.db, &ids).await?,
    )
    .await?;
    let events: Vec<ical::AllDayEvent> = mine
        .iter()
        .filter_map(|f| {
            let incident = visible.title(f.incident_id)?;
            let due = f.follow_up.due?;
            let summary = if f.is_overdue(today) {
                format!("Overdue: {}", f.follow_up.title)
            } else {
                f.follow_up.title.clone()
            };
            Some(ical::AllDayEvent {
                uid: format!("follow-up-{}@debrief", f.id),
                date: due,
                summary,
                description: format!("Follow-up of “{incident}” ({})", f.state.label()),
                url: format!("{origin}/incidents/{}#follow-up-{}", f.incident_id, f.id),
            })
        })
        .collect();
    let name = format!("Debrief: {}'s follow-ups", user.display_name);
    Ok((
        "text/calendar; charset=utf-8",
        ical::calendar(&name, chrono::Utc::now(), &events),
    ))
}

async fn published_atom(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(published_feed(&state, &key, &origin(&state, &headers)).await)
}

async fn published_feed(
    state: &AppState,
    key: &str,
    origin: &str,
) -> Result<(&'static str, String), Refused> {
    // Everyone reads a published postmortem as published; the key only has to be live.
    owner(state, key).await?;
    let newest = feeds::newest_published(&state.db, PUBLISHED_ENTRIES).await?;
    let entries: Vec<atom::Entry> = newest
        .iter()
        .map(|p| {
            let incident = &p.postmortem.incident;
            atom::Entry {
                id: format!("{origin}/incidents/{}", incident.id),
                title: incident.title.clone(),
                link: format!("{origin}/incidents/{}", incident.id),
                updated: p.published_at,
                summary: plain_text(&incident.summary_md),
            }
        })
        .collect();
    let feed = atom::Feed {
        id: format!("{origin}/feeds/published"),
        title: "Debrief: published postmortems".to_owned(),
        link: format!("{origin}/library"),
        updated: entries.first().map_or_else(chrono::Utc::now, |e| e.updated),
        entries,
    };
    Ok(("application/atom+xml; charset=utf-8", feed.to_xml()))
}

async fn reading_list_atom(
    State(state): State<AppState>,
    Path((key, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let id = file
        .strip_suffix(".atom")
        .and_then(|id| id.parse::<i64>().ok());
    answer(match id {
        Some(id) => reading_list_feed(&state, &key, id, &origin(&state, &headers)).await,
        None => Err(Refused::NotFound),
    })
}

async fn reading_list_feed(
    state: &AppState,
    key: &str,
    list_id: i64,
    origin: &str,
) -> Result<(&'static str, String), Refused> {
    use crate::server::repo::library;
    // Reading lists hold published lessons, which everyone signed in reads.
    owner(state, key).await?;
    let list = library::get_list(&state.db, list_id)
        .await?
        .ok_or(Refused::NotFound)?;
    let items = feeds::list_items(&state.db, list_id, LIST_ENTRIES).await?;
    let mut ids: Vec<i64> = items.iter().map(|i| i.incident_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let lessons = library::lessons_of(&state.db, &ids).await?;
    let entries: Vec<atom::Entry> = items
        .iter()
        .filter_map(|item| {
            let lesson = lessons
                .iter()
                .find(|l| l.incident_id == item.incident_id && l.kind.as_str() == item.kind)?;
            let note = plain_text(&item.note);
            let lesson_text = plain_text(&lesson.markdown);
            Some(atom::Entry {
                id: format!("{origin}/library/lists#item-{}", item.id),
                title: format!("{} — {}", lesson.incident_title, lesson.kind.label()),
                link: format!(
                    "{origin}/library#lesson-{}-{}",
                    lesson.incident_id,
                    lesson.kind.as_str()
                ),
                updated: item.added_at,
                summary: if note.is_empty() {
                    lesson_text
                } else {
                    format!("{note}\n\n{lesson_text}")
                },
            })
        })
        .collect();
    let feed = atom::Feed {
        id: format!("{origin}/feeds/reading-lists/{list_id}"),
        title: format!("Debrief reading list: {}", list.list.title),
        link: format!("{origin}/library/lists#list-{list_id}"),
        updated: entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or(list.created_at),
        entries,
    };
    Ok(("application/atom+xml; charset=utf-8", feed.to_xml()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_is_the_words_of_the_markdown_without_html() {
        assert_eq!(
            plain_text("**Logins** failed <script>alert(1)</script> for `1 min`.\n\n- one\n- two"),
            "Logins failed alert(1) for 1 min.\none\ntwo",
            "the tags are gone; what was between them is plain text, escaped by the writer"
        );
    }

    #[test]
    fn a_long_summary_is_cut() {
        let text = plain_text(&"word ".repeat(500));
        assert!(text.chars().count() <= SUMMARY_CHARS + 1);
        assert!(text.ends_with('…'));
    }
}
