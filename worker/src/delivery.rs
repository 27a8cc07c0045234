//! The delivery loop, in both modes: sends the outbox's events to the configured channels.
//! It is a part of its own, apart from the closer and the sweep (and the warning loop,
//! [`crate::warnings`]), so a slow or dead receiver never delays a close; each channel takes
//! at most [`CONCURRENCY`] sends at a time, and one channel's trouble never holds up
//! another's.
//!
//! The delivery loop claims every [`IDLE`] while there is work. While there is none it
//! makes no request of its own when the local closer looks at the store for it
//! ([`DeliveryHint::Looked`], once per look, every 5 s on Supabase): it claims when that
//! look finds events due (written by another process: within a look of being written),
//! and at the next retry's instant; at most [`WATCHED_IDLE_MAX`] apart otherwise. Nobody
//! looks in Hatchet mode or on a database without `attctl_worker_watch`
//! ([`DeliveryHint::Unknown`]): it then backs off from [`IDLE`] to [`IDLE_MAX`] (30 s with
//! no channel configured), as before. A change this worker makes (its [`WakeSink`]) wakes
//! it at once in either case, so the lag of its own closes stays as it is.

use std::sync::Arc;
use std::time::Duration;

use attctl::events::{EventSink, SessionEvent, TraceSink};
use attctl::notify::outbox::{Deliverer, REQUEST_TIMEOUT};
use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinSet;

use crate::daemon::Context;

/// Sends in flight at once to one channel.
pub(crate) const CONCURRENCY: usize = 16;
/// Events being delivered at once (claimed and not yet finished), over all channels.
const MAX_IN_FLIGHT: usize = 64;
/// Wait after a pass that found work, when channels are configured (a warning or one of
/// this worker's own changes wakes it at once).
pub(crate) const IDLE: Duration = Duration::from_millis(500);
/// The wait doubles after each pass that found nothing, up to this.
pub(crate) const IDLE_MAX: Duration = Duration::from_secs(5);
/// Idle wait when none is: a pass then only settles new events as nothing to send.
const IDLE_UNCONFIGURED: Duration = Duration::from_secs(30);
/// Longest idle wait while the closer looks at the store for this loop: a safety net only.
pub(crate) const WATCHED_IDLE_MAX: Duration = Duration::from_secs(10 * 60);
/// How often delivered events past retention are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Pause after a failed store call.
pub(crate) const ERROR_PAUSE: Duration = Duration::from_secs(2);
/// Test hook: request timeout per send, in seconds (the lease follows it).
const TIMEOUT_VAR: &str = "ATTCTL_NOTIFY_TIMEOUT_SECS";

/// What the local closer's last look at the store says of the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum DeliveryHint {
    /// Nobody looks (Hatchet mode, a database without the watch, a failed look): the loop
    /// claims on its own timer.
    #[default]
    Unknown,
    /// A claim would find an event to send now (`due_now`); the earliest event's
    /// `next_attempt_at` (a retry's instant), by the store's clock.
    Looked {
        due_now: bool,
        next: Option<DateTime<Utc>>,
    },
}

impl DeliveryHint {
    /// How long an idle loop (its last claim found nothing) waits for its next claim:
    /// `None` when nobody looks (its own timer then).
    fn idle_wait(self, now: DateTime<Utc>) -> Option<Duration> {
        match self {
            DeliveryHint::Unknown => None,
            DeliveryHint::Looked { next, .. } => Some(
                next.and_then(|at| (at - now).to_std().ok())
                    // A retry due already (and not found by the claim) waits for the
                    // next look; so does a loop with nothing pending.
                    .filter(|wait| !wait.is_zero())
                    .map_or(WATCHED_IDLE_MAX, |wait| wait.min(WATCHED_IDLE_MAX)),
            ),
        }
    }
}

/// Logs each change as [`TraceSink`] does, and wakes the delivery loop: the event is in
/// the outbox already (the trigger wrote it in the change's transaction).
pub(crate) struct WakeSink {
    wake: Arc<Notify>,
}

impl WakeSink {
    pub(crate) fn new(wake: Arc<Notify>) -> Self {
        WakeSink { wake }
    }
}

impl EventSink for WakeSink {
    fn emit(&self, event: &SessionEvent) {
        TraceSink.emit(event);
        self.wake.notify_one();
    }
}

