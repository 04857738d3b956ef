//! A person's private feed key: making (or replacing) it and revoking it. The feeds themselves
//! are plain HTTP endpoints (`server::http::feeds`), authenticated by the key alone.

use leptos::prelude::*;

use crate::dto::feeds::FeedKeyStatus;
use crate::error::AppError;

/// Whether the reader has a feed key, which reading lists have feeds, and where the feeds'
/// addresses start.
#[server(prefix = "/api", endpoint = "feeds/key")]
pub async fn feed_key() -> Result<FeedKeyStatus, AppError> {
    use crate::server::query::build::moment;
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let made = crate::server::repo::feeds::key_made(&state.db, user.id).await?;
    let lists = crate::server::repo::library::lists(&state.db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.list.title))
        .collect();
    Ok(FeedKeyStatus {
        made: made.map(|at| moment(at, &super::zone())),
        lists,
        origin: crate::server::origin::of_this_request(),
    })
}

/// Makes the reader a new feed key, replacing the one they had (whose addresses stop working
/// at once); returns it. It is shown once: only its digest is kept.
#[server(prefix = "/api", endpoint = "feeds/key/make")]
pub async fn make_feed_key() -> Result<String, AppError> {
    use crate::server::password::{random_token, token_digest};
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let key = random_token();
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::feeds::set_key(&txn, user.id, &token_digest(&key)).await?;
    txn.commit().await?;
    super::show_once("/account", &key).await?;
    Ok(key)
}

/// Revokes the reader's feed key: its addresses answer 404 from now on.
#[server(prefix = "/api", endpoint = "feeds/key/revoke")]
pub async fn revoke_feed_key() -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::require(crate::domain::account::Role::Viewer)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    if !crate::server::repo::feeds::revoke_key(&txn, user.id).await? {
        return Err(AppError::not_found("Your feed key"));
    }
    txn.commit().await?;
    super::redirect("/account#feeds");
    Ok(())
}
