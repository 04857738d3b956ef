//! The delivery worker: a background task, started with the server and stopped with its
//! graceful shutdown, that takes notices from the outbox to people (email through SMTP) and
//! destinations (webhooks).
//!
//! Every `DEBRIEF_NOTIFY_POLL_MS` it claims up to [`BATCH`] due rows under a lease of
//! [`LEASE`] (`repo::deliveries::claim`: `FOR UPDATE SKIP LOCKED` on Postgres, one
//! `UPDATE … RETURNING` under SQLite's write lock), so with several instances on one database
//! each row is sent by one of them. Each is sent and marked sent, or its failure is recorded:
//! after try `n` it waits `DEBRIEF_NOTIFY_RETRY_MS × 2^(n-1)`, at most an hour (by default 30 s,
//! 1, 2, 4, 8, 16, 32 min), and after `DEBRIEF_NOTIFY_MAX_ATTEMPTS` tries (default 8) it is
//! dead-lettered: an admin sees it with its error on `/admin/webhooks` and can retry it.
//!
//! Delivery is at least once: an instance that stops between sending and marking leaves the
//! row claimed, and it is sent again when the lease runs out. Every email and request carries
//! the delivery's idempotency key so receivers can drop the repeat.
//!
//! Without SMTP configured, email deliveries are dead-lettered at their first try with "email
//! is not configured", visible to admins and retryable once it is — never silently dropped and
//! never piling up as pending.

pub mod config;
pub mod email;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use app::domain::notify::Channel;
use app::server::entities::outbox;
use app::server::repo::{deliveries, webhooks};
use chrono::Utc;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use self::config::NotifyConfig;
use self::email::Mailer;

/// The most rows one instance claims at a time.
pub const BATCH: u64 = 10;
/// How long a claim holds: longer than sending a whole batch can take ([`BATCH`] × the send
/// timeout), so a slow batch is not taken by another instance while it is still being sent.
pub const LEASE: Duration = Duration::from_secs(180);
/// How long one SMTP command or one webhook request may take.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait between tries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The wait after the `attempt`-th failed try (1 is the first): `base × 2^(attempt-1)`, at most
/// [`MAX_BACKOFF`] (or `base`, when that is longer).
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(20));
    base.saturating_mul(factor).min(MAX_BACKOFF.max(base))
}

/// Why a delivery failed.
enum Failure {
    /// Worth another try.
    Retry(String),
    /// No try will do better (no SMTP configured, the destination was deleted): dead at once.
    Permanent(String),
}

/// What the worker sends with.
pub struct Worker {
    db: DatabaseConnection,
    mailer: Option<Mailer>,
    http: reqwest::Client,
    public_url: String,
    config: NotifyConfig,
}

impl Worker {
    /// A worker on `db` with `config`; `public_url` is the address notices link to.
    ///
    /// # Errors
    /// When the SMTP settings or the HTTP client cannot be set up.
    pub fn new(
        db: DatabaseConnection,
        config: &NotifyConfig,
        public_url: String,
    ) -> Result<Self, String> {
        let mailer = match &config.smtp {
            Some(smtp) => Some(Mailer::new(smtp, SEND_TIMEOUT)?),
            None => None,
        };
        let http = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .connect_timeout(SEND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Debrief/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the webhook HTTP client: {e}"))?;
        Ok(Worker {
            db,
            mailer,
            http,
            public_url,
            config: config.clone(),
        })
    }

    /// Runs until `stop` turns true: a round every poll interval (the first after one interval).
    /// A round in progress finishes the row it is sending; the rest of its claim is given back.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let worker = Arc::new(self);
        loop {
            tokio::select! {
                () = tokio::time::sleep(worker.config.poll) => {}
                _ = stop.wait_for(|stopping| *stopping) => break,
            }
            if let Err(e) = worker.round(&stop).await {
                tracing::warn!("delivering notifications: {e}");
            }
        }
    }

    /// Claims due rows and sends each; returns how many were tried.
    ///
    /// # Errors
    /// When the database refuses the claim or a mark.
    pub async fn round(&self, stop: &watch::Receiver<bool>) -> Result<usize, sea_orm::DbErr> {
        let now = Utc::now();
        let lease = chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::minutes(3));
        let rows = deliveries::claim(&self.db, now, now + lease, BATCH).await?;
        let mut tried = 0;
        for row in &rows {
            if *stop.borrow() {
                break;
            }
            tried += 1;
            match self.send(row).await {
                Ok(()) => deliveries::mark_sent(&self.db, row.id, Utc::now()).await?,
                Err(failure) => self.failed(row, failure).await?,
            }
        }
        let unsent: Vec<i64> = rows.iter().skip(tried).map(|r| r.id).collect();
        if !unsent.is_empty() {
            deliveries::release(&self.db, &unsent).await?;
        }
        Ok(tried)
    }

    async fn failed(&self, row: &outbox::Model, failure: Failure) -> Result<(), sea_orm::DbErr> {
        let attempts = row.attempts.saturating_add(1);
        let now = Utc::now();
        let (error, next) = match failure {
            Failure::Permanent(error) => (error, deliveries::Next::Dead(now)),
            Failure::Retry(error)
                if u32::try_from(attempts).unwrap_or(u32::MAX) >= self.config.max_attempts =>
            {
                (error, deliveries::Next::Dead(now))
            }
            Failure::Retry(error) => {
                let wait = backoff(self.config.retry_base, u32::try_from(attempts).unwrap_or(1));
                let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                (error, deliveries::Next::RetryAt(now + wait))
            }
        };
        if matches!(next, deliveries::Next::Dead(_)) {
            tracing::warn!(
                "notification {} ({}) given up after {attempts} tries: {error}",
                row.id,
                row.channel
            );
        }
        deliveries::mark_failed(&self.db, row.id, attempts, &error, next).await
    }

    async fn send(&self, row: &outbox::Model) -> Result<(), Failure> {
        match Channel::parse(&row.channel) {
            Some(Channel::Email) => match &self.mailer {
                Some(mailer) => mailer
                    .send(row, &self.public_url)
                    .await
                    .map_err(Failure::Retry),
                None => Err(Failure::Permanent(
                    "email is not configured (set DEBRIEF_SMTP_URL and DEBRIEF_MAIL_FROM)"
                        .to_owned(),
                )),
            },
            Some(Channel::Webhook) => {
                let destination = match row.recipient.parse::<i64>() {
                    Ok(id) => webhooks::get(&self.db, id)
                        .await
                        .map_err(|e| Failure::Retry(format!("reading the destination: {e}")))?,
                    Err(_) => None,
                };
                let Some(destination) = destination else {
                    return Err(Failure::Permanent(
                        "the webhook destination was deleted".to_owned(),
                    ));
                };
                webhook::send(
                    &self.http,
                    &destination,
                    row,
                    &self.public_url,
                    Utc::now().timestamp(),
                )
                .await
                .map_err(Failure::Retry)
            }
            None => Err(Failure::Permanent(format!(
                "unknown channel {:?}",
                row.channel
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_each_failed_try_up_to_an_hour() {
        let base = Duration::from_secs(30);
        let waits: Vec<u64> = (1..=9).map(|n| backoff(base, n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(base, 1000), MAX_BACKOFF);
        assert_eq!(
            backoff(Duration::from_millis(100), 3),
            Duration::from_millis(400)
        );
    }
}
