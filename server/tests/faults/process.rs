//! The real `server` binary as a child process, as an operator runs it: configured by the
//! environment, on its own database and port, with its log in a file; started, waited for until
//! `/readyz` answers, and killed with SIGKILL (a power cut, as far as the process can tell).
//! Shared by the fault tests and the several-instances tests (`tests/instances`), which each
//! use part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{ADMIN_EMAIL, ADMIN_NAME, PASSWORD};

/// The binary under test: `DEBRIEF_FAULT_SERVER` (the release build, for the full form; a
/// relative path is read from the workspace root), else the debug build cargo made for these
/// tests.
pub fn server_binary() -> PathBuf {
    match std::env::var("DEBRIEF_FAULT_SERVER") {
        Ok(path) if !path.trim().is_empty() => {
            let path = PathBuf::from(path.trim());
            if path.is_absolute() {
                path
            } else {
                workspace().join(path)
            }
        }
        _ => PathBuf::from(env!("CARGO_BIN_EXE_server")),
    }
}

fn workspace() -> PathBuf {
    let server = Path::new(env!("CARGO_MANIFEST_DIR"));
    server.parent().unwrap_or(server).to_owned()
}

/// A database of its own for one test: an SQLite file in a temporary directory, or, when
/// `DEBRIEF_TEST_POSTGRES` names a Postgres server, a fresh database on it.
pub struct TestDatabase {
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl TestDatabase {
    pub async fn fresh(name: &str) -> TestDatabase {
        // The test binary's name: `faults` or `instances`.
        let binary = env!("CARGO_CRATE_NAME");
        let dir = tempfile::Builder::new()
            .prefix(&format!("{binary}-{name}-"))
            .tempdir()
            .expect("a temporary directory");
        let url = match std::env::var("DEBRIEF_TEST_POSTGRES") {
            Ok(server) if !server.trim().is_empty() => {
                crate::common::fresh_postgres(server.trim(), &format!("{binary}_{name}_")).await
            }
            _ => format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("debrief.db").display()
            ),
        };
        TestDatabase { url, dir }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// Opens a plain connection (no migrations, no repairs at start-up): to look at the
    /// database as the crash left it.
    pub async fn open(&self) -> sea_orm::DatabaseConnection {
        sea_orm::Database::connect(self.url.as_str())
            .await
            .expect("the database opens")
    }
}

/// Creates the admin (`ADMIN_EMAIL`, `PASSWORD`) with `server create-admin`, which also
/// migrates the empty database.
pub async fn create_admin(database: &TestDatabase) {
    let url = database.url.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(server_binary())
            .args(["create-admin", "--email", ADMIN_EMAIL, "--name", ADMIN_NAME])
            .env("DATABASE_URL", url)
            .env("DEBRIEF_ADMIN_PASSWORD", PASSWORD)
            .env("RUST_LOG", "warn")
            .env_remove("DEBRIEF_ADDR")
            .output()
            .expect("the server binary runs")
    })
    .await
    .expect("create-admin finishes");
    assert!(
        out.status.success(),
        "create-admin failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `server` process. Dropped, it is killed.
pub struct ServerProcess {
    child: Child,
    pub base: String,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts the server on `database` at a free port, its log appended to `server.log` in
    /// the database's directory, and waits until `/readyz` answers 200.
    pub async fn start(database: &TestDatabase) -> ServerProcess {
        let log = database.dir.path().join("server.log");
        let mut last = String::new();
        // A port found free may be taken by another test before the server binds it.
        for _ in 0..3 {
            let port = free_port();
            let mut server = spawn(database, port, &log, &[]);
            match server.ready().await {
                Ok(()) => return server,
                Err(why) => last = why,
            }
        }
        panic!(
            "the server did not start: {last}\n--- its log ---\n{}",
            read_log(&log)
        );
    }

    /// Starts the server on `database` at a free port, its log appended to `log_name` in the
    /// database's directory, without waiting for it: to start several at the same moment.
    pub fn launch(database: &TestDatabase, log_name: &str) -> ServerProcess {
        Self::launch_with(database, log_name, &[])
    }

    /// Like [`ServerProcess::launch`], with more environment variables set.
    pub fn launch_with(
        database: &TestDatabase,
        log_name: &str,
        env: &[(&str, &str)],
    ) -> ServerProcess {
        spawn(
            database,
            free_port(),
            &database.dir.path().join(log_name),
            env,
        )
    }

    /// Waits until `/readyz` answers 200, or says why not (the process exited, or 120 s passed,
    /// and then it is killed).
    ///
    /// # Errors
    /// Why it did not become ready.
    pub async fn ready(&mut self) -> Result<(), String> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}"));
            }
            let answer = client
                .get(format!("{}/readyz", self.base))
                .timeout(Duration::from_secs(5))
                .send()
                .await;
            if answer.is_ok_and(|r| r.status().as_u16() == 200) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Err("/readyz did not answer 200 within 120 s".to_owned())
    }

    /// SIGKILL: the process ends at once, whatever it was doing; nothing is flushed or closed.
    pub fn kill(mut self) {
        self.child.kill().expect("the server can be killed");
        self.child.wait().expect("the killed server is reaped");
    }

    /// The server's log so far (its own and every earlier run's on this database).
    pub fn log(&self) -> String {
        read_log(&self.log)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(database: &TestDatabase, port: u16, log: &Path, env: &[(&str, &str)]) -> ServerProcess {
    let file = || {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("the log file opens")
    };
    let child = Command::new(server_binary())
        .env("DATABASE_URL", &database.url)
        .env("DEBRIEF_ADDR", format!("127.0.0.1:{port}"))
        .env("DEBRIEF_DATA_DIR", database.dir.path())
        .env("LEPTOS_SITE_ROOT", crate::common::site_root())
        .env("RUST_LOG", "warn")
        .env_remove("DEBRIEF_LOG_FORMAT")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(file())
        .stderr(file())
        .spawn()
        .expect("the server binary starts");
    ServerProcess {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log: log.to_owned(),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
