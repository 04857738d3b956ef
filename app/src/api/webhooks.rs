//! Webhook destinations and notification deliveries (admins): adding, editing (pausing too)
//! and deleting destinations (a generic JSON one's signing secret is shown once, when made or
//! made anew), the outbox's counts, its dead letters and retrying one.

use leptos::prelude::*;

use crate::domain::webhook::WebhookForm;
use crate::dto::webhooks::{WebhookEditing, WebhooksPage};
use crate::error::AppError;

/// The page's data (admins): `page` is the page of dead letters (0 is the newest).
#[server(prefix = "/api", endpoint = "webhooks/page")]
pub async fn webhooks_overview(#[server(default)] page: u64) -> Result<WebhooksPage, AppError> {
    use crate::domain::notify::{Channel, Event};
    use crate::domain::webhook::{WebhookKind, events_from_stored};
    use crate::dto::webhooks::{DEAD_LETTERS_PER_PAGE, DeadLetterRow, DestinationRow};
    use crate::server::query::build::moment;
    use crate::server::repo::{deliveries, webhooks};
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let zone = super::zone();
    let page = page.min(1_000_000);
    let counts = deliveries::counts(&state.db).await?;
    let destinations = webhooks::list(&state.db).await?;
    let mut dead = deliveries::dead_letters(
        &state.db,
        page * DEAD_LETTERS_PER_PAGE,
        DEAD_LETTERS_PER_PAGE + 1,
    )
    .await?;
    let more = dead.len() as u64 > DEAD_LETTERS_PER_PAGE;
    dead.truncate(DEAD_LETTERS_PER_PAGE as usize);
    let dead_letters = dead
        .into_iter()
        .map(|row| {
            let channel = Channel::parse(&row.channel);
            let recipient = match channel {
                Some(Channel::Webhook) => destinations
                    .iter()
                    .find(|d| d.id.to_string() == row.recipient)
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| format!("Deleted destination {}", row.recipient)),
                _ => row.recipient.clone(),
            };
            DeadLetterRow {
                id: row.id,
                channel: channel.map_or(row.channel.clone(), |c| c.label().to_owned()),
                recipient,
                event: Event::parse(&row.event).map_or(row.event.clone(), |e| e.label().to_owned()),
                subject: row.subject,
                attempts: row.attempts,
                last_error: row.last_error.unwrap_or_default(),
                dead: row.dead_at.map(|at| moment(at, &zone)).unwrap_or_default(),
            }
        })
        .collect();
    Ok(WebhooksPage {
        email_configured: state.email_configured,
        pending: counts.pending,
        sent: counts.sent,
        dead: counts.dead,
        destinations: destinations
            .into_iter()
            .map(|d| DestinationRow {
                id: d.id,
                name: d.name,
                url: d.url,
                kind: WebhookKind::parse(&d.kind).map_or(d.kind.clone(), |k| k.label().to_owned()),
                events: events_from_stored(&d.events)
                    .into_iter()
                    .map(|e| e.label().to_owned())
                    .collect(),
                writers_only: d.writers_only,
                paused: d.paused,
                created: format!("{} by {}", moment(d.created_at, &zone), d.created_by),
            })
            .collect(),
        dead_letters,
        page,
        more,
    })
}

/// Adds a destination (admins). Returns the signing secret of a generic JSON destination,
/// shown once (empty for a Slack-compatible one).
#[server(prefix = "/api", endpoint = "webhooks/create")]
pub async fn create_webhook(form: WebhookForm) -> Result<String, AppError> {
    use crate::domain::webhook::{NewWebhook, WebhookKind};
    let state = super::state()?;
    let admin = super::access::require(crate::domain::account::Role::Admin)?;
    let hook = NewWebhook::parse(&form)?;
    let secret = (hook.kind == WebhookKind::Json).then(crate::server::password::random_token);
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::webhooks::create(
        &txn,
        &hook,
        secret.as_deref(),
        &admin.display_name,
        chrono::Utc::now(),
    )
    .await?;
    txn.commit().await?;
    match secret {
        Some(secret) => {
            super::show_once("/admin/webhooks", &secret).await?;
            Ok(secret)
        }
        None => {
            super::redirect("/admin/webhooks");
            Ok(String::new())
        }
    }
}

