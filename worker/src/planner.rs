//! Planning missing runs in the background ([`Planner`]), one pass at a time, so that
//! scheduling a backlog of thousands never holds up the next close. Each pass logs one
//! event on `attctl_worker::sweep`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use attctl::service::{SessionService, SweepOutcome};
use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::hatchet_worker::Health;
use crate::sweep::SWEEP_BUDGET;

/// Plans missing runs in the background, one pass at a time, so that scheduling a backlog
/// of thousands never holds up the next close. Each pass logs one event.
pub(crate) struct Planner {
    service: SessionService,
    worker_id: String,
    task: Option<JoinHandle<()>>,
    /// Hatchet mode: the SDK worker's state. A pass waits (a little) for it to be up, as
    /// the engine refuses runs of a workflow no worker has registered yet; at start, the
    /// first pass would otherwise race the registration of the warning task.
    registered: Option<watch::Receiver<Health>>,
    /// Set by a kick that came while a pass was under way: that pass runs once more.
    again: Arc<AtomicBool>,
}

/// Longest wait of a planning pass for the Hatchet worker to be up.
const PLAN_WAITS_FOR_WORKER: Duration = Duration::from_secs(10);

impl Planner {
    pub(crate) fn new(service: SessionService, worker_id: String) -> Self {
        Planner {
            service,
            worker_id,
            task: None,
            registered: None,
            again: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Passes wait until the Hatchet worker is up (at most [`PLAN_WAITS_FOR_WORKER`]).
    pub(crate) fn after_registration(mut self, health: watch::Receiver<Health>) -> Self {
        self.registered = Some(health);
        self
    }

    /// Starts a pass, or when one is under way, asks it for one more pass after it (what
    /// is new may lie behind the chunk it is reading: a session written by someone else
    /// must not wait for the next sweep).
    pub(crate) fn kick(&mut self) {
        if self.task.as_ref().is_some_and(|t| !t.is_finished()) {
            self.again.store(true, Ordering::SeqCst);
            return;
        }
        let service = self.service.clone();
        let worker_id = self.worker_id.clone();
        let registered = self.registered.clone();
        let again = self.again.clone();
        again.store(false, Ordering::SeqCst);
        self.task = Some(tokio::spawn(async move {
            if let Some(mut health) = registered {
                // Not up in time (engine down): plan anyway; what fails is retried.
                let _ = tokio::time::timeout(
                    PLAN_WAITS_FOR_WORKER,
                    health.wait_for(|h| matches!(h, Health::Up { .. })),
                )
                .await;
            }
            loop {
                plan_logged(&service, &worker_id).await;
                if !again.swap(false, Ordering::SeqCst) {
                    break;
                }
            }
        }));
    }

    /// Stops a pass under way at once: its claims expire by themselves
    /// ([`attctl::service::CLAIM_TTL`]) and a run it created without storing the id finds
    /// its session handled.
    pub(crate) async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for Planner {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// One planning pass, logged as one event on `attctl_worker::sweep`.
async fn plan_logged(service: &SessionService, worker_id: &str) {
    let started = Instant::now();
    let mut report = SweepOutcome::default();
    let result = tokio::time::timeout(
        SWEEP_BUDGET,
        service.plan_missing_runs(worker_id, Utc::now(), &mut report),
    )
    .await;
    let duration_ms = started.elapsed().as_millis() as u64;
    let error = match result {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some(format!(
            "planning did not finish within {}s",
            SWEEP_BUDGET.as_secs()
        )),
    };
    if error.is_none() && report.schedule_failures == 0 && report.errors.is_empty() {
        if report.scheduled > 0 || report.warning_runs > 0 || report.lost_claims > 0 {
            tracing::info!(
                target: "attctl_worker::sweep",
                scheduled = report.scheduled,
                warning_runs = report.warning_runs,
                lost_claims = report.lost_claims,
                duration_ms,
                "planning done"
            );
        }
    } else {
        tracing::warn!(
            target: "attctl_worker::sweep",
            scheduled = report.scheduled,
            warning_runs = report.warning_runs,
            schedule_failures = report.schedule_failures,
            lost_claims = report.lost_claims,
            errors = report.errors.len(),
            first_error = report.errors.first().map(String::as_str),
            error,
            duration_ms,
            "planning done with problems; the next sweep tries again"
        );
    }
}
