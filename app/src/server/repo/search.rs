//! The search index: kept in step with each postmortem inside the write that changes it,
//! queried with FTS5 on SQLite and a `tsvector` on Postgres, best match first, matches marked
//! with [`MATCH_START`] and [`MATCH_END`].
//!
//! Each document is stored under its [`Document::key`] (the FTS5 `rowid`, the Postgres `id`),
//! so a write re-indexes only the part it changed ([`reindex_part`]: one row looked up by its
//! key, whatever the postmortem or the database holds); [`index_new`] writes a new postmortem's
//! documents and [`remove_postmortem`] a deleted one's, each by key, so no write reads the whole
//! index.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

use super::incidents;
use crate::domain::history::Part;
use crate::domain::search::{
    self as index, Document, DocumentKind, MATCH_END, MATCH_START, fts5_query, tsquery,
};
use crate::server::edit::EditablePart;
use crate::server::repo::{changes, follow_ups, impact, relations, timeline};

/// One match.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub incident_id: i64,
    pub kind: DocumentKind,
    pub anchor: String,
    /// The title, matches marked.
    pub title: String,
    /// A passage of the body around the matches, marked.
    pub snippet: String,
}

fn statement(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = conn.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        // Positional parameters: ? becomes $1, $2, … in order.
        let mut n = 0;
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The name of the column that holds a document's key.
fn key_column(conn: &impl ConnectionTrait) -> &'static str {
    if conn.get_database_backend() == DbBackend::Postgres {
        "id"
    } else {
        "rowid"
    }
}

/// Writes one document under its key, replacing what was there.
async fn put<C: ConnectionTrait>(conn: &C, d: &Document) -> Result<(), DbErr> {
    remove(conn, d.kind, d.part_id).await?;
    insert(conn, d).await
}

/// Writes one document under its key, which must be free.
async fn insert<C: ConnectionTrait>(conn: &C, d: &Document) -> Result<(), DbErr> {
    let sql = format!(
        "INSERT INTO search_index ({}, incident_id, kind, anchor, title, body) \
         VALUES (?, ?, ?, ?, ?, ?)",
        key_column(conn)
    );
    conn.execute_raw(statement(conn, &sql, row(d).to_vec()))
        .await?;
    Ok(())
}

/// A document's row in the index's column order: key, incident, kind, anchor, title, body.
fn row(d: &Document) -> [Value; 6] {
    [
        d.key().into(),
        d.incident_id.into(),
        d.kind.as_str().into(),
        d.anchor.clone().into(),
        d.title.clone().into(),
        d.body.clone().into(),
    ]
}

