//! Connecting to the database (SQLite by default, Postgres by URL) and running migrations.
//!
//! SQLite is run as a server database: WAL journal, a busy timeout, foreign keys enforced, and
//! write transactions that begin IMMEDIATE so concurrent writers queue instead of failing.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Opens a connection pool on `url`, brings the schema up to date and, when the search index is
/// empty but postmortems exist, builds it.
///
/// # Errors
/// When the database cannot be opened or a migration fails.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    // A database from before search (or restored without its index) gets indexed once.
    let txn = begin_write(&db).await?;
    super::repo::search::build_if_empty(&txn).await?;
    txn.commit().await?;
    Ok(db)
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
/// SQLITE_BUSY straight away when another writer got in between, past any busy timeout.
///
/// # Errors
/// When the database cannot begin a transaction (the busy timeout passed, the pool is closed).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
