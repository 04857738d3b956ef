//! What every request handler and server function can reach: the database, the one-time
//! token that lets the operator create the first admin, the reverse proxies whose forwarded
//! headers are believed, and the views kept between requests.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

/// Shared application state, provided to server functions as a Leptos context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Printed in the server log at start while no account exists; `/setup?token=…` needs it.
    /// Every instance on one database holds the same one while no account exists
    /// (`repo::accounts::shared_setup_token`).
    pub setup_token: Arc<str>,
    /// `DEBRIEF_TRUSTED_PROXIES`: peers whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: crate::server::proxies::TrustedProxies,
    /// Where edits of postmortems queue for the database's write lock.
    pub writes: crate::server::db::WriteTurns,
    /// The organisation-wide views kept while the facts they read stay the same.
    pub reads: Arc<crate::server::read_cache::Reads>,
    /// Whether notices reach people by email (`DEBRIEF_SMTP_URL` is set); without it the
    /// delivery worker dead-letters email deliveries, and the admin page says so.
    pub email_configured: bool,
    /// `DEBRIEF_PUBLIC_URL` ("https://debrief.example.com", no trailing slash), when set: the
    /// address links that leave Debrief start with (`server::origin`).
    pub public_url: Option<Arc<str>>,
}

impl AppState {
    /// State around an open database, with a fresh setup token.
    pub fn new(db: DatabaseConnection) -> Self {
        AppState {
            db,
            setup_token: crate::server::password::random_token().into(),
            trusted_proxies: crate::server::proxies::TrustedProxies::default(),
            writes: crate::server::db::WriteTurns::default(),
            reads: Arc::default(),
            email_configured: false,
            public_url: None,
        }
    }
}
