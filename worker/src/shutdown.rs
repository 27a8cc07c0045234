//! Stopping: the first SIGTERM or SIGINT asks every part of the daemon to finish what it is
//! doing and stop (bounded by [`SHUTDOWN_BUDGET`]); a second one exits at once.
//!
//! Parts of the daemon hold a [`Shutdown`] and either poll [`Shutdown::is_requested`]
//! between steps or race [`Shutdown::requested`] against their waits. Nothing is cancelled
//! in the middle of a store write: the write is allowed to finish, then the part returns.

use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Longest a graceful stop may take, from the first signal to the exit.
pub(crate) const SHUTDOWN_BUDGET: Duration = Duration::from_secs(20);

/// A cloneable view of "should we stop?", which can also ask for the stop itself (when a
/// core task dies, the daemon stops the rest the same orderly way).
#[derive(Clone, Debug)]
pub(crate) struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
    rx: watch::Receiver<bool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub(crate) fn new() -> Self {
        let (tx, rx) = watch::channel(false);
        Shutdown {
            tx: Arc::new(tx),
            rx,
        }
    }

    pub(crate) fn trigger(&self) {
        self.tx.send_replace(true);
    }

    pub(crate) fn is_requested(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once a stop has been asked for.
    pub(crate) async fn requested(&self) {
        let mut rx = self.rx.clone();
        // An error means every sender is gone: nobody can ask any more, so stop.
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

/// Listens for SIGTERM and SIGINT: the first triggers `shutdown`, the second exits the
/// process immediately with the conventional 128 + signal number.
pub(crate) fn listen(shutdown: Shutdown) -> std::io::Result<JoinHandle<()>> {
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
        shutdown.trigger();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn clones_see_the_trigger() {
        let a = Shutdown::new();
        let b = a.clone();
        assert!(!b.is_requested());
        let waiter = tokio::spawn({
            let b = b.clone();
            async move { b.requested().await }
        });
        a.trigger();
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .unwrap()
            .unwrap();
        assert!(b.is_requested());
    }
}
