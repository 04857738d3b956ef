//! `server migrate-to <postgres-url>`: moving a team's Debrief from SQLite (the configured
//! `DATABASE_URL`) to an empty Postgres database, everything included: postmortems and their
//! history, accounts, sessions (people stay logged in), login attempts, integration tokens,
//! share links, the library, comments, form flashes, metric exclusions.
//!
//! In order: the target must hold no data (checked before anything is written to it); the
//! source is opened as the server opens it (migrated, so both sides have this build's schema)
//! and read inside one read transaction, one moment's state, while a server may go on serving
//! it; the target is migrated, its tables checked against the list `tables::COPIED`; then one
//! transaction on the target copies every table a batch at a time, sets the serial ids'
//! sequences past the copied ids, moves the read generation on, compares every postmortem's
//! export on both sides while writing its search documents on the target (Debrief's own
//! indexing: SQLite's FTS5 tables are not copied), and compares every table's rows
//! (`verify`). It commits only when all of it agrees, so any failure or difference leaves the
//! target as it was before the copy (migrated, and empty).

mod tables;
mod verify;

use std::time::Instant;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    TransactionTrait,
};

use app::server::repo::search;

use crate::config::Config;
use tables::Table;
use verify::Counted;

/// Reads `<postgres-url>`, the one argument of `migrate-to`.
///
/// # Errors
/// A one-line usage message.
pub fn url_argument(args: &[String]) -> Result<String, String> {
    let usage = "usage: server migrate-to <postgres-url> (postgres://user:password@host:port/database; the source is DATABASE_URL, an SQLite database)";
    match args {
        [url] if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(url.clone())
        }
        _ => Err(usage.to_owned()),
    }
}

/// The database name of a Postgres URL, to name it without its password.
fn shown(url: &str) -> &str {
    url.rsplit('/')
        .next()
        .and_then(|tail| tail.split('?').next())
        .filter(|name| !name.is_empty() && !name.contains('@'))
        .unwrap_or("(the server's default database)")
}

/// `server migrate-to <postgres-url>`: the arguments read, the copy made and verified; the
/// report to print.
///
/// # Errors
/// A one-line message: the source is not an SQLite database, the target holds data, a
/// database failed, or the copy differs from the source (then nothing was committed).
pub async fn run(config: &Config, args: &[String]) -> Result<String, String> {
    let target_url = url_argument(args)?;
    let started = Instant::now();
    let Some(file) = crate::backup::sqlite_file(&config.database_url) else {
        return Err(
            "migrate-to: DATABASE_URL must be the SQLite database to move from (a file)".to_owned(),
        );
    };
    if !file.is_file() {
        return Err(format!(
            "migrate-to: there is no database at {} (DATABASE_URL)",
            file.display()
        ));
    }
    let name = shown(&target_url).to_owned();
    refuse_unless_empty(&target_url, &name).await?;
    let source = app::server::db::connect(&config.database_url)
        .await
        .map_err(|e| format!("migrate-to: DATABASE_URL: {e}"))?;
    let target = match app::server::db::connect(&target_url).await {
        Ok(target) => target,
        Err(e) => {
            let _ = source.close().await;
            return Err(format!("migrate-to: the Postgres database {name}: {e}"));
        }
    };
    let done = migrate(&source, &target).await;
    let _ = source.close().await;
    let _ = target.close().await;
    let report = done?;
    Ok(format!(
        "Moved {} into the Postgres database {name} in {:.1} s, verified before committing:\n{report}",
        file.display(),
        started.elapsed().as_secs_f64()
    ))
}

/// Refuses a target that holds any row, other than those Debrief's migrations write, in any
/// table: checked before the target is even migrated, so a refusal writes nothing.
async fn refuse_unless_empty(url: &str, name: &str) -> Result<(), String> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).max_connections(1);
    let db = Database::connect(options)
        .await
        .map_err(|e| format!("migrate-to: cannot open the Postgres database {name}: {e}"))?;
    let holding = tables_with_rows(&db).await;
    let _ = db.close().await;
    let holding = holding.map_err(|e| format!("migrate-to: reading {name}: {e}"))?;
    if holding.is_empty() {
        return Ok(());
    }
    Err(format!(
        "migrate-to: the Postgres database {name} already holds data (in {}); nothing was written: move into a new, empty database",
        holding.join(", ")
    ))
}

/// The tables of `db`'s schema that hold a row, leaving out what migrations write themselves.
async fn tables_with_rows(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let names = tables::postgres_tables(db).await?;
    let mut holding = Vec::new();
    for name in names {
        if ["seaql_migrations", "read_generations"].contains(&name.as_str())
            || tables::SEEDED_BY_MIGRATIONS.contains(&name.as_str())
        {
            continue;
        }
        let quoted = name.replace('"', "\"\"");
        let any = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT EXISTS (SELECT 1 FROM \"{quoted}\")"),
            ))
            .await?
            .map(|row| row.try_get_by_index::<bool>(0))
            .transpose()?
            .unwrap_or(false);
        if any {
            holding.push(name);
        }
    }
    Ok(holding)
}

/// Copies and verifies in one transaction on `target`; returns the report.
async fn migrate(
    source: &DatabaseConnection,
    target: &DatabaseConnection,
) -> Result<String, String> {
    let all = tables::check_schema(target, source).await?;
    let failed = |what: &str, e: DbErr| format!("migrate-to: {what}: {e}; nothing was committed");
    // One snapshot of the source for the copy and its check, however long they take.
    let reading = source
        .begin()
        .await
        .map_err(|e| failed("reading the source", e))?;
    let writing = app::server::db::begin_write(target)
        .await
        .map_err(|e| failed("writing the target", e))?;
    let outcome = copy_and_verify(&all, &reading, &writing).await;
    let _ = reading.rollback().await;
    match outcome {
        Ok(report) => {
            writing
                .commit()
                .await
                .map_err(|e| failed("committing the copy", e))?;
            Ok(report)
        }
        Err(message) => {
            let _ = writing.rollback().await;
            Err(message)
        }
    }
}