/// Writes many documents under their keys, which must be free, a few hundred per statement:
/// fills an empty index (a database moved from SQLite, see the server's `migrate-to`) without
/// a round trip per document.
///
/// # Errors
/// On a database failure (including a key already taken).
pub async fn insert_many<C: ConnectionTrait>(conn: &C, docs: &[Document]) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    for chunk in docs.chunks(500) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("search_index")).columns(
            [
                key_column(conn),
                "incident_id",
                "kind",
                "anchor",
                "title",
                "body",
            ]
            .map(Alias::new),
        );
        for d in chunk {
            insert
                .values(row(d).map(Into::into))
                .map_err(|e| DbErr::Custom(format!("search documents: {e}")))?;
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// Removes the document of `kind` made of part `part_id`, if there is one.
async fn remove<C: ConnectionTrait>(
    conn: &C,
    kind: DocumentKind,
    part_id: i64,
) -> Result<(), DbErr> {
    let sql = format!("DELETE FROM search_index WHERE {} = ?", key_column(conn));
    conn.execute_raw(statement(
        conn,
        &sql,
        vec![index::key(kind, part_id).into()],
    ))
    .await?;
    Ok(())
}

/// Writes `doc` when the part has one, else removes the part's document.
async fn put_or_remove<C: ConnectionTrait>(
    conn: &C,
    kind: DocumentKind,
    part_id: i64,
    doc: Option<Document>,
) -> Result<(), DbErr> {
    match doc {
        Some(doc) => put(conn, &doc).await,
        None => remove(conn, kind, part_id).await,
    }
}

/// Indexes a postmortem created in the same write (new, imported, the worked example, or a
/// restored one): its parts are new, so their keys are free and nothing is looked up or
/// removed first — what this costs does not grow with the index.
///
/// # Errors
/// On a database failure (including a key already taken: the postmortem was indexed before).
pub async fn index_new<C: ConnectionTrait>(conn: &C, incident_id: i64) -> Result<(), DbErr> {
    if let Some(postmortem) = super::postmortem::load(conn, incident_id).await? {
        insert_many(conn, &postmortem.documents()).await?;
    }
    Ok(())
}

/// Removes a postmortem's documents, by their keys, while its parts are still stored: what
/// deleting an incident does first ([`incidents::delete`]), since afterwards nothing says which
/// parts it had. (The index cannot find a postmortem's rows by its incident without reading
/// all of them: FTS5 does not index that column.)
///
/// # Errors
/// On a database failure.
pub async fn remove_postmortem<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<(), DbErr> {
    match super::postmortem::load(conn, incident_id).await? {
        Some(postmortem) => remove_documents(conn, &postmortem).await,
        None => Ok(()),
    }
}

/// Removes by key the documents `postmortem` makes, and those its incident may make.
async fn remove_documents<C: ConnectionTrait>(
    conn: &C,
    postmortem: &super::postmortem::Postmortem,
) -> Result<(), DbErr> {
    let incident_id = postmortem.incident.id;
    // The documents the incident makes may be absent (no lessons, no field values yet); their
    // keys are removed whatever it holds.
    let own = [
        DocumentKind::Incident,
        DocumentKind::Lessons,
        DocumentKind::Fields,
    ]
    .map(|kind| index::key(kind, incident_id));
    let keys: Vec<i64> = own
        .into_iter()
        .chain(postmortem.documents().iter().map(Document::key))
        .collect();
    for chunk in keys.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "DELETE FROM search_index WHERE {} IN ({marks})",
            key_column(conn)
        );
        conn.execute_raw(statement(
            conn,
            &sql,
            chunk.iter().map(|k| (*k).into()).collect(),
        ))
        .await?;
    }
    Ok(())
}

/// Rebuilds a postmortem's documents from what is stored, by key (as [`remove_postmortem`],
/// then [`index_new`], with one load): what the writes that each re-index one part must leave.
///
/// # Errors
/// On a database failure.
pub async fn reindex<C: ConnectionTrait>(conn: &C, incident_id: i64) -> Result<(), DbErr> {
    if let Some(postmortem) = super::postmortem::load(conn, incident_id).await? {
        remove_documents(conn, &postmortem).await?;
        insert_many(conn, &postmortem.documents()).await?;
    }
    Ok(())
}

/// Brings the documents made of one part of a postmortem up to date with what is stored: the
/// part's own (none once it is deleted), or for a parameter its change's; the incident's fields
/// and its lessons make two documents (the lessons are titled after the incident). Parts that
/// are not searchable (participants, the review) change nothing. Costs a few statements by key,
/// however long the postmortem and however many the database holds; a deleted incident's
/// documents went before it ([`remove_postmortem`]).
///
/// # Errors
/// On a database failure.
pub async fn reindex_part<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    part: Part,
    part_id: i64,
) -> Result<(), DbErr> {
    index_part(conn, incident_id, part, part_id, Key::Taken).await
}

/// [`reindex_part`] for a part added in the same write: the document made of it alone (a
/// timeline entry's, a change's, …) goes under a key still free, without removing anything
/// first. A parameter re-indexes its change, and the incident's own documents are replaced, as
/// [`reindex_part`] does.
///
/// # Errors
/// On a database failure (including a key already taken).
pub async fn index_added<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    part: Part,
    part_id: i64,
) -> Result<(), DbErr> {
    index_part(conn, incident_id, part, part_id, Key::Free).await
}

/// Whether a part's own document may already be in the index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    /// The part was added in this write: nothing is stored under its key.
    Free,
    /// It may hold the part's earlier document.
    Taken,
}

