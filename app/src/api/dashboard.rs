//! The follow-up dashboard for managers: follow-ups across incidents in views (open, overdue,
//! due soon, awaiting verification), narrowed by owner, team, priority, incident and change
//! system; counts by owner and by system; and the backlog week by week.

use leptos::prelude::*;

use crate::dto::dashboard::Dashboard;
use crate::error::AppError;

/// The dashboard for a query string's parameters (each may be empty): `view` (a
/// [`Bucket::as_str`]), `owner`, `team`, `priority`, `incident` and `system`; `page` (from 1,
/// empty = the first) picks the page of rows.
#[server(prefix = "/api", endpoint = "follow-ups/dashboard")]
pub async fn follow_up_dashboard(
    #[server(default)] view: String,
    #[server(default)] owner: String,
    #[server(default)] team: String,
    #[server(default)] priority: String,
    #[server(default)] incident: String,
    #[server(default)] system: String,
    #[server(default)] page: String,
) -> Result<Dashboard, AppError> {
    use crate::server::query::dashboard::Rows;
    let state = super::state()?;
    let query = crate::domain::follow_up::DashboardQuery {
        view,
        owner,
        team,
        priority,
        incident,
        system,
    };
    let page = usize::try_from(super::page_number(&page)?).unwrap_or(usize::MAX);
    crate::server::query::dashboard::dashboard(&state, query, Rows::Page(page)).await
}
