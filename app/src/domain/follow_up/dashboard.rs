//! The follow-up dashboard: which follow-ups are open, overdue, due soon or done and waiting to
//! be verified, narrowed by owner, team, priority, incident and the system of the change they
//! target. A filter is a plain query string, so every view of the dashboard is a link.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{FollowUp, FollowUpState, Priority};
use crate::domain::form::FieldErrors;

/// Committed work due within this many days (today included) is "due soon".
pub const DUE_SOON_DAYS: u64 = 14;

labelled_enum! {
    /// The dashboard's views of follow-ups by where they are in their life.
    #[derive(Default)]
    pub enum Bucket {
        /// Proposed, committed or in progress.
        #[default]
        Open = ("open", "Open"),
        /// Committed or in progress, past the due date.
        Overdue = ("overdue", "Overdue"),
        /// Committed or in progress, due within two weeks.
        DueSoon = ("due_soon", "Due soon"),
        /// Done, waiting for evidence that it worked.
        AwaitingVerification = ("awaiting_verification", "Awaiting verification"),
        /// Verified, or decided against.
        Closed = ("closed", "Closed"),
        /// Every follow-up.
        All = ("all", "All"),
    }
}

impl Bucket {
    /// What the view holds, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Self::Open => "Proposed, committed or in progress.",
            Self::Overdue => "Committed or in progress, and past the due date.",
            Self::DueSoon => "Committed or in progress, and due within the next two weeks.",
            Self::AwaitingVerification => {
                "Done, waiting for evidence that it worked (a test, a drill, a graph)."
            }
            Self::Closed => "Verified with evidence, or decided against with a reason.",
            Self::All => "Every follow-up, in any state.",
        }
    }

    /// Whether `follow_up` is in this view on `today`.
    pub fn contains(self, follow_up: &FollowUp, today: NaiveDate) -> bool {
        match self {
            Self::Open => follow_up.state.is_open(),
            Self::Overdue => follow_up.is_overdue(today),
            Self::DueSoon => follow_up.is_due_soon(today),
            Self::AwaitingVerification => follow_up.state == FollowUpState::Done,
            Self::Closed => matches!(
                follow_up.state,
                FollowUpState::Verified | FollowUpState::WontDo
            ),
            Self::All => true,
        }
    }
}

impl FollowUp {
    /// Whether it is committed or in progress and due between `today` and
    /// [`DUE_SOON_DAYS`] days on (not yet overdue).
    pub fn is_due_soon(&self, today: NaiveDate) -> bool {
        let horizon = today.checked_add_days(Days::new(DUE_SOON_DAYS));
        self.state.needs_owner_and_due()
            && self
                .follow_up
                .due
                .is_some_and(|due| due >= today && horizon.is_some_and(|h| due < h))
    }
}

/// A follow-up with what the dashboard filters it by beyond its own fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub follow_up: FollowUp,
    /// The owner's team (from their account); empty when unknown.
    pub team: String,
    /// The system of the change it targets ("Jenkins"), when it targets one.
    pub system: Option<String>,
}

/// The dashboard's query string, as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    /// A [`Bucket::as_str`]; empty means open.
    pub view: String,
    pub owner: String,
    pub team: String,
    /// A [`Priority::as_str`] or empty.
    pub priority: String,
    /// An incident id or empty.
    pub incident: String,
    pub system: String,
}

/// A checked dashboard filter. Text filters match whole values, ignoring case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    pub bucket: Bucket,
    pub owner: String,
    pub team: String,
    pub priority: Option<Priority>,
    pub incident_id: Option<i64>,
    pub system: String,
}

fn same(filter: &str, value: &str) -> bool {
    filter.is_empty() || filter.to_lowercase() == value.trim().to_lowercase()
}