/// Writes a part's own document (`doc`; none when the part is gone or says nothing), replacing
/// what its key held unless the key is [`Key::Free`].
async fn own<C: ConnectionTrait>(
    conn: &C,
    kind: DocumentKind,
    part_id: i64,
    doc: Option<Document>,
    key: Key,
) -> Result<(), DbErr> {
    match (doc, key) {
        (Some(doc), Key::Free) => insert(conn, &doc).await,
        (None, Key::Free) => Ok(()),
        (doc, Key::Taken) => put_or_remove(conn, kind, part_id, doc).await,
    }
}

async fn index_part<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    part: Part,
    part_id: i64,
    key: Key,
) -> Result<(), DbErr> {
    match part {
        Part::Incident | Part::Lessons => match incidents::get(conn, incident_id).await? {
            Some(incident) => {
                put(conn, &index::incident_document(&incident)).await?;
                put_or_remove(
                    conn,
                    DocumentKind::Lessons,
                    incident_id,
                    index::lessons_document(&incident),
                )
                .await
            }
            // Deleted: its documents went before it ([`remove_postmortem`]).
            None => Ok(()),
        },
        Part::TimelineEntry => {
            let doc = timeline::TimelinePart::load(conn, part_id)
                .await?
                .map(|s| index::timeline_document(s.incident_id, s.id, &s.value));
            own(conn, DocumentKind::Timeline, part_id, doc, key).await
        }
        Part::ImpactFigure => {
            let doc = impact::ImpactPart::load(conn, part_id)
                .await?
                .map(|s| index::impact_document(s.incident_id, s.id, &s.value));
            own(conn, DocumentKind::Impact, part_id, doc, key).await
        }
        Part::Change => index_change(conn, part_id, key).await,
        // A parameter is listed in its change's document, which exists already.
        Part::Parameter => match changes::get_parameter(conn, part_id).await? {
            Some(parameter) => index_change(conn, parameter.change_id, Key::Taken).await,
            // A deleted parameter's change is re-indexed by who deleted it, who knows it.
            None => Ok(()),
        },
        Part::FollowUp => {
            let doc = follow_ups::FollowUpPart::load(conn, part_id)
                .await?
                .map(|s| index::follow_up_document(s.incident_id, s.id, &s.value));
            own(conn, DocumentKind::FollowUp, part_id, doc, key).await
        }
        Part::FieldValues => match incidents::get(conn, incident_id).await? {
            Some(incident) => reindex_fields(conn, &incident).await,
            None => Ok(()),
        },
        Part::Factor => {
            let doc = super::factors::FactorPart::load(conn, part_id)
                .await?
                .map(|s| index::factor_document(s.incident_id, s.id, &s.value));
            own(conn, DocumentKind::Factor, part_id, doc, key).await
        }
        Part::Relation => {
            let doc = relations::get(conn, part_id)
                .await?
                .map(|r| index::relation_document(&r));
            own(conn, DocumentKind::Relation, part_id, doc, key).await
        }
        Part::MentorNote => {
            let doc = super::mentor_notes::get(conn, part_id)
                .await?
                .map(|n| index::mentor_note_document(&n));
            own(conn, DocumentKind::MentorNote, part_id, doc, key).await
        }
        Part::Participant | Part::Review | Part::Template => Ok(()),
    }
}

async fn reindex_fields<C: ConnectionTrait>(
    conn: &C,
    incident: &crate::domain::incident::Incident,
) -> Result<(), DbErr> {
    let values = super::templates::values_of(conn, incident.id).await?;
    put_or_remove(
        conn,
        DocumentKind::Fields,
        incident.id,
        index::fields_document(incident, &values.0),
    )
    .await
}

async fn index_change<C: ConnectionTrait>(conn: &C, change_id: i64, key: Key) -> Result<(), DbErr> {
    let doc = changes::get(conn, change_id)
        .await?
        .map(|c| index::change_document(&c));
    own(conn, DocumentKind::Change, change_id, doc, key).await
}

/// How many documents the index holds.
///
/// # Errors
/// On a database failure.
pub async fn count<C: ConnectionTrait>(conn: &C) -> Result<i64, DbErr> {
    let row = conn
        .query_one_raw(statement(
            conn,
            "SELECT COUNT(*) AS n FROM search_index",
            vec![],
        ))
        .await?;
    row.map_or(Ok(0), |r| r.try_get::<i64>("", "n"))
}

