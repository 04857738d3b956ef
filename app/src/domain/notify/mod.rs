//! Notifications: what happened that someone should hear about ([`Event`]), and the message
//! about it ([`Notice`]) that the outbox delivers by email to people and as a payload to
//! webhook destinations.
//!
//! A notice is written once, in words, here; channels only wrap it (an email's plain-text and
//! HTML parts, a Slack-compatible text, a signed JSON document). Its `key` names the occurrence
//! (this incident's review requested for revision 3; this owner's digest for 2026-12-01), so
//! writing it twice — a retried request, two instances computing the same digest — delivers it
//! once.

use serde::{Deserialize, Serialize};

pub mod choices;
pub mod mention;
pub mod notices;

labelled_enum! {
    /// Something that happened that people may want to hear about. The stored name is what
    /// webhook payloads carry as `event` and what a person's email choices are kept by.
    pub enum Event {
        /// A postmortem was submitted for review (to its chosen reviewer).
        ReviewRequested = ("review_requested", "Review requested"),
        /// The reviewer asked for changes (to the authors).
        ChangesRequested = ("changes_requested", "Changes requested"),
        /// The reviewer approved the postmortem (to the authors).
        Approved = ("approved", "Postmortem approved"),
        /// The postmortem was published (to its authors and reviewer).
        Published = ("published", "Postmortem published"),
        /// A follow-up was given an owner (to that owner).
        FollowUpAssigned = ("follow_up_assigned", "Follow-up assigned to you"),
        /// One daily digest of an owner's follow-ups due soon or overdue.
        FollowUpsDue = ("follow_ups_due", "Follow-ups due soon or overdue"),
        /// A postmortem is still not submitted some days after mitigation (to its authors).
        PostmortemNotSubmitted = ("postmortem_not_submitted", "Postmortem not yet submitted"),
        /// Someone mentioned a person in a comment (to that person).
        Mentioned = ("mentioned", "Mentioned in a comment"),
        /// One weekly digest per person: their open follow-ups, the reviews waiting for them,
        /// and a lesson published in this week of an earlier year.
        WeeklyDigest = ("weekly_digest", "Weekly digest"),
    }
}

/// One message about one occurrence of an event, the same for every recipient.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub event: Event,
    /// Names the occurrence, unique across all notices: e.g. `review_requested:incident:12:rev:3`.
    pub key: String,
    /// One line: an email's subject, the first line of a chat message.
    pub subject: String,
    /// Plain text, paragraphs separated by blank lines; no markup.
    pub body: String,
    /// The page to open, as a path on this Debrief (`/incidents/12`); channels make it absolute.
    pub link: String,
    /// The facts of the event as data (ids, titles, states), for webhook payloads.
    pub data: serde_json::Value,
    /// Whether everything the notice says may be read by every viewer (it is about a published
    /// postmortem). Only such notices go to webhook destinations that are not marked as
    /// reaching postmortem writers only, so a chat channel never learns a draft's title.
    pub readable_by_viewers: bool,
}

impl Notice {
    /// The key of this notice's delivery through one channel to one recipient: what the
    /// outbox keeps unique and what receivers may use to drop repeats.
    pub fn delivery_key(&self, channel: Channel, recipient: &str) -> String {
        format!("{}:{}:{}", self.key, channel.as_str(), recipient)
    }
}

labelled_enum! {
    /// How a notice travels.
    pub enum Channel {
        /// An email to one person, through the configured SMTP server.
        Email = ("email", "Email"),
        /// A payload to one webhook destination an admin added.
        Webhook = ("webhook", "Webhook"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            event: Event::ReviewRequested,
            key: "review_requested:incident:12:rev:3".to_owned(),
            subject: "Review requested".to_owned(),
            body: "Please review.".to_owned(),
            link: "/incidents/12/review".to_owned(),
            data: serde_json::json!({ "incident": 12 }),
            readable_by_viewers: false,
        }
    }

    #[test]
    fn one_notice_has_a_different_delivery_key_per_channel_and_recipient() {
        let n = notice();
        let a = n.delivery_key(Channel::Email, "7");
        assert_eq!(a, "review_requested:incident:12:rev:3:email:7");
        assert_ne!(a, n.delivery_key(Channel::Email, "8"));
        assert_ne!(a, n.delivery_key(Channel::Webhook, "7"));
    }

    #[test]
    fn every_event_reads_back_from_its_stored_name() {
        for event in Event::ALL {
            assert_eq!(Event::parse(event.as_str()), Some(event));
        }
    }
}
