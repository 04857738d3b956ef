//! `server backup <file>` and `server restore <file>`: a consistent copy of the SQLite database
//! taken while the server keeps serving, and bringing such a copy back while it is stopped.
//!
//! The backup is SQLite's `VACUUM INTO`, run on a connection of its own: it reads one snapshot
//! of the database (WAL mode lets writers go on meanwhile) and writes it, compacted, to a new
//! file. A backup never overwrites a file.
//!
//! A restore refuses while anything has the database open: it opens the database in exclusive
//! locking mode, which SQLite grants only when no other connection (a running server holds at
//! least one) has it open. It checks the backup before touching anything (SQLite's integrity
//! check, a Debrief migrations table, no migration this build does not know), keeps the
//! database it replaces beside it as `<name>.before-restore-<timestamp>`, and runs the
//! migrations on what it restored.
//!
//! On Postgres both refuse and point to `pg_dump` / `pg_restore`. Nothing here touches the
//! router: it needs the configuration, the migration list and `app::server::db` (to migrate).

use std::path::{Path, PathBuf};
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _, Row as _};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend, Statement};

use crate::config::Config;

/// Reads `<file>`, the one argument of `backup` and `restore`.
///
/// # Errors
/// A one-line usage message.
pub fn file_argument(command: &str, args: &[String]) -> Result<PathBuf, String> {
    match args {
        [file] if !file.starts_with("--") => Ok(PathBuf::from(file)),
        _ => Err(format!("usage: server {command} <file>")),
    }
}

/// `server backup <file>`: the arguments read, the backup made; the line to print.
///
/// # Errors
/// A one-line message (see [`backup`]).
pub async fn run_backup(config: &Config, args: &[String]) -> Result<String, String> {
    backup(config, &file_argument("backup", args)?).await
}

/// `server restore <file>`: the arguments read, the backup restored; the line to print.
///
/// # Errors
/// A one-line message (see [`restore`]).
pub async fn run_restore(config: &Config, args: &[String]) -> Result<String, String> {
    restore(config, &file_argument("restore", args)?).await
}

/// The file of an SQLite database URL (`sqlite://data/debrief.db?mode=rwc` is
/// `data/debrief.db`); `None` for Postgres and in-memory databases.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// The database file of `config`, or a refusal naming what to do instead.
fn database_file(config: &Config, command: &str) -> Result<PathBuf, String> {
    if !config.database_url.starts_with("sqlite:") {
        let tool = if command == "backup" {
            "pg_dump -Fc"
        } else {
            "pg_restore"
        };
        return Err(format!(
            "{command}: DATABASE_URL is a Postgres database; {command} it with {tool} (see the README's Backups section)"
        ));
    }
    sqlite_file(&config.database_url).ok_or_else(|| {
        format!("{command}: DATABASE_URL is an in-memory database; there is nothing to {command}")
    })
}

/// A file next to `path` named `<path's name><suffix>`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Makes a consistent copy of the SQLite database in a new file `target`, while the server may
/// keep serving and writing. Returns the line to print: the file, its size and its incidents.
///
/// # Errors
/// A one-line message: Postgres, no database, `target` exists, or the copy failed (a partly
/// written `target` is removed).
pub async fn backup(config: &Config, target: &Path) -> Result<String, String> {
    let source = database_file(config, "backup")?;
    if !source.is_file() {
        return Err(format!(
            "backup: there is no database at {} (DATABASE_URL)",
            source.display()
        ));
    }
    if target.symlink_metadata().is_ok() {
        return Err(format!(
            "backup: {} already exists; a backup never overwrites a file, name a new one",
            target.display()
        ));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!(
            "backup: the directory {} does not exist",
            dir.display()
        ));
    }
    let into = target.to_str().ok_or_else(|| {
        format!(
            "backup: {} is not a UTF-8 path SQLite can be given",
            target.display()
        )
    })?;
    let mut options = ConnectOptions::new(config.database_url.clone());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(false)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options)
        .await
        .map_err(|e| format!("backup: cannot open {}: {e}", source.display()))?;
    let copied = db
        .execute_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("VACUUM INTO '{}'", into.replace('\'', "''")),
        ))
        .await;
    let _ = db.close().await;
    if let Err(e) = copied {
        // It did not exist before: whatever is there now is a broken copy.
        let _ = std::fs::remove_file(target);
        return Err(format!("backup: copying into {}: {e}", target.display()));
    }
    // VACUUM INTO does not sync the file it writes.
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("backup: syncing {}: {e}", target.display()))?;
    let incidents = count_incidents(target).await?;
    let size = std::fs::metadata(target)
        .map_err(|e| format!("backup: reading {}: {e}", target.display()))?
        .len();
    Ok(format!(
        "Backed up {} to {}: {size} bytes, {incidents} incidents.",
        source.display(),
        target.display()
    ))
}

