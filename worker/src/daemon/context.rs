//! What every part of the daemon is built from: one [`Context`], cloned into each part,
//! with the one stop token.

use std::sync::Arc;

use attctl::service::SessionService;
use attctl::store::SessionStore;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

use crate::WorkerConfig;
use crate::delivery::DeliveryHint;
use crate::sweep::LastSweep;

/// The store the parts use, replaced when the local closer reopens a replaced data file.
pub(crate) type StoreWatch = watch::Receiver<Arc<dyn SessionStore>>;

/// A part's view of the daemon.
#[derive(Clone)]
pub(crate) struct Context {
    /// Resolved once at start: worker id, sweep interval, settings.
    pub config: Arc<WorkerConfig>,
    /// Closes, sweeps and plans; its changes wake the delivery loop.
    pub service: SessionService,
    /// The store of the notification loops (they follow a reopened data file).
    pub stores: StoreWatch,
    /// Rung by every change this worker makes (and by a recorded warning): the delivery
    /// loop claims at once instead of at its next idle tick.
    pub wake: Arc<Notify>,
    /// Bumped by the local closer each time the store says someone wrote to it (another
    /// process: `attctl`, the original app, psql): the warning loop wakes on it instead of
    /// asking the store every second.
    pub others_wrote: Arc<watch::Sender<u64>>,
    /// What the local closer's last look at the store says of the outbox (events due now,
    /// the next retry's instant): the delivery loop claims on it instead of on a timer.
    /// [`DeliveryHint::Unknown`] while nobody looks (Hatchet mode, an old database).
    pub deliveries: Arc<watch::Sender<DeliveryHint>>,
    /// Where the sweeps report, for readiness and the STATUS line.
    pub last_sweep: Arc<watch::Sender<LastSweep>>,
    /// Cancelled on the first signal, or when a part ends on its own.
    pub stop: CancellationToken,
}
