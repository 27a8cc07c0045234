//! The reconciliation sweep: the safety net under every scheduled run.
//!
//! [`SessionService::sweep`] closes every overdue Open session (`closed_by = sweep`) and
//! plans runs for future Open sessions that have none. The daemon runs it at start and
//! then every `--sweep-interval` seconds (with jitter, so that several workers started
//! together do not sweep in lockstep); `attctl-worker sweep --once` runs it once for cron.
//! A failed sweep is logged and tried again at the next interval; it never stops the
//! daemon.
//!
//! In Hatchet mode the sweep also watches for a deaf worker: sessions it had to close
//! although their run was planned and due while our worker generation was up mean runs
//! are not reaching us, and the generation is replaced.

use std::time::{Duration, Instant};

use attctl::scheduler::local::LOCAL_RUN_PREFIX;
use attctl::service::{SessionService, SweepReport};
use attctl::session::SessionId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::watch;

use crate::hatchet_worker::SupervisorHandle;
use crate::shutdown::Shutdown;

/// Bound on one sweep (each store and scheduler call has its own timeout; this only
/// guarantees the loop moves on). Its claims expire by themselves if it is cut short.
const SWEEP_BUDGET: Duration = Duration::from_secs(10 * 60);
/// A sweep under way when the daemon stops gets this long to finish.
pub const SWEEP_FINISH_ON_STOP: Duration = Duration::from_secs(5);
/// Fraction of the interval used as jitter (±).
const JITTER: f64 = 0.1;
/// A planned run is overdue when its session closed this long ago and is still Open:
/// engine poll (5 s) + an execution timeout (30 s) + slack.
const RUN_OVERDUE: chrono::Duration = chrono::Duration::seconds(60);
/// The generation must have been up this long before the closing instant, so runs the
/// engine fired while it was still connecting do not count.
const UP_MARGIN: chrono::Duration = chrono::Duration::seconds(10);
/// At most one deafness restart per this period.
const DEAF_RESTART_COOLDOWN: Duration = Duration::from_secs(5 * 60);

/// What `sweep --once` prints, and what the daemon remembers of its last sweep.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SweepSummary {
    pub closed: usize,
    pub scheduled: usize,
    pub schedule_failures: usize,
    pub lost_claims: usize,
    pub errors: Vec<String>,
    pub closed_ids: Vec<SessionId>,
    pub duration_ms: u64,
}

impl SweepSummary {
    fn new(report: &SweepReport, took: Duration) -> Self {
        SweepSummary {
            closed: report.closed.len(),
            scheduled: report.scheduled,
            schedule_failures: report.schedule_failures,
            lost_claims: report.lost_claims,
            errors: report.errors.clone(),
            closed_ids: report.closed.clone(),
            duration_ms: took.as_millis() as u64,
        }
    }
}

/// The last sweep as the daemon shows it (STATUS line, readiness).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastSweep {
    NotYet,
    Done(SweepSummary),
    Failed(String),
}

