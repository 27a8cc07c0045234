//! The delivery loop, in both modes: sends the outbox's events to the configured channels.
//! It is a part of its own, apart from the closer and the sweep (and the warning loop,
//! [`crate::warnings`]), so a slow or dead receiver never delays a close; each channel takes
//! at most [`CONCURRENCY`] sends at a time, and one channel's trouble never holds up
//! another's.
//!
//! The delivery loop polls the outbox every [`IDLE`] while there is work and backs off to
//! [`IDLE_MAX`] while there is none, so an idle worker costs a request every few seconds;
//! a change this worker makes (its [`WakeSink`]) wakes it at once, so the lag of its own
//! closes stays as it is. An event written by another process waits at most [`IDLE_MAX`].

use std::sync::Arc;
use std::time::Duration;

use attctl::events::{EventSink, SessionEvent, TraceSink};
use attctl::notify::outbox::{Deliverer, REQUEST_TIMEOUT};
use chrono::Utc;
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
/// How often delivered events past retention are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Pause after a failed store call.
pub(crate) const ERROR_PAUSE: Duration = Duration::from_secs(2);
/// Test hook: request timeout per send, in seconds (the lease follows it).
const TIMEOUT_VAR: &str = "ATTCTL_NOTIFY_TIMEOUT_SECS";

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
        let mut pause = idle;
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
                    if n > 0 {
                        tracing::debug!(target: "attctl_worker", claimed = n, "delivery claim");
                        idle = IDLE;
                    } else {
                        idle = next_idle(idle);
                    }
                    // After a full claim more may be due: the next claim comes once half
                    // the slots are free again.
                    pause = if !configured { IDLE_UNCONFIGURED } else { idle };
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker", error = %e, "claiming events failed");
                    pause = ERROR_PAUSE;
                }
            }
        }
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
    fn idle_waits_double_up_to_the_cap() {
        assert_eq!(next_idle(IDLE), Duration::from_secs(1));
        assert_eq!(next_idle(Duration::from_secs(4)), IDLE_MAX);
        assert_eq!(next_idle(IDLE_MAX), IDLE_MAX);
    }
}
