//! Form flashes: how a form posted without JavaScript gets its values and errors back.
//!
//! When a server function called by a plain HTML form fails, the server's form middleware stores
//! what was typed with the error and redirects back to the form's page with `?flash=<id>`.
//! The page fetches the flash and its form fills itself from it, so nothing typed is lost.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The query parameter that carries a flash id.
pub const FLASH_PARAM: &str = "flash";

/// What a failed plain-form submission left behind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormFlash {
    /// The server function's URL path the form posted to.
    pub action: String,
    /// The submitted fields, by their HTML names (`form[title]`).
    pub values: Vec<(String, String)>,
    pub error: AppError,
}

impl FormFlash {
    /// A submitted value by its HTML name.
    pub fn value(&self, html_name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == html_name)
            .map(|(_, v)| v.as_str())
    }
}

/// The flash with this id, if it is still there. Unknown or expired ids give `None`, not an
/// error: the page then simply shows its form as usual.
#[server(endpoint = "forms/flash", prefix = "/api")]
pub async fn get_flash(id: String) -> Result<Option<FormFlash>, AppError> {
    let state = crate::api::state()?;
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    Ok(crate::server::flash::load(&state.db, &id).await?)
}
