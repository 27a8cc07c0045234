//! The Hatchet worker and its supervisor.
//!
//! `hatchet-sdk` 0.2.8's worker cannot be stopped, never reconnects its action stream, and
//! `unwrap`s some engine answers. So each worker *generation* (connect, register, listen)
//! lives on its own OS thread with its own tokio runtime: shutting that runtime down is the
//! one way to stop everything the SDK spawned (listener, heartbeats, run tasks), and a
//! panic stays inside it. The supervisor starts generation after generation, with
//! exponential backoff between failures, for as long as the daemon runs.
//!
//! A generation is considered dead, and replaced, when:
//! - the gRPC connection cannot be set up (`from_token` fails, or hangs past
//!   [`CONNECT_TIMEOUT`]: the SDK sets no timeout of its own);
//! - `Worker::start` returns: registration or PutWorkflow failed, or the engine rejected a
//!   heartbeat. The engine does that once the worker's action stream is gone (engine
//!   restart, dropped connection), which is the only sign of a deaf SDK worker: its
//!   listener ends silently while heartbeats go on;
//! - the connection that carried its action stream ends ([`crate::stream_watch`]): after an
//!   engine crash nothing else says so, as heartbeats are still accepted;
//! - it panics (the SDK's `unwrap` on PutWorkflow), or its thread dies;
//! - the sweep reports runs that were due while this generation was up and never arrived
//!   ([`SupervisorHandle::request_restart`]): a deaf worker the engine did not flag.
//!
//! An engine that accepts the connection and then never answers makes a generation look
//! up ([`UP_AFTER`]) while its registration hangs; the SDK's HTTP/2 keepalive (ping every
//! 10 s, 60 s timeout) fails the pending call within about a minute, which ends `start`.
//!
//! Stopping a generation waits, with the SDK's worker still running, until no run has been
//! in progress for a moment (at most [`DRAIN_TIMEOUT`]), then drops it and shuts the
//! runtime down. A run cut off at the deadline is retried by Hatchet; its close is one
//! conditional write, so it is either done or not.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attctl::config::{HatchetSettings, Settings};
use attctl::scheduler::{CLOSE_TASK, LEGACY_WORKFLOW, WARN_TASK};
use attctl::store::SessionStore;
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::runs::{InFlight, RunLedger};
use crate::shutdown;

mod generation;

use generation::Generation;

/// Backoff between generations.
pub(crate) const BACKOFF_INITIAL: Duration = Duration::from_millis(500);
/// Short: the worker is what closes sessions on time, so it must be back within seconds
/// of the engine, and a connect to an engine that is down is refused at no cost.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// A generation that stayed up this long resets the backoff and the failure count.
pub(crate) const HEALTHY_RESET: Duration = Duration::from_secs(60);
/// Consecutive failures from which restarts are logged as errors rather than warnings.
const ERROR_AFTER_FAILURES: u32 = 3;

/// What every generation is built from.
pub(crate) struct WorkerSpec {
    /// To open a store per generation: the HTTP connections of the Supabase store belong to
    /// the runtime that made them and die with it.
    pub settings: Settings,
    /// A store every generation shares instead (the SQLite store: see [`shared_store`]).
    pub shared_store: Option<Arc<dyn SessionStore>>,
    pub hatchet: HatchetSettings,
    pub name: String,
    pub slots: i32,
    /// Also serve the original worker's `close-session-workflow`.
    pub legacy_workflow: bool,
    /// Counts runs of every generation.
    pub inflight: InFlight,
    /// What this process saw of runs, kept across generations.
    pub ledger: Arc<RunLedger>,
    /// Hears every close a run makes (wakes the delivery loop).
    pub events: Arc<dyn attctl::events::EventSink>,
}

impl fmt::Debug for WorkerSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // HatchetSettings holds the token as a Secret (masked); the rest is harmless.
        f.debug_struct("WorkerSpec")
            .field("name", &self.name)
            .field("slots", &self.slots)
            .field("legacy_workflow", &self.legacy_workflow)
            .field("grpc_address", &self.hatchet.grpc_address)
            .finish_non_exhaustive()
    }
}

/// The supervisor's state as others see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Health {
    /// The first generation is being set up.
    Starting,
    /// Generation `generation` is registered and listening.
    Up {
        generation: u64,
    },
    /// The last generation ended; the next starts after `delay`.
    Restarting {
        attempt: u32,
        reason: String,
        delay: Duration,
    },
    Stopped,
}

