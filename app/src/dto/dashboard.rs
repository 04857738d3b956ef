//! The follow-up dashboard: tabs, groups, rows and the backlog, as the page and its CSV show them.

use crate::domain::follow_up::BacklogWeek;
use crate::domain::follow_up::Bucket;
use crate::domain::follow_up::DashboardFilter;
use crate::domain::follow_up::GroupCounts;
use crate::dto::postmortem::FollowUpRow;
use serde::{Deserialize, Serialize};

/// How many weeks the backlog chart covers.
pub const BACKLOG_WEEKS: u32 = 12;

/// One view of the dashboard, as a tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BucketTab {
    pub bucket: Bucket,
    pub count: usize,
    pub href: String,
}

/// A group (an owner, a team, a system) with its counts and the link that narrows to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub counts: GroupCounts,
    /// The open follow-ups of the group.
    pub href: String,
    /// Its overdue follow-ups.
    pub overdue_href: String,
}

/// Everything the dashboard page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filter: DashboardFilter,
    /// What in the query was ignored, and why.
    pub ignored: Vec<String>,
    pub tabs: Vec<BucketTab>,
    pub rows: Vec<FollowUpRow>,
    /// The choices for each filter.
    pub owners: Vec<String>,
    pub teams: Vec<String>,
    pub systems: Vec<String>,
    /// The [`INCIDENT_CHOICES`] most recent incidents with a follow-up the reader may read,
    /// and the one filtered by: (id, title).
    pub incidents: Vec<(i64, String)>,
    pub by_owner: Vec<GroupRow>,
    pub by_team: Vec<GroupRow>,
    pub by_system: Vec<GroupRow>,
    /// The backlog of the follow-ups the facets match, week by week, oldest first.
    pub backlog: Vec<BacklogWeek>,
    /// The same numbers as CSV.
    pub backlog_csv_href: String,
    /// The follow-ups shown, as CSV.
    pub follow_ups_csv_href: String,
    /// Whether any follow-up is readable at all.
    pub any: bool,
    /// The page of rows before and after this one, with the same filters (None at either end
    /// and in a download, which holds every row).
    pub previous_href: Option<String>,
    pub next_href: Option<String>,
}

/// How many follow-ups a page of the dashboard shows.
pub const DASHBOARD_PAGE_SIZE: usize = 50;

/// How many incidents the dashboard's incident filter offers: the most recent.
pub const INCIDENT_CHOICES: u64 = 50;
