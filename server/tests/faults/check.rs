//! What the fault tests check in the database once the server is gone: every acknowledged
//! write is there and whole ([`ledgers`]), the database passes its own integrity check
//! ([`integrity`]), and the history and the search index agree with the records they describe
//! ([`consistency`]). Each returns the problems it found, as sentences, so a failure names them
//! all.

use std::collections::{BTreeMap, HashMap, HashSet};

use app::domain::history::{Action, Part, Recorded};
use app::domain::search::documents;
use app::server::entities::{follow_ups, incidents, timeline_entries};
use app::server::repo::{history, postmortem, search};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};

use crate::writes::{FIRST_SUMMARY, Writer};

/// Acknowledged writes, and how many of them were found.
#[derive(Clone, Copy, Debug, Default)]
pub struct Count {
    pub acknowledged: u64,
    pub found: u64,
    /// Writes sent without an answer (cut off by the kill) that were stored all the same.
    pub stored_unanswered: u64,
}

/// Checks the writers' ledgers against the database: each acknowledged entry is there with its
/// whole text, each acknowledged summary is in the history and the last one (or a later
/// unacknowledged one) is the incident's, the follow-ups were moved as often as acknowledged
/// (or once more) and stand where the last move left them; an entry nobody sent is a
/// half-written or invented write. Writes sent without an answer that turn out to be stored
/// join the ledger (later rounds must keep them); the others are forgotten.
pub async fn ledgers(db: &DatabaseConnection, writers: &mut [Writer]) -> (Count, Vec<String>) {
    let mut count = Count::default();
    let mut problems = Vec::new();
    let incident_ids: Vec<i64> = writers.iter().map(|w| w.incident).collect();

    let stored: HashMap<i64, (i64, String)> = timeline_entries::Entity::find()
        .filter(timeline_entries::Column::IncidentId.is_in(incident_ids.clone()))
        .all(db)
        .await
        .expect("the entries are read")
        .into_iter()
        .map(|e| (e.id, (e.incident_id, e.body_md)))
        .collect();
    let mut sent: HashSet<&str> = HashSet::new();
    for w in writers.iter() {
        sent.extend(w.entries.iter().map(|(_, body)| body.as_str()));
        sent.extend(w.unconfirmed_entries.iter().map(String::as_str));
    }
    for (id, (_, body)) in &stored {
        if !sent.contains(body.as_str()) {
            problems.push(format!(
                "timeline entry {id} holds {body:?}, which no writer sent (half-written?)"
            ));
        }
    }
    let by_body: HashMap<&str, i64> = stored
        .iter()
        .map(|(id, (_, body))| (body.as_str(), *id))
        .collect();

    let incident_rows: HashMap<i64, incidents::Model> = incidents::Entity::find()
        .filter(incidents::Column::Id.is_in(incident_ids))
        .all(db)
        .await
        .expect("the incidents are read")
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let follow_up_rows: HashMap<i64, follow_ups::Model> = follow_ups::Entity::find()
        .filter(follow_ups::Column::Id.is_in(writers.iter().map(|w| w.follow_up)))
        .all(db)
        .await
        .expect("the follow-ups are read")
        .into_iter()
        .map(|f| (f.id, f))
        .collect();

    for w in writers.iter_mut() {
        // Entries.
        count.acknowledged += w.entries.len() as u64;
        for (id, body) in &w.entries {
            match stored.get(id) {
                Some((incident, stored_body)) if *incident == w.incident && stored_body == body => {
                    count.found += 1;
                }
                Some(other) => problems.push(format!(
                    "writer {}: acknowledged entry {id} ({body:?}) reads {other:?}",
                    w.number
                )),
                None => problems.push(format!(
                    "writer {}: acknowledged entry {id} ({body:?}) is lost",
                    w.number
                )),
            }
        }
        for body in std::mem::take(&mut w.unconfirmed_entries) {
            if let Some(id) = by_body.get(body.as_str()) {
                count.stored_unanswered += 1;
                w.entries.push((*id, body));
            }
        }

        // The incident's summary, for the writer that saves it.
        let Some(incident) = incident_rows.get(&w.incident) else {
            problems.push(format!(
                "writer {}: incident {} is lost",
                w.number, w.incident
            ));
            continue;
        };
        if w.owns_incident {
            let saved = history::list_for(db, w.incident)
                .await
                .expect("the history is read");
            let summaries: Vec<&str> = saved
                .iter()
                .filter(|h| h.part == Part::Incident && h.action == Action::Updated)
                .filter_map(|h| h.after.as_ref()?.get("summary").map(String::as_str))
                .collect();
            count.acknowledged += w.summaries.len() as u64;
            for summary in &w.summaries {
                match summaries.iter().filter(|s| **s == summary.as_str()).count() {
                    1 => count.found += 1,
                    n => problems.push(format!(
                        "writer {}: the acknowledged summary {summary:?} is in the history {n} times",
                        w.number
                    )),
                }
            }
            let last = w
                .summaries
                .last()
                .map_or(FIRST_SUMMARY, String::as_str)
                .to_owned();
            let current = incident.summary_md.as_str();
            if current == last {
                // As acknowledged.
            } else if w.unconfirmed_summaries.iter().any(|s| s == current) {
                count.stored_unanswered += 1;
                w.summaries.push(current.to_owned());
            } else {
                problems.push(format!(
                    "writer {}: incident {} reads {current:?}, not the acknowledged {last:?}",
                    w.number, w.incident
                ));
            }
            w.unconfirmed_summaries.clear();
        }

        // The follow-up's moves.
        let Some(follow_up) = follow_up_rows.get(&w.follow_up) else {
            problems.push(format!(
                "writer {}: follow-up {} is lost",
                w.number, w.follow_up
            ));
            continue;
        };
        let moved = history::list_for(db, w.incident)
            .await
            .expect("the history is read")
            .iter()
            .filter(|h| h.part == Part::FollowUp && h.part_id == w.follow_up)
            .filter(|h| h.action == Action::Moved)
            .count() as u64;
        let unconfirmed = w.unconfirmed_moves.len() as u64;
        count.acknowledged += w.moves;
        count.found += moved.min(w.moves);
        if moved < w.moves || moved > w.moves + unconfirmed {
            problems.push(format!(
                "writer {}: follow-up {} was moved {moved} times by the history; {} acknowledged, {unconfirmed} unanswered",
                w.number, w.follow_up, w.moves
            ));
        }
        // Where the history's last move left it: the acknowledged state, or where the
        // unanswered move went when the history has it.
        let expected = if moved > w.moves {
            w.unconfirmed_moves.last().cloned()
        } else {
            Some(w.state.clone())
        };
        if expected.as_ref() == Some(&follow_up.state) {
            count.stored_unanswered += moved.saturating_sub(w.moves);
            follow_up.state.clone_into(&mut w.state);
        } else {
            problems.push(format!(
                "writer {}: follow-up {} is {:?}, not {expected:?} as its {moved} moves say",
                w.number, w.follow_up, follow_up.state
            ));
        }
        w.moves = moved;
        w.unconfirmed_moves.clear();
    }
    (count, problems)
}

