//! The words of every notice, built from plain facts: who acted, on which postmortem, at which
//! revision and review round. Blameless and short: what happened, and what to do next.
//!
//! A notice's key names the occurrence, so the same occurrence written twice is delivered once
//! while the next occurrence (a second review round, a new owner, the next day's digest) is
//! delivered again:
//! - `review_requested:incident:{id}:rev:{revision}:review:{round}` (also `changes_requested`,
//!   `approved`, with the round the reviewer decided on);
//! - `published:incident:{id}:rev:{revision}`;
//! - `follow_up_assigned:follow_up:{id}:version:{version}` (the follow-up's version after the
//!   write that set its owner);
//! - `mentioned:comment:{id}`;
//! - `follow_ups_due:user:{id}:{local date}`;
//! - `weekly_digest:user:{id}:week:{ISO year}-W{week}` (the reader's local week);
//! - `postmortem_not_submitted:incident:{id}:n:{period}` (the period of `not_submitted_days`
//!   since mitigation it reminds of: 1 for the first reminder, 2 for the next…).
//!
//! The digests' words are in [`digests`].

use chrono::NaiveDate;
use serde_json::json;

use super::{Event, Notice};

mod digests;

pub use digests::{
    DueFollowUp, Lesson, NEAREST_FOLLOW_UPS, WaitingReview, WeeklyFacts, follow_ups_due,
    follow_ups_due_key, iso_week, weekly_digest, weekly_digest_key,
};

/// The postmortem a notice is about, as its recipients may read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IncidentFacts<'a> {
    pub id: i64,
    pub title: &'a str,
    pub revision: i32,
    /// Published as it stands (not a draft, not a correction in writing): every viewer may
    /// read what a notice says about it.
    pub published: bool,
}

impl IncidentFacts<'_> {
    fn data(&self) -> serde_json::Value {
        json!({ "id": self.id, "title": self.title, "revision": self.revision })
    }

    fn review_link(&self) -> String {
        format!("/incidents/{}/review", self.id)
    }

    fn page_link(&self) -> String {
        format!("/incidents/{}", self.id)
    }
}

fn review_key(event: Event, incident: &IncidentFacts<'_>, round: u32) -> String {
    format!(
        "{}:incident:{}:rev:{}:review:{round}",
        event.as_str(),
        incident.id,
        incident.revision
    )
}

/// `by` submitted the postmortem for review (round `round` of this revision); to the reviewer.
pub fn review_requested(incident: &IncidentFacts<'_>, by: &str, round: u32) -> Notice {
    Notice {
        event: Event::ReviewRequested,
        key: review_key(Event::ReviewRequested, incident, round),
        subject: format!("Review requested: {}", incident.title),
        body: format!(
            "{by} submitted the postmortem “{}” for review.\n\n\
             Next: open the review page, go through the checklist, and approve it or ask for \
             changes with comments the authors can act on.",
            incident.title
        ),
        link: incident.review_link(),
        data: json!({ "incident": incident.data(), "by": by, "round": round }),
        readable_by_viewers: false,
    }
}

/// The reviewer `by` asked for changes in round `round`, with `comments`; to the authors.
pub fn changes_requested(
    incident: &IncidentFacts<'_>,
    by: &str,
    round: u32,
    comments: &str,
) -> Notice {
    let comments = comments.trim();
    let said = if comments.is_empty() {
        String::new()
    } else {
        format!("\n\nTheir comments:\n\n{comments}")
    };
    Notice {
        event: Event::ChangesRequested,
        key: review_key(Event::ChangesRequested, incident, round),
        subject: format!("Changes requested: {}", incident.title),
        body: format!(
            "{by} reviewed the postmortem “{}” and asked for changes.{said}\n\n\
             Next: make the changes, then submit it for review again.",
            incident.title
        ),
        link: incident.review_link(),
        data: json!({ "incident": incident.data(), "by": by, "round": round }),
        readable_by_viewers: false,
    }
}

/// The reviewer `by` approved the postmortem in round `round`; to the authors.
pub fn approved(incident: &IncidentFacts<'_>, by: &str, round: u32) -> Notice {
    Notice {
        event: Event::Approved,
        key: review_key(Event::Approved, incident, round),
        subject: format!("Approved: {}", incident.title),
        body: format!(
            "{by} approved the postmortem “{}”.\n\n\
             Next: publish it, so everyone who reads postmortems can learn from it.",
            incident.title
        ),
        link: incident.review_link(),
        data: json!({ "incident": incident.data(), "by": by, "round": round }),
        readable_by_viewers: false,
    }
}