/// A handle on the supervisor for the rest of the daemon.
#[derive(Clone, Debug)]
pub(crate) struct SupervisorHandle {
    health: watch::Receiver<Health>,
    up_since: Arc<Mutex<Option<DateTime<Utc>>>>,
    restart: mpsc::UnboundedSender<String>,
}

impl SupervisorHandle {
    pub(crate) fn health(&self) -> watch::Receiver<Health> {
        self.health.clone()
    }

    /// Since when the current generation has been up, if it is.
    pub(crate) fn up_since(&self) -> Option<DateTime<Utc>> {
        *self.up_since.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the current generation (it is suspected deaf).
    pub(crate) fn request_restart(&self, reason: String) {
        let _ = self.restart.send(reason);
    }
}

/// Why a generation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GenerationExit {
    /// The runtime or thread could not be created, or the task could not be built.
    SetupFailed(String),
    ConnectFailed(String),
    /// `Worker::start` returned an error (heartbeat rejected, registration failed, ...).
    Failed(String),
    /// `Worker::start` returned `Ok`, which 0.2.8 never does while healthy.
    Ended,
    /// The connection carrying the action stream ended: the SDK never listens again.
    StreamLost(String),
    Panicked(String),
    /// The thread went away without reporting (a panic outside the guarded part).
    ThreadDied,
    /// Stopped on request: `drained` tells whether every run in progress finished.
    Stopped {
        drained: bool,
    },
}

impl fmt::Display for GenerationExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerationExit::SetupFailed(e) => write!(f, "set-up failed: {e}"),
            GenerationExit::ConnectFailed(e) => write!(f, "cannot connect to Hatchet: {e}"),
            GenerationExit::Failed(e) => write!(f, "worker stopped with an error: {e}"),
            GenerationExit::Ended => f.write_str("worker stopped without an error"),
            GenerationExit::StreamLost(why) => {
                write!(f, "action stream lost: {why}; the SDK never reconnects it")
            }
            GenerationExit::Panicked(e) => write!(f, "worker panicked: {e}"),
            GenerationExit::ThreadDied => f.write_str("worker thread died"),
            GenerationExit::Stopped { drained: true } => f.write_str("stopped"),
            GenerationExit::Stopped { drained: false } => {
                f.write_str("stopped with runs still in progress")
            }
        }
    }
}

/// The store generations share, if any: the SQLite one. A second `SqliteStore` on the
/// same file in this process would be wrong (its open closes a plain file descriptor on
/// the database, which drops every POSIX lock this process holds on it, so another
/// process may then delete the WAL under our first connection), and sharing is safe: each
/// call runs on the calling runtime's blocking pool, behind the store's own mutex.
pub(crate) fn shared_store(
    settings: &Settings,
    main: &Arc<dyn SessionStore>,
) -> Option<Arc<dyn SessionStore>> {
    attctl::backend::data_file(settings).map(|_| main.clone())
}

/// Exponential backoff: `initial`, doubling up to `max`.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub(crate) fn new(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max,
            next: initial,
        }
    }

    pub(crate) fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(self.max);
        delay
    }

    pub(crate) fn reset(&mut self) {
        self.next = self.initial;
    }
}

/// Starts the supervisor on the current runtime.
pub(crate) fn start(
    spec: WorkerSpec,
    stop: CancellationToken,
) -> (SupervisorHandle, JoinHandle<()>) {
    let (health_tx, health_rx) = watch::channel(Health::Starting);
    let (restart_tx, restart_rx) = mpsc::unbounded_channel();
    let handle = SupervisorHandle {
        health: health_rx,
        up_since: Arc::new(Mutex::new(None)),
        restart: restart_tx,
    };
    let task = tokio::spawn(supervise(
        Arc::new(spec),
        stop,
        health_tx,
        handle.up_since.clone(),
        restart_rx,
    ));
    (handle, task)
}