/// Indexes every postmortem (when the index is empty but postmortems exist: a database from
/// before search, or a restored one).
///
/// # Errors
/// On a database failure.
pub async fn build_if_empty<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    if count(conn).await? > 0 || !incidents::any(conn).await? {
        return Ok(());
    }
    for incident in incidents::list(conn, &Default::default()).await? {
        index_new(conn, incident.id).await?;
    }
    Ok(())
}

fn hit(row: &sea_orm::QueryResult) -> Result<Hit, DbErr> {
    let kind: String = row.try_get("", "kind")?;
    Ok(Hit {
        incident_id: row.try_get("", "incident_id")?,
        kind: DocumentKind::parse(&kind)
            .ok_or_else(|| DbErr::Custom(format!("search_index.kind: {kind:?}")))?,
        anchor: row.try_get("", "anchor")?,
        title: row.try_get("", "title")?,
        snippet: row.try_get("", "snippet")?,
    })
}

/// How many of the documents matching a search are ranked: the most recently indexed. A common
/// word matches tens of thousands of documents at 10,000 postmortems, and scoring every one
/// cost a search tens of milliseconds of CPU; the best matches among the newest 2,000 are what a
/// reader looks at.
pub const CANDIDATES: u64 = 2_000;

/// The best `limit` matches of all `words`, the last as a prefix, among the `candidates` most
/// recently indexed documents that match; best first.
///
/// # Errors
/// On a database failure.
pub async fn query<C: ConnectionTrait>(
    conn: &C,
    words: &[String],
    limit: u64,
    candidates: u64,
) -> Result<Vec<Hit>, DbErr> {
    let (start, end) = (MATCH_START.to_string(), MATCH_END.to_string());
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // The oldest candidate's key: the `candidates`-th match counted from the newest, found by
    // walking the matches in key order without scoring them (none when fewer match).
    let skipped = i64::try_from(candidates.max(1) - 1).unwrap_or(i64::MAX);
    let rows = if conn.get_database_backend() == DbBackend::Postgres {
        let matching = tsquery(words);
        let options = format!("StartSel={start}, StopSel={end}, MaxWords=30, MinWords=12");
        let title_options = format!("StartSel={start}, StopSel={end}, HighlightAll=true");
        // Rank and cut first; headlines only for the rows kept.
        conn.query_all_raw(statement(
            conn,
            "SELECT h.incident_id, h.kind, h.anchor, \
                    ts_headline('english', h.title, h.q, ?) AS title, \
                    ts_headline('english', h.body, h.q, ?) AS snippet \
             FROM (SELECT s.incident_id, s.kind, s.anchor, s.title, s.body, q, \
                          ts_rank(s.document, q) AS rank \
                   FROM search_index s, to_tsquery('english', ?) q \
                   WHERE s.document @@ q \
                     AND s.id >= COALESCE((SELECT c.id FROM search_index c \
                                           WHERE c.document @@ to_tsquery('english', ?) \
                                           ORDER BY c.id DESC LIMIT 1 OFFSET ?), 0) \
                   ORDER BY rank DESC, s.id LIMIT ?) h \
             ORDER BY h.rank DESC",
            vec![
                title_options.into(),
                options.into(),
                matching.clone().into(),
                matching.into(),
                skipped.into(),
                limit.into(),
            ],
        ))
        .await?
    } else {
        conn.query_all_raw(statement(
            conn,
            "SELECT CAST(incident_id AS INTEGER) AS incident_id, kind, anchor, \
                    highlight(search_index, 0, ?, ?) AS title, \
                    snippet(search_index, 1, ?, ?, '…', 20) AS snippet \
             FROM search_index WHERE search_index MATCH ? \
               AND rowid >= IFNULL((SELECT rowid FROM search_index WHERE search_index MATCH ? \
                                    ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0) \
             ORDER BY rank LIMIT ?",
            vec![
                start.clone().into(),
                end.clone().into(),
                start.into(),
                end.into(),
                fts5_query(words).into(),
                fts5_query(words).into(),
                skipped.into(),
                limit.into(),
            ],
        ))
        .await?
    };
    rows.iter().map(hit).collect()
}
