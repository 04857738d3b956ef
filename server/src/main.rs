//! Starts Debrief: reads the configuration from the environment and serves until stopped.
//! Any problem at start-up is one line naming the setting, and exit status 1.

use server::config::Config;
use server::startup::Application;
use tracing_subscriber::EnvFilter;

fn main() {
    // At least four workers even on a small machine: with fewer, Leptos' server rendering can
    // leave a resource's future parked and the page never finishes (leptos issue #4647).
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().max(4));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("the operating system provides threads and timers");
    runtime.block_on(start());
}

async fn start() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .init();
    if let Err(message) = run().await {
        eprintln!("debrief: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
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
    app.run_until_stopped()
        .await
        .map_err(|e| format!("server stopped: {e}"))
}