/// The database's own verdict: SQLite's `PRAGMA integrity_check`, `PRAGMA foreign_key_check`
/// and FTS5's integrity check of the search index; on Postgres, `amcheck`'s `bt_index_check`
/// (with `heapallindexed`: every row is in each index) on every B-tree index of the schema.
/// "ok" (followed by a remark when amcheck is not there), or what is wrong.
pub async fn integrity(db: &DatabaseConnection) -> String {
    let backend = db.get_database_backend();
    let rows = |sql: &str| {
        let statement = Statement::from_string(backend, sql.to_owned());
        async move { db.query_all_raw(statement).await }
    };
    let mut problems = Vec::new();
    if backend == DbBackend::Sqlite {
        match rows("PRAGMA integrity_check").await {
            Ok(found) => {
                let said: Vec<String> = found
                    .iter()
                    .filter_map(|r| r.try_get_by_index::<String>(0).ok())
                    .collect();
                if said != ["ok"] {
                    problems.push(format!("integrity_check: {}", said.join("; ")));
                }
            }
            Err(e) => problems.push(format!("integrity_check: {e}")),
        }
        match rows("PRAGMA foreign_key_check").await {
            Ok(found) if found.is_empty() => {}
            Ok(found) => problems.push(format!("{} rows break a foreign key", found.len())),
            Err(e) => problems.push(format!("foreign_key_check: {e}")),
        }
        if let Err(e) = db
            .execute_unprepared("INSERT INTO search_index(search_index) VALUES('integrity-check')")
            .await
        {
            problems.push(format!("the FTS5 index: {e}"));
        }
    } else {
        if let Err(e) = db
            .execute_unprepared("CREATE EXTENSION IF NOT EXISTS amcheck")
            .await
        {
            // Not every Postgres has the contrib modules: the other checks still run.
            return format!("ok (amcheck is not available: {e})");
        }
        let indexes = rows(
            "SELECT c.relname::text FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_am am ON am.oid = c.relam \
             WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace",
        )
        .await
        .expect("the indexes are listed");
        for index in indexes {
            let name: String = index.try_get_by_index(0).expect("an index name");
            if let Err(e) = rows(&format!(
                "SELECT bt_index_check('public.{name}'::regclass, true)"
            ))
            .await
            {
                problems.push(format!("index {name}: {e}"));
            }
        }
    }
    if problems.is_empty() {
        "ok".to_owned()
    } else {
        problems.join("; ")
    }
}