/// `by` published the postmortem; to its authors and reviewer. Every viewer may read it now.
pub fn published(incident: &IncidentFacts<'_>, by: &str) -> Notice {
    Notice {
        event: Event::Published,
        key: format!(
            "{}:incident:{}:rev:{}",
            Event::Published.as_str(),
            incident.id,
            incident.revision
        ),
        subject: format!("Published: {}", incident.title),
        body: format!(
            "{by} published the postmortem “{}”. Everyone who reads postmortems can read it \
             now.\n\nNext: keep its follow-ups moving; they stay open after publishing.",
            incident.title
        ),
        link: incident.page_link(),
        data: json!({ "incident": incident.data(), "by": by }),
        readable_by_viewers: true,
    }
}

/// A follow-up as a notice names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowUpFacts<'a> {
    pub id: i64,
    pub title: &'a str,
    pub due: Option<NaiveDate>,
    /// Its version after the write that gave it this owner.
    pub version: i64,
}

/// `by` made the recipient the owner of a follow-up; to that owner.
pub fn follow_up_assigned(
    follow_up: &FollowUpFacts<'_>,
    incident: &IncidentFacts<'_>,
    by: &str,
) -> Notice {
    let due = follow_up
        .due
        .map(|d| format!(" It is due on {d}."))
        .unwrap_or_default();
    Notice {
        event: Event::FollowUpAssigned,
        key: format!(
            "{}:follow_up:{}:version:{}",
            Event::FollowUpAssigned.as_str(),
            follow_up.id,
            follow_up.version
        ),
        subject: format!("Follow-up for you: {}", follow_up.title),
        body: format!(
            "{by} made you the owner of the follow-up “{}” from the postmortem “{}”.{due}\n\n\
             Next: open it, and move it to in progress when you start (or say why it won't be \
             done).",
            follow_up.title, incident.title
        ),
        link: format!("{}#follow-ups", incident.page_link()),
        data: json!({
            "incident": incident.data(),
            "follow_up": { "id": follow_up.id, "title": follow_up.title, "due": follow_up.due },
            "by": by,
        }),
        readable_by_viewers: incident.published,
    }
}

/// The most characters of a comment a mention notice quotes.
const EXCERPT_CHARS: usize = 300;

/// `by` mentioned the recipient in comment `comment_id`, `body` (Markdown), shown on the
/// postmortem's page at `#fragment`; to the person mentioned.
pub fn mentioned(
    incident: &IncidentFacts<'_>,
    comment_id: i64,
    fragment: &str,
    by: &str,
    body: &str,
) -> Notice {
    let mut excerpt: String = body.trim().chars().take(EXCERPT_CHARS).collect();
    if body.trim().chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    Notice {
        event: Event::Mentioned,
        key: format!("{}:comment:{comment_id}", Event::Mentioned.as_str()),
        subject: format!("{by} mentioned you: {}", incident.title),
        body: format!(
            "{by} mentioned you in a comment on the postmortem “{}”:\n\n{excerpt}\n\n\
             Next: open the thread to read it in context and reply there.",
            incident.title
        ),
        link: format!("{}#{fragment}", incident.page_link()),
        data: json!({ "incident": incident.data(), "comment": comment_id, "by": by }),
        readable_by_viewers: incident.published,
    }
}

/// The key of the reminder for period `period` of the incident's draft (see the module).
pub fn postmortem_not_submitted_key(incident_id: i64, period: u32) -> String {
    format!(
        "{}:incident:{incident_id}:n:{period}",
        Event::PostmortemNotSubmitted.as_str()
    )
}