impl DashboardQuery {
    /// Reads the query. A parameter that cannot be read is left out of the filter and named in
    /// the errors (an unknown view, priority, or an incident that is not a number), so a
    /// mistyped link still shows a dashboard and says what was ignored.
    pub fn parse(&self) -> (DashboardFilter, FieldErrors) {
        let mut errors = FieldErrors::new();
        let bucket = match self.view.trim() {
            "" => Bucket::Open,
            view => Bucket::parse(view).unwrap_or_else(|| {
                errors.add(
                    "view",
                    format!("“{view}” is not a view of the dashboard; showing open follow-ups."),
                );
                Bucket::Open
            }),
        };
        let priority = match self.priority.trim() {
            "" => None,
            text => Priority::parse(text).or_else(|| {
                errors.add(
                    "priority",
                    format!("“{text}” is not a priority; showing every priority."),
                );
                None
            }),
        };
        let incident_id = match self.incident.trim() {
            "" => None,
            text => text.parse::<i64>().ok().filter(|id| *id > 0).or_else(|| {
                errors.add(
                    "incident",
                    format!("“{text}” is not an incident number; showing every incident."),
                );
                None
            }),
        };
        let filter = DashboardFilter {
            bucket,
            owner: self.owner.trim().to_owned(),
            team: self.team.trim().to_owned(),
            priority,
            incident_id,
            system: self.system.trim().to_owned(),
        };
        (filter, errors)
    }
}

impl DashboardFilter {
    /// Whether `item` matches every filter but the view.
    pub fn matches_facets(&self, item: &Tracked) -> bool {
        let f = &item.follow_up;
        same(&self.owner, &f.follow_up.owner)
            && same(&self.team, &item.team)
            && self.priority.is_none_or(|p| p == f.follow_up.priority)
            && self.incident_id.is_none_or(|id| id == f.incident_id)
            && (self.system.is_empty()
                || item
                    .system
                    .as_deref()
                    .is_some_and(|s| same(&self.system, s)))
    }

    /// Whether `item` is shown on `today`.
    pub fn matches(&self, item: &Tracked, today: NaiveDate) -> bool {
        self.bucket.contains(&item.follow_up, today) && self.matches_facets(item)
    }

    /// Whether anything but the view narrows the list.
    pub fn is_narrowed(&self) -> bool {
        *self
            != Self {
                bucket: self.bucket,
                ..Self::default()
            }
    }

    /// This filter in another view.
    pub fn in_bucket(&self, bucket: Bucket) -> Self {
        Self {
            bucket,
            ..self.clone()
        }
    }

    /// The dashboard link that shows this filter: "/follow-ups?view=overdue&owner=Platform+team".
    pub fn href(&self) -> String {
        self.href_at("/follow-ups")
    }

    /// This filter's query string on another address (the CSV downloads that follow it).
    pub fn href_at(&self, path: &str) -> String {
        let incident = self
            .incident_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        let pairs = [
            ("view", self.bucket.as_str()),
            ("owner", self.owner.as_str()),
            ("team", self.team.as_str()),
            ("priority", self.priority.map_or("", Priority::as_str)),
            ("incident", incident.as_str()),
            ("system", self.system.as_str()),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{name}={}", encode(value)))
            .collect();
        format!("{path}?{}", query.join("&"))
    }
}

/// Form-encodes a query value: letters, digits and `-_.~` stay, a space becomes `+`, every other
/// byte becomes `%XX`.
/// A value as it goes in a query string: unreserved characters as they are, a space as `+`,
/// every other byte percent-encoded.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// A group of follow-ups (an owner's, a system's) with how many are in each view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCounts {
    pub name: String,
    pub open: usize,
    pub overdue: usize,
    pub due_soon: usize,
    pub awaiting_verification: usize,
}

