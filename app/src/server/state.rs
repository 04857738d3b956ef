//! What every request handler and server function can reach: the database.

use sea_orm::DatabaseConnection;

/// Shared application state, provided to server functions as a Leptos context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
}
