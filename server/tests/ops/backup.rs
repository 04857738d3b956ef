//! `server backup` while the app serves and writes, and `server restore` of what it made: every
//! write acknowledged before the backup began comes back, and restores that would lose or
//! break data are refused with the database left as it was.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::api::timeline::AddTimelineEntry;
use leptos::server_fn::ServerFn;

use super::{column, incidents_in, serve, server_command, sqlite_url};
use crate::common::{Browser, incident_of, text_of};

/// Adds timeline entries to `incident` one after another until `stop`, keeping the text of
/// each the server acknowledged (200) in `acked`.
fn keep_writing(
    browser: Browser,
    incident: i64,
    acked: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<usize> {
    tokio::spawn(async move {
        let id = incident.to_string();
        let mut failures = 0;
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let body = format!("Backup probe number {n:05} written.");
            let (status, _) = browser
                .call(
                    AddTimelineEntry::PATH,
                    &[
                        ("incident_id", &id),
                        ("form[at]", "2020-03-23T11:30"),
                        ("form[precision]", "minute"),
                        ("form[kind]", "observation"),
                        ("form[actor]", "on-call engineer"),
                        ("form[body]", &body),
                        ("zone", "UTC"),
                    ],
                )
                .await;
            if status == 200 {
                acked.lock().unwrap().push(body);
            } else {
                failures += 1;
            }
        }
        failures
    })
}

async fn wait_for(acked: &Arc<Mutex<Vec<String>>>, count: usize) {
    for _ in 0..600 {
        if acked.lock().unwrap().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the writer did not reach {count} acknowledged entries in 30 s");
}

#[tokio::test]
async fn a_backup_taken_while_entries_are_added_restores_every_write_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let live = sqlite_url(&dir.path().join("live.db"));
    let app = serve(&live, true).await;
    let incident = incident_of(&app.load_example().await);

    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = keep_writing(
        app.browser.clone(),
        incident,
        Arc::clone(&acked),
        Arc::clone(&stop),
    );
    wait_for(&acked, 10).await;
    let before: Vec<String> = acked.lock().unwrap().clone();
    let file = dir.path().join("debrief-backup.db");
    let ran = server_command(&live, &["backup", file.to_str().unwrap()]).await;
    assert!(ran.ok, "the backup succeeds: {}", ran.stderr);
    assert!(
        ran.stdout.contains(&file.display().to_string())
            && ran.stdout.contains("bytes")
            // The worked example and its earlier attempt.
            && ran.stdout.contains("2 incidents"),
        "it says what it wrote: {}",
        ran.stdout
    );
    // The server kept serving and writing through the backup and after it.
    let after_backup = acked.lock().unwrap().len();
    wait_for(&acked, after_backup + 5).await;
    stop.store(true, Ordering::Relaxed);
    assert_eq!(
        writer.await.unwrap(),
        0,
        "no write failed during the backup"
    );

    let again = server_command(&live, &["backup", file.to_str().unwrap()]).await;
    assert!(!again.ok, "a backup never overwrites a file");
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(again.stderr.trim().lines().count(), 1, "{}", again.stderr);

    // Restored into a fresh place, served by the app.
    let elsewhere = tempfile::tempdir().unwrap();
    let restored = sqlite_url(&elsewhere.path().join("restored.db"));
    let ran = server_command(&restored, &["restore", file.to_str().unwrap()]).await;
    assert!(ran.ok, "the restore succeeds: {}", ran.stderr);
    assert!(ran.stdout.contains("2 incidents"), "{}", ran.stdout);
    let entries = column(
        &restored,
        &format!("SELECT body_md FROM timeline_entries WHERE incident_id = {incident}"),
    )
    .await;
    for body in &before {
        assert!(
            entries.contains(body),
            "{body:?} was acknowledged before the backup began and is restored"
        );
    }
    let integrity = column(&restored, "PRAGMA integrity_check").await;
    assert_eq!(integrity, ["ok"]);

    let there = serve(&restored, false).await;
    let (status, html) = there.page(&format!("/incidents/{incident}")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("Customer logins failed across all products"));
    assert!(text.contains(&before[0]), "the restored entries are served");
}

#[tokio::test]
async fn backup_and_restore_refuse_postgres_naming_pg_dump_and_pg_restore() {
    let url = "postgres://debrief:secret@127.0.0.1:1/debrief";
    let ran = server_command(url, &["backup", "/tmp/ops-never.db"]).await;
    assert!(!ran.ok);
    assert!(ran.stderr.contains("pg_dump -Fc"), "{}", ran.stderr);
    let ran = server_command(url, &["restore", "/tmp/ops-never.db"]).await;
    assert!(!ran.ok);
    assert!(ran.stderr.contains("pg_restore"), "{}", ran.stderr);
    assert!(!ran.stderr.contains("secret"));
}