/// Follow-ups matching the filter's facets, grouped by `key` (names differing only in case are
/// one group, named as first seen; items without a key are left out), most overdue first, then
/// most open, then by name. Groups with nothing open or awaiting verification are left out.
pub fn counts_by(
    items: &[Tracked],
    filter: &DashboardFilter,
    today: NaiveDate,
    key: impl Fn(&Tracked) -> Option<String>,
) -> Vec<GroupCounts> {
    let mut groups: Vec<GroupCounts> = Vec::new();
    for item in items.iter().filter(|item| filter.matches_facets(item)) {
        let Some(name) = key(item) else { continue };
        let index = match groups
            .iter()
            .position(|g| g.name.to_lowercase() == name.to_lowercase())
        {
            Some(index) => index,
            None => {
                groups.push(GroupCounts {
                    name,
                    open: 0,
                    overdue: 0,
                    due_soon: 0,
                    awaiting_verification: 0,
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        let f = &item.follow_up;
        group.open += usize::from(Bucket::Open.contains(f, today));
        group.overdue += usize::from(Bucket::Overdue.contains(f, today));
        group.due_soon += usize::from(Bucket::DueSoon.contains(f, today));
        group.awaiting_verification += usize::from(Bucket::AwaitingVerification.contains(f, today));
    }
    ranked(groups)
}

/// Groups as the dashboard shows them: those neither open nor awaiting verification left out,
/// the most overdue (then the most open) first, then by name ignoring case.
pub fn ranked(mut groups: Vec<GroupCounts>) -> Vec<GroupCounts> {
    groups.retain(|g| g.open + g.awaiting_verification > 0);
    groups.sort_by(|a, b| {
        (b.overdue, b.open)
            .cmp(&(a.overdue, a.open))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    groups
}

/// How many follow-ups matching the filter's facets are in each view.
pub fn bucket_counts(
    items: &[Tracked],
    filter: &DashboardFilter,
    today: NaiveDate,
) -> Vec<(Bucket, usize)> {
    Bucket::ALL
        .into_iter()
        .map(|bucket| {
            let count = items
                .iter()
                .filter(|item| filter.in_bucket(bucket).matches(item, today))
                .count();
            (bucket, count)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::follow_up::tests::{date, follow_up};
    use FollowUpState::*;

    fn tracked(
        id: i64,
        state: FollowUpState,
        due: Option<NaiveDate>,
        owner: &str,
        team: &str,
        system: Option<&str>,
    ) -> Tracked {
        let mut f = follow_up(id);
        f.state = state;
        f.follow_up.due = due;
        f.follow_up.owner = owner.into();
        f.incident_id = if id % 2 == 0 { 2 } else { 1 };
        Tracked {
            follow_up: f,
            team: team.into(),
            system: system.map(str::to_owned),
        }
    }

    fn today() -> NaiveDate {
        date(2020, 5, 1)
    }

    fn items() -> Vec<Tracked> {
        vec![
            tracked(
                1,
                Committed,
                Some(date(2020, 4, 30)),
                "Ada",
                "Platform",
                Some("Jenkins"),
            ),
            tracked(
                2,
                InProgress,
                Some(date(2020, 5, 1)),
                "Ada",
                "Platform",
                None,
            ),
            tracked(
                3,
                Committed,
                Some(date(2020, 5, 14)),
                "Lin",
                "Identity",
                Some("jenkins"),
            ),
            tracked(
                4,
                Committed,
                Some(date(2020, 5, 15)),
                "Lin",
                "Identity",
                None,
            ),
            tracked(5, Proposed, Some(date(2020, 4, 1)), "", "", None),
            tracked(6, Done, None, "Ada", "Platform", Some("Chef")),
            tracked(7, Verified, None, "Lin", "Identity", None),
            tracked(8, WontDo, None, "Lin", "Identity", None),
        ]
    }

    fn shown(filter: &DashboardFilter) -> Vec<i64> {
        items()
            .iter()
            .filter(|item| filter.matches(item, today()))
            .map(|item| item.follow_up.id)
            .collect()
    }

    fn bucket(bucket: Bucket) -> DashboardFilter {
        DashboardFilter {
            bucket,
            ..DashboardFilter::default()
        }
    }

    #[test]
    fn each_view_holds_the_follow_ups_in_that_part_of_their_life() {
        assert_eq!(shown(&bucket(Bucket::Open)), [1, 2, 3, 4, 5]);
        assert_eq!(shown(&bucket(Bucket::Overdue)), [1], "past due, committed");
        // Due today and due in 13 days are soon; due in 14 days is not; proposed is not.
        assert_eq!(shown(&bucket(Bucket::DueSoon)), [2, 3]);
        assert_eq!(shown(&bucket(Bucket::AwaitingVerification)), [6]);
        assert_eq!(shown(&bucket(Bucket::Closed)), [7, 8]);
        assert_eq!(shown(&bucket(Bucket::All)).len(), 8);
    }

    #[test]
    fn facets_match_whole_values_ignoring_case() {
        let by = |f: DashboardFilter| {
            shown(&DashboardFilter {
                bucket: Bucket::All,
                ..f
            })
        };
        assert_eq!(
            by(DashboardFilter {
                owner: "ada".into(),
                ..Default::default()
            }),
            [1, 2, 6]
        );
        assert_eq!(
            by(DashboardFilter {
                owner: "Ad".into(),
                ..Default::default()
            }),
            Vec::<i64>::new()
        );
        assert_eq!(
            by(DashboardFilter {
                team: "IDENTITY".into(),
                ..Default::default()
            }),
            [3, 4, 7, 8]
        );
        assert_eq!(
            by(DashboardFilter {
                system: "Jenkins".into(),
                ..Default::default()
            }),
            [1, 3]
        );
        assert_eq!(
            by(DashboardFilter {
                incident_id: Some(2),
                ..Default::default()
            }),
            [2, 4, 6, 8]
        );
        assert_eq!(
            by(DashboardFilter {
                priority: Some(Priority::P1),
                ..Default::default()
            }),
            Vec::<i64>::new(),
            "every sample is P2"
        );
        assert_eq!(
            by(DashboardFilter {
                owner: "Lin".into(),
                incident_id: Some(1),
                ..Default::default()
            }),
            [3, 7]
        );
    }

    #[test]
    fn counts_per_view_follow_the_facets() {
        let filter = DashboardFilter {
            bucket: Bucket::Overdue,
            team: "Platform".into(),
            ..Default::default()
        };
        let counts = bucket_counts(&items(), &filter, today());
        assert_eq!(
            counts,
            [
                (Bucket::Open, 2),
                (Bucket::Overdue, 1),
                (Bucket::DueSoon, 1),
                (Bucket::AwaitingVerification, 1),
                (Bucket::Closed, 0),
                (Bucket::All, 3),
            ]
        );
    }

    #[test]
    fn a_query_reads_into_a_filter_and_back_into_a_link() {
        let query = DashboardQuery {
            view: "overdue".into(),
            owner: " Platform team ".into(),
            team: String::new(),
            priority: "p1".into(),
            incident: "12".into(),
            system: "Jenkins & Co".into(),
        };
        let (filter, errors) = query.parse();
        assert!(errors.is_empty());
        assert_eq!(filter.bucket, Bucket::Overdue);
        assert!(filter.is_narrowed());
        assert_eq!(
            filter.href(),
            "/follow-ups?view=overdue&owner=Platform+team&priority=p1&incident=12&system=Jenkins+%26+Co"
        );
        assert_eq!(
            DashboardQuery::default().parse().0,
            DashboardFilter::default()
        );
        assert!(!bucket(Bucket::Closed).is_narrowed());
        assert_eq!(bucket(Bucket::Open).href(), "/follow-ups?view=open");
    }

    #[test]
    fn a_bad_parameter_is_named_and_left_out_of_the_filter() {
        let (filter, errors) = DashboardQuery {
            view: "late".into(),
            priority: "urgent".into(),
            incident: "abc".into(),
            owner: "Ada".into(),
            ..Default::default()
        }
        .parse();
        assert_eq!(
            errors.get("view"),
            Some("“late” is not a view of the dashboard; showing open follow-ups.")
        );
        assert_eq!(
            errors.get("priority"),
            Some("“urgent” is not a priority; showing every priority.")
        );
        assert_eq!(
            errors.get("incident"),
            Some("“abc” is not an incident number; showing every incident.")
        );
        assert_eq!(
            filter,
            DashboardFilter {
                owner: "Ada".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn groups_count_each_view_and_put_the_most_overdue_first() {
        let filter = DashboardFilter::default();
        let by_owner = counts_by(&items(), &filter, today(), |item| {
            Some(item.follow_up.follow_up.owner.clone()).filter(|o| !o.is_empty())
        });
        assert_eq!(
            by_owner,
            [
                GroupCounts {
                    name: "Ada".into(),
                    open: 2,
                    overdue: 1,
                    due_soon: 1,
                    awaiting_verification: 1,
                },
                GroupCounts {
                    name: "Lin".into(),
                    open: 2,
                    overdue: 0,
                    due_soon: 1,
                    awaiting_verification: 0,
                },
            ],
            "Lin's closed follow-ups count in no column; the unowned one has no group"
        );
        let by_system = counts_by(&items(), &filter, today(), |item| item.system.clone());
        let names: Vec<&str> = by_system.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            ["Jenkins", "Chef"],
            "Jenkins and jenkins are one system"
        );
        assert_eq!((by_system[0].open, by_system[0].overdue), (2, 1));
    }
}
