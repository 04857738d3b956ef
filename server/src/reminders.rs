//! The periodic task that writes the reminders nobody's request causes (see
//! `app::server::notify::scheduled`): started with the server, a tick every
//! `reminder_interval` (the first one interval after start), stopped before the database pool
//! closes at shutdown. A tick that fails is logged and the next one tries again; several
//! instances may tick at once (each notice is written once).

use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The running task.
pub struct Reminders {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Starts the task on `db`, ticking every `every`.
pub fn start(db: DatabaseConnection, every: Duration) -> Reminders {
    let (stop, mut stopping) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    match app::server::notify::scheduled::tick(&db, chrono::Utc::now()).await {
                        Ok(ticked) if ticked.digests + ticked.weekly + ticked.reminders > 0 => {
                            tracing::info!(
                                "reminders: {} daily digest(s), {} weekly digest(s) and {} \
                                 not-submitted reminder(s) queued",
                                ticked.digests,
                                ticked.weekly,
                                ticked.reminders
                            );
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!("reminders: the tick failed, next one retries: {e}"),
                    }
                }
                _ = stopping.changed() => break,
            }
        }
    });
    Reminders { stop, task }
}

impl Reminders {
    /// Stops the task, waiting for a tick under way to finish (its transactions commit or roll
    /// back before the pool closes).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!("reminders: the task ended abnormally: {e}");
        }
    }
}
