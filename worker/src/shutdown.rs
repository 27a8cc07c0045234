//! Stopping: the first SIGTERM or SIGINT cancels the daemon's one [`CancellationToken`],
//! which asks every part to finish what it is doing and stop (bounded by
//! [`SHUTDOWN_BUDGET`]); a second one exits at once.
//!
//! Parts hold a clone of the token and either poll `is_cancelled` between steps or wait
//! with `run_until_cancelled`. Nothing is cancelled in the middle of a store write: the
//! write is allowed to finish, then the part returns.

use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Longest a graceful stop may take, from the first signal to the exit.
pub(crate) const SHUTDOWN_BUDGET: Duration = Duration::from_secs(20);

/// Listens for SIGTERM and SIGINT: the first cancels `stop`, the second exits the process
/// immediately with the conventional 128 + signal number.
pub(crate) fn listen(stop: CancellationToken) -> std::io::Result<JoinHandle<()>> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(tokio::spawn(async move {
        let first = tokio::select! {
            _ = term.recv() => ("SIGTERM", 15),
            _ = int.recv() => ("SIGINT", 2),
        };
        tracing::info!(
            target: "attctl_worker",
            signal = first.0,
            budget_s = SHUTDOWN_BUDGET.as_secs(),
            "stopping gracefully (send the signal again to exit at once)"
        );
        stop.cancel();
        let second = tokio::select! {
            _ = term.recv() => ("SIGTERM", 15),
            _ = int.recv() => ("SIGINT", 2),
        };
        tracing::warn!(
            target: "attctl_worker",
            signal = second.0,
            "second signal: exiting now without waiting for running work"
        );
        std::process::exit(128 + second.1);
    }))
}

/// Sleeps for `duration` unless a stop comes first; `false` when it did.
pub(crate) async fn sleep(stop: &CancellationToken, duration: Duration) -> bool {
    stop.run_until_cancelled(tokio::time::sleep(duration))
        .await
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn clones_see_the_trigger() {
        let a = CancellationToken::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        let waiter = tokio::spawn({
            let b = b.clone();
            async move { sleep(&b, Duration::from_secs(3600)).await }
        });
        a.cancel();
        let slept = tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .unwrap()
            .unwrap();
        assert!(!slept, "a stop ends the sleep");
        assert!(b.is_cancelled());
    }
}
