//! Local mode (no Hatchet): the worker itself closes each session at its closing instant.
//!
//! The loop starts by closing everything that ended before the worker started with
//! `closed_by = sweep` (it ended while no worker ran), and sweeps; then it sleeps until the
//! earliest closing instant among Open sessions, however far. Meanwhile it takes one look
//! at the store ([`attctl::store::Outbox::look`]: every [`CHANGE_POLL_LOCAL`] on a SQLite
//! file, one request every [`CHANGE_POLL_SUPABASE`] on Supabase), which answers all an idle
//! worker needs to know:
//! - whether anyone wrote (`attctl`, the original app, psql): the closer then closes what is
//!   due and reads the next closing instant again, and kicks the planner;
//! - the next closing instant after its last round: a change it missed moves its wake-up;
//! - the Open sessions past [`SWEEP_GRACE`]: one that is not a row known to break a rule
//!   starts the sweep at once. While the last look found none, the periodic sweep (every
//!   sweep interval) makes no request; without the look (an old database, a failed look)
//!   it runs as before;
//! - whether events are due for delivery, and the next retry's instant: handed to the
//!   delivery loop ([`DeliveryHint`]), which claims on it instead of on a timer.
//!
//! So an idle worker costs one small read per look and nothing else, a session created at
//! least one look before its end closes on time, and one nobody closed is swept within the
//! grace and a look. On waking it closes what is due: sessions overdue by more than the run
//! tolerance (the worker was suspended, the store was down, ...) as `sweep`, the rest as
//! `auto`. The sweep runs in line with the closes, so it never races them for the `auto`
//! label.
//!
//! The data file is watched too: when it is removed or replaced (a backup restored with
//! `mv`, `rm attctl.db*`), its device and inode change, and the closer reopens the file at
//! its path (creating it if it is gone) and takes the worker lock again on the lock file
//! that is there now, within a second. Without that it would go on reading the old,
//! unlinked file, and never see the sessions created in the new one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use attctl::config::Settings;
use attctl::service::{SWEEP_GRACE, SessionService};
use attctl::session::{ClosedBy, SessionId};
use attctl::store::ChangeWatch;
use attctl::store::OverdueCutoff;
use attctl::worker_lock::{WorkerLock, lock_path};
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::daemon::Context;
use crate::delivery::DeliveryHint;
use crate::planner::Planner;
use crate::shutdown;
use crate::sweep::{LastSweep, UnwritableRows, close_pass_logged, jittered};

/// Between two looks at a SQLite file (one pragma and three indexed reads, from shared
/// memory and the page cache while nobody wrote).
pub(crate) const CHANGE_POLL_LOCAL: Duration = Duration::from_secs(1);
/// Between two looks at the Supabase database (one request).
pub(crate) const CHANGE_POLL_SUPABASE: Duration = Duration::from_secs(5);
/// Bound on one round of store calls, so a hung store cannot stall the loop for good.
const STORE_BUDGET: Duration = Duration::from_secs(60);
/// Above this many sessions closed at once, one event lists them instead of one each.
const PER_SESSION_EVENTS: usize = 20;
/// Pause after a failed round, growing to the cap while failures go on.
const ERROR_PAUSE: Duration = Duration::from_secs(1);
const ERROR_PAUSE_MAX: Duration = Duration::from_secs(10);
/// Shortest sleep, so a session that is due but failed to close cannot spin the loop.
const MIN_SLEEP: Duration = Duration::from_millis(10);

/// The local data file and the worker lock beside it, as this worker opened them.
pub(crate) struct DataFile {
    settings: Settings,
    path: PathBuf,
    identity: Option<FileId>,
    lock: Option<WorkerLock>,
    lock_identity: Option<FileId>,
    /// The event sink a reopened service reports to, and where its store is announced (the
    /// delivery and warning loops follow it).
    events: Option<Arc<dyn attctl::events::EventSink>>,
    store_tx: Option<watch::Sender<Arc<dyn attctl::store::SessionStore>>>,
}

/// Device and inode: what stays the same for one file, whatever its name.
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<FileId> {
    None
}

impl DataFile {
    /// `path` was just opened by the service, and `lock` (if any) taken on its lock file.
    pub(crate) fn new(settings: Settings, path: PathBuf, lock: Option<WorkerLock>) -> Self {
        DataFile {
            identity: file_id(&path),
            lock_identity: lock.as_ref().and_then(|l| file_id(l.path())),
            settings,
            path,
            lock,
            events: None,
            store_tx: None,
        }
    }

