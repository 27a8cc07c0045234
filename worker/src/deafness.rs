//! The Hatchet deafness check: a session the sweep had to close although its run was
//! planned, due while our worker generation was up, and never reached this process means
//! runs are not reaching us, and the generation is replaced
//! ([`SupervisorHandle::request_restart`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use attctl::service::{SessionService, SweepOutcome};
use attctl::session::{SessionId, TaskRef};
use chrono::{DateTime, Utc};

use crate::hatchet_worker::SupervisorHandle;
use crate::runs::RunLedger;

/// The generation must have been up this long before the closing instant, so runs the
/// engine fired while it was still connecting do not count.
const UP_MARGIN: chrono::Duration = chrono::Duration::seconds(10);
/// At most one deafness restart per this period.
const DEAF_RESTART_COOLDOWN: Duration = Duration::from_secs(5 * 60);

/// The deafness check's view of the Hatchet side (Hatchet mode only).
#[derive(Clone, Debug)]
pub(crate) struct DeafCheck {
    pub supervisor: SupervisorHandle,
    pub ledger: Arc<RunLedger>,
}

/// Notices runs that should have reached this worker and did not.
pub(crate) struct DeafWatch {
    check: Option<DeafCheck>,
    last_restart: Option<Instant>,
}

impl DeafWatch {
    pub(crate) fn new(check: Option<DeafCheck>) -> Self {
        DeafWatch {
            check,
            last_restart: None,
        }
    }

    pub(crate) async fn check(&mut self, service: &SessionService, summary: &SweepOutcome) {
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
    fn only_runs_due_while_up_count() {
        let up = Utc::now() - chrono::Duration::minutes(10);
        assert!(due_while_up(up + chrono::Duration::minutes(5), up));
        // Due before (or just after) the generation was up: the engine may have fired it
        // into the void, or queued it for us to pick up late.
        assert!(!due_while_up(up - chrono::Duration::seconds(1), up));
        assert!(!due_while_up(up + chrono::Duration::seconds(2), up));
    }
}
