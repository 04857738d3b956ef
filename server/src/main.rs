//! Starts Debrief: reads the configuration from the environment and serves until stopped.
//! Any problem at start-up is one line naming the setting, and exit status 1.

use server::cli::CreateAdmin;
use server::config::Config;
use server::seed::Seed;
use server::startup::Application;

/// mimalloc instead of the C library's allocator: rendering a page makes and frees many small
/// strings on several threads, which glibc's malloc served with a quarter of the server's CPU
/// time (consolidating and unlinking chunks) and kept hundreds of MB after a load.
///
/// Built without transparent huge pages (`libmimalloc-sys`'s `no_thp` feature): mimalloc asked
/// the kernel for 2 MB pages over its whole arena, so a 2 MB page stayed resident for a few
/// live objects, and the kernel's `khugepaged` merged freed small pages back into huge ones.
/// Measured on 10,000 incidents (the same binary, `MIMALLOC_ALLOW_THP=0` against the default):
/// RSS after log-in and three pages 94–100 → 67 MB; peak under 32 connections on the postmortem
/// page 122–128 → 89–90 MB, on a search 178 → 97 MB, on writes 98 → 71–75 MB; no measurable
/// change in requests a second.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its number in `mimalloc.h`, the same in versions 2
/// and 3; the crate's constants leave it out).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory the server frees goes back to the system at once, not 10 ms later on the next
/// allocation of the thread that freed it: threads that go idle (most SQLite connections' after
/// a burst, the workers between requests) otherwise kept what a burst had used, and the
/// server's memory only grew. Measured on 10,000 incidents, a log-in and one view of each page:
/// 177 → 124 MB; the postmortem page under 32 connections: peak 173 → 124 MB, with no
/// measurable change in pages a second. `MIMALLOC_PURGE_DELAY` in the environment still
/// decides when it is set.
fn return_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of the allocator's numeric options; mimalloc reads them atomically,
        // and this runs first in `main`, before any other thread exists.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        }
    }
}

#[allow(clippy::expect_used)]
fn main() {
    return_freed_memory_at_once();
    // At least four workers even on a small machine: with fewer, Leptos' server rendering can
    // leave a resource's future parked and the page never finishes (leptos issue #4647).
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().max(4));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        // Not a request path: without threads and timers nothing can run at all.
        .expect("the operating system provides threads and timers");
    runtime.block_on(start());
}

async fn start() {
    if let Err(message) = server::telemetry::init_from_env() {
        eprintln!("debrief: {message}");
        std::process::exit(1);
    }
    if let Err(message) = run().await {
        eprintln!("debrief: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => {}
        Some("create-admin") => return create_admin(&config, &args[1..]).await,
        Some("seed") => return seed(&config, &args[1..]).await,
        Some("backup") => return said(server::backup::run_backup(&config, &args[1..]).await),
        Some("restore") => return said(server::backup::run_restore(&config, &args[1..]).await),
        Some("export-all") => {
            return said(server::export_all::run_export(&config, &args[1..]).await);
        }
        Some("import-all") => {
            return said(server::export_all::run_import(&config, &args[1..]).await);
        }
        Some("migrate-to") => return said(server::migrate_to::run(&config, &args[1..]).await),
        Some(other) => {
            return Err(format!(
                "unknown command {other:?}; run without arguments to serve, or `create-admin --email … --name …`, `backup <file>`, `restore <file>`, `export-all <dir>`, `import-all <dir>`, `migrate-to <postgres-url>`, or `seed --incidents N` (benchmark data)"
            ));
        }
    }
    let app = Application::build(&config)
        .await
        .map_err(|e| e.to_string())?;
    let shown_db = if config.database_url.starts_with("sqlite:") {
        config.database_url.clone()
    } else {
        "Postgres".to_owned()
    };
    tracing::info!(
        "Debrief is listening on http://{}:{} (database: {shown_db})",
        config.addr.ip(),
        app.port()
    );
    match app::server::repo::accounts::any_user(&app.state().db).await {
        Ok(false) => tracing::warn!(
            "Debrief has no account yet. Create the first admin at http://{}:{}/setup?token={}",
            config.addr.ip(),
            app.port(),
            app.state().setup_token
        ),
        Ok(true) => {}
        Err(e) => return Err(format!("DATABASE_URL: cannot read the accounts: {e}")),
    }
    app.run_until_stopped()
        .await
        .map_err(|e| format!("server stopped: {e}"))
}

/// Prints what a command did.
fn said(done: Result<String, String>) -> Result<(), String> {
    println!("{}", done?);
    Ok(())
}

/// `seed --incidents N`: the benchmark's dataset, in a fresh database (see `server::seed`).
async fn seed(config: &Config, args: &[String]) -> Result<(), String> {
    let request = Seed::parse(args)?;
    let password = std::env::var("DEBRIEF_ADMIN_PASSWORD")
        .ok()
        .filter(|p| p.len() >= 10)
        .ok_or(
            "seed: set DEBRIEF_ADMIN_PASSWORD (at least 10 characters) for the accounts it creates",
        )?;
    let db = open_database(config).await?;
    let started = std::time::Instant::now();
    let seeded = server::seed::run(&db, &request, &password).await;
    let _ = db.close().await;
    let seeded = seeded?;
    println!(
        "seeded {} incidents, {} timeline entries, {} follow-ups, {} changes in {:.1} s; postmortem={} draft={}",
        seeded.incidents,
        seeded.timeline_entries,
        seeded.follow_ups,
        seeded.changes,
        started.elapsed().as_secs_f64(),
        seeded.postmortem,
        seeded.draft
    );
    Ok(())
}

async fn open_database(config: &Config) -> Result<sea_orm::DatabaseConnection, String> {
    if config.uses_data_dir() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            format!(
                "DEBRIEF_DATA_DIR: cannot create {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    app::server::db::connect(&config.database_url)
        .await
        .map_err(|e| format!("DATABASE_URL: {e}"))
}

async fn create_admin(config: &Config, args: &[String]) -> Result<(), String> {
    let request = CreateAdmin::parse(args)?;
    let password = match std::env::var("DEBRIEF_ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => {
            eprintln!("Password for {} (at least 10 characters):", request.email);
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("reading the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let db = open_database(config).await?;
    let done = request.run(&db, &password).await;
    let _ = db.close().await;
    println!("{}", done?);
    Ok(())
}