    /// A reopened service keeps reporting to `events`, and its store is sent on `store_tx`.
    pub(crate) fn following(
        mut self,
        events: Arc<dyn attctl::events::EventSink>,
        store_tx: watch::Sender<Arc<dyn attctl::store::SessionStore>>,
    ) -> Self {
        self.events = Some(events);
        self.store_tx = Some(store_tx);
        self
    }

    /// A new service when the file at the path is no longer the one this worker opened.
    /// Also takes the worker lock again when its file was removed or replaced.
    fn check(&mut self) -> attctl::Result<Option<SessionService>> {
        let mut reopened = None;
        let now = file_id(&self.path);
        if now != self.identity {
            tracing::warn!(
                target: "attctl_worker::closer",
                path = %self.path.display(),
                gone = now.is_none(),
                "the data file was removed or replaced; reopening it"
            );
            let mut service = attctl::backend::service(&self.settings)?;
            if let Some(events) = &self.events {
                service = service.with_events(events.clone());
            }
            if let Some(tx) = &self.store_tx {
                tx.send_replace(service.store().clone());
            }
            self.identity = file_id(&self.path);
            reopened = Some(service);
        }
        if self.lock.is_some() && file_id(&lock_path(&self.path)) != self.lock_identity {
            // Release ours first: it names a file nobody else can see any more.
            self.lock = None;
            let lock = WorkerLock::acquire(&self.path)?;
            self.lock_identity = file_id(lock.path());
            self.lock = Some(lock);
            tracing::info!(
                target: "attctl_worker::closer",
                path = %self.path.display(),
                "worker lock taken again on the new lock file"
            );
        }
        Ok(reopened)
    }
}

