//! Query strings: the follow-up dashboard's filters and the metrics page's.

use proptest::option;
use proptest::prelude::*;

use super::strategies::{hostile, one_of, text};
use super::{assert_fields_within, config};
use crate::domain::follow_up::{Bucket, DashboardFilter, DashboardQuery, Priority};
use crate::domain::metrics::MetricsQuery;

fn filter() -> impl Strategy<Value = DashboardFilter> {
    (
        one_of(&Bucket::ALL),
        text(60),
        text(60),
        option::of(one_of(&Priority::ALL)),
        option::of(1..=i64::MAX),
        text(60),
    )
        .prop_map(
            |(bucket, owner, team, priority, incident_id, system)| DashboardFilter {
                bucket,
                owner,
                team,
                priority,
                incident_id,
                system,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_dashboard_query_never_panics_and_names_what_it_ignored(
        (view, owner, team, priority, incident, system) in
            (hostile(), hostile(), hostile(), hostile(), hostile(), hostile()),
    ) {
        let query = DashboardQuery { view, owner, team, priority, incident, system };
        let (filter, ignored) = query.parse();
        assert_fields_within(&ignored, &["view", "priority", "incident"]);
        let _ = filter.href();
    }

    #[test]
    fn any_query_string_reads_as_a_dashboard_query_or_none(input in hostile()) {
        // The download endpoints read the raw query string this way.
        let query: DashboardQuery = serde_urlencoded::from_str(&input).unwrap_or_default();
        let _ = query.parse();
    }

    #[test]
    fn a_dashboard_filter_reads_back_from_its_link(filter in filter()) {
        let href = filter.href();
        let (path, query) = href.split_once('?').ok_or_else(|| TestCaseError::fail("no query"))?;
        prop_assert_eq!(path, "/follow-ups");
        let query: DashboardQuery =
            serde_urlencoded::from_str(query).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (read, ignored) = query.parse();
        prop_assert!(ignored.is_empty(), "{}", ignored);
        prop_assert_eq!(read, filter);
    }

    #[test]
    fn any_metrics_query_never_panics_and_names_what_it_ignored(
        (from, to, severity, service) in (hostile(), hostile(), hostile(), hostile()),
    ) {
        let (filter, ignored) = MetricsQuery { from, to, severity, service }.parse();
        assert_fields_within(&ignored, &["from", "to", "severity"]);
        let in_order = match (filter.from, filter.to) {
            (Some(from), Some(to)) => from <= to,
            _ => true,
        };
        prop_assert!(in_order);
    }
}
