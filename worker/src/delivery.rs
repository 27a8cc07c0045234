//! Notifications from the worker, in both modes: the warning loop records the
//! `session.closing_soon` events that are due (on time in local mode; in Hatchet mode the
//! warning runs do that, and the loop records the missed ones every sweep interval), and the delivery loop sends the outbox's
//! events to the configured channels. Each is a part of its own, apart from the closer and
//! the sweep, so a slow or dead receiver never delays a close; each channel takes at most
//! [`CONCURRENCY`] sends at a time, and one channel's trouble never holds up another's.
//!
//! The delivery loop polls the outbox every [`IDLE`] while there is work and backs off to
//! [`IDLE_MAX`] while there is none, so an idle worker costs a request every few seconds;
//! a change this worker makes (its [`WakeSink`]) wakes it at once, so the lag of its own
//! closes stays as it is. An event written by another process waits at most [`IDLE_MAX`].

use std::sync::Arc;
use std::time::Duration;

use attctl::events::{EventSink, SessionEvent, TraceSink};
use attctl::notify::NotifySettings;
use attctl::notify::outbox::{Deliverer, REQUEST_TIMEOUT};
use attctl::store::SessionStore;
use chrono::Utc;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::shutdown::Shutdown;

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
/// Longest sleep of the warning loop, so sessions created or moved meanwhile are seen.
const WARN_POLL: Duration = Duration::from_secs(1);
/// Pause after a failed store call.
const ERROR_PAUSE: Duration = Duration::from_secs(2);
/// Test hook: request timeout per send, in seconds (the lease follows it).
const TIMEOUT_VAR: &str = "ATTCTL_NOTIFY_TIMEOUT_SECS";

/// The store the loops use, replaced when the local closer reopens a replaced data file.
pub(crate) type StoreWatch = watch::Receiver<Arc<dyn SessionStore>>;

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
pub(crate) async fn run_delivery(
    mut stores: StoreWatch,
    settings: NotifySettings,
    worker_id: String,
    shutdown: Shutdown,
    wake: Arc<Notify>,
) {
    let timeout = std::env::var(TIMEOUT_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(REQUEST_TIMEOUT);
    let configured = !settings.channels().is_empty();
    let store = stores.borrow_and_update().clone();
    let mut deliverer = match Deliverer::new(store, settings, worker_id, CONCURRENCY, timeout) {
        Ok(d) => Arc::new(d),
        Err(e) => {
            tracing::error!(target: "attctl_worker", error = %e, "notifications cannot start");
            shutdown.requested().await;
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
        if shutdown.is_requested() {
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
            let claimed = tokio::select! {
                _ = shutdown.requested() => return,
                r = deliverer.claim(room) => r,
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
            _ = shutdown.requested() => return,
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
            _ = wake.notified() => {
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

/// How the warning loop paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WarnPace {
    /// Local mode: the loop is what sends warnings on time, so it sleeps until the next
    /// one falls due (looking again at least every [`WARN_POLL`]).
    OnTime,
    /// Hatchet mode: each warning is a scheduled run (`warn-teaching-session`); the loop
    /// only records, every sweep interval, warnings that are due and were missed.
    Sweep(Duration),
}

/// Records due warnings until shutdown: every offset of `ATTCTL_WARN_BEFORE`, for Open
/// sessions only, before their closing instant only, once per session and offset (the
/// store's unique key holds this across workers and with warning runs). Covers warnings
/// missed while no worker ran, as long as the session is still Open and not yet due to
/// close.
pub(crate) async fn run_warnings(
    mut stores: StoreWatch,
    settings: NotifySettings,
    pace: WarnPace,
    shutdown: Shutdown,
    wake: Arc<Notify>,
) {
    let offsets: Vec<u32> = settings
        .warn_before
        .iter()
        .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
        .collect();
    if offsets.is_empty() {
        shutdown.requested().await;
        return;
    }
    loop {
        let store = stores.borrow_and_update().clone();
        let pause = tokio::select! {
            _ = shutdown.requested() => return,
            r = record_and_next(store.as_ref(), &settings, &offsets, pace) => match r {
                Ok((recorded, next)) => {
                    if recorded > 0 {
                        wake.notify_one();
                    }
                    next
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker", error = %e, "recording warnings failed");
                    ERROR_PAUSE
                }
            },
        };
        tokio::select! {
            _ = shutdown.requested() => return,
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Records what is due now; answers how long to sleep until the next warning falls due.
async fn record_and_next(
    store: &dyn SessionStore,
    settings: &NotifySettings,
    offsets: &[u32],
    pace: WarnPace,
) -> attctl::Result<(usize, Duration)> {
    let recorded = store.record_due_warnings(offsets).await?;
    if !recorded.is_empty() {
        tracing::info!(target: "attctl_worker", count = recorded.len(), "closing-soon warnings recorded");
    }
    if let WarnPace::Sweep(interval) = pace {
        return Ok((recorded.len(), interval));
    }
    let now = Utc::now();
    let mut sleep = WARN_POLL;
    for offset in &settings.warn_before {
        let Ok(offset) = chrono::Duration::from_std(*offset) else {
            continue;
        };
        if let Some(next) = store.next_closing(now + offset).await? {
            let due = (next - offset - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO);
            sleep = sleep.min(due);
        }
    }
    Ok((recorded.len(), sleep.max(Duration::from_millis(10))))
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
