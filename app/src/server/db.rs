//! Connecting to the database (SQLite by default, Postgres by URL) and running migrations.
//!
//! SQLite is run as a server database: WAL journal, a busy timeout, foreign keys enforced, and
//! write transactions that begin IMMEDIATE so concurrent writers queue instead of failing.
//! On Postgres, where transactions run at read committed, a check-then-write invariant (the
//! first admin, the last admin, the login limits) takes an advisory lock ([`begin_locked`]).
//! Migrations run once, all or nothing, however many servers start together (`migration::up_once`),
//! and so does building a missing search index ([`Lock::SearchIndex`]).
//! A database that refuses every write until an operator acts (a full disk, a read-only
//! database) is told apart from other failures by [`WriteRefusal`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use migration::Migrator;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, RuntimeErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

/// Opens a connection pool on `url`, brings the schema up to date (once, all or nothing, however
/// many servers start at the same moment: `migration::up_once`) and, when the search index is
/// empty but postmortems exist, builds it.
///
/// # Errors
/// When the database cannot be opened or a migration fails.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with_pool(url, None).await
}

/// Like [`connect`], with a pool of at most `max_connections` (default: 10 on Postgres, the
/// driver's, and 8 on SQLite).
///
/// # Errors
/// As [`connect`].
pub async fn connect_with_pool(
    url: &str,
    max_connections: Option<u32>,
) -> Result<DatabaseConnection, DbErr> {
    let db = open(url, max_connections).await?;
    migration::up_once::<Migrator>(&db).await?;
    // A database from before search (or restored without its index) gets indexed once. Under
    // the lock, a second server starting at the same moment waits and then finds the index
    // built: on Postgres it would otherwise not see the first's uncommitted rows, index again
    // and fail its start on their keys.
    let txn = begin_locked(&db, Lock::SearchIndex).await?;
    super::repo::search::build_if_empty(&txn).await?;
    txn.commit().await?;
    // Incidents recorded before their measures were kept get them once (the domain computes
    // them; SQL could not repeat it exactly in the migration).
    super::repo::incidents::measure_unmeasured(&db).await?;
    Ok(db)
}

/// A pool on `url` (SQLite as a server database: see the module), its statements counted and
/// logged ([`StatementCount`]); no migration.
async fn open(url: &str, max_connections: Option<u32>) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if let Some(max) = max_connections {
        options.max_connections(max);
    }
    if url.starts_with("sqlite:") {
        options
            .max_connections(max_connections.unwrap_or(8))
            .min_connections(1)
            // An embedded file does not drop connections: pinging each one before every use
            // cost a round trip to the driver's thread per statement batch.
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                // FULL: each commit reaches the disk before the write is acknowledged, so a
                // power cut or an OS crash loses no acknowledged write (NORMAL, the WAL default,
                // survives a killed process but may lose the last commits to a power cut). It
                // costs one fsync of the log per commit.
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(BUSY_TIMEOUT)
                    .foreign_keys(true)
            })
            .map_sqlx_sqlite_pool_opts(|o| o.after_release(kept_after_release));
    }
    let mut db = connect_waiting(options).await?;
    let count = StatementCount::of(url);
    db.set_metric_callback(move |info| count.record(info));
    Ok(db)
}

/// How long an SQLite statement waits for a lock another connection holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects with `options`, waiting (up to [`BUSY_TIMEOUT`]) while another server sets up the
/// same new SQLite file. A new file's first connection switches it to WAL; a connection of a
/// second server that read the file before that switch, and tries to make it too, would have to
/// upgrade its read lock while the first holds a write lock. SQLite answers SQLITE_BUSY at once
/// there, without waiting, to avoid a deadlock, and the second server's start failed with
/// "database is locked". Once the file is in WAL, connecting again finds nothing to switch.
async fn connect_waiting(options: ConnectOptions) -> Result<DatabaseConnection, DbErr> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match Database::connect(options.clone()).await {
            Err(err)
                if sqlite_code(&err).map(|code| code & PRIMARY_CODE) == Some(SQLITE_BUSY)
                    && std::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            connected => return connected,
        }
    }
}

