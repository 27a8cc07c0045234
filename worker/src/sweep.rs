//! The reconciliation sweep: the safety net under every scheduled run.
//!
//! [`SessionService::sweep`] closes every overdue Open session (`closed_by = sweep`) and
//! plans runs for future Open sessions that have none. The daemon runs it at start and
//! then every `--sweep-interval` seconds (up to 10 % early at random, so that several
//! workers started together do not sweep in lockstep); `attctl-worker sweep --once` runs it
//! once for cron.
//! A failed sweep is logged and tried again at the next interval; it never stops the
//! daemon.
//!
//! The sweep leaves sessions overdue by less than `SWEEP_GRACE` to their runs and says
//! when to look again (`recheck_at`); the loop then sweeps at that instant rather than a
//! whole interval later.
//!
//! In Hatchet mode the sweep also watches for a deaf worker: a session it had to close
//! although its run was planned, due while our worker generation was up, and never
//! reached this process means runs are not reaching us, and the generation is replaced.

use std::sync::Arc;
use std::time::{Duration, Instant};

use attctl::service::{SessionService, SweepReport};
use attctl::session::{SessionId, TaskRef};
use attctl::store::RowFailure;
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::hatchet_worker::{Health, SupervisorHandle};
use crate::shutdown::Shutdown;
use crate::task::RunLedger;

/// Bound on one sweep (each store and scheduler call has its own timeout; this only
/// guarantees the loop moves on). Its claims expire by themselves if it is cut short.
const SWEEP_BUDGET: Duration = Duration::from_secs(10 * 60);
/// A sweep under way when the daemon stops gets this long to finish.
pub(crate) const SWEEP_FINISH_ON_STOP: Duration = Duration::from_secs(5);
/// Fraction of the interval used as jitter. Sweeps only ever come early, never late, so the
/// promise "no session stays Open more than one interval past its end" holds.
const JITTER: f64 = 0.1;
/// Shortest wait before a recheck the sweep asked for.
const MIN_RECHECK: Duration = Duration::from_millis(200);
/// The generation must have been up this long before the closing instant, so runs the
/// engine fired while it was still connecting do not count.
const UP_MARGIN: chrono::Duration = chrono::Duration::seconds(10);
/// At most one deafness restart per this period.
const DEAF_RESTART_COOLDOWN: Duration = Duration::from_secs(5 * 60);

/// Rows that could not be closed (old rows breaking a rule), each logged once per process
/// with its reason, not at every sweep; a row that becomes writable again may be logged
/// again if it breaks later.
#[derive(Debug, Default)]
pub(crate) struct UnwritableRows {
    logged: HashSet<SessionId>,
}

/// Bound on the ids remembered; past it the set starts afresh (and logs them again).
const MAX_REMEMBERED_ROWS: usize = 100_000;

impl UnwritableRows {
    /// Logs the failures not logged before by this process.
    pub(crate) fn note(&mut self, failed: &[RowFailure]) {
        if self.logged.len() >= MAX_REMEMBERED_ROWS {
            self.logged.clear();
        }
        let new: Vec<&RowFailure> = failed.iter().filter(|f| self.logged.insert(f.id)).collect();
        if new.is_empty() {
            return;
        }
        let ids: Vec<SessionId> = new.iter().map(|f| f.id).collect();
        tracing::error!(
            target: "attctl_worker::sweep",
            count = new.len(),
            session_ids = ?ids,
            first_reason = new[0].reason.as_str(),
            "overdue sessions cannot be closed: their rows break a rule of the schema (every other session still closes); run `attctl doctor` for the fix"
        );
    }
}

/// The last sweep as the daemon shows it (STATUS line, readiness).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LastSweep {
    NotYet,
    Done(SweepReport),
    Failed(String),
}