/// The history and the search index against the records, for every incident: the latest
/// history version of an incident's fields, each timeline entry and each follow-up equals what
/// is stored, an incident's saves counted by its version each have a history row, no history
/// row describes an entry or follow-up that is not there, and the search index holds exactly
/// the documents the stored postmortems make, no more, no fewer.
pub async fn consistency(db: &DatabaseConnection) -> Vec<String> {
    let mut problems = Vec::new();
    let all = incidents::Entity::find()
        .all(db)
        .await
        .expect("the incidents are read");
    let mut indexed = index_rows(db).await;
    let mut documents_total = 0;
    for row in &all {
        let id = row.id;
        let Some(pm) = postmortem::load(db, id)
            .await
            .expect("the postmortem is read")
        else {
            continue;
        };
        let entries = history::list_for(db, id)
            .await
            .expect("the history is read");
        // Newest first: the first row of a part is its latest version.
        let latest = |part: Part, part_id: i64| {
            entries
                .iter()
                .find(|h| h.part == part && h.part_id == part_id)
        };
        let incident_after = latest(Part::Incident, id).and_then(|h| h.after.clone());
        if incident_after != Some(pm.incident.as_new().snapshot(&chrono::Utc)) {
            problems.push(format!(
                "incident {id}: the latest history version {incident_after:?} is not its fields"
            ));
        }
        let saves = entries
            .iter()
            .filter(|h| h.part == Part::Incident && h.action == Action::Updated)
            .count() as i64;
        if saves != row.version - 1 {
            problems.push(format!(
                "incident {id}: version {} but {saves} saves in the history",
                row.version
            ));
        }
        for entry in &pm.timeline {
            let rows: Vec<_> = entries
                .iter()
                .filter(|h| h.part == Part::TimelineEntry && h.part_id == entry.id)
                .collect();
            let expected = Some(entry.entry.snapshot(&chrono::Utc));
            if rows.len() != 1 || rows[0].action != Action::Created || rows[0].after != expected {
                problems.push(format!(
                    "timeline entry {}: its history ({} rows, latest {:?}) does not describe it",
                    entry.id,
                    rows.len(),
                    rows.first().map(|h| (&h.action, &h.after))
                ));
            }
        }
        for follow_up in &pm.follow_ups {
            let moved = entries
                .iter()
                .find(|h| h.part == Part::FollowUp && h.part_id == follow_up.id)
                .filter(|h| h.action == Action::Moved)
                .and_then(|h| h.after.as_ref()?.get("state").cloned());
            if let Some(state) = moved
                && state != follow_up.state.label()
            {
                problems.push(format!(
                    "follow-up {}: the history moved it to {state:?}, it is {:?}",
                    follow_up.id,
                    follow_up.state.label()
                ));
            }
        }
        let entry_ids: HashSet<i64> = pm.timeline.iter().map(|e| e.id).collect();
        let follow_up_ids: HashSet<i64> = pm.follow_ups.iter().map(|f| f.id).collect();
        for h in &entries {
            let exists = match h.part {
                Part::TimelineEntry => entry_ids.contains(&h.part_id),
                Part::FollowUp => follow_up_ids.contains(&h.part_id),
                _ => true,
            };
            let deleted = entries
                .iter()
                .any(|d| d.part == h.part && d.part_id == h.part_id && d.action == Action::Deleted);
            if !exists && !deleted {
                problems.push(format!(
                    "history row {} describes {} {} which is not there",
                    h.id,
                    h.part.as_str(),
                    h.part_id
                ));
            }
        }

        let mut expected: Vec<IndexRow> = documents(&pm.parts())
            .into_iter()
            .map(|d| IndexRow {
                key: d.key(),
                incident_id: d.incident_id,
                kind: d.kind.as_str().to_owned(),
                anchor: d.anchor,
                title: d.title,
                body: d.body,
            })
            .collect();
        expected.sort_by_key(|r| r.key);
        documents_total += expected.len();
        let found = indexed.remove(&id).unwrap_or_default();
        if found != expected {
            let differ = expected
                .iter()
                .zip(found.iter())
                .find(|(e, f)| e != f)
                .map(|(e, f)| format!("expected {e:?}, found {f:?}"))
                .unwrap_or_default();
            problems.push(format!(
                "incident {id}: the search index holds {} documents, its postmortem makes {} {differ}",
                found.len(),
                expected.len()
            ));
        }
    }
    for (incident, rows) in indexed {
        problems.push(format!(
            "the search index holds {} documents of incident {incident}, which is not there",
            rows.len()
        ));
    }
    let counted = search::count(db).await.expect("the index is counted");
    if counted != documents_total as i64 {
        problems.push(format!(
            "the search index counts {counted} documents; the postmortems make {documents_total}"
        ));
    }
    problems
}