/// SQLite's primary result code for a lock another connection holds.
const SQLITE_BUSY: i32 = 5;

/// An extended SQLite result code keeps its primary code in its low byte.
const PRIMARY_CODE: i32 = 0xff;

/// The (extended) result code of the SQLite error `err` reports, if it is one.
fn sqlite_code(err: &DbErr) -> Option<i32> {
    use sea_orm::sqlx::error::DatabaseError;
    let sqlite = database_error(err)?.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()?;
    sqlite.code()?.parse().ok()
}

/// The error the database itself returned inside `err`, if it is one.
fn database_error(err: &DbErr) -> Option<&(dyn sea_orm::sqlx::error::DatabaseError + 'static)> {
    let (DbErr::Conn(RuntimeErr::SqlxError(err))
    | DbErr::Exec(RuntimeErr::SqlxError(err))
    | DbErr::Query(RuntimeErr::SqlxError(err))) = err
    else {
        return None;
    };
    match err.as_ref() {
        sea_orm::sqlx::Error::Database(err) => Some(err.as_ref()),
        _ => None,
    }
}

/// Whether an SQLite connection goes back to the pool: not while the driver counts it inside a
/// transaction. When a commit fails on a full disk, SQLite has already rolled the transaction
/// back, so the driver's ROLLBACK fails and it goes on counting one open: the connection would
/// refuse every later `BEGIN IMMEDIATE` and run plain statements as if they were inside a
/// transaction. Closed instead, it is replaced by a fresh one. (A transaction dropped without
/// committing can still be rolling back when this looks; closing that connection costs a
/// reconnect, no more.)
type Released<'c> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<bool, sea_orm::sqlx::Error>> + Send + 'c>,
>;

fn kept_after_release(
    connection: &mut sea_orm::sqlx::SqliteConnection,
    _: sea_orm::sqlx::pool::PoolConnectionMetadata,
) -> Released<'_> {
    use sea_orm::sqlx::Connection;
    let in_transaction = connection.is_in_transaction();
    Box::pin(std::future::ready(Ok(!in_transaction)))
}

/// How many SQL statements the pools [`connect`] opened on one database URL have run, and how
/// many values were bound into them: a page that runs the same statements whatever the data
/// holds runs the same count of both (a per-row query adds statements, an `IN` list that grows
/// with the rows adds values). The HTTP tests read it around a request to prove a page has no
/// N+1; counting costs two atomic additions per statement.
#[derive(Clone, Debug, Default)]
pub struct StatementCount {
    statements: Arc<AtomicU64>,
    values: Arc<AtomicU64>,
}

/// What a [`StatementCount`] had counted at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    pub statements: u64,
    pub values: u64,
}

impl std::ops::Sub for Counted {
    type Output = Counted;
    fn sub(self, earlier: Counted) -> Counted {
        Counted {
            statements: self.statements.saturating_sub(earlier.statements),
            values: self.values.saturating_sub(earlier.values),
        }
    }
}

impl StatementCount {
    /// The count of the pools opened on `url` (one per URL for the life of the process).
    pub fn of(url: &str) -> StatementCount {
        static COUNTS: OnceLock<Mutex<HashMap<String, StatementCount>>> = OnceLock::new();
        COUNTS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(url.to_owned())
            .or_default()
            .clone()
    }

    /// What has been counted so far.
    pub fn now(&self) -> Counted {
        Counted {
            statements: self.statements.load(Ordering::Relaxed),
            values: self.values.load(Ordering::Relaxed),
        }
    }

    fn record(&self, info: &sea_orm::metric::Info<'_>) {
        self.statements.fetch_add(1, Ordering::Relaxed);
        log_statement(info);
        let values = info.statement.values.as_ref().map_or(0, |v| v.0.len());
        self.values.fetch_add(values as u64, Ordering::Relaxed);
    }
}

/// A statement slower than this is logged as a warning: a read that has begun to scan a growing
/// table, or a write waiting on the disk.
const SLOW_STATEMENT: Duration = Duration::from_millis(100);

