//! Outbound webhook destinations: what an admin fills in to send notices to a chat channel or
//! another system ([`WebhookForm`] → [`NewWebhook`]), and which notices a destination receives
//! ([`NewWebhook::receives`]).
//!
//! A destination not marked as reaching postmortem writers only receives only notices every
//! viewer may read (`Notice::readable_by_viewers`), so a chat channel never learns a draft's
//! title.

use serde::{Deserialize, Serialize};

use crate::domain::form::{
    FieldErrors, MAX_SHORT_TEXT_CHARS, checkbox, parse_link, required_choice, required_text,
};
use crate::domain::notify::Event;

labelled_enum! {
    /// The payload a destination receives.
    pub enum WebhookKind {
        /// `{"text": "…"}`, what Slack's (and Mattermost's, Rocket.Chat's) incoming webhooks read.
        Slack = ("slack", "Slack-compatible incoming webhook"),
        /// The whole notice as JSON, signed with HMAC-SHA256 under a secret shown once.
        Json = ("json", "Generic JSON, signed"),
    }
}

/// The form that adds or edits a destination, as typed: one checkbox per event, named by its
/// stored name. `paused` is only on the edit form (a new destination is active).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub writers_only: String,
    /// A checkbox: "on" while the destination gets no new notice.
    #[serde(default)]
    pub paused: String,
    #[serde(default)]
    pub review_requested: String,
    #[serde(default)]
    pub changes_requested: String,
    #[serde(default)]
    pub approved: String,
    #[serde(default)]
    pub published: String,
    #[serde(default)]
    pub follow_up_assigned: String,
    #[serde(default)]
    pub follow_ups_due: String,
    #[serde(default)]
    pub postmortem_not_submitted: String,
    #[serde(default)]
    pub mentioned: String,
    #[serde(default)]
    pub weekly_digest: String,
}

impl WebhookForm {
    /// The checkbox of `event`, as typed.
    pub fn ticked(&self, event: Event) -> bool {
        checkbox(match event {
            Event::ReviewRequested => &self.review_requested,
            Event::ChangesRequested => &self.changes_requested,
            Event::Approved => &self.approved,
            Event::Published => &self.published,
            Event::FollowUpAssigned => &self.follow_up_assigned,
            Event::FollowUpsDue => &self.follow_ups_due,
            Event::PostmortemNotSubmitted => &self.postmortem_not_submitted,
            Event::Mentioned => &self.mentioned,
            Event::WeeklyDigest => &self.weekly_digest,
        })
    }

    /// The form of a stored destination, to edit it.
    pub fn of(hook: &NewWebhook, paused: bool) -> Self {
        let on = |yes: bool| if yes { "on".to_owned() } else { String::new() };
        let form = WebhookForm {
            name: hook.name.clone(),
            url: hook.url.clone(),
            kind: hook.kind.as_str().to_owned(),
            writers_only: on(hook.writers_only),
            paused: on(paused),
            ..Default::default()
        };
        // Each event's checkbox is the field of its stored name: set through the names, every
        // event (a later one too) is ticked as stored.
        let Ok(serde_json::Value::Object(mut fields)) = serde_json::to_value(&form) else {
            return form;
        };
        for event in Event::ALL {
            fields.insert(
                event.as_str().to_owned(),
                serde_json::Value::String(on(hook.events.contains(&event))),
            );
        }
        serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or(form)
    }

    /// Whether the destination is to be paused.
    pub fn paused(&self) -> bool {
        checkbox(&self.paused)
    }

    /// The form for a new destination: generic JSON, every event ticked.
    pub fn blank() -> Self {
        let on = || "on".to_owned();
        WebhookForm {
            kind: WebhookKind::Json.as_str().to_owned(),
            review_requested: on(),
            changes_requested: on(),
            approved: on(),
            published: on(),
            follow_up_assigned: on(),
            follow_ups_due: on(),
            postmortem_not_submitted: on(),
            mentioned: on(),
            weekly_digest: on(),
            ..Default::default()
        }
    }
}

/// A destination that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWebhook {
    pub name: String,
    pub url: String,
    pub kind: WebhookKind,
    pub events: Vec<Event>,
    pub writers_only: bool,
}

