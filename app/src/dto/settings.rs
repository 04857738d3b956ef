//! The reader's settings.

use serde::{Deserialize, Serialize};

/// The reader's zone and the zones they can choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneChoice {
    pub current: String,
    pub all: Vec<String>,
}
