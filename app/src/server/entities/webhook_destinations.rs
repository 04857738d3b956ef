//! The `webhook_destinations` table: where admins send notices outside Debrief.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_destinations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// `domain::webhook::WebhookKind`'s stored name.
    pub kind: String,
    /// The HMAC-SHA256 key of a generic JSON destination (none for Slack-compatible ones).
    pub secret: Option<String>,
    /// The event names it receives, comma-separated.
    #[sea_orm(column_type = "Text")]
    pub events: String,
    pub writers_only: bool,
    /// A paused destination gets no new notice queued.
    pub paused: bool,
    pub created_at: DateTimeUtc,
    pub created_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