async fn supervise(
    spec: Arc<WorkerSpec>,
    stop: CancellationToken,
    health: watch::Sender<Health>,
    up_since: Arc<Mutex<Option<DateTime<Utc>>>>,
    mut restart_rx: mpsc::UnboundedReceiver<String>,
) {
    let set_up_since = |value: Option<DateTime<Utc>>| {
        *up_since.lock().unwrap_or_else(|p| p.into_inner()) = value;
    };
    let mut backoff = Backoff::new(BACKOFF_INITIAL, BACKOFF_MAX);
    let mut failures: u32 = 0;
    let mut number: u64 = 0;
    let mut restarts_open = true;
    while !stop.is_cancelled() {
        number += 1;
        // A restart asked for by a previous generation's symptoms is moot now.
        while restart_rx.try_recv().is_ok() {}
        let mut generation = Generation::spawn(spec.clone(), number);
        let started = Instant::now();
        let mut up_at: Option<Instant> = None;
        let mut up_pending = true;
        let exit = loop {
            tokio::select! {
                up = &mut generation.up, if up_pending => {
                    up_pending = false;
                    if up.is_ok() {
                        up_at = Some(Instant::now());
                        set_up_since(Some(Utc::now()));
                        health.send_replace(Health::Up { generation: number });
                        tracing::info!(
                            target: "attctl_worker::supervisor",
                            generation = number,
                            worker = %spec.name,
                            slots = spec.slots,
                            after_failures = failures,
                            workflows = %served_workflows(spec.legacy_workflow).join(","),
                            "Hatchet worker up: registered {} and listening",
                            served_workflows(spec.legacy_workflow).join(", ")
                        );
                    }
                }
                exit = &mut generation.exit => break exit.unwrap_or(GenerationExit::ThreadDied),
                reason = restart_rx.recv(), if restarts_open => {
                    let Some(reason) = reason else {
                        // Every handle is gone (the sweep loop stopped): nobody can ask now.
                        restarts_open = false;
                        continue;
                    };
                    tracing::warn!(
                        target: "attctl_worker::supervisor",
                        generation = number,
                        reason = %reason,
                        "replacing the Hatchet worker generation"
                    );
                    generation.stop();
                    let stopped = (&mut generation.exit).await.unwrap_or(GenerationExit::ThreadDied);
                    break GenerationExit::Failed(format!("restart requested ({reason}); {stopped}"));
                }
                _ = stop.cancelled() => {
                    generation.stop();
                    let exit = (&mut generation.exit).await.unwrap_or(GenerationExit::ThreadDied);
                    set_up_since(None);
                    health.send_replace(Health::Stopped);
                    tracing::info!(
                        target: "attctl_worker::supervisor",
                        generation = number,
                        outcome = %exit,
                        "Hatchet worker stopped"
                    );
                    return;
                }
            }
        };
        set_up_since(None);
        if up_at.is_some_and(|t| t.elapsed() >= HEALTHY_RESET) {
            backoff.reset();
            failures = 0;
        }
        failures += 1;
        let delay = backoff.next_delay();
        let ran_ms = started.elapsed().as_millis() as u64;
        let reason = exit.to_string();
        if failures >= ERROR_AFTER_FAILURES {
            tracing::error!(
                target: "attctl_worker::supervisor",
                generation = number,
                attempt = failures,
                ran_ms,
                delay_ms = delay.as_millis() as u64,
                reason = %reason,
                "Hatchet worker generation ended again; restarting after backoff"
            );
        } else {
            tracing::warn!(
                target: "attctl_worker::supervisor",
                generation = number,
                attempt = failures,
                ran_ms,
                delay_ms = delay.as_millis() as u64,
                reason = %reason,
                "Hatchet worker generation ended; restarting"
            );
        }
        health.send_replace(Health::Restarting {
            attempt: failures,
            reason,
            delay,
        });
        shutdown::sleep(&stop, delay).await;
    }
    health.send_replace(Health::Stopped);
}

/// What a generation registers, for the logs: `close-teaching-session`,
/// `warn-teaching-session` and, unless turned off, `close-session-workflow`.
pub(crate) fn served_workflows(legacy_workflow: bool) -> Vec<&'static str> {
    let mut served = vec![CLOSE_TASK, WARN_TASK];
    if legacy_workflow {
        served.push(LEGACY_WORKFLOW);
    }
    served
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));
        let delays: Vec<u64> = (0..9).map(|_| b.next_delay().as_millis() as u64).collect();
        assert_eq!(
            delays,
            [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
        );
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_millis(500));
    }
}
