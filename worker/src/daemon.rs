//! The daemon: picks the mode, starts its parts, tells systemd how it is doing, and stops
//! them in order within [`SHUTDOWN_BUDGET`].
//!
//! With the SQLite store the daemon holds `attctl::liveness::WorkerLock` while it runs, so
//! `attctl doctor` sees it and a second local-mode worker refuses to start.
//!
//! Parts (each a task that only ends on shutdown):
//! - Hatchet mode: the supervisor ([`crate::hatchet_worker`]) and the sweep loop.
//! - Local mode: the closer ([`crate::local_closer`]), which sweeps in line.
//!
//! The main loop pings the systemd watchdog only while every part is alive; a part that
//! ends on its own is a bug, so the daemon stops and exits with a failure for systemd to
//! restart it. READY=1 is sent once the first sweep has run (whatever its outcome) and, in
//! Hatchet mode, the first worker generation is up, or [`READY_WAIT`] has passed: a
//! Hatchet outage at boot must not keep the sweeps, which still close sessions, from
//! counting as started.

use std::sync::Arc;
use std::time::{Duration, Instant};

use attctl::error::exit;
use attctl::liveness::WorkerLock;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::WorkerConfig;
use crate::hatchet_worker::{self, Health, SupervisorHandle, WorkerSpec};
use crate::notify;
use crate::shutdown::{self, SHUTDOWN_BUDGET, Shutdown};
use crate::sweep::{self, DeafCheck, LastSweep};
use crate::task::{InFlight, RunLedger};

/// Longest wait for the first Hatchet generation before READY=1 anyway.
pub(crate) const READY_WAIT: Duration = Duration::from_secs(30);
/// How often the main loop checks its parts and refreshes STATUS.
const TICK: Duration = Duration::from_millis(250);

