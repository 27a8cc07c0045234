//! The reconciliation sweep: the safety net under every scheduled run.
//!
//! [`SessionService::sweep`] closes every overdue Open session (`closed_by = sweep`) and
//! plans runs for future Open sessions that have none. The daemon runs it at start and
//! then every `--sweep-interval` seconds (up to 10 % early at random, so that several
//! workers started together do not sweep in lockstep); `attctl-worker sweep --once` runs it
//! once for cron. In local mode the closer's look (every 5 s on Supabase) stands in for
//! the periodic sweep while it finds no Open session past [`SWEEP_GRACE`] that can be
//! closed, and starts it at once when it finds one: the promise below then holds with the
//! grace and one look in place of the interval.
//!
//! [`SWEEP_GRACE`]: attctl::service::SWEEP_GRACE
//! A failed sweep is logged and tried again at the next interval; it never stops the
//! daemon.
//!
//! The sweep leaves sessions overdue by less than `SWEEP_GRACE` to their runs and says
//! when to look again (`recheck_at`); the loop then sweeps at that instant rather than a
//! whole interval later.
//!
//! Beside the sweep, the loop kicks a [`Planner`] after each pass, and in Hatchet mode asks
//! the [`DeafWatch`] whether runs still reach this worker.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use attctl::service::{ChangeFollower, SessionService, SweepOutcome};
use attctl::session::SessionId;
use attctl::store::RowFailure;
use chrono::{DateTime, Utc};

use crate::daemon::Context;
use crate::deafness::{DeafCheck, DeafWatch};
use crate::planner::Planner;
use crate::shutdown;

/// Bound on one sweep (each store and scheduler call has its own timeout; this only
/// guarantees the loop moves on). Its claims expire by themselves if it is cut short.
pub(crate) const SWEEP_BUDGET: Duration = Duration::from_secs(10 * 60);
/// A sweep under way when the daemon stops gets this long to finish.
pub(crate) const SWEEP_FINISH_ON_STOP: Duration = Duration::from_secs(5);
/// Fraction of the interval used as jitter. Sweeps only ever come early, never late, so the
/// promise "no session stays Open more than one interval past its end" holds.
const JITTER: f64 = 0.1;
/// Shortest wait before a recheck the sweep asked for.
const MIN_RECHECK: Duration = Duration::from_millis(200);

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
    /// Whether this row was found unwritable (and logged) already.
    pub(crate) fn knows(&self, id: SessionId) -> bool {
        self.logged.contains(&id)
    }

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
    Done(SweepOutcome),
    Failed(String),
}

impl LastSweep {
    /// How a pass that ended with `outcome` is shown.
    pub(crate) fn of(outcome: Result<SweepOutcome, attctl::Error>) -> Self {
        match outcome {
            Ok(summary) => LastSweep::Done(summary),
            Err(e) => LastSweep::Failed(e.to_string()),
        }
    }
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
    if let Err(e) = attctl::backend::check_registers(settings, service.store().as_ref()).await {
        eprintln!("error: {e}");
        return e.exit_code();
    }
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
) -> Result<SweepOutcome, attctl::Error> {
    let started = Instant::now();
    let result = tokio::time::timeout(SWEEP_BUDGET, service.sweep(worker_id, Utc::now())).await;
    log_sweep(service, result, started.elapsed(), unwritable).await
}

/// The closing half of a sweep, logged like a whole one: what the daemon's loops run on
/// time, while a [`Planner`] plans missing runs apart.
pub(crate) async fn close_pass_logged(
    service: &SessionService,
    unwritable: &mut UnwritableRows,
) -> Result<SweepOutcome, attctl::Error> {
    let started = Instant::now();
    let result = tokio::time::timeout(SWEEP_BUDGET, service.close_pass(Utc::now())).await;
    log_sweep(service, result, started.elapsed(), unwritable).await
}

