//! The daemon: builds the parts of its mode from one [`Context`], supervises them, and
//! stops them in order within [`SHUTDOWN_BUDGET`](crate::shutdown::SHUTDOWN_BUDGET).
//!
//! With the SQLite store the daemon holds `attctl::worker_lock::WorkerLock` while it runs, so
//! `attctl doctor` sees it and a second local-mode worker refuses to start.
//!
//! Parts (each a task that only ends on a stop):
//! - both modes: the delivery loop ([`crate::delivery`]) and the warning loop
//!   ([`crate::warnings`]);
//! - Hatchet mode: the supervisor ([`crate::hatchet_worker`]) and the sweep loop
//!   ([`crate::sweep`]);
//! - local mode: the closer ([`crate::local_closer`]), which sweeps in line.
//!
//! Supervision is one `try_join!` of two futures: the parts (a part that ends on its own
//! is a bug, so the daemon stops and exits with a failure for systemd to restart it) and
//! the [`monitor`] (READY, STATUS, WATCHDOG for systemd). A signal ends both.

mod context;
mod monitor;
mod parts;

use std::sync::Arc;

use attctl::config::HatchetSettings;
use attctl::error::exit;
use attctl::events::EventSink;
use attctl::worker_lock::WorkerLock;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

pub(crate) use context::Context;
use monitor::Monitor;
use parts::Parts;

use crate::WorkerConfig;
use crate::deafness::DeafCheck;
use crate::delivery::WakeSink;
use crate::hatchet_worker::{self, SupervisorHandle, WorkerSpec};
use crate::local_closer::DataFile;
use crate::runs::{InFlight, RunLedger};
use crate::sweep::LastSweep;
use crate::{delivery, local_closer, sd_notify, shutdown, sweep, warnings};

/// Runs the daemon until a stop; returns the exit code.
pub(crate) async fn run(config: WorkerConfig) -> i32 {
    let stop = CancellationToken::new();
    let _signals = match shutdown::listen(stop.clone()) {
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
    // Automark or late on a database without registers: refused now, not at every close.
    if let Err(e) =
        attctl::backend::check_registers(&config.settings, service.store().as_ref()).await
    {
        eprintln!("error: {e}");
        return e.exit_code();
    }
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
    // The log's times in the school's zone when the store names one (else the configured).
    let zone = match service.store().school().await {
        Ok(school) => school
            .timezone
            .and_then(|z| attctl::clock::parse_zone(&z).ok())
            .unwrap_or(config.settings.timezone),
        Err(_) => config.settings.timezone,
    };
    attctl::set_log_zone(zone);
    tracing::info!(
        target: attctl::WORKER_LOG_TARGET,
        "attctl-worker started: {mode} mode, store {}, scheduler {}, sweep every {}s, times in {zone}",
        service.store().backend(),
        if config.settings.hatchet.is_some() { "hatchet" } else { "local" },
        config.sweep_interval.as_secs()
    );
    sd_notify::status(&format!("starting ({mode} mode)"));
    let (last_tx, last_rx) = watch::channel(LastSweep::NotYet);
    // Notifications are parts of their own: a slow receiver never holds a close. A change
    // this worker makes wakes the delivery loop at once; the loop follows the store when the
    // local closer reopens a replaced data file.
    let wake = Arc::new(Notify::new());
    let events: Arc<dyn EventSink> = Arc::new(WakeSink::new(wake.clone()));
    let service = service.with_events(events.clone());
    let (store_tx, stores) = watch::channel(service.store().clone());
    let ctx = Context {
        config: Arc::new(config),
        service,
        stores,
        wake,
        others_wrote: Arc::new(watch::channel(0).0),
        deliveries: Arc::new(watch::channel(delivery::DeliveryHint::Unknown).0),
        last_sweep: Arc::new(last_tx),
        stop,
    };
    let inflight = InFlight::new();
    let mut parts = Parts::default();
    parts.spawn("delivery loop", delivery::run(ctx.clone()));
    parts.spawn("warning loop", warnings::run(ctx.clone()));
    let supervisor = match &ctx.config.settings.hatchet {
        Some(hatchet) => Some(hatchet_parts(&ctx, hatchet, events, &inflight, &mut parts)),
        None => {
            // The closer watches the data file and holds the lock, so that it can reopen
            // both when the file is replaced.
            let data_file = attctl::backend::data_file(&ctx.config.settings).map(|path| {
                DataFile::new(ctx.config.settings.clone(), path.to_path_buf(), lock.take())
                    .following(events, store_tx)
            });
            parts.spawn("local closer", local_closer::run(ctx.clone(), data_file));
            None
        }
    };
    let monitor = Monitor {
        config: &ctx.config,
        parts: &parts,
        last: last_rx,
        health: supervisor.as_ref().map(SupervisorHandle::health),
        inflight: &inflight,
    };
    let code = supervise(&ctx.stop, &parts, monitor).await;
    let code = parts.stop(&inflight).await.max(code);
    tracing::info!(target: "attctl_worker", exit_code = code, "attctl-worker stopped");
    tracing::info!(target: attctl::WORKER_LOG_TARGET, "attctl-worker stopped (exit code {code})");
    code
}

/// Hatchet mode's parts: the supervisor of the SDK's worker generations, and the sweep
/// loop, which watches whether runs still reach them.
fn hatchet_parts(
    ctx: &Context,
    hatchet: &HatchetSettings,
    events: Arc<dyn EventSink>,
    inflight: &InFlight,
    parts: &mut Parts,
) -> SupervisorHandle {
    let settings = &ctx.config.settings;
    let ledger = Arc::new(RunLedger::default());
    let spec = WorkerSpec {
        settings: settings.clone(),
        shared_store: hatchet_worker::shared_store(settings, ctx.service.store()),
        hatchet: hatchet.clone(),
        name: ctx.config.name.clone(),
        slots: ctx.config.slots,
        legacy_workflow: ctx.config.legacy_workflow,
        inflight: inflight.clone(),
        ledger: ledger.clone(),
        events,
    };
    let (handle, task) = hatchet_worker::start(spec, ctx.stop.clone());
    parts.push("hatchet supervisor", task);
    let deaf = DeafCheck {
        supervisor: handle.clone(),
        ledger,
    };
    parts.spawn("sweep loop", sweep::run_loop(ctx.clone(), Some(deaf)));
    handle
}

/// A part ended on its own.
#[derive(Debug)]
struct PartEnded;

/// Runs until a stop is asked for (a signal) or a part ends on its own, the monitor
/// beside; returns the exit code so far.
async fn supervise(stop: &CancellationToken, parts: &Parts, monitor: Monitor<'_>) -> i32 {
    let watch_parts = async {
        match parts.first_to_end(stop).await {
            None => Ok(()),
            Some(name) => {
                tracing::error!(
                    target: "attctl_worker",
                    part = name,
                    "a part of the daemon stopped on its own; stopping with a failure so it is restarted"
                );
                stop.cancel();
                Err(PartEnded)
            }
        }
    };
    let monitor = async {
        monitor.run(stop).await;
        Ok::<(), PartEnded>(())
    };
    match tokio::try_join!(watch_parts, monitor) {
        Ok(((), ())) => exit::OK,
        Err(PartEnded) => exit::FAILURE,
    }
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