pub(crate) async fn run(config: WorkerConfig) -> i32 {
    let shutdown = Shutdown::new();
    let _signals = match shutdown::listen(shutdown.clone()) {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("error: cannot listen for signals: {e}");
            return exit::FAILURE;
        }
    };
    // Built now so that a broken store (unwritable data file, bad URL) fails the start
    // with its exit code instead of looping in the background.
    let service = match attctl::backend::service(&config.settings) {
        Ok(service) => service,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    let mode = if config.settings.hatchet.is_some() {
        "hatchet"
    } else {
        "local"
    };
    let mut lock = match take_worker_lock(&config) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    tracing::info!(
        target: "attctl_worker",
        mode,
        backend = service.store().backend(),
        worker = %config.name,
        worker_id = %config.worker_id,
        sweep_interval_s = config.sweep_interval.as_secs(),
        legacy_workflow = config.legacy_workflow,
        "attctl-worker starting"
    );
    tracing::info!(
        target: attctl::WORKER_LOG_TARGET,
        "attctl-worker started: {mode} mode, store {}, scheduler {}, sweep every {}s",
        service.store().backend(),
        if config.settings.hatchet.is_some() { "hatchet" } else { "local" },
        config.sweep_interval.as_secs()
    );
    notify::status(&format!("starting ({mode} mode)"));
    let (last_tx, last_rx) = watch::channel(LastSweep::NotYet);
    let mut parts: Vec<(&'static str, JoinHandle<()>)> = Vec::new();
    let inflight = InFlight::new();
    // Notifications are parts of their own: a slow receiver never holds a close. A change
    // this worker makes wakes the delivery loop at once; the loop follows the store when the
    // local closer reopens a replaced data file.
    let wake = Arc::new(tokio::sync::Notify::new());
    let events: Arc<dyn attctl::events::EventSink> =
        Arc::new(crate::delivery::WakeSink::new(wake.clone()));
    let service = service.with_events(events.clone());
    let (store_tx, store_rx) = watch::channel(service.store().clone());
    parts.push((
        "delivery loop",
        tokio::spawn(crate::delivery::run_delivery(
            store_rx.clone(),
            config.settings.notify.clone(),
            config.worker_id.clone(),
            shutdown.clone(),
            wake.clone(),
        )),
    ));
    parts.push((
        "warning loop",
        tokio::spawn(crate::delivery::run_warnings(
            store_rx,
            config.settings.notify.clone(),
            if config.settings.hatchet.is_some() {
                crate::delivery::WarnPace::Sweep(config.sweep_interval)
            } else {
                crate::delivery::WarnPace::OnTime
            },
            shutdown.clone(),
            wake,
        )),
    ));
    let supervisor = match &config.settings.hatchet {
        Some(hatchet) => {
            let ledger = Arc::new(RunLedger::default());
            let spec = WorkerSpec {
                settings: config.settings.clone(),
                shared_store: hatchet_worker::shared_store(&config.settings, service.store()),
                hatchet: hatchet.clone(),
                name: config.name.clone(),
                slots: config.slots,
                legacy_workflow: config.legacy_workflow,
                inflight: inflight.clone(),
                ledger: ledger.clone(),
                events: events.clone(),
            };
            let (handle, task) = hatchet_worker::start(spec, shutdown.clone());
            parts.push(("hatchet supervisor", task));
            parts.push((
                "sweep loop",
                tokio::spawn(sweep::run_loop(
                    service,
                    config.worker_id.clone(),
                    config.sweep_interval,
                    shutdown.clone(),
                    last_tx,
                    Some(DeafCheck {
                        supervisor: handle.clone(),
                        ledger,
                    }),
                )),
            ));
            Some(handle)
        }
        None => {
            // The closer watches the data file and holds the lock, so that it can reopen
            // both when the file is replaced.
            let data_file = attctl::backend::data_file(&config.settings).map(|data_file| {
                crate::local_closer::DataFile::new(
                    config.settings.clone(),
                    data_file.to_path_buf(),
                    lock.take(),
                )
                .following(events.clone(), store_tx)
            });
            parts.push((
                "local closer",
                tokio::spawn(crate::local_closer::run(
                    service,
                    config.worker_id.clone(),
                    config.sweep_interval,
                    shutdown.clone(),
                    last_tx,
                    data_file,
                )),
            ));
            None
        }
    };
    let code = main_loop(&config, &parts, &shutdown, last_rx, supervisor, &inflight).await;
    let code = stop(parts, &inflight).await.max(code);
    tracing::info!(target: "attctl_worker", exit_code = code, "attctl-worker stopped");
    tracing::info!(target: attctl::WORKER_LOG_TARGET, "attctl-worker stopped (exit code {code})");
    code
}

/// With the SQLite store, the lock next to the data file that tells `attctl doctor` a worker
/// runs. In local mode it also keeps a second local worker from closing the same sessions:
/// that one fails to start (Conflict). Hatchet workers may run side by side (the engine
/// spreads runs over them), so for them the lock is only taken when free.
fn take_worker_lock(config: &WorkerConfig) -> attctl::Result<Option<WorkerLock>> {
    let Some(data_file) = attctl::backend::data_file(&config.settings) else {
        return Ok(None);
    };
    match WorkerLock::acquire(data_file) {
        Ok(lock) => Ok(Some(lock)),
        Err(e) if config.settings.hatchet.is_some() => {
            tracing::info!(target: "attctl_worker", reason = %e, "worker lock not taken; running alongside");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Runs until a stop is asked for (signal) or a part dies; returns the exit code so far.
async fn main_loop(
    config: &WorkerConfig,
    parts: &[(&'static str, JoinHandle<()>)],
    shutdown: &Shutdown,
    last: watch::Receiver<LastSweep>,
    supervisor: Option<SupervisorHandle>,
    inflight: &InFlight,
) -> i32 {
    let started = Instant::now();
    let watchdog = notify::watchdog_interval();
    let mut watchdog_tick = tokio::time::interval(watchdog.unwrap_or(Duration::from_secs(3600)));
    watchdog_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let health = supervisor.as_ref().map(SupervisorHandle::health);
    let mut ready = false;
    let mut shown_status = String::new();
    loop {
        tokio::select! {
            _ = shutdown.requested() => return exit::OK,
            _ = watchdog_tick.tick(), if watchdog.is_some() => {
                if parts.iter().all(|(_, task)| !task.is_finished()) {
                    notify::watchdog();
                }
            }
            _ = tick.tick() => {
                if let Some((name, _)) = parts.iter().find(|(_, task)| task.is_finished()) {
                    tracing::error!(
                        target: "attctl_worker",
                        part = name,
                        "a part of the daemon stopped on its own; stopping with a failure so it is restarted"
                    );
                    shutdown.trigger();
                    return exit::FAILURE;
                }
                let last_sweep = last.borrow().clone();
                let health_now = health.as_ref().map(|h| h.borrow().clone());
                let status = status_line(config, &last_sweep, health_now.as_ref(), inflight.count());
                if !ready {
                    let swept = last_sweep != LastSweep::NotYet;
                    let hatchet_ready = match &health_now {
                        None => true,
                        Some(Health::Up { .. }) => true,
                        Some(_) => started.elapsed() >= READY_WAIT,
                    };
                    if swept && hatchet_ready {
                        ready = true;
                        if !matches!(health_now, None | Some(Health::Up { .. })) {
                            tracing::warn!(
                                target: "attctl_worker",
                                "Hatchet worker not up after {}s; ready anyway: sweeps keep closing sessions meanwhile",
                                READY_WAIT.as_secs()
                            );
                        }
                        tracing::info!(target: "attctl_worker", ready_ms = started.elapsed().as_millis() as u64, "ready");
                        notify::ready(&status);
                        shown_status = status.clone();
                    }
                }
                if ready && status != shown_status {
                    notify::status(&status);
                    shown_status = status;
                }
            }
        }
    }
}

/// Waits for every part to stop, within the budget; a part past it is abandoned.
async fn stop(parts: Vec<(&'static str, JoinHandle<()>)>, inflight: &InFlight) -> i32 {
    let started = Instant::now();
    let busy = inflight.count();
    notify::stopping(&format!("stopping: {busy} run(s) in progress"));
    let deadline = tokio::time::Instant::now() + SHUTDOWN_BUDGET;
    let mut code = exit::OK;
    for (name, task) in parts {
        match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::error!(target: "attctl_worker", part = name, error = %e, "part ended abnormally");
                code = exit::FAILURE;
            }
            Err(_) => {
                tracing::error!(
                    target: "attctl_worker",
                    part = name,
                    "did not stop within {}s; exiting anyway",
                    SHUTDOWN_BUDGET.as_secs()
                );
                code = exit::FAILURE;
            }
        }
    }
    tracing::info!(
        target: "attctl_worker",
        took_ms = started.elapsed().as_millis() as u64,
        runs_in_progress_at_signal = busy,
        "all parts stopped"
    );
    code
}

fn status_line(
    config: &WorkerConfig,
    last: &LastSweep,
    health: Option<&Health>,
    inflight: usize,
) -> String {
    let sweep = match last {
        LastSweep::NotYet => "first sweep running".to_string(),
        // Planning runs apart (its events are in the log); the sweep itself only closes.
        LastSweep::Done(s) if s.failed.is_empty() => {
            format!("last sweep closed {}", s.closed.len())
        }
        LastSweep::Done(s) => format!(
            "last sweep closed {}; {} overdue row(s) cannot be closed (see attctl doctor)",
            s.closed.len(),
            s.failed.len()
        ),
        LastSweep::Failed(e) => format!("last sweep failed: {e}"),
    };
    match health {
        None => format!("local mode: closing sessions at their end; {sweep}"),
        Some(Health::Starting) => format!("connecting to Hatchet; {sweep}"),
        Some(Health::Up { generation }) => format!(
            "Hatchet worker {} up (generation {generation}), {inflight} run(s) in progress; {sweep}",
            config.name
        ),
        Some(Health::Restarting {
            attempt, reason, ..
        }) => format!("Hatchet worker reconnecting (attempt {attempt}: {reason}); {sweep}"),
        Some(Health::Stopped) => format!("Hatchet worker stopped; {sweep}"),
    }
}