/// The postmortem is still a draft `every × period` days after its incident was mitigated on
/// `mitigated_on` (the `period`th reminder, one every `every` days); to its authors.
pub fn postmortem_not_submitted(
    incident: &IncidentFacts<'_>,
    mitigated_on: NaiveDate,
    every: u32,
    period: u32,
) -> Notice {
    let days = every.saturating_mul(period);
    Notice {
        event: Event::PostmortemNotSubmitted,
        key: postmortem_not_submitted_key(incident.id, period),
        subject: format!("Still a draft: {}", incident.title),
        body: format!(
            "The postmortem “{}” is still a draft, {days} days or more after the incident was \
             mitigated (on {mitigated_on}). Memories fade fast: what is written down now is \
             what the team will learn from.\n\n\
             Next: fill in what is missing and submit it for review. Until it is submitted, \
             this reminder comes again every {every} days.",
            incident.title
        ),
        link: incident.page_link(),
        data: json!({
            "incident": incident.data(),
            "mitigated_on": mitigated_on,
            "days": days,
            "reminder": period,
        }),
        readable_by_viewers: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> IncidentFacts<'static> {
        IncidentFacts {
            id: 12,
            title: "Login outage",
            revision: 3,
            published: false,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a date")
    }

    #[test]
    fn a_review_request_is_keyed_by_incident_revision_and_round() {
        let n = review_requested(&draft(), "Ada", 5);
        assert_eq!(n.key, "review_requested:incident:12:rev:3:review:5");
        assert_eq!(n.subject, "Review requested: Login outage");
        assert_eq!(n.link, "/incidents/12/review");
        assert!(n.body.contains("Ada submitted"));
        assert!(!n.readable_by_viewers);
    }

    #[test]
    fn a_second_review_round_is_a_new_occurrence_and_a_repeat_is_not() {
        assert_ne!(
            review_requested(&draft(), "Ada", 1).key,
            review_requested(&draft(), "Ada", 2).key
        );
        assert_eq!(
            review_requested(&draft(), "Ada", 1),
            review_requested(&draft(), "Ada", 1)
        );
    }

    #[test]
    fn changes_requested_quotes_the_reviewer_and_says_to_submit_again() {
        let n = changes_requested(&draft(), "Bo", 1, "  Add the impact.  ");
        assert_eq!(n.key, "changes_requested:incident:12:rev:3:review:1");
        assert!(n.body.contains("Their comments:\n\nAdd the impact."));
        assert!(n.body.contains("submit it for review again"));
        let bare = changes_requested(&draft(), "Bo", 1, " ");
        assert!(!bare.body.contains("Their comments"));
    }

    #[test]
    fn only_the_published_notice_of_the_review_is_readable_by_viewers() {
        let live = IncidentFacts {
            published: true,
            ..draft()
        };
        assert!(published(&live, "Ada").readable_by_viewers);
        assert_eq!(published(&live, "Ada").key, "published:incident:12:rev:3");
        assert!(!approved(&draft(), "Bo", 1).readable_by_viewers);
        assert_eq!(
            approved(&draft(), "Bo", 1).key,
            "approved:incident:12:rev:3:review:1"
        );
    }

    #[test]
    fn an_assignment_is_keyed_by_the_follow_ups_version_and_readable_as_its_postmortem_is() {
        let f = FollowUpFacts {
            id: 7,
            title: "Safe default concurrency",
            due: Some(day(24)),
            version: 2,
        };
        let n = follow_up_assigned(&f, &draft(), "Ada");
        assert_eq!(n.key, "follow_up_assigned:follow_up:7:version:2");
        assert!(n.body.contains("due on 2026-12-24"));
        assert!(!n.readable_by_viewers);
        let live = IncidentFacts {
            published: true,
            ..draft()
        };
        assert!(follow_up_assigned(&f, &live, "Ada").readable_by_viewers);
    }

    #[test]
    fn a_mention_quotes_a_short_excerpt_and_links_to_its_thread() {
        let long = "x".repeat(400);
        let n = mentioned(&draft(), 9, "thread-section-impact", "Ada", &long);
        assert_eq!(n.key, "mentioned:comment:9");
        assert_eq!(n.link, "/incidents/12#thread-section-impact");
        assert!(n.body.contains(&format!("{}…", "x".repeat(300))));
        assert!(!n.body.contains(&"x".repeat(301)));
    }

    #[test]
    fn a_postmortem_not_submitted_is_brought_up_once_per_period() {
        let n = postmortem_not_submitted(&draft(), day(1), 7, 1);
        assert_eq!(n.key, "postmortem_not_submitted:incident:12:n:1");
        let next = postmortem_not_submitted(&draft(), day(1), 7, 2);
        assert_eq!(next.key, "postmortem_not_submitted:incident:12:n:2");
        assert!(next.body.contains("14 days or more"), "{}", next.body);
        assert!(next.body.contains("again every 7 days"), "{}", next.body);
        assert!(n.body.contains("mitigated (on 2026-12-01)"));
        assert!(n.body.contains("submit it for review"));
    }

    #[test]
    fn notices_do_not_blame() {
        let notices = [
            review_requested(&draft(), "Ada", 1),
            changes_requested(&draft(), "Bo", 1, ""),
            approved(&draft(), "Bo", 1),
            postmortem_not_submitted(&draft(), day(1), 7, 1),
        ];
        for n in notices {
            assert!(
                crate::domain::blameless::check(&n.body).is_empty(),
                "{}",
                n.body
            );
        }
    }
}