/// A stored destination as its edit form shows it.
#[cfg(feature = "ssr")]
fn stored_form(
    d: &crate::server::entities::webhook_destinations::Model,
) -> crate::domain::webhook::WebhookForm {
    use crate::domain::webhook::{NewWebhook, WebhookForm, WebhookKind, events_from_stored};
    let hook = NewWebhook {
        name: d.name.clone(),
        url: d.url.clone(),
        kind: WebhookKind::parse(&d.kind).unwrap_or(WebhookKind::Json),
        events: events_from_stored(&d.events),
        writers_only: d.writers_only,
    };
    WebhookForm::of(&hook, d.paused)
}

/// A destination's edit page (admins): its values, never its secret.
#[server(prefix = "/api", endpoint = "webhooks/for-edit")]
pub async fn webhook_for_edit(id: i64) -> Result<WebhookEditing, AppError> {
    use crate::server::query::build::moment;
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let d = crate::server::repo::webhooks::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Webhook destination {id}")))?;
    Ok(WebhookEditing {
        id,
        form: stored_form(&d),
        signed: d.secret.is_some(),
        created: format!(
            "{} by {}",
            moment(d.created_at, &super::zone()),
            d.created_by
        ),
        name: d.name,
    })
}

/// Rewrites a destination (admins), with the checks of adding one; pausing it stops new
/// notices from being queued for it. Deliveries already queued are left as they are. Returns a
/// new signing secret, shown once, when it became a generic JSON destination without one
/// (empty otherwise: the secret it has stays, and a Slack-compatible one has none).
#[server(prefix = "/api", endpoint = "webhooks/update")]
pub async fn update_webhook(id: i64, form: WebhookForm) -> Result<String, AppError> {
    use crate::domain::webhook::{NewWebhook, WebhookKind};
    use crate::server::repo::webhooks;
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let hook = NewWebhook::parse(&form)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let before = webhooks::get(&txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Webhook destination {id}")))?;
    let (secret, made) = match (hook.kind, before.secret) {
        (WebhookKind::Slack, _) => (None, None),
        (WebhookKind::Json, Some(kept)) => (Some(kept), None),
        (WebhookKind::Json, None) => {
            let made = crate::server::password::random_token();
            (Some(made.clone()), Some(made))
        }
    };
    webhooks::update(&txn, id, &hook, form.paused(), secret.as_deref()).await?;
    txn.commit().await?;
    match made {
        Some(made) => {
            super::show_once(&format!("/admin/webhooks/{id}"), &made).await?;
            Ok(made)
        }
        None => {
            super::redirect("/admin/webhooks");
            Ok(String::new())
        }
    }
}

/// Makes a generic JSON destination a new signing secret (admins), shown once; the old one
/// stops signing at once.
#[server(prefix = "/api", endpoint = "webhooks/secret")]
pub async fn new_webhook_secret(id: i64) -> Result<String, AppError> {
    use crate::server::repo::webhooks;
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let d = webhooks::get(&txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Webhook destination {id}")))?;
    if d.secret.is_none() {
        return Err(AppError::BadRequest(format!(
            "{} is a Slack-compatible destination: its payloads are not signed, so it has no secret.",
            d.name
        )));
    }
    let secret = crate::server::password::random_token();
    webhooks::set_secret(&txn, id, &secret).await?;
    txn.commit().await?;
    super::show_once(&format!("/admin/webhooks/{id}"), &secret).await?;
    Ok(secret)
}

/// Deletes a destination (admins); deliveries still queued for it are dead-lettered.
#[server(prefix = "/api", endpoint = "webhooks/delete")]
pub async fn delete_webhook(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    if !crate::server::repo::webhooks::delete(&txn, id).await? {
        return Err(AppError::not_found(format!("Webhook destination {id}")));
    }
    txn.commit().await?;
    super::redirect("/admin/webhooks");
    Ok(())
}

/// Makes a dead letter due again (admins): the worker tries it at once, with a fresh count of
/// attempts.
#[server(prefix = "/api", endpoint = "webhooks/retry")]
pub async fn retry_delivery(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    if !crate::server::repo::deliveries::retry(&state.db, id, chrono::Utc::now()).await? {
        return Err(AppError::not_found(format!("Dead letter {id}")));
    }
    super::redirect("/admin/webhooks");
    Ok(())
}
