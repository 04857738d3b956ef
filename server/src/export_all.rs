//! `server export-all <dir>` and `server import-all <dir>`: leaving with your data.
//!
//! Export-all writes every postmortem as the JSON the import accepts (the per-postmortem
//! export of `app::domain::export`) and as Markdown (times in UTC), one pair of files per
//! postmortem named `<id>-<slug of the title>.json` / `.md`, and last a `manifest.json` that
//! lists them with their count, the Debrief version and the time. It reads the postmortems a
//! page at a time, inside one read transaction so the export is one moment's state. It
//! exports what is stored now (a postmortem under correction as it is being corrected).
//!
//! Import-all reads such a directory into a Debrief that has no incident yet (so a second run
//! cannot duplicate anything): every file is read and checked with the import's rules before
//! anything is written, then all are written in one transaction, each keeping the status it
//! was exported with (a published one is published again), with a history entry "created" by
//! import-all and its search documents. A file that fails is named and nothing is kept.
//!
//! What joins postmortems comes along too: each JSON lists its related incidents (as a
//! postmortem's own export does, by the number it had here), and the manifest lists every link
//! as stored (from the incident it was added on) and the review groups, by the postmortems'
//! numbers; import-all links the imported postmortems again and makes the groups again.

use std::path::{Path, PathBuf};

use chrono::Utc;
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IsolationLevel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use app::domain::export::PostmortemExport;

use app::domain::history::{Action, HistoryEntry, Part, Recorded, summary};
use app::domain::incident::IncidentStatus;
use app::domain::relation::{ExportedRelation, NewRelation};
use app::server::entities::incident_relations as relation_rows;
use app::server::entities::incidents as rows;
use app::server::query::export::file_name;
use app::server::repo::{
    history, incidents, postmortem, published, relations, review_groups, search,
};

use crate::config::Config;

/// What `manifest.json` says it is.
pub const FORMAT: &str = "debrief-export-all";
/// The version of the directory's layout this Debrief writes and reads.
pub const VERSION: u32 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// Postmortems read per page.
const PAGE: u64 = 50;

/// `manifest.json`: what the directory holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub debrief_version: String,
    pub exported_at: chrono::DateTime<Utc>,
    pub count: usize,
    pub postmortems: Vec<Listed>,
    /// The review groups, their members by [`Listed::id`] (none in directories written before
    /// groups were exported).
    #[serde(default)]
    pub review_groups: Vec<ListedGroup>,
    /// The links between related incidents, by [`Listed::id`], as stored (none in directories
    /// written before links were exported).
    #[serde(default)]
    pub relations: Vec<ListedRelation>,
}

/// A link between related incidents in the manifest, worded from the incident it was added on.
#[derive(Debug, Serialize, Deserialize)]
pub struct ListedRelation {
    pub incident: i64,
    pub related: i64,
    pub kind: app::domain::relation::RelationKind,
    #[serde(default)]
    pub note: String,
}

/// A review group in the manifest.
#[derive(Debug, Serialize, Deserialize)]
pub struct ListedGroup {
    pub name: String,
    pub created_by: String,
    /// Its incidents, by their ids in the Debrief they were exported from.
    pub incidents: Vec<i64>,
}

/// One postmortem in the manifest.
#[derive(Debug, Serialize, Deserialize)]
pub struct Listed {
    /// Its id in the Debrief it was exported from.
    pub id: i64,
    pub title: String,
    pub json: String,
    pub markdown: String,
}

/// Reads `<dir>`, the one argument of `export-all` and `import-all`.
///
/// # Errors
/// A one-line usage message.
pub fn dir_argument(command: &str, args: &[String]) -> Result<PathBuf, String> {
    match args {
        [dir] if !dir.starts_with("--") => Ok(PathBuf::from(dir)),
        _ => Err(format!("usage: server {command} <dir>")),
    }
}

