//! The daemon's parts as the supervisor holds them: named tasks that only end on a stop.
//! A part that ends on its own is a bug; [`Parts::first_to_end`] notices it, and
//! [`Parts::stop`] waits for all of them within [`SHUTDOWN_BUDGET`].

use std::future::Future;
use std::time::{Duration, Instant};

use attctl::error::exit;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::runs::InFlight;
use crate::sd_notify;
use crate::shutdown::SHUTDOWN_BUDGET;

/// How often the supervisor looks for a part that ended (and the monitor refreshes the
/// STATUS line): a wake-up of an idle daemon each, so not more often than needed.
pub(super) const TICK: Duration = Duration::from_secs(1);

/// The running parts, in the order they started (and are waited for on the way out).
#[derive(Default)]
pub(super) struct Parts(Vec<(&'static str, JoinHandle<()>)>);

impl Parts {
    /// Starts `part` on the daemon's runtime.
    pub(super) fn spawn(
        &mut self,
        name: &'static str,
        part: impl Future<Output = ()> + Send + 'static,
    ) {
        self.push(name, tokio::spawn(part));
    }

    /// Adds a part started elsewhere (the Hatchet supervisor starts its own task).
    pub(super) fn push(&mut self, name: &'static str, task: JoinHandle<()>) {
        self.0.push((name, task));
    }

    /// Whether every part still runs (the watchdog is only pinged then).
    pub(super) fn all_alive(&self) -> bool {
        self.0.iter().all(|(_, task)| !task.is_finished())
    }

    /// Resolves with the name of the first part seen to have ended, or with `None` once a
    /// stop is asked for.
    pub(super) async fn first_to_end(&self, stop: &CancellationToken) -> Option<&'static str> {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let ended = async {
            loop {
                tick.tick().await;
                if let Some((name, _)) = self.0.iter().find(|(_, task)| task.is_finished()) {
                    return *name;
                }
            }
        };
        stop.run_until_cancelled(ended).await
    }

    /// Waits for every part to stop, within the budget; a part past it is abandoned.
    pub(super) async fn stop(self, inflight: &InFlight) -> i32 {
        let started = Instant::now();
        let busy = inflight.count();
        sd_notify::stopping(&format!("stopping: {busy} run(s) in progress"));
        let deadline = tokio::time::Instant::now() + SHUTDOWN_BUDGET;
        let mut code = exit::OK;
        for (name, task) in self.0 {
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
}
