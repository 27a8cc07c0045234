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
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attctl::config::{HatchetSettings, Settings, TlsStrategy};
use attctl::scheduler::local::LocalScheduler;
use attctl::scheduler::{CLOSE_TASK, LEGACY_TASK, LEGACY_WORKFLOW, WARN_TASK};
use attctl::service::SessionService;
use attctl::store::SessionStore;
use chrono::{DateTime, Utc};
use futures::FutureExt;
use hatchet_sdk::{Context, Hatchet, HatchetError, Register, Task};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::shutdown::Shutdown;
use crate::task::{CloseTask, EXECUTION_TIMEOUT, InFlight, RETRIES, RunIds, RunKind, RunLedger};
use crate::warn_task::WarnTask;

/// Longest wait for the SDK's eager gRPC connect.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A generation whose `start` has not failed after this long is up: registration,
/// PutWorkflow and the first heartbeat take milliseconds on a healthy engine, and any of
/// them failing ends `start` at once.
pub(crate) const UP_AFTER: Duration = Duration::from_secs(1);
/// Runs still in progress when a generation stops get this long to finish.
pub(crate) const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// A stopping generation goes once no run has been in progress for this long: covers a run
/// the SDK is about to hand to us and the completion event of the last one.
const DRAIN_QUIET: Duration = Duration::from_millis(300);
const DRAIN_POLL: Duration = Duration::from_millis(25);
/// Bound on the runtime shutdown itself (blocking work the SDK may hold).
const RUNTIME_SHUTDOWN: Duration = Duration::from_secs(1);
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
pub(crate) enum GenExit {
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

impl fmt::Display for GenExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenExit::SetupFailed(e) => write!(f, "set-up failed: {e}"),
            GenExit::ConnectFailed(e) => write!(f, "cannot connect to Hatchet: {e}"),
            GenExit::Failed(e) => write!(f, "worker stopped with an error: {e}"),
            GenExit::Ended => f.write_str("worker stopped without an error"),
            GenExit::StreamLost(why) => {
                write!(f, "action stream lost: {why}; the SDK never reconnects it")
            }
            GenExit::Panicked(e) => write!(f, "worker panicked: {e}"),
            GenExit::ThreadDied => f.write_str("worker thread died"),
            GenExit::Stopped { drained: true } => f.write_str("stopped"),
            GenExit::Stopped { drained: false } => {
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
pub(crate) fn start(spec: WorkerSpec, shutdown: Shutdown) -> (SupervisorHandle, JoinHandle<()>) {
    let (health_tx, health_rx) = watch::channel(Health::Starting);
    let (restart_tx, restart_rx) = mpsc::unbounded_channel();
    let handle = SupervisorHandle {
        health: health_rx,
        up_since: Arc::new(Mutex::new(None)),
        restart: restart_tx,
    };
    let task = tokio::spawn(supervise(
        Arc::new(spec),
        shutdown,
        health_tx,
        handle.up_since.clone(),
        restart_rx,
    ));
    (handle, task)
}

async fn supervise(
    spec: Arc<WorkerSpec>,
    shutdown: Shutdown,
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
    while !shutdown.is_requested() {
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
                exit = &mut generation.exit => break exit.unwrap_or(GenExit::ThreadDied),
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
                    let stopped = (&mut generation.exit).await.unwrap_or(GenExit::ThreadDied);
                    break GenExit::Failed(format!("restart requested ({reason}); {stopped}"));
                }
                _ = shutdown.requested() => {
                    generation.stop();
                    let exit = (&mut generation.exit).await.unwrap_or(GenExit::ThreadDied);
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
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = shutdown.requested() => {}
        }
    }
    health.send_replace(Health::Stopped);
}

/// One generation, seen from the supervisor.
struct Generation {
    stop: Option<oneshot::Sender<()>>,
    up: oneshot::Receiver<()>,
    exit: oneshot::Receiver<GenExit>,
}

impl Generation {
    fn spawn(spec: Arc<WorkerSpec>, number: u64) -> Generation {
        let (stop_tx, stop_rx) = oneshot::channel();
        let (up_tx, up_rx) = oneshot::channel();
        let (exit_tx, exit_rx) = oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name(format!("hatchet-gen-{number}"))
            .spawn(move || {
                let exit = generation_thread(&spec, number, stop_rx, up_tx);
                let _ = exit_tx.send(exit);
            });
        let exit = match spawned {
            Ok(_) => exit_rx,
            Err(e) => {
                // Report through the same channel shape as a generation that ran.
                let (tx, rx) = oneshot::channel();
                let _ = tx.send(GenExit::SetupFailed(format!("cannot start a thread: {e}")));
                rx
            }
        };
        Generation {
            stop: Some(stop_tx),
            up: up_rx,
            exit,
        }
    }

    fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The whole life of a generation on its own thread and runtime.
fn generation_thread(
    spec: &WorkerSpec,
    number: u64,
    stop: oneshot::Receiver<()>,
    up: oneshot::Sender<()>,
) -> GenExit {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(format!("hatchet-gen-{number}"))
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return GenExit::SetupFailed(format!("cannot start a runtime: {e}")),
    };
    let inflight = spec.inflight.child();
    let body = AssertUnwindSafe(generation_body(spec, stop, up, inflight.clone())).catch_unwind();
    let exit = match runtime.block_on(body) {
        Ok(exit) => exit,
        Err(panic) => GenExit::Panicked(crate::panic_message(panic.as_ref())),
    };
    // A stop drained in the body. Otherwise `start` died on its own: dispatching has
    // stopped, but runs it already handed to us may still be closing; let them finish and
    // report before the runtime goes.
    if !matches!(exit, GenExit::Stopped { .. }) {
        let drained = runtime.block_on(async {
            let was_busy = inflight.count() > 0;
            let drained = tokio::time::timeout(DRAIN_TIMEOUT, inflight.idle())
                .await
                .is_ok();
            if drained && was_busy {
                tokio::time::sleep(DRAIN_QUIET).await;
            }
            drained
        });
        if !drained {
            tracing::warn!(
                target: "attctl_worker::supervisor",
                generation = number,
                abandoned = inflight.count(),
                "runs still in progress after {}s are abandoned; Hatchet retries them",
                DRAIN_TIMEOUT.as_secs()
            );
        }
    }
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
    exit
}

async fn generation_body(
    spec: &WorkerSpec,
    mut stop: oneshot::Receiver<()>,
    up: oneshot::Sender<()>,
    inflight: InFlight,
) -> GenExit {
    let h = &spec.hatchet;
    let tls = match h.tls {
        TlsStrategy::None => "none",
        TlsStrategy::Tls => "tls",
    };
    let token = h.token.expose();
    // Plain gRPC goes through a relay that tells us when the connection carrying the
    // action stream ends (see `stream_watch`); TLS dials the engine itself.
    let mut watch = match h.tls {
        TlsStrategy::None => match crate::stream_watch::relay(h.grpc_address.clone()).await {
            Ok(watch) => Some(watch),
            Err(e) => return GenExit::SetupFailed(format!("cannot bind the gRPC relay: {e}")),
        },
        TlsStrategy::Tls => None,
    };
    let dial = watch
        .as_ref()
        .map_or_else(|| h.grpc_address.clone(), |w| w.local.to_string());
    let connect = Hatchet::from_token(&h.server_url, &dial, token, tls);
    let hatchet = tokio::select! {
        connected = tokio::time::timeout(CONNECT_TIMEOUT, connect) => match connected {
            Ok(Ok(hatchet)) => hatchet,
            Ok(Err(e)) => return GenExit::ConnectFailed(describe_sdk_error(&e, token)),
            Err(_) => {
                return GenExit::ConnectFailed(format!(
                    "no gRPC connection to {} within {}s",
                    h.grpc_address,
                    CONNECT_TIMEOUT.as_secs()
                ));
            }
        },
        _ = &mut stop => return GenExit::Stopped { drained: true },
    };
    // Runs only close sessions, they never plan runs: no scheduler needed.
    let store = match &spec.shared_store {
        Some(store) => store.clone(),
        None => match attctl::backend::open_store(&spec.settings) {
            Ok(store) => store,
            Err(e) => return GenExit::SetupFailed(format!("cannot open the store: {e}")),
        },
    };
    let service =
        SessionService::new(store, Arc::new(LocalScheduler)).with_events(spec.events.clone());
    let warner = WarnTask::new(service.clone(), inflight.clone());
    let handler = CloseTask::new(service, inflight.clone(), spec.ledger.clone());
    let task = match close_task(&hatchet, CLOSE_TASK, RunKind::Own, handler.clone()) {
        Ok(task) => task,
        Err(e) => return GenExit::SetupFailed(format!("cannot build the task: {e}")),
    };
    // Registered whatever this worker's ATTCTL_WARN_BEFORE says: the warnings are planned
    // by whoever creates the session, and a run must find a worker to take it.
    let warn = match warn_task(&hatchet, warner) {
        Ok(task) => task,
        Err(e) => return GenExit::SetupFailed(format!("cannot build the task: {e}")),
    };
    let mut worker = match hatchet.worker(&spec.name).slots(spec.slots).build() {
        Ok(worker) => worker
            .add_task_or_workflow(&task)
            .add_task_or_workflow(&warn),
        Err(e) => return GenExit::SetupFailed(format!("cannot build the worker: {e}")),
    };
    if spec.legacy_workflow {
        // The original worker's workflow: its name, its task's name, so its action id is
        // `close-session-workflow:close_teaching_session` (a standalone task would be
        // `close_teaching_session:close_teaching_session`). One worker serves both: the SDK
        // registers every workflow added and listens for all their actions at once.
        let legacy_task = match close_task(&hatchet, LEGACY_TASK, RunKind::Legacy, handler) {
            Ok(task) => task,
            Err(e) => return GenExit::SetupFailed(format!("cannot build the task: {e}")),
        };
        let legacy = match hatchet.workflow::<Value, Value>(LEGACY_WORKFLOW).build() {
            Ok(workflow) => workflow.add_task(&legacy_task),
            Err(e) => return GenExit::SetupFailed(format!("cannot build the workflow: {e}")),
        };
        worker = worker.add_task_or_workflow(&legacy);
    }
    let start = AssertUnwindSafe(worker.start()).catch_unwind();
    tokio::pin!(start);
    let up_timer = tokio::time::sleep(UP_AFTER);
    tokio::pin!(up_timer);
    let mut up = Some(up);
    let mut stop_open = true;
    let mut drain: Option<Drain> = None;
    let mut poll = tokio::time::interval(DRAIN_POLL);
    loop {
        tokio::select! {
            ended = &mut start => {
                return match ended {
                    Ok(Ok(())) => GenExit::Ended,
                    Ok(Err(e)) => GenExit::Failed(describe_sdk_error(&e, token)),
                    Err(panic) => GenExit::Panicked(crate::panic_message(panic.as_ref())),
                };
            }
            _ = &mut up_timer, if up.is_some() => {
                if let Some(up) = up.take() {
                    let _ = up.send(());
                }
            }
            _ = &mut stop, if stop_open => {
                stop_open = false;
                drain = Some(Drain::new());
            }
            why = stream_ended(&mut watch), if drain.is_none() => {
                return GenExit::StreamLost(why);
            }
            _ = poll.tick(), if drain.is_some() => {
                if let Some(d) = drain.as_mut()
                    && let Some(drained) = d.done(inflight.count())
                {
                    return GenExit::Stopped { drained };
                }
            }
        }
    }
}

/// The next report of a relayed connection that ended; never, without a relay.
async fn stream_ended(watch: &mut Option<crate::stream_watch::StreamWatch>) -> String {
    match watch {
        Some(w) => match w.ended.recv().await {
            Some(why) => why,
            None => std::future::pending().await,
        },
        None => std::future::pending().await,
    }
}

/// The SDK task `name`, with attctl's retries and timeout, that hands each run's input and
/// ids to `run`.
fn sdk_task<F, Fut>(hatchet: &Hatchet, name: &str, run: F) -> Result<Task<Value, Value>, String>
where
    F: Fn(Value, RunIds) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Value>> + Send + 'static,
{
    hatchet
        .task(name, move |input: Value, ctx: Context| {
            let ids = RunIds::of(&ctx);
            run(input, ids)
        })
        .retries(RETRIES)
        .execution_timeout(EXECUTION_TIMEOUT)
        .build()
        .map_err(|e| e.to_string())
}

/// The SDK task that hands each run of `name` to `handler` as a run of `kind`.
fn close_task(
    hatchet: &Hatchet,
    name: &str,
    kind: RunKind,
    handler: CloseTask,
) -> Result<Task<Value, Value>, String> {
    sdk_task(hatchet, name, move |input, ids| {
        let handler = handler.clone();
        async move { handler.run(kind, input, ids).await }
    })
}

/// The SDK task that hands each run of `warn-teaching-session` to `handler`.
fn warn_task(hatchet: &Hatchet, handler: WarnTask) -> Result<Task<Value, Value>, String> {
    sdk_task(hatchet, WARN_TASK, move |input, ids| {
        let handler = handler.clone();
        async move { handler.run(input, ids).await }
    })
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

/// Stopping a generation without cutting a run in two: the SDK's `start` keeps running (it
/// may be between telling the engine a run started and calling our handler, and it sends
/// the completion events) until no run has been in progress for [`DRAIN_QUIET`], or
/// [`DRAIN_TIMEOUT`] has passed.
struct Drain {
    deadline: Instant,
    quiet_since: Option<Instant>,
}

impl Drain {
    fn new() -> Self {
        Drain {
            deadline: Instant::now() + DRAIN_TIMEOUT,
            quiet_since: None,
        }
    }

    /// `Some(drained)` once the generation may go.
    fn done(&mut self, in_flight: usize) -> Option<bool> {
        let now = Instant::now();
        if in_flight > 0 {
            self.quiet_since = None;
        } else if self.quiet_since.get_or_insert(now).elapsed() >= DRAIN_QUIET {
            return Some(true);
        }
        (now >= self.deadline).then_some(false)
    }
}

/// The SDK's error text, with the token masked should any message ever carry it.
fn describe_sdk_error(e: &HatchetError, token: &str) -> String {
    let text = e.to_string();
    if token.len() >= 8 && text.contains(token) {
        text.replace(token, "<token>")
    } else {
        text
    }
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

    #[test]
    fn a_drain_waits_for_a_quiet_moment_or_its_deadline() {
        let mut d = Drain::new();
        assert_eq!(d.done(0), None, "quiet only just began");
        std::thread::sleep(DRAIN_QUIET);
        assert_eq!(d.done(0), Some(true));
        let mut d = Drain::new();
        d.done(0);
        std::thread::sleep(DRAIN_QUIET);
        // A run arrived: quiet starts over.
        assert_eq!(d.done(1), None);
        assert_eq!(d.done(0), None);
        d.deadline = Instant::now();
        assert_eq!(d.done(1), Some(false));
    }

    #[test]
    fn sdk_errors_never_show_the_token() {
        let token = "eyJhbGciOi.secret-payload.sig";
        let e = HatchetError::GrpcErrorStatus(format!("bad auth {token}"));
        let text = describe_sdk_error(&e, token);
        assert!(!text.contains(token), "{text}");
        assert!(text.contains("<token>"));
    }
}
