//! The webhooks and deliveries admin page: destinations, the outbox's counts and its dead
//! letters; a destination's edit page.

use serde::{Deserialize, Serialize};

/// Dead letters shown per page.
pub const DEAD_LETTERS_PER_PAGE: u64 = 20;

/// A destination as the admin sees it (never its secret, which is shown once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DestinationRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    /// The kind's label.
    pub kind: String,
    /// The events' labels.
    pub events: Vec<String>,
    pub writers_only: bool,
    /// Gets no new notice while paused.
    pub paused: bool,
    pub created: String,
}

/// A destination's edit page: its stored values as its form shows them (never its secret).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEditing {
    pub id: i64,
    /// Its name as stored, for the heading.
    pub name: String,
    pub form: crate::domain::webhook::WebhookForm,
    /// Whether it signs its payloads (a generic JSON destination): it has a secret to replace.
    pub signed: bool,
    /// "1 Dec 2026, 09:00 by Ada".
    pub created: String,
}

/// A delivery given up on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadLetterRow {
    pub id: i64,
    /// "Email" or "Webhook".
    pub channel: String,
    /// An email address, or a destination's name.
    pub recipient: String,
    /// The event's label.
    pub event: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: String,
    pub dead: String,
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhooksPage {
    pub email_configured: bool,
    pub pending: u64,
    pub sent: u64,
    pub dead: u64,
    pub destinations: Vec<DestinationRow>,
    /// This page of dead letters, the newest first.
    pub dead_letters: Vec<DeadLetterRow>,
    /// The page of dead letters shown (0 is the first).
    pub page: u64,
    pub more: bool,
}