/// `attctl-worker sweep --once`: one JSON line on stdout and 0, or one `error:` line on
/// stderr and the error's exit code.
pub async fn once(settings: &attctl::config::Settings) -> i32 {
    let service = match attctl::backend::service(settings) {
        Ok(service) => service,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    let worker_id = format!(
        "{}-sweep:{}",
        crate::default_worker_name(),
        uuid::Uuid::new_v4()
    );
    match sweep_logged(&service, &worker_id).await {
        Ok(summary) => match serde_json::to_string(&summary) {
            Ok(line) => {
                println!("{line}");
                attctl::error::exit::OK
            }
            Err(e) => {
                eprintln!("error: cannot encode the summary: {e}");
                attctl::error::exit::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// One sweep, logged as one event on `attctl_worker::sweep`.
pub async fn sweep_logged(
    service: &SessionService,
    worker_id: &str,
) -> Result<SweepSummary, attctl::Error> {
    let started = Instant::now();
    let result = tokio::time::timeout(SWEEP_BUDGET, service.sweep(worker_id, Utc::now()))
        .await
        .unwrap_or_else(|_| {
            Err(attctl::Error::Unavailable(format!(
                "sweep did not finish within {}s",
                SWEEP_BUDGET.as_secs()
            )))
        });
    let took = started.elapsed();
    match result {
        Ok(report) => {
            let summary = SweepSummary::new(&report, took);
            let first_error = summary.errors.first().map(String::as_str);
            if summary.errors.is_empty() && summary.schedule_failures == 0 {
                tracing::info!(
                    target: "attctl_worker::sweep",
                    closed = summary.closed,
                    scheduled = summary.scheduled,
                    schedule_failures = summary.schedule_failures,
                    lost_claims = summary.lost_claims,
                    errors = summary.errors.len(),
                    closed_ids = ?summary.closed_ids,
                    duration_ms = summary.duration_ms,
                    "sweep done"
                );
            } else {
                tracing::warn!(
                    target: "attctl_worker::sweep",
                    closed = summary.closed,
                    scheduled = summary.scheduled,
                    schedule_failures = summary.schedule_failures,
                    lost_claims = summary.lost_claims,
                    errors = summary.errors.len(),
                    first_error,
                    closed_ids = ?summary.closed_ids,
                    duration_ms = summary.duration_ms,
                    "sweep done with problems; the next sweep tries again"
                );
            }
            Ok(summary)
        }
        Err(e) => {
            tracing::error!(
                target: "attctl_worker::sweep",
                error = %e,
                transient = e.is_transient(),
                duration_ms = took.as_millis() as u64,
                "sweep failed; the next sweep tries again"
            );
            Err(e)
        }
    }
}

/// `interval` ± 10 %, from a random uuid's bits (no extra dependency for one number).
pub fn jittered(interval: Duration) -> Duration {
    let unit = (uuid::Uuid::new_v4().as_u128() % 1_000_001) as f64 / 1_000_000.0;
    let factor = 1.0 + JITTER * (2.0 * unit - 1.0);
    interval.mul_f64(factor).max(Duration::from_millis(500))
}

/// The daemon's sweep loop (Hatchet mode; the local closer runs its own sweeps in line).
pub async fn run_loop(
    service: SessionService,
    worker_id: String,
    interval: Duration,
    shutdown: Shutdown,
    last: watch::Sender<LastSweep>,
    supervisor: Option<SupervisorHandle>,
) {
    let mut deaf = DeafWatch::new(supervisor);
    loop {
        let pass = async {
            let outcome = sweep_logged(&service, &worker_id).await;
            if let Ok(summary) = &outcome {
                deaf.check(&service, summary).await;
            }
            outcome
        };
        tokio::pin!(pass);
        let outcome = tokio::select! {
            outcome = &mut pass => outcome,
            _ = shutdown.requested() => {
                // Let a sweep under way finish its writes, briefly.
                let _ = tokio::time::timeout(SWEEP_FINISH_ON_STOP, &mut pass).await;
                return;
            }
        };
        last.send_replace(match outcome {
            Ok(summary) => LastSweep::Done(summary),
            Err(e) => LastSweep::Failed(e.to_string()),
        });
        tokio::select! {
            _ = tokio::time::sleep(jittered(interval)) => {}
            _ = shutdown.requested() => return,
        }
    }
}

/// Notices runs that should have reached this worker and did not.
struct DeafWatch {
    supervisor: Option<SupervisorHandle>,
    last_restart: Option<Instant>,
}

impl DeafWatch {
    fn new(supervisor: Option<SupervisorHandle>) -> Self {
        DeafWatch {
            supervisor,
            last_restart: None,
        }
    }

    async fn check(&mut self, service: &SessionService, summary: &SweepSummary) {
        let Some(supervisor) = &self.supervisor else {
            return;
        };
        if summary.closed_ids.is_empty() {
            return;
        }
        let Some(up_since) = supervisor.up_since() else {
            return;
        };
        if self
            .last_restart
            .is_some_and(|t| t.elapsed() < DEAF_RESTART_COOLDOWN)
        {
            return;
        }
        let sessions = match service.store().get_sessions(&summary.closed_ids).await {
            Ok(sessions) => sessions,
            Err(e) => {
                tracing::debug!(target: "attctl_worker::sweep", error = %e, "cannot check the swept sessions' runs");
                return;
            }
        };
        let now = Utc::now();
        let missed: Vec<SessionId> = sessions
            .iter()
            .filter(|s| {
                s.scheduled_run()
                    .is_some_and(|run| !run.starts_with(LOCAL_RUN_PREFIX))
                    && run_was_owed(s.closes_at, up_since, now)
            })
            .map(|s| s.id)
            .collect();
        if missed.is_empty() {
            return;
        }
        tracing::warn!(
            target: "attctl_worker::sweep",
            sessions = ?missed,
            up_since = %up_since,
            "the sweep closed sessions whose runs were due while the Hatchet worker was up: runs are not arriving; reconnecting"
        );
        self.last_restart = Some(Instant::now());
        supervisor.request_restart(format!(
            "{} planned run(s) never arrived (sessions {missed:?})",
            missed.len()
        ));
    }
}

/// Whether a run for a session closing at `closes_at` should have been delivered to a
/// generation up since `up_since`, by `now`.
fn run_was_owed(closes_at: DateTime<Utc>, up_since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    closes_at >= up_since + UP_MARGIN && closes_at <= now - RUN_OVERDUE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent() {
        for _ in 0..1000 {
            let d = jittered(Duration::from_secs(60));
            assert!(
                d >= Duration::from_secs(54) && d <= Duration::from_secs(66),
                "{d:?}"
            );
        }
        assert!(jittered(Duration::from_millis(1)) >= Duration::from_millis(500));
    }

    #[test]
    fn only_runs_due_while_up_and_long_overdue_count() {
        let now = Utc::now();
        let up = now - chrono::Duration::minutes(10);
        assert!(run_was_owed(now - chrono::Duration::minutes(5), up, now));
        // Closed before the generation was up: the engine may have fired it into the void.
        assert!(!run_was_owed(up - chrono::Duration::seconds(1), up, now));
        // Too recent: the run may still be on its way or being retried.
        assert!(!run_was_owed(now - chrono::Duration::seconds(30), up, now));
    }

    #[test]
    fn summary_json_has_the_documented_fields_first() {
        let summary = SweepSummary::new(
            &SweepReport {
                closed: vec![3, 4],
                scheduled: 1,
                ..Default::default()
            },
            Duration::from_millis(12),
        );
        let line = serde_json::to_string(&summary).unwrap();
        assert!(
            line.starts_with(r#"{"closed":2,"scheduled":1,"schedule_failures":0,"#),
            "{line}"
        );
        assert!(line.contains(r#""closed_ids":[3,4]"#), "{line}");
    }
}
