//! The digests: each follow-up owner's daily list of what is due soon or overdue
//! ([`follow_ups_due`]), and each person's weekly look at what waits for them with one lesson
//! from an earlier year ([`weekly_digest`]).

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::super::{Event, Notice};

/// One follow-up in an owner's digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueFollowUp {
    pub id: i64,
    pub title: String,
    pub due: NaiveDate,
    pub incident_id: i64,
    pub incident_title: String,
    /// Its postmortem is published as it stands.
    pub incident_published: bool,
}

/// The key of `person_id`'s daily digest for their local date `today`: what the periodic task
/// asks `scheduled_notices` about before it reads anything else.
pub fn follow_ups_due_key(person_id: i64, today: NaiveDate) -> String {
    format!("{}:user:{person_id}:{today}", Event::FollowUpsDue.as_str())
}

/// One owner's daily digest for `today` (their local date): the follow-ups in `items` due
/// before `today` are overdue, the rest due soon. `None` when there is nothing to say.
pub fn follow_ups_due(person_id: i64, today: NaiveDate, items: &[DueFollowUp]) -> Option<Notice> {
    if items.is_empty() {
        return None;
    }
    let mut items = items.to_vec();
    items.sort_by_key(|f| (f.due, f.id));
    let (overdue, soon): (Vec<&DueFollowUp>, Vec<&DueFollowUp>) =
        items.iter().partition(|f| f.due < today);
    let line = |f: &DueFollowUp| {
        format!(
            "- {} (due {}) — from “{}”",
            f.title, f.due, f.incident_title
        )
    };
    let mut body = String::new();
    if !overdue.is_empty() {
        body.push_str("Overdue:\n");
        for f in &overdue {
            body.push_str(&line(f));
            body.push('\n');
        }
        body.push('\n');
    }
    if !soon.is_empty() {
        body.push_str("Due soon:\n");
        for f in &soon {
            body.push_str(&line(f));
            body.push('\n');
        }
        body.push('\n');
    }
    body.push_str(
        "Next: move each one on, or agree a new due date with the team if it no longer fits.",
    );
    let count = |n: usize| {
        if n == 1 {
            "1 follow-up".to_owned()
        } else {
            format!("{n} follow-ups")
        }
    };
    let subject = match (overdue.len(), soon.len()) {
        (0, s) => format!("{} due soon", count(s)),
        (o, 0) => format!("{} overdue", count(o)),
        (o, s) => format!("{} overdue, {s} due soon", count(o)),
    };
    let listed: Vec<serde_json::Value> = items
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "title": f.title, "due": f.due, "overdue": f.due < today,
                "incident": { "id": f.incident_id, "title": f.incident_title },
            })
        })
        .collect();
    Some(Notice {
        event: Event::FollowUpsDue,
        key: follow_ups_due_key(person_id, today),
        subject,
        body,
        link: "/my-work".to_owned(),
        data: json!({ "date": today, "follow_ups": listed }),
        readable_by_viewers: items.iter().all(|f| f.incident_published),
    })
}

/// The ISO week of `day` as keys and subjects name it: `2026-W49`.
pub fn iso_week(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The key of `person_id`'s weekly digest for the ISO week of their local date `today`.
pub fn weekly_digest_key(person_id: i64, today: NaiveDate) -> String {
    format!(
        "{}:user:{person_id}:week:{}",
        Event::WeeklyDigest.as_str(),
        iso_week(today)
    )
}

/// How many of a person's open follow-ups a weekly digest lists (the nearest due first).
pub const NEAREST_FOLLOW_UPS: usize = 5;

/// A postmortem in review whose chosen reviewer is the digest's reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingReview {
    pub incident_id: i64,
    pub title: String,
}

/// A postmortem published in this week of an earlier year, as published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub incident_id: i64,
    pub title: String,
    /// The reader's local date it was published on.
    pub published_on: NaiveDate,
}

/// What one person's weekly digest is made of, for their local date `today`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklyFacts {
    pub today: NaiveDate,
    /// Their committed or in-progress follow-ups that have a due date (in any order).
    pub dated: Vec<DueFollowUp>,
    /// How many more they own without a due date.
    pub undated: usize,
    pub reviews: Vec<WaitingReview>,
    pub lesson: Option<Lesson>,
}

