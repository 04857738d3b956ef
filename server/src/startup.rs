//! Building the application from a [`Config`]: open the database (running migrations), bind the
//! listener, assemble the router. Tests build one on `127.0.0.1:0` with a temporary database.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::FromRef;
use axum::middleware::from_fn_with_state;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};

use app::server::{AppState, db};
use app::{App, shell};

use crate::config::{Config, Limits};
use crate::forms::Forms;
use crate::headers::{provide_request_nonce, security_headers};
use crate::kept_pages::{self, KeptPages};
use crate::ops_metrics::{self, Metrics};
use crate::renders::{self, RenderTurns};
use crate::sessions::sessions;
use crate::{assets, health, requests, serve};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("DEBRIEF_DATA_DIR: cannot create {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("DATABASE_URL: cannot open the database or bring its schema up to date: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("{0}")]
    Delivery(String),
    #[error("DEBRIEF_ADDR: cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
}

/// The state the router's handlers share.
#[derive(Clone, FromRef)]
struct ServerState {
    leptos_options: LeptosOptions,
    app: AppState,
}

/// A built application, listening but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    limits: Limits,
    /// The notification delivery worker, started by `run_until`.
    delivery: crate::delivery::Worker,
    reminder_interval: std::time::Duration,
}

impl Application {
    /// Opens the database, binds the address and builds the router.
    ///
    /// # Errors
    /// When the data directory cannot be created, the database cannot be opened or migrated, or
    /// the address cannot be bound.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        Self::build_with_routes(config, Router::new()).await
    }

    /// Like [`Application::build`], with `extra_routes` served beside the app's, inside the same
    /// layers (request ids, log lines, time limit, panic catcher) but outside the session
    /// layer. Tests use it to serve a handler that panics or is slow; the server binary never
    /// adds any.
    ///
    /// # Errors
    /// As [`Application::build`].
    pub async fn build_with_routes(
        config: &Config,
        extra_routes: Router,
    ) -> Result<Self, StartupError> {
        if config.uses_data_dir() {
            std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
                path: config.data_dir.display().to_string(),
                source,
            })?;
        }
        let db = db::connect_with_pool(&config.database_url, config.db_max_connections).await?;
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartupError::Listen {
                    addr: config.addr.to_string(),
                    source,
                })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartupError::Listen {
                addr: config.addr.to_string(),
                source,
            })?;
        let site_root = std::path::Path::new(&config.site_root);
        let hashed = assets::hash_file().is_some_and(|file| assets::hashed_names(&file, site_root));
        let leptos_options = LeptosOptions::builder()
            .output_name(assets::OUTPUT_NAME)
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(hashed)
            .build();
        let mut state = AppState {
            writes: db::WriteTurns::open(&config.database_url).await?,
            trusted_proxies: config.trusted_proxies.clone(),
            email_configured: config.notify.smtp.is_some(),
            public_url: config.notify.public_url.as_deref().map(Into::into),
            ..AppState::new(db)
        };
        // Several instances on one database print and accept one setup link.
        if !app::server::repo::accounts::any_user(&state.db).await? {
            state.setup_token =
                app::server::repo::accounts::shared_setup_token(&state.db, &state.setup_token)
                    .await?
                    .into();
        }
        let metrics = std::sync::Arc::new(Metrics::default());
        let router = router(leptos_options, state.clone())
            .merge(extra_routes)
            // Outside the session layer: a file of the site never costs a session lookup, nor
            // a health probe or a metrics scrape.
            .merge(assets::routes(site_root, hashed))
            .merge(health::routes(state.db.clone()))
            .merge(ops_metrics::routes(
                config.ops_token.clone(),
                metrics.clone(),
                state.db.clone(),
            ));
        let router = requests::layers(router, config.limits.request_timeout)
            // On the fly for pages and JSON (the site's files come compressed from the build),
            // in gzip only: brotli allocates and clears megabytes of match tables per response,
            // which measured a third fewer postmortem pages a second (107 against 151 req/s)
            // and 45 MB more memory under load, for pages a few hundred bytes smaller. A debug
            // build's wasm (tens of MB, no compressed copy) is sent as it is: compressing it per
            // request would cost seconds of CPU on every page load in development.
            .layer(
                CompressionLayer::new()
                    .no_br()
                    .quality(CompressionLevel::Precise(4))
                    .compress_when(
                        DefaultPredicate::new()
                            .and(NotForContentType::const_new("application/wasm")),
                    ),
            )
            .layer(axum::middleware::from_fn(security_headers))
            // Outermost: its id, log line and counts cover everything above, a panic and a
            // timeout too.
            .layer(from_fn_with_state(metrics, requests::track));
        let public_url = config
            .notify
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let delivery = crate::delivery::Worker::new(state.db.clone(), &config.notify, public_url)
            .map_err(StartupError::Delivery)?;
        Ok(Application {
            listener,
            router,
            state,
            limits: config.limits,
            delivery,
            reminder_interval: config.reminder_interval,
        })
    }

    /// The port it listens on (useful when built on port 0).
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// The shared state (tests use its database).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves requests until the process is stopped (Ctrl-C or SIGTERM).
    ///
    /// # Errors
    /// When the server fails while running.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves requests until `stop` completes, lets the requests in flight finish (within the
    /// configured grace period, see [`crate::serve`]), then closes the database pool so its
    /// connections are given back at once (a Postgres server has only so many) and an SQLite
    /// file is checkpointed and closed cleanly.
    ///
    /// # Errors
    /// When the server fails while running.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stopping, stop_delivery) = tokio::sync::watch::channel(false);
        let delivery = tokio::spawn(self.delivery.run(stop_delivery));
        let reminders = crate::reminders::start(self.state.db.clone(), self.reminder_interval);
        let all_finished = serve::serve(self.listener, self.router, self.limits, stop).await;
        reminders.stop().await;
        // The worker finishes the delivery it is sending (bounded by its send timeout).
        let _ = stopping.send(true);
        if tokio::time::timeout(self.limits.shutdown_grace, delivery)
            .await
            .is_err()
        {
            tracing::warn!("stopping: the notification worker did not stop in time");
        }
        if let Err(e) = self.state.db.close().await {
            tracing::warn!("closing the database pool: {e}");
        }
        if all_finished {
            tracing::info!("stopped: every request finished and the database is closed");
        }
        Ok(())
    }
}

