//! A database that refuses writes: a full disk and a read-only database. A write is answered
//! at once with a clear 503 that says why and that nothing was saved (a plain form comes back
//! with what was typed, a program gets the error, the JSON API its JSON) — no hang, no 500 with
//! internals, and no 2xx for a write that was not kept; reading goes on; and once the operator
//! has fixed it, the same writes succeed without a restart.
//!
//! The full disk is real: the database lives on a small tmpfs that a ballast file fills, and
//! deleting the ballast brings the space back. Mounting needs root (`CAP_SYS_ADMIN`); where it
//! is refused the test says so and is skipped. It runs on SQLite only: a Postgres server's disk
//! is not the test's to fill (its `disk_full`, 53100, is mapped by the same code and unit-tested
//! in `app::server::db`).
//!
//! The read-only database is simulated, on SQLite and on Postgres: a database file cannot be
//! made read-only under a running server (root ignores file modes, open handles keep their
//! write access, and the kernel refuses a read-only remount while files are open for writing).
//! So every connection of the server's pool is told to refuse writes — SQLite's
//! `PRAGMA query_only`, Postgres' `default_transaction_read_only` — and the database answers
//! each write with its real read-only error (SQLITE_READONLY, SQLSTATE 25006).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use app::api::incidents::CreateIncident;
use app::api::integrations::CreateIntegrationToken;
use app::domain::account::Role;
use app::error::AppError;
use leptos::server_fn::ServerFn;
use leptos::server_fn::error::FromServerFnError;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

use crate::common::{
    ADMIN_EMAIL, ADMIN_NAME, PASSWORD, TestApp, on_server, spawn, spawn_empty_configured, text_of,
};

/// The title of the incident written before the fault, which reads must keep showing.
const BEFORE: &str = "Written before the fault";

/// Longer than any answer takes on a busy machine: an answer later than this is a hang.
const NO_HANG: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_keeps_reads_and_recovers_once_space_is_back() {
    if std::env::var("DEBRIEF_TEST_POSTGRES").is_ok() {
        eprintln!("skipped: the full-disk test fills a tmpfs under an SQLite database");
        return;
    }
    let disk = match SmallDisk::mount(8) {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("skipped: no size-limited filesystem can be mounted here: {why}");
            return;
        }
    };
    let url = format!(
        "sqlite://{}?mode=rwc",
        disk.path.join("debrief.db").display()
    );
    let app = spawn_empty_configured(move |config| config.database_url = url).await;
    app.add_user(ADMIN_EMAIL, ADMIN_NAME, Role::Admin).await;
    let (status, _) = app.browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    let before = Before::write(&app).await;

    // Every write must find room: the write-ahead log, which keeps its size once grown, is
    // emptied, then the ballast takes every byte left.
    let db = app.db.clone();
    on_server(async move {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .expect("the log is checkpointed")
    })
    .await;
    let ballast = disk.fill();

    writes_are_refused(&app, &before, "the disk its database is on is full").await;

    std::fs::remove_file(&ballast).expect("the ballast is deleted");
    every_pooled_connection_begins_a_write(&app.pools()).await;
    writes_work_again(&app, &before).await;
}