impl NewWebhook {
    /// Checks every field of `form`.
    ///
    /// # Errors
    /// Each field at fault, with what to do (the events' error is under `events`).
    pub fn parse(form: &WebhookForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check(
            "name",
            required_text(&form.name, "The destination's name", MAX_SHORT_TEXT_CHARS),
        );
        let url = errors.check(
            "url",
            parse_link(&form.url).and_then(|url| {
                url.ok_or_else(|| "Paste the address to send to (http:// or https://).".to_owned())
            }),
        );
        let kind = errors.check("kind", required_choice(&form.kind, "a kind of payload"));
        let events: Vec<Event> = Event::ALL.into_iter().filter(|e| form.ticked(*e)).collect();
        if events.is_empty() {
            errors.add(
                "events",
                "Tick at least one event, or the destination receives nothing.",
            );
        }
        let writers_only = checkbox(&form.writers_only);
        match (name, url, kind) {
            (Some(name), Some(url), Some(kind)) if errors.is_empty() => Ok(NewWebhook {
                name,
                url,
                kind,
                events,
                writers_only,
            }),
            _ => Err(errors),
        }
    }
}

/// The events as stored: their names, comma-separated.
pub fn events_to_stored(events: &[Event]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The events a stored list names (unknown names, from a later version, are skipped).
pub fn events_from_stored(stored: &str) -> Vec<Event> {
    stored
        .split(',')
        .filter_map(|name| Event::parse(name.trim()))
        .collect()
}

/// Whether a destination with these settings receives a notice of `event` that is (or is not)
/// `readable_by_viewers`.
pub fn receives(events: &[Event], writers_only: bool, event: Event, readable: bool) -> bool {
    events.contains(&event) && (writers_only || readable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> WebhookForm {
        WebhookForm {
            name: "#incidents".to_owned(),
            url: "https://hooks.slack.com/services/T0/B0/X".to_owned(),
            kind: "slack".to_owned(),
            published: "on".to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_makes_a_destination_for_the_ticked_events() {
        let hook = NewWebhook::parse(&form()).expect("valid");
        assert_eq!(hook.kind, WebhookKind::Slack);
        assert_eq!(hook.events, [Event::Published]);
        assert!(!hook.writers_only);
    }

    #[test]
    fn each_field_at_fault_is_named() {
        let bad = WebhookForm {
            name: " ".to_owned(),
            url: "javascript:alert(1)".to_owned(),
            kind: "carrier-pigeon".to_owned(),
            ..Default::default()
        };
        let errors = NewWebhook::parse(&bad).expect_err("invalid");
        for field in ["name", "url", "kind", "events"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        let no_url = WebhookForm {
            url: String::new(),
            ..form()
        };
        assert!(
            NewWebhook::parse(&no_url)
                .expect_err("no url")
                .get("url")
                .is_some()
        );
    }

    #[test]
    fn the_blank_form_ticks_every_event() {
        let blank = WebhookForm::blank();
        assert!(Event::ALL.into_iter().all(|e| blank.ticked(e)));
    }

    #[test]
    fn a_stored_destinations_form_ticks_its_events_and_parses_back_to_it() {
        for event in Event::ALL {
            let hook = NewWebhook {
                events: vec![event],
                ..NewWebhook::parse(&form()).expect("valid")
            };
            let edited = WebhookForm::of(&hook, false);
            for other in Event::ALL {
                assert_eq!(edited.ticked(other), other == event, "{event:?}: {other:?}");
            }
            assert_eq!(NewWebhook::parse(&edited), Ok(hook));
            assert!(!edited.paused());
        }
        let every = NewWebhook {
            events: Event::ALL.to_vec(),
            writers_only: true,
            ..NewWebhook::parse(&form()).expect("valid")
        };
        let edited = WebhookForm::of(&every, true);
        assert!(edited.paused());
        assert_eq!(edited.writers_only, "on");
        assert_eq!(NewWebhook::parse(&edited), Ok(every));
    }

    #[test]
    fn stored_events_read_back() {
        let events = [Event::ReviewRequested, Event::Mentioned];
        assert_eq!(events_from_stored(&events_to_stored(&events)), events);
        assert_eq!(
            events_from_stored("published,someday_event"),
            [Event::Published]
        );
    }

    #[test]
    fn a_destination_not_for_writers_receives_only_what_every_viewer_may_read() {
        let events = [Event::ReviewRequested, Event::Published];
        assert!(!receives(&events, false, Event::ReviewRequested, false));
        assert!(receives(&events, false, Event::Published, true));
        assert!(receives(&events, true, Event::ReviewRequested, false));
        assert!(!receives(&events, true, Event::Mentioned, false));
    }
}