/// `server export-all <dir>`: the arguments read, the database opened, every postmortem
/// written; the line to print.
///
/// # Errors
/// A one-line message (see [`export_all`]); also when the SQLite database does not exist.
pub async fn run_export(config: &Config, args: &[String]) -> Result<String, String> {
    let dir = dir_argument("export-all", args)?;
    if let Some(file) = crate::backup::sqlite_file(&config.database_url)
        && !file.is_file()
    {
        return Err(format!(
            "export-all: there is no database at {} (DATABASE_URL)",
            file.display()
        ));
    }
    let db = connect(config, "export-all").await?;
    let done = export_all(&db, &dir).await;
    let _ = db.close().await;
    done
}

/// `server import-all <dir>`: the arguments read, the database opened (created and migrated
/// if new), every postmortem imported; the line to print.
///
/// # Errors
/// A one-line message (see [`read_exports`] and [`import_all`]).
pub async fn run_import(config: &Config, args: &[String]) -> Result<String, String> {
    let dir = dir_argument("import-all", args)?;
    // Every file is read and checked before the database is opened (and perhaps created).
    let read = read_directory(&dir)?;
    if let Some(parent) = crate::backup::sqlite_file(&config.database_url)
        .as_deref()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("import-all: cannot create {}: {e}", parent.display()))?;
    }
    let db = connect(config, "import-all").await?;
    let done = import_directory(&db, &read).await;
    let _ = db.close().await;
    Ok(format!(
        "Imported {} postmortems from {}.",
        done?,
        dir.display()
    ))
}

async fn connect(config: &Config, command: &str) -> Result<DatabaseConnection, String> {
    app::server::db::connect(&config.database_url)
        .await
        .map_err(|e| format!("{command}: DATABASE_URL: {e}"))
}

/// Writes every postmortem of `db` into `dir` (new, or empty); returns the line to print.
///
/// # Errors
/// A one-line message: `dir` is not empty or cannot be written, or the database failed.
pub async fn export_all(db: &DatabaseConnection, dir: &Path) -> Result<String, String> {
    let shown = dir.display();
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(format!(
            "export-all: {shown} is not empty; export into a new or empty directory"
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("export-all: cannot create {shown}: {e}"))?;
    let failed = |e: sea_orm::DbErr| format!("export-all: reading the database: {e}");
    // One snapshot for every page: SQLite's read transaction is one; Postgres needs asking.
    let txn = if db.get_database_backend() == DbBackend::Postgres {
        db.begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await
    } else {
        db.begin().await
    }
    .map_err(failed)?;
    let mut listed = Vec::new();
    let mut after = 0_i64;
    loop {
        let ids: Vec<i64> = rows::Entity::find()
            .select_only()
            .column(rows::Column::Id)
            .filter(rows::Column::Id.gt(after))
            .order_by_asc(rows::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(&txn)
            .await
            .map_err(failed)?;
        let Some(&last) = ids.last() else { break };
        after = last;
        for id in ids {
            let Some(found) = postmortem::load(&txn, id).await.map_err(failed)? else {
                continue;
            };
            let mut export = PostmortemExport::of(&found.parts());
            export.related = related(&txn, id).await.map_err(failed)?;
            let title = export.incident.title.clone();
            let json = format!("{id:06}-{}", file_name(&title, "json"));
            let markdown = format!("{id:06}-{}", file_name(&title, "md"));
            let text = serde_json::to_string_pretty(&export)
                .map_err(|e| format!("export-all: incident {id}: {e}"))?;
            write(&dir.join(&json), &text)?;
            write(&dir.join(&markdown), &export.to_markdown(&Utc))?;
            listed.push(Listed {
                id,
                title,
                json,
                markdown,
            });
        }
    }
    let review_groups = review_groups::list(&txn)
        .await
        .map_err(failed)?
        .into_iter()
        .map(|g| ListedGroup {
            name: g.name,
            created_by: g.created_by,
            incidents: g.incident_ids,
        })
        .collect();
    let relations = relation_rows::Entity::find()
        .order_by_asc(relation_rows::Column::Id)
        .all(&txn)
        .await
        .map_err(failed)?
        .into_iter()
        .filter_map(|row| {
            Some(ListedRelation {
                incident: row.incident_id,
                related: row.related_incident_id,
                kind: app::domain::relation::RelationKind::parse(&row.kind)?,
                note: row.note,
            })
        })
        .collect();
    let _ = txn.rollback().await;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: VERSION,
        debrief_version: env!("CARGO_PKG_VERSION").to_owned(),
        exported_at: Utc::now(),
        count: listed.len(),
        postmortems: listed,
        review_groups,
        relations,
    };
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| format!("export-all: the manifest: {e}"))?;
    // Written last: a directory with a manifest is a whole export.
    write(&dir.join(MANIFEST), &text)?;
    Ok(format!(
        "Exported {} postmortems to {shown} (JSON and Markdown, listed in {MANIFEST}).",
        manifest.count
    ))
}