/// The app's routes, listed once per process.
///
/// Listing them renders the whole app under Leptos' `SuppressResourceLoad`, a process-wide
/// switch: a `Resource` created meanwhile on any thread never loads, so a page that another
/// `Application` of the same process was rendering at that moment would never finish. The
/// routes depend on the app alone, so the first list serves every later build (test processes
/// build one per test while others serve).
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(leptos_options: LeptosOptions, app_state: AppState) -> Router {
    let routes = route_list();
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: app_state.clone(),
    };

    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, page_context(app_state.clone()), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        // Pages render in turns (their server functions, which have a body, do not wait).
        .layer(from_fn_with_state(
            RenderTurns::per_core(),
            renders::one_turn_each,
        ))
        // A page kept since nothing it shows has changed is sent without waiting for a turn.
        .layer(from_fn_with_state(
            KeptPages::new(app_state.db.clone()),
            kept_pages::serve,
        ))
        .merge(app::server::http::routes(app_state.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(page_context(app_state.clone()), shell))
        .with_state(state);
    let forms = Forms {
        db: app_state.db.clone(),
        // A failed plain form's page is rendered through the same session check as any page.
        pages: pages
            .clone()
            .layer(from_fn_with_state(app_state.clone(), sessions)),
    };
    // leptos_routes registers every server function too: the form layers wrap them all.
    crate::forms::around(pages, forms)
        // The session is resolved before anything else of a page looks at the request.
        .layer(from_fn_with_state(app_state, sessions))
        .layer(axum::middleware::map_response(assets::page_cache))
}

/// What every page render gets in its context: the app's state and the request's CSP nonce.
fn page_context(app_state: AppState) -> impl Fn() + Clone + Send + 'static {
    move || {
        provide_context(app_state.clone());
        provide_request_nonce();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