/// Sends the outbox's events until shutdown. Claimed events are delivered as tasks of
/// their own, and the loop claims more while they run (when half the slots are free, when
/// woken, or when the idle wait ends): an event waiting on a slow or silent channel never
/// holds up the events after it.
pub(crate) async fn run(ctx: Context) {
    let mut stores = ctx.stores.clone();
    let settings = ctx.config.settings.notify.clone();
    let timeout = std::env::var(TIMEOUT_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(REQUEST_TIMEOUT);
    let configured = !settings.channels().is_empty();
    let store = stores.borrow_and_update().clone();
    let mut deliverer = match Deliverer::new(
        store,
        settings,
        ctx.config.worker_id.clone(),
        CONCURRENCY,
        timeout,
    ) {
        Ok(d) => Arc::new(d),
        Err(e) => {
            tracing::error!(target: "attctl_worker", error = %e, "notifications cannot start");
            ctx.stop.cancelled().await;
            return;
        }
    };
    // Dropped on return: the tasks are aborted and their claims run out, so another pass
    // (or worker) sends those events again, with the same ids.
    let mut in_flight: JoinSet<attctl::Result<&'static str>> = JoinSet::new();
    let mut idle = IDLE;
    let mut last_prune: Option<std::time::Instant> = None;
    let mut claim_now = true;
    let mut hints = ctx.deliveries.subscribe();
    // The last claim found events (more may follow at once), or failed.
    let mut found = false;
    let mut failed = false;
    loop {
        if ctx.stop.is_cancelled() {
            return;
        }
        if stores.has_changed().unwrap_or(false) {
            deliverer = Arc::new(deliverer.with_store(stores.borrow_and_update().clone()));
            tracing::info!(target: "attctl_worker", "delivering from the reopened data file");
        }
        if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            match deliverer.prune(Utc::now()).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(target: "attctl_worker", pruned = n, "old settled events pruned")
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker", error = %e, "pruning events failed")
                }
            }
            last_prune = Some(std::time::Instant::now());
        }
        let room = MAX_IN_FLIGHT.saturating_sub(in_flight.len());
        if claim_now && room > 0 {
            claim_now = false;
            let Some(claimed) = ctx.stop.run_until_cancelled(deliverer.claim(room)).await else {
                return;
            };
            match claimed {
                Ok(events) => {
                    let n = events.len();
                    for event in events {
                        let d = deliverer.clone();
                        in_flight.spawn(async move { d.deliver(event).await });
                    }
                    found = n > 0;
                    failed = false;
                    if found {
                        tracing::debug!(target: "attctl_worker", claimed = n, "delivery claim");
                        idle = IDLE;
                    } else {
                        idle = next_idle(idle);
                    }
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker", error = %e, "claiming events failed");
                    failed = true;
                }
            }
        }
        // After a full claim more may be due: the next claim comes once half the slots
        // are free again, or after the pause.
        let hint = *hints.borrow_and_update();
        let pause = if failed {
            ERROR_PAUSE
        } else {
            match hint.idle_wait(Utc::now()).filter(|_| !found) {
                Some(wait) => wait,
                None if !configured => IDLE_UNCONFIGURED,
                None => idle,
            }
        };
        tokio::select! {
            _ = ctx.stop.cancelled() => return,
            Some(done) = in_flight.join_next(), if !in_flight.is_empty() => {
                match done {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        tracing::warn!(target: "attctl_worker", error = %e, "could not record a delivery outcome")
                    }
                    Err(e) => {
                        tracing::warn!(target: "attctl_worker", error = %e, "a delivery task ended abnormally")
                    }
                }
                // One claim for many finished events, not one each; a finished event may
                // also let the next event of its session go.
                if in_flight.len() <= MAX_IN_FLIGHT / 2 {
                    claim_now = true;
                }
            }
            _ = ctx.wake.notified() => {
                idle = IDLE;
                claim_now = true;
            }
            // A look at the store: events due (written by another process, a retry due),
            // or only a new pause.
            Ok(()) = hints.changed() => {
                if let DeliveryHint::Looked { due_now: true, .. } = *hints.borrow() {
                    claim_now = true;
                }
            }
            _ = tokio::time::sleep(pause) => claim_now = true,
        }
    }
}

/// The idle wait after another empty pass: doubled, at most [`IDLE_MAX`].
fn next_idle(idle: Duration) -> Duration {
    idle.saturating_mul(2).clamp(IDLE, IDLE_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_looked_at_outbox_waits_for_its_next_retry_or_the_next_look() {
        let now = Utc::now();
        assert_eq!(DeliveryHint::Unknown.idle_wait(now), None);
        let looked = |next| DeliveryHint::Looked {
            due_now: false,
            next,
        };
        assert_eq!(looked(None).idle_wait(now), Some(WATCHED_IDLE_MAX));
        assert_eq!(
            looked(Some(now + chrono::Duration::seconds(42))).idle_wait(now),
            Some(Duration::from_secs(42))
        );
        assert_eq!(
            looked(Some(now - chrono::Duration::seconds(1))).idle_wait(now),
            Some(WATCHED_IDLE_MAX),
            "a retry due already waits for the next look, never spins"
        );
        assert_eq!(
            looked(Some(now + chrono::Duration::hours(2))).idle_wait(now),
            Some(WATCHED_IDLE_MAX)
        );
    }

    #[test]
    fn idle_waits_double_up_to_the_cap() {
        assert_eq!(next_idle(IDLE), Duration::from_secs(1));
        assert_eq!(next_idle(Duration::from_secs(4)), IDLE_MAX);
        assert_eq!(next_idle(IDLE_MAX), IDLE_MAX);
    }
}