/// Logs `info`'s statement and how long it took: every one at debug level under the target
/// `debrief::sql` (`RUST_LOG=debrief::sql=debug` to profile a page), a slow one as a warning.
fn log_statement(info: &sea_orm::metric::Info<'_>) {
    let micros = u64::try_from(info.elapsed.as_micros()).unwrap_or(u64::MAX);
    if info.elapsed >= SLOW_STATEMENT {
        tracing::warn!(target: "debrief::sql", micros, failed = info.failed, sql = %info.statement.sql, "slow statement");
    } else {
        tracing::debug!(target: "debrief::sql", micros, failed = info.failed, sql = %info.statement.sql);
    }
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

/// Writers of postmortems taking turns, in the order they arrive.
///
/// SQLite has one writer at a time. A writer that finds the write lock taken waits in SQLite's
/// busy handler, which sleeps 1, 2, 5, 10 … 100 ms between tries: under a few dozen concurrent
/// writes the lock is often free while every waiter sleeps, and an unlucky one waits for
/// seconds. Queueing in the process instead hands the lock straight to the next writer, first
/// come first served. On Postgres, writers of different incidents run side by side, so there is
/// no queue.
///
/// Opened with [`WriteTurns::open`], SQLite writers also share one connection of their own. A
/// connection drops its whole page cache whenever another connection has written since its
/// last transaction; the pool's connections took turns writing, so each write read the pages
/// it needed (the incident, the index's b-trees) back from the file. The writers' connection is
/// the one that wrote last, and its cache stays warm: measured on 10,000 incidents, 2.54 → 2.34
/// ms of CPU per timeline entry added (385 → 391 a second: the request's reads before the
/// write, on the pool, still find their caches dropped by each write).
#[derive(Clone, Debug, Default)]
pub struct WriteTurns {
    turn: Arc<tokio::sync::Mutex<()>>,
    /// The writers' own connection (SQLite), or none: the pool each write is begun on.
    writer: Option<DatabaseConnection>,
}

/// A writer's turn ([`WriteTurns`]): the next one begins once this is dropped.
#[derive(Debug)]
pub struct Turn {
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTurns {
    /// Turns for the writers of the database at `url`, with a connection of their own on
    /// SQLite (counted and logged as the pool's are).
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub async fn open(url: &str) -> Result<WriteTurns, DbErr> {
        // (An in-memory database is one per connection: it has no second connection to share.)
        let writer = if url.starts_with("sqlite:") && !url.contains(":memory:") {
            Some(open(url, Some(1)).await?)
        } else {
            None
        };
        Ok(WriteTurns {
            turn: Arc::default(),
            writer,
        })
    }

    /// The writers' own connection, when they have one: what a fault on every connection of
    /// the database (tests make one read-only) must reach besides the pool.
    pub fn connection(&self) -> Option<&DatabaseConnection> {
        self.writer.as_ref()
    }

    /// Waits for this writer's turn on `db`, then begins its write transaction ([`begin_write`])
    /// on the writers' connection if they have one, else on `db`. Keep the turn until the
    /// transaction has committed or rolled back.
    ///
    /// # Errors
    /// As [`begin_write`].
    pub async fn begin(
        &self,
        db: &DatabaseConnection,
    ) -> Result<(DatabaseTransaction, Turn), DbErr> {
        let turn = if db.get_database_backend() == DbBackend::Sqlite {
            Some(Arc::clone(&self.turn).lock_owned().await)
        } else {
            None
        };
        let db = self.writer.as_ref().unwrap_or(db);
        Ok((begin_write(db).await?, Turn { _guard: turn }))
    }
}

/// What a transaction begun with [`begin_locked`] is serialised against: two transactions with
/// the same lock never overlap, on either database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lock {
    /// Who the accounts are and what role they have: the first admin, the last active admin.
    Accounts = 1,
    /// The ledger of login and password attempts that rate limiting counts.
    Attempts = 2,
    /// Building the search index at start-up (`repo::search::build_if_empty`): once, however
    /// many servers start together.
    SearchIndex = 3,
}

/// The first key of Debrief's Postgres advisory locks (the second is the [`Lock`]), so they
/// cannot collide with another application's locks on a shared server.
const ADVISORY_LOCK_SPACE: i32 = 0x0de6_b1ef;

/// Begins a write transaction that holds `lock` until it commits or rolls back, so a check
/// made inside it (no account exists yet, another admin remains, fewer than five failures)
/// still holds when it writes. SQLite's `BEGIN IMMEDIATE` already serialises every writer;
/// Postgres runs at read committed and takes a transaction-scoped advisory lock.
///
/// # Errors
/// When the transaction cannot begin or the lock cannot be taken.
pub async fn begin_locked(
    db: &DatabaseConnection,
    lock: Lock,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [ADVISORY_LOCK_SPACE.into(), (lock as i32).into()],
        ))
        .await?;
    }
    Ok(txn)
}

