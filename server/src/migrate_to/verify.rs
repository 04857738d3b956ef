//! The check `migrate-to` makes before it commits: every table holds as many rows on the target
//! as on the source, and every postmortem's export (the JSON `export-all` writes, see
//! `app::domain::export`) reads the same from both, compared by its SHA-256. The pass that
//! loads each postmortem from the target also writes its search documents there.

use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use app::domain::export::PostmortemExport;
use app::domain::search::Document;
use app::server::entities::incidents;
use app::server::repo::postmortem::{self, Postmortem};
use app::server::repo::search;

/// Postmortems compared per page of ids.
const PAGE: u64 = 200;

/// One line of the report: a table's rows on each side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub table: String,
    pub source: u64,
    pub target: u64,
    /// Made on the target from the copied rows rather than copied (the search index): a
    /// different count means the source's was out of step with its postmortems, not a loss.
    pub rebuilt: bool,
}

impl Counted {
    /// Whether the target is as it should be.
    pub fn ok(&self) -> bool {
        self.rebuilt || self.source == self.target
    }

    fn mark(&self) -> &'static str {
        match (self.source == self.target, self.rebuilt) {
            (true, _) => "ok",
            (false, true) => "rebuilt",
            (false, false) => "DIFFERENT",
        }
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

/// The SHA-256 of an export as JSON.
fn digest(found: &Postmortem) -> Result<String, String> {
    let json = serde_json::to_string(&PostmortemExport::of(&found.parts()))
        .map_err(|e| format!("exporting incident {}: {e}", found.incident.id))?;
    // A digest of any text, though named for tokens: SHA-256 as hex.
    Ok(app::server::password::token_digest(&json))
}

async fn load(conn: &DatabaseTransaction, id: i64) -> Result<Option<Postmortem>, String> {
    postmortem::load(conn, id)
        .await
        .map_err(|e| format!("reading incident {id}: {e}"))
}

/// Compares every postmortem's export on `source` with the one on `target`, a page of ids at a
/// time, and fills the target's search index from the postmortems it loaded there (the
/// documents `app::server::repo::search::index_new` would write, a few hundred per statement).
///
/// # Errors
/// A one-line message when either side cannot be read or the index cannot be written.
pub async fn compare_and_index(
    source: &DatabaseTransaction,
    target: &DatabaseTransaction,
) -> Result<Exports, String> {
    let mut found = Exports::default();
    let mut after = 0_i64;
    let mut pending: Vec<Document> = Vec::new();
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
            let before = load(source, id).await?;
            let moved = load(target, id).await?;
            let same = match (&before, &moved) {
                (Some(before), Some(moved)) => digest(before)? == digest(moved)?,
                _ => false,
            };
            if same {
                found.identical += 1;
            } else {
                found.differing.push(id);
            }
            if let Some(moved) = moved {
                pending.extend(moved.documents());
            }
        }
        search::insert_many(target, &pending)
            .await
            .map_err(|e| format!("building the search index: {e}"))?;
        pending.clear();
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
            c.mark()
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
                rebuilt: false,
            },
            Counted {
                table: "timeline_entries".to_owned(),
                source: 200_000,
                target: 199_999,
                rebuilt: false,
            },
            Counted {
                table: "search_index".to_owned(),
                source: 17,
                target: 23,
                rebuilt: true,
            },
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "table                source     target  ok");
        assert_eq!(lines[1], "users                     3          3  ok");
        assert_eq!(
            lines[2],
            "timeline_entries     200000     199999  DIFFERENT"
        );
        assert_eq!(lines[3], "search_index             17         23  rebuilt");
    }
}
