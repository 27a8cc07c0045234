//! Notifications from the worker, in both modes: the warning loop records the
//! `session.closing_soon` events that are due, and the delivery loop sends the outbox's
//! events to the configured channels. Each is a part of its own, apart from the closer and
//! the sweep, so a slow or dead receiver never delays a close; deliveries run at most
//! [`CONCURRENCY`] at a time.

use std::sync::Arc;
use std::time::Duration;

use attctl::notify::NotifySettings;
use attctl::notify::outbox::{Deliverer, REQUEST_TIMEOUT};
use attctl::store::SessionStore;
use chrono::Utc;
use tokio::sync::Notify;

use crate::shutdown::Shutdown;

/// Sends in flight at once, over all channels.
pub(crate) const CONCURRENCY: usize = 16;
/// Events claimed per pass.
const BATCH: usize = 64;
/// Idle wait between passes when channels are configured (a warning wakes it at once).
const IDLE: Duration = Duration::from_millis(500);
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

/// Sends the outbox's events until shutdown.
pub(crate) async fn run_delivery(
    store: Arc<dyn SessionStore>,
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
    let deliverer = match Deliverer::new(store, settings, worker_id, CONCURRENCY, timeout) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(target: "attctl_worker", error = %e, "notifications cannot start");
            shutdown.requested().await;
            return;
        }
    };
    let idle = if configured { IDLE } else { IDLE_UNCONFIGURED };
    let mut last_prune: Option<std::time::Instant> = None;
    loop {
        if shutdown.is_requested() {
            return;
        }
        if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            match deliverer.prune(Utc::now()).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(target: "attctl_worker", pruned = n, "old delivered events pruned")
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker", error = %e, "pruning events failed")
                }
            }
            last_prune = Some(std::time::Instant::now());
        }
        let pause = tokio::select! {
            _ = shutdown.requested() => return,
            r = deliverer.pass(BATCH) => match r {
                // A full batch: more may be due.
                Ok(report) if report.claimed >= BATCH => Duration::ZERO,
                Ok(report) => {
                    if report.claimed > 0 {
                        tracing::debug!(target: "attctl_worker", ?report, "delivery pass");
                    }
                    idle
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker", error = %e, "claiming events failed");
                    ERROR_PAUSE
                }
            },
        };
        if pause > Duration::ZERO {
            tokio::select! {
                _ = shutdown.requested() => return,
                _ = wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }
}

/// Records due warnings until shutdown: every offset of `ATTCTL_WARN_BEFORE`, for Open
/// sessions only, before their closing instant only, once per session and offset (the
/// store's unique key holds this across workers). Covers warnings missed while no worker
/// ran, as long as the session is still Open and not yet due to close.
pub(crate) async fn run_warnings(
    store: Arc<dyn SessionStore>,
    settings: NotifySettings,
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
        let pause = tokio::select! {
            _ = shutdown.requested() => return,
            r = record_and_next(store.as_ref(), &settings, &offsets) => match r {
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
) -> attctl::Result<(usize, Duration)> {
    let recorded = store.record_due_warnings(offsets).await?;
    if !recorded.is_empty() {
        tracing::info!(target: "attctl_worker", count = recorded.len(), "closing-soon warnings recorded");
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