/// A commit refused for a full disk has been rolled back by SQLite, which leaves the driver
/// counting a transaction open on that connection; such a connection must not stay in the
/// pool, where it would refuse every later write (`BEGIN IMMEDIATE` is refused inside a
/// transaction) and so keep the server from recovering.
async fn every_pooled_connection_begins_a_write(pools: &[DatabaseConnection]) {
    let pools = pools.to_vec();
    on_server(async move {
        use sea_orm::sqlx::Connection;
        for db in pools {
            let pool = db.get_sqlite_connection_pool();
            let mut held = Vec::new();
            for _ in 0..pool.size() {
                held.push(pool.acquire().await.expect("a connection"));
            }
            for connection in &mut held {
                let txn = connection
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .expect("every pooled connection begins a write");
                txn.rollback().await.expect("and rolls it back");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_read_only_database_refuses_writes_clearly_keeps_reads_and_recovers_without_a_restart() {
    let app = spawn().await;
    let before = Before::write(&app).await;

    set_read_only(&app.pools(), true).await;
    writes_are_refused(&app, &before, "its database is read-only").await;

    set_read_only(&app.pools(), false).await;
    writes_work_again(&app, &before).await;
}

/// What was written before the fault: an incident (its page) and an integration token.
struct Before {
    incident: String,
    token: String,
}

impl Before {
    async fn write(app: &TestApp) -> Before {
        let (status, location) = app
            .submit(
                CreateIncident::PATH,
                "/incidents/new",
                &crate::incident_fields(BEFORE, "Saved while all was well."),
            )
            .await;
        assert_eq!(status, 302, "the incident is saved");
        let token: String = app
            .json(CreateIntegrationToken::PATH, &[("name", "Deploys")])
            .await;
        Before {
            incident: location.expect("the new incident's page"),
            token,
        }
    }
}

/// While the database refuses writes: every kind of caller gets a clear 503 at once, the plain
/// form keeps what was typed, nothing is saved, and pages still read.
async fn writes_are_refused(app: &TestApp, before: &Before, reason: &str) {
    let summary = "Typed while Debrief could not save: the resolver timed out at 10:27.";
    let fields = crate::incident_fields("Written during the fault", summary);

    let (status, html, _) = post_form(app, CreateIncident::PATH, "/incidents/new", &fields).await;
    let text = text_of(&html);
    assert_eq!(
        status, 503,
        "a plain form is told at once, on its page, that it was not saved: {text}"
    );
    assert!(
        text.contains(&format!("Debrief cannot save right now: {reason}."))
            && text.contains("Nothing was saved"),
        "the page says why and that nothing was saved: {text}"
    );
    assert!(
        html.contains(summary) && html.contains("Written during the fault"),
        "the form comes back with what was typed: {text}"
    );
    assert_no_internals(&html);

    let (status, body) = tokio::time::timeout(NO_HANG, app.call(CreateIncident::PATH, &fields))
        .await
        .expect("a server function caller is answered at once");
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        AppError::de(body.clone().into()),
        AppError::CannotSave(reason.to_owned()),
        "the hydrated app gets the error: {body}"
    );

    let (status, body) = app
        .call(
            CreateIntegrationToken::PATH,
            &[("name", "Made during the fault")],
        )
        .await;
    assert_eq!(
        status, 503,
        "a token is not shown as made when it could not be kept: {body}"
    );

    let (status, answer) = change_api(app, &before.token).await;
    assert_eq!(status, 503, "{answer}");
    let message = answer["error"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(&format!("Debrief cannot save right now: {reason}.")),
        "the JSON API says why: {answer}"
    );
    assert_no_internals(&answer.to_string());

    for path in ["/", before.incident.as_str()] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path} still reads");
        assert!(html.contains(BEFORE), "{path} shows what was saved before");
        assert!(
            !html.contains("Written during the fault"),
            "nothing of the refused writes was saved"
        );
    }
}

/// Once the operator has fixed the database, the same writes succeed on the same server.
async fn writes_work_again(app: &TestApp, before: &Before) {
    let fields = crate::incident_fields("Written after the fault", "Saved once fixed.");
    let (status, location) = app
        .submit(CreateIncident::PATH, "/incidents/new", &fields)
        .await;
    assert_eq!(status, 302, "the plain form saves again");
    let (status, html) = app.page(&location.expect("the new incident")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Written after the fault"));

    let (status, body) = app.call(CreateIncident::PATH, &fields).await;
    assert_eq!(status, 200, "a program saves again: {body}");
    let (status, body) = app
        .call(
            CreateIntegrationToken::PATH,
            &[("name", "Made after the fault")],
        )
        .await;
    assert_eq!(status, 200, "a token is made again: {body}");
    let (status, answer) = change_api(app, &before.token).await;
    assert!(
        (200..300).contains(&status),
        "the JSON API records again: {answer}"
    );
}

/// Posts `fields` as a plain HTML form from `from`: the status, the page answered and where
/// it sends the browser.
async fn post_form(
    app: &TestApp,
    action: &str,
    from: &str,
    fields: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    let response = app
        .client
        .post(app.url(action))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url(from))
        .form(fields)
        .timeout(NO_HANG)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the form post is answered at once: {e:?}"));
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, response.text().await.expect("a page"), location)
}

/// Records a change through the JSON API with `token`: the status and the JSON answered.
async fn change_api(app: &TestApp, token: &str) -> (u16, serde_json::Value) {
    let change = serde_json::json!({
        "kind": "deploy",
        "system": "Checkout",
        "identifier": "v2.4.1",
        "summary": "Deploy checkout",
        "at": "2020-03-23T10:27:00Z",
        "started_by": "the deploy pipeline",
        "parameters": []
    });
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/changes"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(change.to_string())
        .timeout(NO_HANG)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the change API answers at once: {e:?}"));
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let answer = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON, not {text}: {e}"));
    (status, answer)
}

/// What the database said stays in the server log, not in the answer.
fn assert_no_internals(answer: &str) {
    for internal in [
        "SQLITE",
        "sqlite",
        "database or disk is full",
        "readonly",
        "read-only transaction",
        "error returned from database",
    ] {
        assert!(
            !answer.contains(internal),
            "the answer shows {internal:?}: {answer}"
        );
    }
}

/// Makes every connection of the server's pools (`TestApp::pools`) refuse writes
/// (`read_only`) or accept them again, by holding all of a pool's at once: the database then
/// answers writes with its own read-only error (see the module documentation).
async fn set_read_only(pools: &[DatabaseConnection], read_only: bool) {
    for db in pools {
        set_pool_read_only(db, read_only).await;
    }
}

async fn set_pool_read_only(db: &DatabaseConnection, read_only: bool) {
    let db = db.clone();
    on_server(async move {
        use sea_orm::sqlx;
        match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                let sql = if read_only {
                    "SET default_transaction_read_only = on"
                } else {
                    "SET default_transaction_read_only = off"
                };
                let mut held = Vec::new();
                for _ in 0..pool.options().get_max_connections() {
                    held.push(pool.acquire().await.expect("a connection"));
                }
                for connection in &mut held {
                    sqlx::query(sql)
                        .execute(&mut **connection)
                        .await
                        .expect("the setting is taken");
                }
            }
            _ => {
                let pool = db.get_sqlite_connection_pool();
                let sql = if read_only {
                    "PRAGMA query_only = ON"
                } else {
                    "PRAGMA query_only = OFF"
                };
                let mut held = Vec::new();
                for _ in 0..pool.options().get_max_connections() {
                    held.push(pool.acquire().await.expect("a connection"));
                }
                for connection in &mut held {
                    sqlx::query(sql)
                        .execute(&mut **connection)
                        .await
                        .expect("the setting is taken");
                }
            }
        }
    })
    .await;
}

/// A tmpfs of a few megabytes, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `megabytes` on a fresh directory under /tmp.
    fn mount(megabytes: u32) -> Result<SmallDisk, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path =
            std::env::temp_dir().join(format!("storage-full-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| e.to_string())?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !mounted.status.success() {
            let _ = std::fs::remove_dir(&path);
            return Err(String::from_utf8_lossy(&mounted.stderr).trim().to_owned());
        }
        Ok(SmallDisk { path })
    }

    /// Fills every byte left with a ballast file; returns its path.
    fn fill(&self) -> PathBuf {
        let path = self.path.join("ballast");
        let mut file = std::fs::File::create(&path).expect("a ballast file");
        for size in [1 << 20, 1 << 16, 1 << 12, 1 << 9, 1] {
            let chunk = vec![0u8; size];
            while matches!(file.write(&chunk), Ok(n) if n > 0) {}
        }
        let _ = file.sync_all();
        assert!(is_full(&self.path), "the disk is full");
        path
    }
}

/// Whether not one more byte fits on the filesystem at `dir`.
fn is_full(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let fits = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    !fits
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: the server's pool may still be closing its files.
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
        let _ = std::fs::remove_dir(&self.path);
    }
}