fn follow_up_link(f: &DueFollowUp) -> String {
    format!("/incidents/{}/follow-ups/{}", f.incident_id, f.id)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One person's weekly digest: how many follow-ups they own and how many are overdue, the
/// [`NEAREST_FOLLOW_UPS`] nearest due with their links, the reviews waiting for them, and the
/// lesson. `None` when there is nothing to say.
pub fn weekly_digest(person_id: i64, facts: &WeeklyFacts) -> Option<Notice> {
    let today = facts.today;
    let open = facts.dated.len() + facts.undated;
    if open == 0 && facts.reviews.is_empty() && facts.lesson.is_none() {
        return None;
    }
    let mut dated = facts.dated.clone();
    dated.sort_by_key(|f| (f.due, f.id));
    let overdue = dated.iter().filter(|f| f.due < today).count();
    let nearest = &dated[..dated.len().min(NEAREST_FOLLOW_UPS)];
    let mut paragraphs: Vec<String> = Vec::new();
    let mut subject: Vec<String> = Vec::new();
    if open > 0 {
        let mut text = format!("Follow-ups you own: {open} open, {overdue} overdue.");
        if !nearest.is_empty() {
            text.push_str("\nNearest due:");
            for f in nearest {
                let late = if f.due < today { ", overdue" } else { "" };
                text.push_str(&format!(
                    "\n- {} (due {}{late}) — from “{}”: {}",
                    f.title,
                    f.due,
                    f.incident_title,
                    follow_up_link(f)
                ));
            }
        }
        paragraphs.push(text);
        subject.push(if overdue > 0 {
            format!(
                "{} open ({overdue} overdue)",
                plural(open, "follow-up", "follow-ups")
            )
        } else {
            format!("{} open", plural(open, "follow-up", "follow-ups"))
        });
    }
    if !facts.reviews.is_empty() {
        let mut text = "Reviews waiting for you:".to_owned();
        for r in &facts.reviews {
            text.push_str(&format!(
                "\n- “{}”: /incidents/{}/review",
                r.title, r.incident_id
            ));
        }
        paragraphs.push(text);
        subject.push(format!(
            "{} waiting",
            plural(facts.reviews.len(), "review", "reviews")
        ));
    }
    if let Some(lesson) = &facts.lesson {
        paragraphs.push(format!(
            "From this week in {}: “{}” ({}). What the team learned then may help now: \
             /incidents/{}",
            lesson.published_on.year(),
            lesson.title,
            crate::domain::feeds::on_this_day::years_ago(today, lesson.published_on),
            lesson.incident_id
        ));
        if subject.is_empty() {
            subject.push(format!("a lesson from {}", lesson.published_on.year()));
        }
    }
    paragraphs.push(if open > 0 || !facts.reviews.is_empty() {
        "Next: move your follow-ups on (or agree a new due date with the team), and review \
         what waits for you."
            .to_owned()
    } else {
        "Next: take five minutes to read it; lessons are worth more when they are shared."
            .to_owned()
    });
    let link = if open > 0 || !facts.reviews.is_empty() {
        "/my-work".to_owned()
    } else {
        facts
            .lesson
            .as_ref()
            .map(|l| format!("/incidents/{}", l.incident_id))
            .unwrap_or_else(|| "/my-work".to_owned())
    };
    let listed: Vec<serde_json::Value> = nearest
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "title": f.title, "due": f.due, "overdue": f.due < today,
                "link": follow_up_link(f),
                "incident": { "id": f.incident_id, "title": f.incident_title },
            })
        })
        .collect();
    let reviews: Vec<serde_json::Value> = facts
        .reviews
        .iter()
        .map(|r| json!({ "id": r.incident_id, "title": r.title, "link": format!("/incidents/{}/review", r.incident_id) }))
        .collect();
    let lesson = facts.lesson.as_ref().map(|l| {
        json!({
            "id": l.incident_id, "title": l.title, "published_on": l.published_on,
            "link": format!("/incidents/{}", l.incident_id),
        })
    });
    Some(Notice {
        event: Event::WeeklyDigest,
        key: weekly_digest_key(person_id, today),
        subject: format!("Your week: {}", subject.join(", ")),
        body: paragraphs.join("\n\n"),
        link,
        data: json!({
            "week": iso_week(today),
            "follow_ups": { "open": open, "overdue": overdue, "nearest": listed },
            "reviews": reviews,
            "lesson": lesson,
        }),
        // A review waits on a postmortem not yet published; a lesson is published.
        readable_by_viewers: facts.reviews.is_empty()
            && facts.dated.iter().all(|f| f.incident_published),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a date")
    }

    fn due(id: i64, d: u32, published: bool) -> DueFollowUp {
        DueFollowUp {
            id,
            title: format!("Action {id}"),
            due: day(d),
            incident_id: 1,
            incident_title: "Login outage".to_owned(),
            incident_published: published,
        }
    }

    #[test]
    fn a_digest_lists_overdue_before_due_soon_in_one_notice_per_owner_and_day() {
        let n = follow_ups_due(4, day(10), &[due(2, 12, true), due(1, 8, true)])
            .expect("something to say");
        assert_eq!(n.key, "follow_ups_due:user:4:2026-12-10");
        assert_eq!(n.subject, "1 follow-up overdue, 1 due soon");
        let overdue = n.body.find("Overdue:\n- Action 1 (due 2026-12-08)");
        let soon = n.body.find("Due soon:\n- Action 2 (due 2026-12-12)");
        assert!(
            overdue.is_some() && soon.is_some() && overdue < soon,
            "{}",
            n.body
        );
        assert!(n.readable_by_viewers);
    }

    #[test]
    fn a_digest_with_a_draft_in_it_is_not_for_every_viewer_and_an_empty_one_is_none() {
        let n = follow_ups_due(4, day(10), &[due(1, 12, true), due(2, 11, false)])
            .expect("something to say");
        assert!(!n.readable_by_viewers);
        assert_eq!(n.subject, "2 follow-ups due soon");
        assert!(follow_ups_due(4, day(10), &[]).is_none());
    }

    fn lesson() -> Lesson {
        Lesson {
            incident_id: 4,
            title: "Cache stampede".to_owned(),
            published_on: NaiveDate::from_ymd_opt(2023, 12, 5).expect("a date"),
        }
    }

    #[test]
    fn a_weekly_digest_counts_follow_ups_lists_the_nearest_with_links_and_is_keyed_by_iso_week() {
        let facts = WeeklyFacts {
            today: day(7),
            dated: (1..=7).rev().map(|i| due(i, i as u32 + 2, true)).collect(),
            undated: 2,
            reviews: Vec::new(),
            lesson: Some(lesson()),
        };
        let n = weekly_digest(4, &facts).expect("something to say");
        assert_eq!(n.event, Event::WeeklyDigest);
        assert_eq!(n.key, "weekly_digest:user:4:week:2026-W50");
        assert_eq!(n.subject, "Your week: 9 follow-ups open (4 overdue)");
        assert!(n.body.contains("9 open, 4 overdue"), "{}", n.body);
        assert!(
            n.body.contains("- Action 1 (due 2026-12-03, overdue) — from “Login outage”: /incidents/1/follow-ups/1"),
            "{}",
            n.body
        );
        assert!(n.body.contains("- Action 5 (due 2026-12-07)"), "{}", n.body);
        assert!(
            !n.body.contains("Action 6"),
            "only the nearest five: {}",
            n.body
        );
        assert!(
            n.body
                .contains("From this week in 2023: “Cache stampede” (3 years ago)"),
            "{}",
            n.body
        );
        assert!(n.body.contains("/incidents/4"));
        assert_eq!(n.link, "/my-work");
        assert!(n.readable_by_viewers);
        assert_eq!(n.data["follow_ups"]["open"], 9);
    }

    #[test]
    fn a_weekly_digest_names_the_reviews_waiting_and_then_is_for_writers_only() {
        let facts = WeeklyFacts {
            today: day(7),
            reviews: vec![WaitingReview {
                incident_id: 12,
                title: "Login outage".to_owned(),
            }],
            ..WeeklyFacts::default()
        };
        let n = weekly_digest(4, &facts).expect("something to say");
        assert_eq!(n.subject, "Your week: 1 review waiting");
        assert!(n.body.contains("- “Login outage”: /incidents/12/review"));
        assert!(!n.body.contains("Follow-ups you own"));
        assert!(!n.readable_by_viewers);
    }

    #[test]
    fn a_weekly_digest_with_only_a_lesson_links_to_it_and_with_nothing_is_none() {
        let facts = WeeklyFacts {
            today: day(7),
            lesson: Some(lesson()),
            ..WeeklyFacts::default()
        };
        let n = weekly_digest(4, &facts).expect("something to say");
        assert_eq!(n.subject, "Your week: a lesson from 2023");
        assert_eq!(n.link, "/incidents/4");
        let empty = WeeklyFacts {
            today: day(7),
            ..WeeklyFacts::default()
        };
        assert!(weekly_digest(4, &empty).is_none());
    }

    #[test]
    fn the_iso_week_belongs_to_the_year_of_its_thursday() {
        assert_eq!(
            iso_week(NaiveDate::from_ymd_opt(2026, 12, 28).expect("a date")),
            "2026-W53"
        );
        assert_eq!(
            iso_week(NaiveDate::from_ymd_opt(2027, 1, 3).expect("a date")),
            "2026-W53"
        );
        assert_eq!(
            iso_week(NaiveDate::from_ymd_opt(2025, 12, 29).expect("a date")),
            "2026-W01"
        );
    }

    #[test]
    fn digests_do_not_blame() {
        let facts = WeeklyFacts {
            today: day(7),
            dated: vec![due(1, 3, true)],
            undated: 0,
            reviews: vec![WaitingReview {
                incident_id: 12,
                title: "Login outage".to_owned(),
            }],
            lesson: Some(lesson()),
        };
        let weekly = weekly_digest(4, &facts).expect("something to say");
        let daily = follow_ups_due(4, day(10), &[due(1, 3, true)]).expect("something to say");
        for n in [weekly, daily] {
            assert!(
                crate::domain::blameless::check(&n.body).is_empty(),
                "{}",
                n.body
            );
        }
    }
}