/// `attctl-worker sweep --once`: one JSON line on stdout and 0, or one `error:` line on
/// stderr and the error's exit code.
pub(crate) async fn once(settings: &attctl::config::Settings) -> i32 {
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
    match sweep_logged(&service, &worker_id, &mut UnwritableRows::default()).await {
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
pub(crate) async fn sweep_logged(
    service: &SessionService,
    worker_id: &str,
    unwritable: &mut UnwritableRows,
) -> Result<SweepReport, attctl::Error> {
    let started = Instant::now();
    let result = tokio::time::timeout(SWEEP_BUDGET, service.sweep(worker_id, Utc::now())).await;
    log_sweep(result, started.elapsed(), unwritable)
}

/// The closing half of a sweep, logged like a whole one: what the daemon's loops run on
/// time, while a [`Planner`] plans missing runs apart.
pub(crate) async fn close_pass_logged(
    service: &SessionService,
    unwritable: &mut UnwritableRows,
) -> Result<SweepReport, attctl::Error> {
    let started = Instant::now();
    let result = tokio::time::timeout(SWEEP_BUDGET, service.close_pass(Utc::now())).await;
    log_sweep(result, started.elapsed(), unwritable)
}

fn log_sweep(
    result: Result<Result<SweepReport, attctl::Error>, tokio::time::error::Elapsed>,
    took: Duration,
    unwritable: &mut UnwritableRows,
) -> Result<SweepReport, attctl::Error> {
    let result = result.unwrap_or_else(|_| {
        Err(attctl::Error::Unavailable(format!(
            "sweep did not finish within {}s",
            SWEEP_BUDGET.as_secs()
        )))
    });
    match result {
        Ok(report) => {
            let summary = report;
            unwritable.note(&summary.failed);
            if !summary.closed.is_empty()
                || summary.scheduled > 0
                || summary.schedule_failures > 0
                || !summary.errors.is_empty()
            {
                tracing::info!(
                    target: attctl::WORKER_LOG_TARGET,
                    "sweep: closed {} overdue {:?}, scheduled {}, {} scheduling failures, {} errors",
                    summary.closed.len(),
                    summary.closed,
                    summary.scheduled,
                    summary.schedule_failures,
                    summary.errors.len()
                );
            }
            let first_error = summary.errors.first().map(String::as_str);
            if summary.errors.is_empty() && summary.schedule_failures == 0 {
                tracing::info!(
                    target: "attctl_worker::sweep",
                    closed = summary.closed.len(),
                    scheduled = summary.scheduled,
                    schedule_failures = summary.schedule_failures,
                    lost_claims = summary.lost_claims,
                    errors = summary.errors.len(),
                    closed_ids = ?summary.closed,
                    recheck_at = summary.recheck_at.map(|t| t.to_rfc3339()),
                    duration_ms = summary.duration.as_millis() as u64,
                    "sweep done"
                );
            } else {
                tracing::warn!(
                    target: "attctl_worker::sweep",
                    closed = summary.closed.len(),
                    scheduled = summary.scheduled,
                    schedule_failures = summary.schedule_failures,
                    lost_claims = summary.lost_claims,
                    errors = summary.errors.len(),
                    first_error,
                    closed_ids = ?summary.closed,
                    recheck_at = summary.recheck_at.map(|t| t.to_rfc3339()),
                    duration_ms = summary.duration.as_millis() as u64,
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
        }
    }

    /// Passes wait until the Hatchet worker is up (at most [`PLAN_WAITS_FOR_WORKER`]).
    pub(crate) fn after_registration(mut self, health: watch::Receiver<Health>) -> Self {
        self.registered = Some(health);
        self
    }

    /// Starts a pass unless one is still under way (that one picks up what is new when it
    /// reads its next chunk).
    pub(crate) fn kick(&mut self) {
        if self.task.as_ref().is_some_and(|t| !t.is_finished()) {
            return;
        }
        let service = self.service.clone();
        let worker_id = self.worker_id.clone();
        let registered = self.registered.clone();
        self.task = Some(tokio::spawn(async move {
            if let Some(mut health) = registered {
                // Not up in time (engine down): plan anyway; what fails is retried.
                let _ = tokio::time::timeout(
                    PLAN_WAITS_FOR_WORKER,
                    health.wait_for(|h| matches!(h, Health::Up { .. })),
                )
                .await;
            }
            plan_logged(&service, &worker_id).await;
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
    let mut report = SweepReport::default();
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

/// `interval` less up to 10 %, from a random uuid's bits (no extra dependency for one number).
pub(crate) fn jittered(interval: Duration) -> Duration {
    let unit = (uuid::Uuid::new_v4().as_u128() % 1_000_001) as f64 / 1_000_000.0;
    let factor = 1.0 - JITTER * unit;
    interval.mul_f64(factor).max(Duration::from_millis(500))
}

/// How long to wait for the next sweep: the interval (with jitter), or less when the
/// last sweep asked to be called again sooner.
pub(crate) fn next_sweep_in(interval: Duration, recheck_at: Option<DateTime<Utc>>) -> Duration {
    let regular = jittered(interval);
    match recheck_at.map(|at| (at - Utc::now()).to_std().unwrap_or_default()) {
        Some(soon) => soon.max(MIN_RECHECK).min(regular),
        None => regular,
    }
}

/// The deafness check's view of the Hatchet side (Hatchet mode only).
#[derive(Clone, Debug)]
pub(crate) struct DeafCheck {
    pub supervisor: SupervisorHandle,
    pub ledger: Arc<RunLedger>,
}

/// The daemon's sweep loop (Hatchet mode; the local closer runs its own sweeps in line).
pub(crate) async fn run_loop(
    service: SessionService,
    worker_id: String,
    interval: Duration,
    shutdown: Shutdown,
    last: watch::Sender<LastSweep>,
    deaf: Option<DeafCheck>,
) {
    let mut deaf = DeafWatch::new(deaf);
    let mut unwritable = UnwritableRows::default();
    let mut planner = Planner::new(service.clone(), worker_id);
    if let Some(check) = &deaf.check {
        planner = planner.after_registration(check.supervisor.health());
    }
    loop {
        let pass = async {
            let outcome = close_pass_logged(&service, &mut unwritable).await;
            if let Ok(summary) = &outcome {
                deaf.check(&service, summary).await;
            }
            outcome
        };
        tokio::pin!(pass);
        let outcome = tokio::select! {
            outcome = &mut pass => outcome,
            _ = shutdown.requested() => {
                planner.stop().await;
                // Let a sweep under way finish its writes, briefly.
                let _ = tokio::time::timeout(SWEEP_FINISH_ON_STOP, &mut pass).await;
                return;
            }
        };
        planner.kick();
        let recheck_at = outcome.as_ref().ok().and_then(|s| s.recheck_at);
        last.send_replace(match outcome {
            Ok(summary) => LastSweep::Done(summary),
            Err(e) => LastSweep::Failed(e.to_string()),
        });
        tokio::select! {
            _ = tokio::time::sleep(next_sweep_in(interval, recheck_at)) => {}
            _ = shutdown.requested() => {
                planner.stop().await;
                return;
            }
        }
    }
}

/// Notices runs that should have reached this worker and did not.
struct DeafWatch {
    check: Option<DeafCheck>,
    last_restart: Option<Instant>,
}

impl DeafWatch {
    fn new(check: Option<DeafCheck>) -> Self {
        DeafWatch {
            check,
            last_restart: None,
        }
    }

    async fn check(&mut self, service: &SessionService, summary: &SweepReport) {
        let Some(DeafCheck { supervisor, ledger }) = &self.check else {
            return;
        };
        if summary.closed.is_empty() {
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
        let sessions = match service.store().get_sessions(&summary.closed).await {
            Ok(sessions) => sessions,
            Err(e) => {
                tracing::debug!(target: "attctl_worker::sweep", error = %e, "cannot check the swept sessions' runs");
                return;
            }
        };
        let missed: Vec<SessionId> = sessions
            .iter()
            .filter(|s| {
                matches!(s.task_ref(), TaskRef::Run(_))
                    && due_while_up(s.closes_at, up_since)
                    && !ledger.saw_session(s.id)
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
            "the sweep closed sessions whose runs were due while the Hatchet worker was up and never arrived: reconnecting"
        );
        self.last_restart = Some(Instant::now());
        supervisor.request_restart(format!(
            "{} planned run(s) never arrived (sessions {missed:?})",
            missed.len()
        ));
    }
}

/// Whether a session closing at `closes_at` was due while a generation up since
/// `up_since` was listening (the sweep only closes sessions past their grace, so the run
/// had its time to arrive).
fn due_while_up(closes_at: DateTime<Utc>, up_since: DateTime<Utc>) -> bool {
    closes_at >= up_since + UP_MARGIN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_only_shortens_the_interval_by_up_to_ten_percent() {
        for _ in 0..1000 {
            let d = jittered(Duration::from_secs(60));
            assert!(
                d >= Duration::from_secs(54) && d <= Duration::from_secs(60),
                "{d:?}"
            );
        }
        assert!(jittered(Duration::from_millis(1)) >= Duration::from_millis(500));
    }

    #[test]
    fn only_runs_due_while_up_count() {
        let up = Utc::now() - chrono::Duration::minutes(10);
        assert!(due_while_up(up + chrono::Duration::minutes(5), up));
        // Due before (or just after) the generation was up: the engine may have fired it
        // into the void, or queued it for us to pick up late.
        assert!(!due_while_up(up - chrono::Duration::seconds(1), up));
        assert!(!due_while_up(up + chrono::Duration::seconds(2), up));
    }

    #[test]
    fn a_recheck_shortens_the_wait_but_never_below_a_floor() {
        let interval = Duration::from_secs(60);
        let soon = Utc::now() + chrono::Duration::seconds(3);
        let wait = next_sweep_in(interval, Some(soon));
        assert!(
            wait <= Duration::from_secs(3) && wait >= Duration::from_secs(2),
            "{wait:?}"
        );
        let past = Utc::now() - chrono::Duration::seconds(3);
        assert_eq!(next_sweep_in(interval, Some(past)), MIN_RECHECK);
        let late = Utc::now() + chrono::Duration::hours(1);
        assert!(next_sweep_in(interval, Some(late)) <= Duration::from_secs(66));
    }

    #[test]
    fn summary_json_has_the_documented_fields_first() {
        let summary = SweepReport {
            closed: vec![3, 4],
            scheduled: 1,
            duration: Duration::from_millis(12),
            ..Default::default()
        };
        let line = serde_json::to_string(&summary).unwrap();
        assert!(
            line.starts_with(r#"{"closed":2,"scheduled":1,"schedule_failures":0,"#),
            "{line}"
        );
        assert!(line.contains(r#""closed_ids":[3,4]"#), "{line}");
    }

    /// `sweep --once` prints this line: its fields, their order and their encodings are a
    /// contract for scripts, pinned here byte for byte.
    #[test]
    fn summary_json_is_pinned_byte_for_byte() {
        let recheck_at = DateTime::parse_from_rfc3339("2026-11-30T08:15:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let summary = SweepReport {
            closed: vec![3, 4],
            failed: vec![RowFailure {
                id: 5,
                reason: "breaks a rule".into(),
            }],
            scheduled: 1,
            schedule_failures: 2,
            lost_claims: 3,
            warning_runs: 4,
            errors: vec!["engine down".into()],
            recheck_at: Some(recheck_at),
            duration: Duration::from_millis(12),
        };
        assert_eq!(
            serde_json::to_string(&summary).unwrap(),
            r#"{"closed":2,"scheduled":1,"schedule_failures":2,"lost_claims":3,"errors":["engine down"],"closed_ids":[3,4],"failed":[{"id":5,"reason":"breaks a rule"}],"recheck_at":"2026-11-30T08:15:00Z","duration_ms":12,"warning_runs":4}"#
        );
        let empty = SweepReport::default();
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"closed":0,"scheduled":0,"schedule_failures":0,"lost_claims":0,"errors":[],"closed_ids":[],"failed":[],"recheck_at":null,"duration_ms":0,"warning_runs":0}"#
        );
    }
}