/// The related incidents of incident `id`, as its own export names them (every link: the
/// operator reads everything).
async fn related<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Vec<ExportedRelation>, sea_orm::DbErr> {
    let links = relations::touching(conn, id).await?;
    let others: Vec<i64> = links
        .iter()
        .filter_map(|r| r.seen_from(id).map(|(_, other)| other))
        .collect();
    let titles = incidents::get_many(conn, &others).await?;
    Ok(links
        .into_iter()
        .filter_map(|r| {
            let (kind, other) = r.seen_from(id)?;
            let title = titles.iter().find(|i| i.id == other)?.title.clone();
            Some(ExportedRelation {
                kind,
                number: other,
                title,
                note: r.relation.note,
            })
        })
        .collect())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("export-all: writing {}: {e}", path.display()))
}

/// Reads every postmortem an export-all wrote into `dir`, each checked with the import's
/// rules, with the name of its file.
///
/// # Errors
/// A one-line message naming the file that cannot be imported, or why `dir` is not an
/// export-all directory.
pub fn read_exports(dir: &Path) -> Result<Vec<(String, PostmortemExport)>, String> {
    read_directory(dir).map(|d| d.exports)
}

/// An export-all directory as read: the postmortems (file name, the id it had, the export) and
/// the review groups.
pub struct ReadDirectory {
    pub exports: Vec<(String, PostmortemExport)>,
    /// The id each of `exports` had where it was exported from, in the same order.
    pub ids: Vec<i64>,
    pub review_groups: Vec<ListedGroup>,
    pub relations: Vec<ListedRelation>,
}

/// Reads every postmortem of an export-all directory, each checked with the import's rules,
/// with what joins them.
///
/// # Errors
/// As [`read_exports`].
pub fn read_directory(dir: &Path) -> Result<ReadDirectory, String> {
    let shown = dir.display();
    let text = std::fs::read_to_string(dir.join(MANIFEST)).map_err(|e| {
        format!("import-all: {shown} is not an export-all directory (reading its {MANIFEST}: {e})")
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        format!("import-all: {shown}/{MANIFEST} is not an export-all manifest: {e}")
    })?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(format!(
            "import-all: {shown}/{MANIFEST} is not an export-all manifest (format “{FORMAT}”, version {VERSION})"
        ));
    }
    if manifest.count != manifest.postmortems.len() {
        return Err(format!(
            "import-all: {shown}/{MANIFEST} counts {} postmortems but lists {}",
            manifest.count,
            manifest.postmortems.len()
        ));
    }
    let mut exports = Vec::with_capacity(manifest.postmortems.len());
    let ids = manifest.postmortems.iter().map(|p| p.id).collect();
    for listed in manifest.postmortems {
        let file = listed.json;
        let text = std::fs::read_to_string(dir.join(&file))
            .map_err(|e| format!("import-all: {file}: {e}; nothing was imported"))?;
        let export: PostmortemExport = serde_json::from_str(&text).map_err(|e| {
            format!(
                "import-all: {file}: not a Debrief postmortem export: {e}; nothing was imported"
            )
        })?;
        export.check().map_err(|errors| {
            let problems: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            format!(
                "import-all: {file}: {}; nothing was imported",
                problems.join(" ")
            )
        })?;
        exports.push((file, export));
    }
    Ok(ReadDirectory {
        exports,
        ids,
        review_groups: manifest.review_groups,
        relations: manifest.relations,
    })
}

/// Imports `exports` (from [`read_exports`]) into `db`, which must hold no incident yet, all
/// in one transaction; returns how many were imported.
///
/// # Errors
/// A one-line message naming the file that failed (nothing is imported then), or that the
/// Debrief already holds incidents.
pub async fn import_all(
    db: &DatabaseConnection,
    exports: &[(String, PostmortemExport)],
) -> Result<usize, String> {
    import_parts(db, exports, &[], &[], &[]).await
}