/// A single connection to the SQLite file `path`, which must exist.
async fn open(path: &Path, exclusive: bool) -> Result<SqliteConnection, sqlx::Error> {
    let mut options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::ZERO);
    if exclusive {
        options = options.locking_mode(SqliteLockingMode::Exclusive);
    }
    options.connect().await
}

async fn count_incidents(path: &Path) -> Result<i64, String> {
    let failed = |e: sqlx::Error| format!("reading the incidents of {}: {e}", path.display());
    let mut conn = open(path, false).await.map_err(failed)?;
    let count = sqlx::query("SELECT COUNT(*) FROM incidents")
        .fetch_one(&mut conn)
        .await
        .and_then(|row| row.try_get::<i64, _>(0));
    let _ = conn.close().await;
    count.map_err(failed)
}

/// Brings the backup `file` back as the configured SQLite database, which no process may have
/// open. Returns the line to print.
///
/// # Errors
/// A one-line message for each refusal (Postgres, the database in use, a backup that is not a
/// sound Debrief database or is newer than this build) and each failure; nothing is replaced
/// before every check has passed.
pub async fn restore(config: &Config, file: &Path) -> Result<String, String> {
    let target = database_file(config, "restore")?;
    if !file.is_file() {
        return Err(format!("restore: there is no file {}", file.display()));
    }
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("restore: cannot create {}: {e}", dir.display()))?;
    if target.exists() {
        fold_in_wal_if_unused(&target).await?;
    }

    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let staging = beside(&target, &format!(".restoring-{stamp}"));
    let kept = beside(&target, &format!(".before-restore-{stamp}"));
    if staging.exists() || kept.exists() {
        return Err(format!(
            "restore: {} or {} already exists; wait a second and run it again",
            staging.display(),
            kept.display()
        ));
    }
    // The checks run on a copy, so the backup itself is never opened for writing.
    std::fs::copy(file, &staging).map_err(|e| {
        format!(
            "restore: copying {} to {}: {e}",
            file.display(),
            staging.display()
        )
    })?;
    if let Err(refusal) = check_backup(&staging, file).await {
        remove_with_sidecars(&staging);
        return Err(refusal);
    }

    let replaced = target.exists();
    if replaced {
        move_with_sidecars(&target, &kept)?;
    }
    move_with_sidecars(&staging, &target)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    let kept_note = if replaced {
        format!("; the database it replaced is kept at {}", kept.display())
    } else {
        String::new()
    };
    let db = app::server::db::connect(&config.database_url)
        .await
        .map_err(|e| {
            format!(
                "restore: {} is in place, but migrating it failed: {e}{kept_note}",
                target.display()
            )
        })?;
    let _ = db.close().await;
    let incidents = count_incidents(&target)
        .await
        .map_err(|e| format!("restore: {e}"))?;
    Ok(format!(
        "Restored {} into {} ({incidents} incidents){kept_note}.",
        file.display(),
        target.display()
    ))
}

