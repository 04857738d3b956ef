//! Operating Debrief: the `backup`, `restore`, `export-all`, `import-all` and `migrate-to`
//! commands of the real `server` binary, run as an operator runs them (a process with
//! `DATABASE_URL`), against databases the real app serves and writes meanwhile.
// Tests may unwrap and expect: a failed test is the panic we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod backup;
mod export_all;
mod migrate_to;

use std::path::Path;

use common::{ADMIN_EMAIL, ADMIN_NAME, PASSWORD, TestApp, spawn_empty_configured};
use sea_orm::{ConnectionTrait, Database, Statement};

/// What a command of the `server` binary did.
pub struct Ran {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `server <args>` with `DATABASE_URL` set to `url`, as an operator would.
pub async fn server_command(url: &str, args: &[&str]) -> Ran {
    let url = url.to_owned();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(&args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "error")
            .env_remove("DEBRIEF_ADDR")
            .output()
            .expect("the server binary runs");
        Ran {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .expect("the command finishes")
}

/// The URL of an SQLite database file (created when first opened).
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The real app serving the SQLite database `url`, and a browser logged in as its admin (who
/// is created unless the database already has them).
pub async fn serve(url: &str, create_admin: bool) -> TestApp {
    let url = url.to_owned();
    let app = spawn_empty_configured(move |config| config.database_url = url).await;
    if create_admin {
        app.add_user(ADMIN_EMAIL, ADMIN_NAME, app::domain::account::Role::Admin)
            .await;
    }
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    app
}

/// A new, empty database for a test: an SQLite file `name` in `dir`, or a fresh database on the
/// Postgres server `DEBRIEF_TEST_POSTGRES` names, when it is set.
pub async fn fresh_url(dir: &Path, name: &str) -> String {
    match std::env::var("DEBRIEF_TEST_POSTGRES") {
        Ok(server) if !server.trim().is_empty() => {
            common::fresh_postgres(server.trim(), "ops_").await
        }
        _ => sqlite_url(&dir.join(name)),
    }
}

/// The first column of every row `sql` returns from the database at `url`, as text.
pub async fn column(url: &str, sql: &str) -> Vec<String> {
    let db = Database::connect(url).await.expect("the database opens");
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("the query runs");
    let _ = db.close().await;
    rows.iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .expect("a text or number")
        })
        .collect()
}

/// How many incidents the database at `url` holds.
pub async fn incidents_in(url: &str) -> usize {
    column(url, "SELECT COUNT(*) FROM incidents").await[0]
        .parse()
        .expect("a count")
}