/// Imports a directory read by [`read_directory`] into `db` (empty of incidents), with its
/// related-incident links and review groups; returns how many postmortems were imported.
///
/// # Errors
/// As [`import_all`].
pub async fn import_directory(
    db: &DatabaseConnection,
    read: &ReadDirectory,
) -> Result<usize, String> {
    import_parts(
        db,
        &read.exports,
        &read.ids,
        &read.review_groups,
        &read.relations,
    )
    .await
}

/// The import: `ids` are the exported ids of `exports` (empty: links and groups are not
/// remade); `links` and `groups` name incidents by those ids.
async fn import_parts(
    db: &DatabaseConnection,
    exports: &[(String, PostmortemExport)],
    ids: &[i64],
    groups: &[ListedGroup],
    links: &[ListedRelation],
) -> Result<usize, String> {
    let failed = |e: sea_orm::DbErr| format!("import-all: {e}; nothing was imported");
    let txn = app::server::db::begin_write(db).await.map_err(failed)?;
    if incidents::any(&txn).await.map_err(failed)? {
        return Err(
            "import-all: this Debrief already holds incidents; import-all only fills an empty one, so that running it twice cannot duplicate them"
                .to_owned(),
        );
    }
    let mut new_ids: Vec<(i64, i64)> = Vec::new();
    for (n, (file, export)) in exports.iter().enumerate() {
        let id = write_one(&txn, export)
            .await
            .map_err(|e| format!("import-all: {file}: {e}; nothing was imported"))?;
        if let Some(old) = ids.get(n) {
            new_ids.push((*old, id));
        }
    }
    let here = |old: i64| new_ids.iter().find(|(o, _)| *o == old).map(|(_, id)| *id);
    for link in links {
        if let (Some(incident), Some(related)) = (here(link.incident), here(link.related)) {
            let new = NewRelation {
                kind: link.kind,
                related_incident_id: related,
                note: link.note.clone(),
            };
            let added = relations::add(&txn, incident, &new).await.map_err(failed)?;
            // Searchable like a link added on the page (the postmortems were indexed before
            // their links existed).
            search::reindex_part(&txn, incident, Part::Relation, added)
                .await
                .map_err(failed)?;
        }
    }
    for group in groups {
        let members: Vec<i64> = group.incidents.iter().filter_map(|o| here(*o)).collect();
        if !members.is_empty() {
            review_groups::create(&txn, &group.name, &group.created_by, &members)
                .await
                .map_err(failed)?;
        }
    }
    txn.commit().await.map_err(failed)?;
    Ok(exports.len())
}

/// Writes one checked export with its status, its history entry and its search documents.
async fn write_one<C: ConnectionTrait>(
    txn: &C,
    export: &PostmortemExport,
) -> Result<i64, sea_orm::DbErr> {
    let id = postmortem::import(txn, export).await?;
    let draft = export.draft();
    history::record(
        txn,
        &HistoryEntry {
            id: 0,
            incident_id: id,
            user_id: None,
            user_name: "import-all".to_owned(),
            at: Utc::now(),
            part: <app::domain::incident::NewIncident as Recorded>::PART,
            part_id: id,
            action: Action::Created,
            summary: summary(&draft),
            before: None,
            after: Some(draft.snapshot(&Utc)),
        },
    )
    .await?;
    let status = export.incident.status;
    if status != IncidentStatus::Draft {
        incidents::set_review(txn, id, status, 1).await?;
    }
    if status == IncidentStatus::Published {
        published::keep(txn, id).await?;
    }
    search::index_new(txn, id).await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_all_and_import_all_take_exactly_one_directory() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            dir_argument("export-all", &args(&["out"])),
            Ok(PathBuf::from("out"))
        );
        for bad in [&[][..], &["a", "b"], &["--all"]] {
            assert_eq!(
                dir_argument("import-all", &args(bad)),
                Err("usage: server import-all <dir>".to_owned())
            );
        }
    }
}
