//! The reader's settings.

use serde::{Deserialize, Serialize};

/// The reader's zone (the names they can choose from come separately, from
/// `time_zone_names`, when the picker is used).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneChoice {
    pub current: String,
}
