//! The check `migrate-to` makes before it commits: every table holds as many rows on the target
//! as on the source, and every postmortem's export (the JSON `export-all` writes, see
//! `app::domain::export`) reads the same from both, compared by its SHA-256.

use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use app::domain::export::PostmortemExport;
use app::server::entities::incidents;
use app::server::repo::postmortem;

/// Postmortems compared per page of ids.
const PAGE: u64 = 200;

/// One line of the report: a table's rows on each side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub table: String,
    pub source: u64,
    pub target: u64,
}

impl Counted {
    pub fn ok(&self) -> bool {
        self.source == self.target
    }
}

/// What the exports' comparison found.
#[derive(Debug, Default)]
pub struct Exports {
    /// Postmortems whose export is the same on both sides.
    pub identical: u64,
    /// The ids of those whose export differs or is missing on the target.
    pub differing: Vec<i64>,
}

/// The SHA-256 of a postmortem's export as JSON, or `None` when there is no such postmortem.
async fn export_digest(conn: &DatabaseTransaction, id: i64) -> Result<Option<String>, String> {
    let Some(found) = postmortem::load(conn, id)
        .await
        .map_err(|e| format!("reading incident {id}: {e}"))?
    else {
        return Ok(None);
    };
    let json = serde_json::to_string(&PostmortemExport::of(&found.parts()))
        .map_err(|e| format!("exporting incident {id}: {e}"))?;
    // A digest of any text, though named for tokens: SHA-256 as hex.
    Ok(Some(app::server::password::token_digest(&json)))
}

/// Compares every postmortem's export on `source` with the one on `target`, a page of ids at a
/// time.
///
/// # Errors
/// A one-line message when either side cannot be read.
pub async fn exports(
    source: &DatabaseTransaction,
    target: &DatabaseTransaction,
) -> Result<Exports, String> {
    let mut found = Exports::default();
    let mut after = 0_i64;
    loop {
        let ids: Vec<i64> = incidents::Entity::find()
            .select_only()
            .column(incidents::Column::Id)
            .filter(incidents::Column::Id.gt(after))
            .order_by_asc(incidents::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(source)
            .await
            .map_err(|e: DbErr| format!("reading the incidents: {e}"))?;
        let Some(&last) = ids.last() else { break };
        after = last;
        for id in ids {
            let before = export_digest(source, id).await?;
            let moved = export_digest(target, id).await?;
            if before.is_some() && before == moved {
                found.identical += 1;
            } else {
                found.differing.push(id);
            }
        }
    }
    Ok(found)
}

/// The report's table: each table's rows on both sides and whether they agree.
pub fn table(counts: &[Counted]) -> String {
    let width = counts
        .iter()
        .map(|c| c.table.len())
        .max()
        .unwrap_or(0)
        .max("table".len());
    let mut out = format!(
        "{:<width$}  {:>9}  {:>9}  ok\n",
        "table", "source", "target"
    );
    for c in counts {
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>9}  {}\n",
            c.table,
            c.source,
            c.target,
            if c.ok() { "ok" } else { "DIFFERENT" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_lines_up_and_marks_a_difference() {
        let text = table(&[
            Counted {
                table: "users".to_owned(),
                source: 3,
                target: 3,
            },
            Counted {
                table: "timeline_entries".to_owned(),
                source: 200_000,
                target: 199_999,
            },
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "table                source     target  ok");
        assert_eq!(lines[1], "users                     3          3  ok");
        assert_eq!(
            lines[2],
            "timeline_entries     200000     199999  DIFFERENT"
        );
    }
}