/// Refuses when any connection has `path` open (a running server), and otherwise checkpoints
/// its write-ahead log into it, so the file alone holds every committed write.
async fn fold_in_wal_if_unused(path: &Path) -> Result<(), String> {
    let in_use = |e: &dyn std::fmt::Display| {
        let e = e.to_string();
        if e.contains("locked") || e.contains("busy") {
            format!(
                "restore: the database {} is in use ({e}); stop the server first, then restore",
                path.display()
            )
        } else {
            format!(
                "restore: cannot open the database {} to replace it ({e})",
                path.display()
            )
        }
    };
    let mut conn = open(path, true).await.map_err(|e| in_use(&e))?;
    // In exclusive locking mode the first read takes the lock, and keeps it until closed.
    let taken = sqlx::query("SELECT COUNT(*) FROM sqlite_master")
        .fetch_one(&mut conn)
        .await;
    if let Err(e) = taken {
        let _ = conn.close().await;
        return Err(in_use(&e));
    }
    let folded = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_all(&mut conn)
        .await;
    let _ = conn.close().await;
    folded.map(|_| ()).map_err(|e| {
        format!(
            "restore: cannot checkpoint {} before replacing it: {e}",
            path.display()
        )
    })
}

/// Whether the copy at `staging` of the backup `file` is a sound Debrief database this build
/// can migrate.
async fn check_backup(staging: &Path, file: &Path) -> Result<(), String> {
    let shown = file.display();
    let unreadable =
        |e: sqlx::Error| format!("restore: {shown} is not a readable SQLite database ({e})");
    let mut conn = open(staging, false).await.map_err(unreadable)?;
    let outcome = async {
        let rows = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .map_err(unreadable)?;
        let findings: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .collect();
        if findings != ["ok"] {
            return Err(format!(
                "restore: {shown} fails SQLite's integrity check: {}",
                findings.first().map_or("no answer", String::as_str)
            ));
        }
        let migrations = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
        )
        .fetch_optional(&mut conn)
        .await
        .map_err(unreadable)?;
        if migrations.is_none() {
            return Err(format!(
                "restore: {shown} is not a Debrief database (it has no seaql_migrations table)"
            ));
        }
        let applied = sqlx::query("SELECT version FROM seaql_migrations ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .map_err(unreadable)?;
        let known: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        for row in &applied {
            let version: String = row.try_get(0).map_err(unreadable)?;
            if !known.contains(&version) {
                return Err(format!(
                    "restore: {shown} comes from a newer Debrief (its migration {version} is unknown to this build, {}); restore it with that version",
                    env!("CARGO_PKG_VERSION")
                ));
            }
        }
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_all(&mut conn)
            .await;
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    outcome
}

/// Renames a database and whichever of its `-wal` and `-shm` files exist.
fn move_with_sidecars(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::rename(from, to).map_err(|e| {
        format!(
            "restore: moving {} to {}: {e}",
            from.display(),
            to.display()
        )
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = beside(from, suffix);
        if side.exists() {
            std::fs::rename(&side, beside(to, suffix))
                .map_err(|e| format!("restore: moving {}: {e}", side.display()))?;
        }
    }
    Ok(())
}

fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_file_is_read_from_sqlite_urls_only() {
        assert_eq!(
            sqlite_file("sqlite://data/debrief.db?mode=rwc"),
            Some(PathBuf::from("data/debrief.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/debrief/debrief.db"),
            Some(PathBuf::from("/var/lib/debrief/debrief.db"))
        );
        assert_eq!(sqlite_file("sqlite:x.db"), Some(PathBuf::from("x.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u:p@host/db"), None);
    }

    #[test]
    fn backup_and_restore_take_exactly_one_file() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            file_argument("backup", &args(&["b.db"])),
            Ok(PathBuf::from("b.db"))
        );
        for bad in [&[][..], &["a", "b"], &["--force"]] {
            assert_eq!(
                file_argument("backup", &args(bad)),
                Err("usage: server backup <file>".to_owned())
            );
        }
    }

    #[test]
    fn postgres_is_refused_with_the_tool_to_use_instead() {
        let config = Config::from_lookup(|k| {
            (k == "DATABASE_URL").then(|| "postgres://u:secret@host/db".to_owned())
        })
        .expect("a valid configuration");
        let backup = database_file(&config, "backup").expect_err("not SQLite");
        assert!(backup.contains("pg_dump -Fc"), "{backup}");
        let restore = database_file(&config, "restore").expect_err("not SQLite");
        assert!(restore.contains("pg_restore"), "{restore}");
        assert!(!backup.contains("secret") && !restore.contains("secret"));
    }
}