/// A stopped Debrief database at `url` with the worked example, and a backup of it at `file`.
async fn database_and_backup(url: &str, file: &std::path::Path) {
    let db = app::server::db::connect(url).await.expect("migrated");
    app::server::repo::example::load(&db).await.expect("loaded");
    let _ = db.close().await;
    let ran = server_command(url, &["backup", file.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
}

/// Every file in `dir`, by name.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_sound_debrief_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good-backup.db");
    database_and_backup(&sqlite_url(&dir.path().join("source.db")), &good).await;

    // The database to restore into: an empty Debrief, stopped.
    let target_dir = tempfile::tempdir().unwrap();
    let target = target_dir.path().join("debrief.db");
    let url = sqlite_url(&target);
    let db = app::server::db::connect(&url).await.expect("migrated");
    let _ = db.close().await;
    let original = std::fs::read(&target).unwrap();
    let files_before = files_in(target_dir.path());

    let other = dir.path().join("notes.db");
    let db = sea_orm::Database::connect(sqlite_url(&other))
        .await
        .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&db, "CREATE TABLE notes (text TEXT)")
        .await
        .unwrap();
    let _ = db.close().await;

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "These are not the droids you are looking for.\n".repeat(200),
    )
    .unwrap();

    let corrupt = dir.path().join("corrupt.db");
    let mut bytes = std::fs::read(&good).unwrap();
    assert!(bytes.len() > 3 * 4096, "the backup has pages to damage");
    for byte in &mut bytes[4096..] {
        *byte = 0xA5;
    }
    std::fs::write(&corrupt, bytes).unwrap();

    let newer = dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    let db = sea_orm::Database::connect(format!("sqlite://{}", newer.display()))
        .await
        .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_from_the_future', 0)",
    )
    .await
    .unwrap();
    let _ = db.close().await;

    for (file, says) in [
        (&other, "is not a Debrief database"),
        (&text, "is not a readable SQLite database"),
        (&corrupt, "SQLite"),
        (&newer, "comes from a newer Debrief"),
        (&dir.path().join("missing.db"), "there is no file"),
    ] {
        let ran = server_command(&url, &["restore", file.to_str().unwrap()]).await;
        assert!(!ran.ok, "{} is refused", file.display());
        assert!(
            ran.stderr.contains(says),
            "{}: {}",
            file.display(),
            ran.stderr
        );
        assert_eq!(ran.stderr.trim().lines().count(), 1, "{}", ran.stderr);
        assert!(!ran.stderr.contains("panicked"), "{}", ran.stderr);
        assert_eq!(
            files_in(target_dir.path()),
            files_before,
            "nothing is left behind"
        );
        assert_eq!(std::fs::read(&target).unwrap(), original, "unchanged");
    }
    assert_eq!(incidents_in(&url).await, 0);
}

#[tokio::test]
async fn a_restore_refuses_a_database_the_server_has_open() {
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    database_and_backup(&sqlite_url(&dir.path().join("source.db")), &backup).await;

    let live_dir = tempfile::tempdir().unwrap();
    let live = sqlite_url(&live_dir.path().join("live.db"));
    let app = serve(&live, true).await;
    let files_before = files_in(live_dir.path());

    let ran = server_command(&live, &["restore", backup.to_str().unwrap()]).await;
    assert!(!ran.ok, "refused while the server runs: {}", ran.stdout);
    assert!(
        ran.stderr.contains("is in use") && ran.stderr.contains("stop the server"),
        "{}",
        ran.stderr
    );
    assert_eq!(files_in(live_dir.path()), files_before);
    let (status, _) = app.page("/").await;
    assert_eq!(status, 200, "the server goes on serving");
    assert_eq!(incidents_in(&live).await, 0);
}

#[tokio::test]
async fn a_restore_over_a_stopped_database_keeps_the_one_it_replaces_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    database_and_backup(&sqlite_url(&dir.path().join("source.db")), &backup).await;

    let target_dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&target_dir.path().join("debrief.db"));
    let db = app::server::db::connect(&url).await.expect("migrated");
    let _ = db.close().await;

    let ran = server_command(&url, &["restore", backup.to_str().unwrap()]).await;
    assert!(ran.ok, "{}", ran.stderr);
    // The worked example and its earlier attempt.
    assert_eq!(incidents_in(&url).await, 2, "the backup's incidents");
    let kept: Vec<String> = files_in(target_dir.path())
        .into_iter()
        .filter(|f| f.starts_with("debrief.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", files_in(target_dir.path()));
    assert!(ran.stdout.contains(&kept[0]), "{}", ran.stdout);
    let kept_url = sqlite_url(&target_dir.path().join(&kept[0]));
    assert_eq!(incidents_in(&kept_url).await, 0, "the replaced database");
}