/// The closer, until a stop: closes each session at its end, sweeps when a look finds a
/// session nobody closed (or every interval without the look), and follows the data file
/// when it is replaced.
///
/// While nothing is due it costs one small read per [`change_poll`] (the look) and nothing
/// else: a round of closes and the read of the next closing instant only run when that
/// instant comes, when someone wrote, or at a sweep.
pub(crate) async fn run(ctx: Context, mut data_file: Option<DataFile>) {
    let mut service = ctx.service.clone();
    let started_at = Utc::now();
    let mut next_sweep = Instant::now();
    let mut failures: u32 = 0;
    let mut unwritable = UnwritableRows::default();
    let mut planner = Planner::new(service.clone(), ctx.config.worker_id.clone());
    let mut changes = ChangeWatch::new();
    let mut poll_every = change_poll(service.store().backend());
    // `None`: look at the store now (at start, after a change, after a failure).
    let mut next_closing: Option<Option<DateTime<Utc>>> = None;
    // The instant up to which the last round closed everything it could.
    let mut closed_through: Option<DateTime<Utc>> = None;
    let mut next_poll = Instant::now();
    // The last look answered, and found nothing overdue that a sweep could close: the
    // periodic sweep skips its requests.
    let mut vouched = false;
    let mut sweep_failed = false;
    // The first sweep (at start) always runs.
    let mut swept = false;
    // The overdue sessions the last look swept for.
    let mut swept_for: HashSet<SessionId> = HashSet::new();
    while !ctx.stop.is_cancelled() {
        if let Some(file) = data_file.as_mut() {
            match file.check() {
                Ok(Some(reopened)) => {
                    service = reopened;
                    changes = ChangeWatch::new();
                    poll_every = change_poll(service.store().backend());
                    vouched = false;
                    closed_through = None;
                    // The new file may hold anything: look at it all now.
                    next_sweep = Instant::now();
                }
                Ok(None) => {}
                Err(e @ attctl::Error::Conflict(_)) => {
                    // Another worker took the new file: it is that worker's now.
                    tracing::error!(target: "attctl_worker::closer", error = %e,
                        "cannot take the worker lock on the new data file; stopping");
                    return;
                }
                Err(e) => {
                    tracing::warn!(target: "attctl_worker::closer", error = %e,
                        "cannot reopen the data file yet; retrying");
                    shutdown::sleep(&ctx.stop, ERROR_PAUSE).await;
                    continue;
                }
            }
        }
        if Instant::now() >= next_poll {
            // Before the round it may trigger, so that a write during the round is seen by
            // the next look.
            next_poll = Instant::now() + poll_every;
            let now = Utc::now();
            let look = service.store().look(
                &mut changes,
                now - SWEEP_GRACE,
                closed_through.unwrap_or(now),
            );
            let state = match tokio::time::timeout(STORE_BUDGET, look).await {
                Ok(Ok(look)) => {
                    if look.changed {
                        next_closing = None;
                        // A session another process wrote may have no run yet.
                        planner.kick();
                    }
                    look.state
                }
                Ok(Err(e)) => {
                    tracing::debug!(target: "attctl_worker::closer", error = %e,
                        "could not look at the store; looking at the sessions instead");
                    next_closing = None;
                    None
                }
                Err(_) => {
                    next_closing = None;
                    None
                }
            };
            vouched = false;
            let hint = match &state {
                Some(state) => {
                    if next_closing.is_some() {
                        // The earliest closing after the last round, whatever the closer
                        // thought it was: a change it missed is caught here.
                        next_closing = Some(state.next_closing);
                    }
                    // Overdue past the grace, and not a row known to be unwritable: a
                    // session nobody closed (a change missed, the closer was stuck). The
                    // sweep runs now, once for these sessions; if they stay Open (the
                    // sweep failed), at its interval, as before.
                    let missed: HashSet<SessionId> = state
                        .overdue
                        .iter()
                        .copied()
                        .filter(|id| !unwritable.knows(*id))
                        .collect();
                    if missed.is_empty() {
                        vouched = true;
                    } else if !sweep_failed && !missed.is_subset(&swept_for) {
                        next_sweep = Instant::now();
                        swept_for = missed;
                    }
                    DeliveryHint::Looked {
                        due_now: state.deliver_now,
                        next: state.next_delivery,
                    }
                }
                None => DeliveryHint::Unknown,
            };
            // The delivery loop hears of a new answer, or of events to claim.
            ctx.deliveries.send_if_modified(|last| {
                let news =
                    *last != hint || matches!(hint, DeliveryHint::Looked { due_now: true, .. });
                *last = hint;
                news
            });
            if next_closing.is_none() {
                ctx.others_wrote.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
        if Instant::now() >= next_sweep {
            if vouched && swept {
                // The last look (within a poll) found nothing overdue past the grace that
                // can be closed: the sweep has nothing to do, and asks nothing.
                next_sweep = Instant::now() + jittered(ctx.config.sweep_interval);
            } else {
                let outcome = close_pass_logged(&service, &mut unwritable).await;
                sweep_failed = outcome.is_err();
                swept = true;
                ctx.last_sweep.send_replace(LastSweep::of(outcome));
                planner.kick();
                next_sweep = Instant::now() + jittered(ctx.config.sweep_interval);
                next_closing = None;
            }
        }
        let due = match next_closing {
            None => true,
            Some(Some(at)) => at <= Utc::now(),
            Some(None) => false,
        };
        let mut sleep = Duration::MAX;
        if due {
            let round = tokio::time::timeout(
                STORE_BUDGET,
                close_due_and_peek(&service, started_at, &mut unwritable),
            )
            .await;
            match round {
                Ok(Ok((through, next))) => {
                    failures = 0;
                    closed_through = Some(through);
                    next_closing = Some(next);
                }
                Ok(Err(e)) => {
                    failures += 1;
                    tracing::warn!(
                        target: "attctl_worker::closer",
                        error = %e,
                        failures,
                        "closing due sessions failed; retrying"
                    );
                    sleep = error_pause(failures);
                }
                Err(_) => {
                    failures += 1;
                    tracing::warn!(
                        target: "attctl_worker::closer",
                        failures,
                        "the store did not answer within {}s; retrying",
                        STORE_BUDGET.as_secs()
                    );
                    sleep = error_pause(failures);
                }
            }
        }
        if let Some(Some(at)) = next_closing {
            sleep = sleep.min(until(at, Utc::now()));
        }
        let sleep = sleep
            .min(next_sweep.saturating_duration_since(Instant::now()))
            .min(next_poll.saturating_duration_since(Instant::now()));
        shutdown::sleep(&ctx.stop, sleep.max(MIN_SLEEP)).await;
    }
    planner.stop().await;
}

/// How often the closer looks at the store: a session created or moved by another process
/// at least this long before its end closes on time. SQLite answers
/// from shared memory, so every second; on Supabase it is a request, so every
/// [`CHANGE_POLL_SUPABASE`].
fn change_poll(backend: &str) -> Duration {
    if backend == "supabase" {
        CHANGE_POLL_SUPABASE
    } else {
        CHANGE_POLL_LOCAL
    }
}

/// How long to sleep before the closing instant `at`.
fn until(at: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

fn error_pause(failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(4);
    (ERROR_PAUSE * factor).min(ERROR_PAUSE_MAX)
}

/// Closes what is due now and returns that instant (everything closing by then is closed,
/// or cannot be) and the next closing instant. What ended before `started_at` (while no
/// worker ran) or more than the run tolerance ago is the sweep's; the rest closes on time,
/// as `auto`.
async fn close_due_and_peek(
    service: &SessionService,
    started_at: DateTime<Utc>,
    unwritable: &mut UnwritableRows,
) -> attctl::Result<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let now = Utc::now();
    let late_before = (now - attctl::clock::run_tolerance()).max(started_at);
    let late = service
        .close_overdue(OverdueCutoff::all(late_before), ClosedBy::Sweep, now)
        .await?;
    report(service, &late.closed, ClosedBy::Sweep).await;
    unwritable.note(&late.failed);
    let on_time = service
        .close_overdue(OverdueCutoff::all(now), ClosedBy::Auto, now)
        .await?;
    report(service, &on_time.closed, ClosedBy::Auto).await;
    unwritable.note(&on_time.failed);
    // Whatever was due by now was just closed, or cannot be: wake for what comes next.
    Ok((now, service.store().next_closing(now).await?))
}

/// One event per closed session on `attctl_worker::run` (the same target as Hatchet runs),
/// or one listing them all for a large batch.
async fn report(service: &SessionService, ids: &[SessionId], closed_by: ClosedBy) {
    if ids.is_empty() {
        return;
    }
    // The close returns ids only; one read gives each session's lag. If it fails the
    // closes are still reported, without lag.
    let sessions = service.store().get_sessions(ids).await.unwrap_or_default();
    let lag_of = |id: SessionId| -> Option<i64> {
        let s = sessions.iter().find(|s| s.id == id)?;
        Some((s.closed_at? - s.closes_at).num_milliseconds())
    };
    let names = crate::log_names::class_names(service, sessions.iter().map(|s| s.class_id)).await;
    for &id in ids {
        let what = sessions.iter().find(|s| s.id == id).map_or_else(
            || format!("session {id}"),
            |s| crate::log_names::describe(&names, s),
        );
        let late = lag_of(id).map_or_else(|| "?".to_string(), attctl::human_delay);
        tracing::info!(
            target: attctl::WORKER_LOG_TARGET,
            "closed {what}, {late} late ({})",
            closed_by.as_str()
        );
    }
    if ids.len() <= PER_SESSION_EVENTS {
        for &id in ids {
            tracing::info!(
                target: "attctl_worker::run",
                session_id = id,
                outcome = "closed",
                closed_by = closed_by.as_str(),
                lag_ms = lag_of(id),
                mode = "local",
                "session closed"
            );
        }
    } else {
        let max_lag_ms = ids.iter().filter_map(|&id| lag_of(id)).max();
        tracing::info!(
            target: "attctl_worker::run",
            count = ids.len(),
            session_ids = ?ids,
            outcome = "closed",
            closed_by = closed_by.as_str(),
            max_lag_ms,
            mode = "local",
            "sessions closed"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeps_until_the_next_closing_however_far() {
        let now = Utc::now();
        assert_eq!(
            until(now - chrono::Duration::seconds(1), now),
            Duration::ZERO
        );
        assert_eq!(
            until(now + chrono::Duration::milliseconds(250), now),
            Duration::from_millis(250)
        );
        assert_eq!(
            until(now + chrono::Duration::hours(3), now),
            Duration::from_secs(3 * 3600)
        );
    }

    #[test]
    fn supabase_is_asked_for_changes_every_five_seconds_a_file_every_second() {
        assert_eq!(change_poll("supabase"), Duration::from_secs(5));
        assert_eq!(change_poll("local"), Duration::from_secs(1));
    }

    #[test]
    fn error_pauses_grow_to_a_cap() {
        let pauses: Vec<u64> = (1..=7).map(|n| error_pause(n).as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 10, 10, 10]);
    }
}