async fn copy_and_verify(
    all: &[Table],
    source: &sea_orm::DatabaseTransaction,
    target: &sea_orm::DatabaseTransaction,
) -> Result<String, String> {
    let failed = |what: String, e: DbErr| format!("migrate-to: {what}: {e}; nothing was committed");
    let started = Instant::now();
    for seeded in tables::SEEDED_BY_MIGRATIONS {
        target
            .execute_unprepared(&format!("DELETE FROM {seeded}"))
            .await
            .map_err(|e| failed(format!("emptying {seeded}"), e))?;
    }
    for table in all {
        table
            .copy(source, target)
            .await
            .map_err(|e| failed(format!("copying {}", table.name), e))?;
    }
    tables::continue_sequences(target)
        .await
        .map_err(|e| failed("setting the id sequences".to_owned(), e))?;
    let generations = tables::read_generations(source)
        .await
        .map_err(|e| failed("reading the source's read generations".to_owned(), e))?;
    tables::advance_read_generations(target, &generations)
        .await
        .map_err(|e| failed("setting the read generations".to_owned(), e))?;
    let copied = started.elapsed();
    let exports = verify::compare_and_index(source, target)
        .await
        .map_err(|e| format!("migrate-to: {e}; nothing was committed"))?;
    let compared = started.elapsed() - copied;

    let mut counts = Vec::new();
    for table in all {
        let count = |conn| table.count(conn);
        let source_rows = count(source)
            .await
            .map_err(|e| failed(format!("counting {}", table.name), e))?;
        let target_rows = count(target)
            .await
            .map_err(|e| failed(format!("counting {}", table.name), e))?;
        counts.push(Counted {
            table: table.name.to_owned(),
            source: source_rows,
            target: target_rows,
            rebuilt: false,
        });
    }
    let generations = |conn| async move {
        tables::read_generations(conn)
            .await
            .map(|counters| u64::try_from(counters.len()).unwrap_or(u64::MAX))
    };
    counts.push(Counted {
        table: "read_generations".to_owned(),
        source: generations(source)
            .await
            .map_err(|e| failed("counting read_generations".to_owned(), e))?,
        target: generations(target)
            .await
            .map_err(|e| failed("counting read_generations".to_owned(), e))?,
        rebuilt: false,
    });
    let documents = |conn| async move {
        search::count(conn)
            .await
            .map(|n| u64::try_from(n).unwrap_or(0))
    };
    counts.push(Counted {
        table: "search_index".to_owned(),
        source: documents(source)
            .await
            .map_err(|e| failed("counting the search documents".to_owned(), e))?,
        target: documents(target)
            .await
            .map_err(|e| failed("counting the search documents".to_owned(), e))?,
        rebuilt: true,
    });

    let mut report = verify::table(&counts);
    report.push_str(&format!(
        "{} postmortem exports identical\n",
        exports.identical
    ));
    report.push_str(&format!(
        "Copying took {:.1} s; comparing the exports and writing the search index {:.1} s.\n",
        copied.as_secs_f64(),
        compared.as_secs_f64()
    ));
    report.push_str("Not copied: ");
    report.push_str(
        &tables::NOT_COPIED
            .iter()
            .map(|(name, why)| format!("{name} ({why})"))
            .collect::<Vec<_>>()
            .join("; "),
    );
    report.push('.');

    let different: Vec<String> = counts
        .iter()
        .filter(|c| !c.ok())
        .map(|c| format!("{} has {} rows, not {}", c.table, c.target, c.source))
        .chain(
            exports
                .differing
                .iter()
                .map(|id| format!("the export of incident {id} differs")),
        )
        .collect();
    if different.is_empty() {
        return Ok(report);
    }
    // The table shows where; the error says what, on one line.
    println!("{report}");
    Err(format!(
        "migrate-to: the copy does not match the source ({}); nothing was committed",
        different.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn migrate_to_takes_exactly_one_postgres_url() {
        assert_eq!(
            url_argument(&args(&["postgres://u:p@h:5432/debrief"])),
            Ok("postgres://u:p@h:5432/debrief".to_owned())
        );
        assert!(url_argument(&args(&["postgresql://h/debrief"])).is_ok());
        for bad in [
            &[][..],
            &["sqlite://other.db"],
            &["postgres://h/a", "postgres://h/b"],
        ] {
            assert!(
                url_argument(&args(bad))
                    .unwrap_err()
                    .starts_with("usage: server migrate-to <postgres-url>")
            );
        }
    }

    #[tokio::test]
    async fn only_an_sqlite_file_is_moved_from() {
        for url in ["postgres://u:secret@h/db", "sqlite::memory:"] {
            let config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.to_owned()))
                .expect("a valid configuration");
            let refused = run(&config, &args(&["postgres://h/target"]))
                .await
                .expect_err("not an SQLite file");
            assert!(refused.contains("must be the SQLite database"), "{refused}");
            assert!(!refused.contains("secret"));
        }
    }

    #[test]
    fn the_target_is_named_without_its_password() {
        assert_eq!(
            shown("postgres://u:secret@h:5432/debrief?sslmode=require"),
            "debrief"
        );
        assert!(!shown("postgres://u:secret@h:5432").contains("secret"));
    }
}