/// Why a database refuses every write until an operator acts, unlike a failure of one request:
/// what the caller is told instead of an opaque internal error (`AppError::CannotSave`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteRefusal {
    /// The disk the database is on is full: SQLITE_FULL, Postgres `disk_full` (53100).
    DiskFull,
    /// The database accepts reads only: SQLITE_READONLY (and its extended codes), Postgres
    /// `read_only_sql_transaction` (25006, e.g. a standby or `default_transaction_read_only`).
    ReadOnly,
}

impl WriteRefusal {
    /// The refusal `err` reports, if it is one.
    pub fn of(err: &DbErr) -> Option<WriteRefusal> {
        let pg =
            database_error(err)?.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>();
        match pg {
            Some(pg) => Self::of_postgres(pg.code()),
            None => Self::of_sqlite(sqlite_code(err)?),
        }
    }

    /// The refusal an SQLite (extended) result code reports.
    fn of_sqlite(code: i32) -> Option<WriteRefusal> {
        match code & PRIMARY_CODE {
            13 => Some(WriteRefusal::DiskFull),
            8 => Some(WriteRefusal::ReadOnly),
            _ => None,
        }
    }

    /// The refusal a Postgres SQLSTATE reports.
    fn of_postgres(sqlstate: &str) -> Option<WriteRefusal> {
        match sqlstate {
            "53100" => Some(WriteRefusal::DiskFull),
            "25006" => Some(WriteRefusal::ReadOnly),
            _ => None,
        }
    }

    /// What the refusal means for a person, to finish "Debrief cannot save right now: …".
    pub fn reason(self) -> &'static str {
        match self {
            WriteRefusal::DiskFull => "the disk its database is on is full",
            WriteRefusal::ReadOnly => "its database is read-only",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WriteRefusal;

    #[test]
    fn a_full_disk_is_told_apart_on_both_databases() {
        assert_eq!(WriteRefusal::of_sqlite(13), Some(WriteRefusal::DiskFull));
        assert_eq!(
            WriteRefusal::of_postgres("53100"),
            Some(WriteRefusal::DiskFull)
        );
    }

    #[test]
    fn a_read_only_database_is_told_apart_on_both_databases_with_every_extended_code() {
        // SQLITE_READONLY and READONLY_RECOVERY, _CANTLOCK, _ROLLBACK, _DBMOVED, _DIRECTORY.
        for code in [8, 264, 520, 776, 1032, 1544] {
            assert_eq!(
                WriteRefusal::of_sqlite(code),
                Some(WriteRefusal::ReadOnly),
                "{code}"
            );
        }
        assert_eq!(
            WriteRefusal::of_postgres("25006"),
            Some(WriteRefusal::ReadOnly)
        );
    }

    #[test]
    fn other_failures_are_no_refusal_to_write() {
        // SQLITE_BUSY, SQLITE_CONSTRAINT_UNIQUE, SQLITE_IOERR_WRITE; unique_violation, a
        // serialization failure, a syntax error.
        for code in [5, 2067, 778] {
            assert_eq!(WriteRefusal::of_sqlite(code), None, "{code}");
        }
        for sqlstate in ["23505", "40001", "42601"] {
            assert_eq!(WriteRefusal::of_postgres(sqlstate), None, "{sqlstate}");
        }
    }
}
