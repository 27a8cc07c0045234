//! What the daemon tells systemd while it runs: READY=1 once the first sweep has run
//! (whatever its outcome) and, in Hatchet mode, the first worker generation is up, or
//! [`READY_WAIT`] has passed: a Hatchet outage at boot must not keep the sweeps, which
//! still close sessions, from counting as started. Then a STATUS line whenever it changes,
//! and WATCHDOG pings while every part is alive.

use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::parts::{Parts, TICK};
use crate::WorkerConfig;
use crate::hatchet_worker::Health;
use crate::runs::InFlight;
use crate::sd_notify;
use crate::sweep::LastSweep;

/// Longest wait for the first Hatchet generation before READY=1 anyway.
pub(crate) const READY_WAIT: Duration = Duration::from_secs(30);

/// What the monitor reads to say how the daemon is doing.
pub(super) struct Monitor<'a> {
    pub config: &'a WorkerConfig,
    pub parts: &'a Parts,
    pub last: watch::Receiver<LastSweep>,
    /// The Hatchet supervisor's state (Hatchet mode only).
    pub health: Option<watch::Receiver<Health>>,
    pub inflight: &'a InFlight,
}

impl Monitor<'_> {
    /// Reports until a stop is asked for.
    pub(super) async fn run(self, stop: &CancellationToken) {
        stop.run_until_cancelled(self.report()).await;
    }

    async fn report(self) {
        let started = Instant::now();
        let watchdog = sd_notify::watchdog_interval();
        let mut watchdog_tick =
            tokio::time::interval(watchdog.unwrap_or(Duration::from_secs(3600)));
        watchdog_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ready = false;
        let mut shown_status = String::new();
        // A finished sweep is told at once (readiness waits for the first); the rest (runs
        // in progress, the Hatchet worker's state) at the next tick.
        let mut sweeps = self.last.clone();
        let mut sweeps_open = true;
        loop {
            let refresh = tokio::select! {
                _ = watchdog_tick.tick(), if watchdog.is_some() => {
                    if self.parts.all_alive() {
                        sd_notify::watchdog();
                    }
                    false
                }
                changed = sweeps.changed(), if sweeps_open => {
                    sweeps_open = changed.is_ok();
                    true
                }
                _ = tick.tick() => true,
            };
            if !refresh {
                continue;
            }
            let last_sweep = self.last.borrow().clone();
            let health_now = self.health.as_ref().map(|h| h.borrow().clone());
            let status = status_line(
                self.config,
                &last_sweep,
                health_now.as_ref(),
                self.inflight.count(),
            );
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
                    sd_notify::ready(&status);
                    shown_status = status.clone();
                }
            }
            if ready && status != shown_status {
                sd_notify::status(&status);
                shown_status = status;
            }
        }
    }
}

/// The STATUS line: the mode, the Hatchet worker's state and the last sweep.
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