async fn log_sweep(
    service: &SessionService,
    result: Result<Result<SweepOutcome, attctl::Error>, tokio::time::error::Elapsed>,
    took: Duration,
    unwritable: &mut UnwritableRows,
) -> Result<SweepOutcome, attctl::Error> {
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
            if tracing::enabled!(target: attctl::WORKER_LOG_TARGET, tracing::Level::INFO) {
                // The sessions by class and time, and how late: one read of the first few.
                let mut parts = Vec::new();
                if !summary.closed.is_empty() {
                    parts.push(format!(
                        "closed {} overdue: {}",
                        summary.closed.len(),
                        crate::log_names::describe_closed(service, &summary.closed).await
                    ));
                }
                if summary.scheduled > 0 {
                    parts.push(format!("scheduled {} runs", summary.scheduled));
                }
                if summary.schedule_failures > 0 {
                    parts.push(format!("{} scheduling failures", summary.schedule_failures));
                }
                if !summary.errors.is_empty() {
                    parts.push(format!("{} errors", summary.errors.len()));
                }
                if !parts.is_empty() {
                    tracing::info!(
                        target: attctl::WORKER_LOG_TARGET,
                        "sweep: {}",
                        parts.join("; ")
                    );
                }
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

/// The daemon's sweep loop (Hatchet mode; the local closer runs its own sweeps in line).
pub(crate) async fn run_loop(ctx: Context, deaf: Option<DeafCheck>) {
    let service = &ctx.service;
    let mut planner = Planner::new(service.clone(), ctx.config.worker_id.clone());
    if let Some(check) = &deaf {
        planner = planner.after_registration(check.supervisor.health());
    }
    let mut deaf = DeafWatch::new(deaf);
    let mut unwritable = UnwritableRows::default();
    // On Supabase others write too (staff, the original app, psql): follow them. A local
    // data file is only written by attctl holding this worker's settings.
    let mut follower =
        (service.store().backend() == "supabase").then(|| ChangeFollower::starting_at(Utc::now()));
    loop {
        let pass = async {
            let outcome = close_pass_logged(service, &mut unwritable).await;
            if let Ok(summary) = &outcome {
                deaf.check(service, summary).await;
            }
            outcome
        };
        tokio::pin!(pass);
        let Some(outcome) = ctx.stop.run_until_cancelled(&mut pass).await else {
            planner.stop().await;
            // Let a sweep under way finish its writes, briefly.
            let _ = tokio::time::timeout(SWEEP_FINISH_ON_STOP, &mut pass).await;
            return;
        };
        planner.kick();
        let recheck_at = outcome.as_ref().ok().and_then(|s| s.recheck_at);
        ctx.last_sweep.send_replace(LastSweep::of(outcome));
        let next_sweep = Instant::now() + next_sweep_in(ctx.config.sweep_interval, recheck_at);
        // Until the next sweep: follow what others change, every FOLLOW_EVERY.
        loop {
            let left = next_sweep.saturating_duration_since(Instant::now());
            let wait = match &follower {
                Some(_) => left.min(FOLLOW_EVERY),
                None => left,
            };
            if !shutdown::sleep(&ctx.stop, wait).await {
                planner.stop().await;
                return;
            }
            if Instant::now() >= next_sweep {
                break;
            }
            if let Some(follower) = follower.as_mut() {
                follow_logged(service, follower, &mut planner).await;
            }
        }
    }
}

/// How often the sweep loop reads `session_events` for what others changed (Supabase):
/// one request per period while nothing happens, and a teacher's new session planned, or a
/// deleted one's run cancelled, within about this long.
pub(crate) const FOLLOW_EVERY: Duration = Duration::from_secs(5);

/// One pass over what others changed; a pass that wants planning kicks the planner.
async fn follow_logged(
    service: &SessionService,
    follower: &mut ChangeFollower,
    planner: &mut Planner,
) {
    match service.follow_changes(follower).await {
        Ok(followed) => {
            if followed.needs_planning {
                planner.kick();
            }
            if followed.runs_cancelled > 0 || !followed.moved.is_empty() {
                tracing::info!(
                    target: "attctl_worker::follow",
                    events = followed.events,
                    runs_cancelled = followed.runs_cancelled,
                    moved = ?followed.moved,
                    "runs of sessions others deleted, closed or moved taken back"
                );
            }
            for warning in &followed.warnings {
                tracing::warn!(target: "attctl_worker::follow", "{warning}");
            }
        }
        Err(e) => tracing::warn!(
            target: "attctl_worker::follow",
            error = %e,
            "could not read session_events; the sweep still plans and closes everything"
        ),
    }
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
        let summary = SweepOutcome {
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
        let summary = SweepOutcome {
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
        let empty = SweepOutcome::default();
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"closed":0,"scheduled":0,"schedule_failures":0,"lost_claims":0,"errors":[],"closed_ids":[],"failed":[],"recheck_at":null,"duration_ms":0,"warning_runs":0}"#
        );
    }
}
