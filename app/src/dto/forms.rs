//! What plain HTML forms and pages agree on without importing each other: the query parameters
//! of flashes, secrets and confirmations, and the flash a failed form leaves behind (see
//! `api::flash` and the server's form layer).

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The query parameter that carries a flash id.
pub const FLASH_PARAM: &str = "flash";

/// The query parameter that carries the id of a secret to show once (never the secret).
pub const SECRET_PARAM: &str = "secret";

/// The query parameter that asks a page to confirm a deletion.
pub const CONFIRM_PARAM: &str = "confirm";

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
