//! The warning loop, in both modes: records the `session.closing_soon` events that are due
//! (on time in local mode; in Hatchet mode the warning runs do that, and the loop records
//! the missed ones every sweep interval). The delivery loop ([`crate::delivery`]) sends
//! them; a recorded warning wakes it.

use std::time::Duration;

use attctl::notify::NotifySettings;
use attctl::store::SessionStore;
use chrono::Utc;

use crate::daemon::Context;
use crate::delivery::ERROR_PAUSE;

/// Longest sleep of the warning loop in local mode: a safety net only, since the local
/// closer wakes it when someone writes ([`Context::others_wrote`]).
const WARN_IDLE_MAX: Duration = Duration::from_secs(60);

/// How the warning loop paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WarnPace {
    /// Local mode: the loop is what sends warnings on time, so it sleeps until the next
    /// one falls due, or until the local closer sees that someone wrote (a session created
    /// or moved), at most [`WARN_IDLE_MAX`].
    OnTime,
    /// Hatchet mode: each warning is a scheduled run (`warn-teaching-session`); the loop
    /// only records, every sweep interval, warnings that are due and were missed.
    Sweep(Duration),
}

impl WarnPace {
    /// With Hatchet, runs send warnings on time; without, this loop does.
    fn of(ctx: &Context) -> Self {
        if ctx.config.settings.hatchet.is_some() {
            WarnPace::Sweep(ctx.config.sweep_interval)
        } else {
            WarnPace::OnTime
        }
    }
}

/// Records due warnings until shutdown: every offset of `ATTCTL_WARN_BEFORE`, for Open
/// sessions only, before their closing instant only, once per session and offset (the
/// store's unique key holds this across workers and with warning runs). Covers warnings
/// missed while no worker ran, as long as the session is still Open and not yet due to
/// close.
pub(crate) async fn run(ctx: Context) {
    let mut stores = ctx.stores.clone();
    let settings = &ctx.config.settings.notify;
    let pace = WarnPace::of(&ctx);
    let offsets: Vec<u32> = settings
        .warn_before
        .iter()
        .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
        .collect();
    if offsets.is_empty() {
        ctx.stop.cancelled().await;
        return;
    }
    let mut others_wrote = ctx.others_wrote.subscribe();
    loop {
        others_wrote.borrow_and_update();
        let store = stores.borrow_and_update().clone();
        let recorded = record_and_next(store.as_ref(), settings, &offsets, pace);
        let Some(recorded) = ctx.stop.run_until_cancelled(recorded).await else {
            return;
        };
        let pause = match recorded {
            Ok((recorded, next)) => {
                if recorded > 0 {
                    ctx.wake.notify_one();
                }
                next
            }
            Err(e) => {
                tracing::warn!(target: "attctl_worker", error = %e, "recording warnings failed");
                ERROR_PAUSE
            }
        };
        let someone_wrote = async {
            match pace {
                // Changes only move warnings that this loop sends itself.
                WarnPace::OnTime => {
                    if others_wrote.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                WarnPace::Sweep(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctx.stop.cancelled() => return,
            _ = tokio::time::sleep(pause) => {}
            _ = someone_wrote => {}
        }
    }
}

/// Records what is due now; answers how long to sleep until the next warning falls due.
async fn record_and_next(
    store: &dyn SessionStore,
    settings: &NotifySettings,
    offsets: &[u32],
    pace: WarnPace,
) -> attctl::Result<(usize, Duration)> {
    let recorded = store.record_due_warnings(offsets).await?;
    if !recorded.is_empty() {
        tracing::info!(target: "attctl_worker", count = recorded.len(), "closing-soon warnings recorded");
    }
    if let WarnPace::Sweep(interval) = pace {
        return Ok((recorded.len(), interval));
    }
    let now = Utc::now();
    let mut sleep = WARN_IDLE_MAX;
    for offset in &settings.warn_before {
        let Ok(offset) = chrono::Duration::from_std(*offset) else {
            continue;
        };
        if let Some(next) = store.next_closing(now + offset).await? {
            let due = (next - offset - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO);
            sleep = sleep.min(due);
        }
    }
    Ok((recorded.len(), sleep.max(Duration::from_millis(10))))
}