/// Each writer's last acknowledged entry is found by searching for its word, on its incident.
pub async fn search_finds(db: &DatabaseConnection, writers: &[Writer]) -> Vec<String> {
    let mut problems = Vec::new();
    for w in writers {
        let Some((_, body)) = w.entries.last() else {
            continue;
        };
        let Some(word) = body.split_whitespace().find(|t| t.starts_with("fw")) else {
            continue;
        };
        let hits = search::query(db, &[word.to_owned()], 20, search::CANDIDATES)
            .await
            .expect("the search runs");
        if !hits.iter().any(|h| h.incident_id == w.incident) {
            problems.push(format!(
                "searching for {word:?} does not find incident {} ({} hits)",
                w.incident,
                hits.len()
            ));
        }
    }
    problems
}

#[derive(Clone, Debug, Default, PartialEq)]
struct IndexRow {
    key: i64,
    incident_id: i64,
    kind: String,
    anchor: String,
    title: String,
    body: String,
}

/// Every row of the search index, by incident, in key order.
async fn index_rows(db: &DatabaseConnection) -> BTreeMap<i64, Vec<IndexRow>> {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        "SELECT id AS k, incident_id, kind, anchor, title, body FROM search_index ORDER BY id"
    } else {
        "SELECT rowid AS k, CAST(incident_id AS INTEGER) AS incident_id, kind, anchor, title, \
         body FROM search_index ORDER BY rowid"
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("the index is read");
    let mut by_incident: BTreeMap<i64, Vec<IndexRow>> = BTreeMap::new();
    for r in rows {
        let row = IndexRow {
            key: r.try_get("", "k").expect("a key"),
            incident_id: r.try_get("", "incident_id").expect("an incident"),
            kind: r.try_get("", "kind").expect("a kind"),
            anchor: r.try_get("", "anchor").expect("an anchor"),
            title: r.try_get("", "title").expect("a title"),
            body: r.try_get("", "body").expect("a body"),
        };
        by_incident.entry(row.incident_id).or_default().push(row);
    }
    by_incident
}
