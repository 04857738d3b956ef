//! What the impact figures of the incidents a metrics filter counts come to: the figures of
//! the same incidents the metrics' durations count (those the reader may read, matching the
//! filter, not left out), picked in SQL with the metrics' own scope, then totalled by
//! [`crate::domain::impact::totals::totals`], which never adds unlike units together. A
//! postmortem read as published counts its published figures.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType};
use sea_orm::{ConnectionTrait, DbErr};

use super::metrics::{E, I, Scope, measures_of};
use crate::domain::account::User;
use crate::domain::impact::totals::{ImpactTotal, totals};
use crate::domain::metrics::MetricsFilter;
use crate::domain::time::Zone;

/// The impact totals `user` sees for `filter` in `zone`.
///
/// # Errors
/// On a database failure or a figure the domain cannot read.
pub async fn impact_totals<C: ConnectionTrait>(
    conn: &C,
    user: &User,
    filter: &MetricsFilter,
    zone: &impl Zone,
) -> Result<Vec<ImpactTotal>, DbErr> {
    let db = conn.get_database_backend();
    let scope = Scope::of(conn, user).await?;
    let mut counted = scope.matching(filter, zone, db);
    counted
        .join(
            JoinType::LeftJoin,
            Alias::new(E),
            Expr::col((E, "incident_id")).equals((I, "id")),
        )
        .column((Alias::new(I), Alias::new("id")))
        .and_where(Expr::col((E, "incident_id")).is_null());
    let mut figures = crate::server::repo::impact::list_for_query(conn, counted).await?;
    if !scope.corrections.is_empty() {
        let ids: Vec<i64> = scope.corrections.iter().map(|i| i.id).collect();
        let exclusions = crate::server::repo::metrics::exclusions_of(conn, &ids).await?;
        let counted: Vec<i64> = scope
            .corrections
            .iter()
            .map(|i| measures_of(i, zone, &exclusions))
            .filter(|m| m.excluded.is_none() && filter.matches(m))
            .map(|m| m.id)
            .collect();
        figures.extend(
            scope
                .corrected_impact
                .iter()
                .filter(|f| counted.contains(&f.incident_id))
                .cloned(),
        );
    }
    Ok(totals(&figures))
}
