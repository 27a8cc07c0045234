//! One worker generation: the SDK's worker on its own OS thread and tokio runtime,
//! connected (through the [`crate::stream_watch`] relay for plain gRPC), registered with
//! attctl's tasks, and stopped by draining its runs ([`Drain`]). The supervisor
//! ([`super`]) sees it as a [`Generation`]: a stop switch, an "up" signal and its
//! [`GenerationExit`].

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use attctl::config::TlsStrategy;
use attctl::scheduler::local::LocalScheduler;
use attctl::scheduler::{CLOSE_TASK, LEGACY_TASK, LEGACY_WORKFLOW, WARN_TASK};
use attctl::service::SessionService;
use futures::FutureExt;
use hatchet_sdk::{Context, Hatchet, HatchetError, Register, Task};
use serde_json::Value;
use tokio::sync::oneshot;

use super::{GenerationExit, WorkerSpec};
use crate::close_task::{CloseTask, RunKind};
use crate::runs::{EXECUTION_TIMEOUT, InFlight, RETRIES, RunIds};
use crate::warn_task::WarnTask;

/// Longest wait for the SDK's eager gRPC connect.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A generation whose `start` has not failed after this long is up: registration,
/// PutWorkflow and the first heartbeat take milliseconds on a healthy engine, and any of
/// them failing ends `start` at once.
pub(crate) const UP_AFTER: Duration = Duration::from_secs(1);
/// Runs still in progress when a generation stops get this long to finish.
pub(crate) const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// A stopping generation goes once no run has been in progress for this long: covers a run
/// the SDK is about to hand to us and the completion event of the last one.
const DRAIN_QUIET: Duration = Duration::from_millis(300);
const DRAIN_POLL: Duration = Duration::from_millis(25);
/// Bound on the runtime shutdown itself (blocking work the SDK may hold).
const RUNTIME_SHUTDOWN: Duration = Duration::from_secs(1);

/// One generation, seen from the supervisor.
pub(super) struct Generation {
    stop: Option<oneshot::Sender<()>>,
    pub(super) up: oneshot::Receiver<()>,
    pub(super) exit: oneshot::Receiver<GenerationExit>,
}

impl Generation {
    pub(super) fn spawn(spec: Arc<WorkerSpec>, number: u64) -> Generation {
        let (stop_tx, stop_rx) = oneshot::channel();
        let (up_tx, up_rx) = oneshot::channel();
        let (exit_tx, exit_rx) = oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name(format!("hatchet-gen-{number}"))
            .spawn(move || {
                let exit = generation_thread(&spec, number, stop_rx, up_tx);
                let _ = exit_tx.send(exit);
            });
        let exit = match spawned {
            Ok(_) => exit_rx,
            Err(e) => {
                // Report through the same channel shape as a generation that ran.
                let (tx, rx) = oneshot::channel();
                let _ = tx.send(GenerationExit::SetupFailed(format!(
                    "cannot start a thread: {e}"
                )));
                rx
            }
        };
        Generation {
            stop: Some(stop_tx),
            up: up_rx,
            exit,
        }
    }

    pub(super) fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The whole life of a generation on its own thread and runtime.
fn generation_thread(
    spec: &WorkerSpec,
    number: u64,
    stop: oneshot::Receiver<()>,
    up: oneshot::Sender<()>,
) -> GenerationExit {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(format!("hatchet-gen-{number}"))
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return GenerationExit::SetupFailed(format!("cannot start a runtime: {e}")),
    };
    let inflight = spec.inflight.child();
    let body = AssertUnwindSafe(generation_body(spec, stop, up, inflight.clone())).catch_unwind();
    let exit = match runtime.block_on(body) {
        Ok(exit) => exit,
        Err(panic) => GenerationExit::Panicked(crate::panic_message(panic.as_ref())),
    };
    // A stop drained in the body. Otherwise `start` died on its own: dispatching has
    // stopped, but runs it already handed to us may still be closing; let them finish and
    // report before the runtime goes.
    if !matches!(exit, GenerationExit::Stopped { .. }) {
        let drained = runtime.block_on(async {
            let was_busy = inflight.count() > 0;
            let drained = tokio::time::timeout(DRAIN_TIMEOUT, inflight.idle())
                .await
                .is_ok();
            if drained && was_busy {
                tokio::time::sleep(DRAIN_QUIET).await;
            }
            drained
        });
        if !drained {
            tracing::warn!(
                target: "attctl_worker::supervisor",
                generation = number,
                abandoned = inflight.count(),
                "runs still in progress after {}s are abandoned; Hatchet retries them",
                DRAIN_TIMEOUT.as_secs()
            );
        }
    }
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
    exit
}

async fn generation_body(
    spec: &WorkerSpec,
    mut stop: oneshot::Receiver<()>,
    up: oneshot::Sender<()>,
    inflight: InFlight,
) -> GenerationExit {
    let h = &spec.hatchet;
    let tls = match h.tls {
        TlsStrategy::None => "none",
        TlsStrategy::Tls => "tls",
    };
    let token = h.token.expose();
    // Plain gRPC goes through a relay that tells us when the connection carrying the
    // action stream ends (see `stream_watch`); TLS dials the engine itself.
    let mut watch = match h.tls {
        TlsStrategy::None => match crate::stream_watch::relay(h.grpc_address.clone()).await {
            Ok(watch) => Some(watch),
            Err(e) => {
                return GenerationExit::SetupFailed(format!("cannot bind the gRPC relay: {e}"));
            }
        },
        TlsStrategy::Tls => None,
    };
    let dial = watch
        .as_ref()
        .map_or_else(|| h.grpc_address.clone(), |w| w.local.to_string());
    let connect = Hatchet::from_token(&h.server_url, &dial, token, tls);
    let hatchet = tokio::select! {
        connected = tokio::time::timeout(CONNECT_TIMEOUT, connect) => match connected {
            Ok(Ok(hatchet)) => hatchet,
            Ok(Err(e)) => return GenerationExit::ConnectFailed(describe_sdk_error(&e, token)),
            Err(_) => {
                return GenerationExit::ConnectFailed(format!(
                    "no gRPC connection to {} within {}s",
                    h.grpc_address,
                    CONNECT_TIMEOUT.as_secs()
                ));
            }
        },
        _ = &mut stop => return GenerationExit::Stopped { drained: true },
    };
    // Runs only close sessions, they never plan runs: no scheduler needed.
    let store = match &spec.shared_store {
        Some(store) => store.clone(),
        None => match attctl::backend::open_store(&spec.settings) {
            Ok(store) => store,
            Err(e) => return GenerationExit::SetupFailed(format!("cannot open the store: {e}")),
        },
    };
    let service =
        SessionService::new(store, Arc::new(LocalScheduler)).with_events(spec.events.clone());
    let warner = WarnTask::new(service.clone(), inflight.clone());
    let handler = CloseTask::new(service, inflight.clone(), spec.ledger.clone());
    let task = match close_task(&hatchet, CLOSE_TASK, RunKind::Own, handler.clone()) {
        Ok(task) => task,
        Err(e) => return GenerationExit::SetupFailed(format!("cannot build the task: {e}")),
    };
    // Registered whatever this worker's ATTCTL_WARN_BEFORE says: the warnings are planned
    // by whoever creates the session, and a run must find a worker to take it.
    let warn = match warn_task(&hatchet, warner) {
        Ok(task) => task,
        Err(e) => return GenerationExit::SetupFailed(format!("cannot build the task: {e}")),
    };
    let mut worker = match hatchet.worker(&spec.name).slots(spec.slots).build() {
        Ok(worker) => worker
            .add_task_or_workflow(&task)
            .add_task_or_workflow(&warn),
        Err(e) => return GenerationExit::SetupFailed(format!("cannot build the worker: {e}")),
    };
    if spec.legacy_workflow {
        // The original worker's workflow: its name, its task's name, so its action id is
        // `close-session-workflow:close_teaching_session` (a standalone task would be
        // `close_teaching_session:close_teaching_session`). One worker serves both: the SDK
        // registers every workflow added and listens for all their actions at once.
        let legacy_task = match close_task(&hatchet, LEGACY_TASK, RunKind::Legacy, handler) {
            Ok(task) => task,
            Err(e) => return GenerationExit::SetupFailed(format!("cannot build the task: {e}")),
        };
        let legacy = match hatchet.workflow::<Value, Value>(LEGACY_WORKFLOW).build() {
            Ok(workflow) => workflow.add_task(&legacy_task),
            Err(e) => {
                return GenerationExit::SetupFailed(format!("cannot build the workflow: {e}"));
            }
        };
        worker = worker.add_task_or_workflow(&legacy);
    }
    let start = AssertUnwindSafe(worker.start()).catch_unwind();
    tokio::pin!(start);
    let up_timer = tokio::time::sleep(UP_AFTER);
    tokio::pin!(up_timer);
    let mut up = Some(up);
    let mut stop_open = true;
    let mut drain: Option<Drain> = None;
    let mut poll = tokio::time::interval(DRAIN_POLL);
    loop {
        tokio::select! {
            ended = &mut start => {
                return match ended {
                    Ok(Ok(())) => GenerationExit::Ended,
                    Ok(Err(e)) => GenerationExit::Failed(describe_sdk_error(&e, token)),
                    Err(panic) => GenerationExit::Panicked(crate::panic_message(panic.as_ref())),
                };
            }
            _ = &mut up_timer, if up.is_some() => {
                if let Some(up) = up.take() {
                    let _ = up.send(());
                }
            }
            _ = &mut stop, if stop_open => {
                stop_open = false;
                drain = Some(Drain::new());
            }
            why = stream_ended(&mut watch), if drain.is_none() => {
                return GenerationExit::StreamLost(why);
            }
            _ = poll.tick(), if drain.is_some() => {
                if let Some(d) = drain.as_mut()
                    && let Some(drained) = d.done(inflight.count())
                {
                    return GenerationExit::Stopped { drained };
                }
            }
        }
    }
}

/// The next report of a relayed connection that ended; never, without a relay.
async fn stream_ended(watch: &mut Option<crate::stream_watch::StreamWatch>) -> String {
    match watch {
        Some(w) => match w.ended.recv().await {
            Some(why) => why,
            None => std::future::pending().await,
        },
        None => std::future::pending().await,
    }
}

/// The SDK task `name`, with attctl's retries and timeout, that hands each run's input and
/// ids to `run`.
fn sdk_task<F, Fut>(hatchet: &Hatchet, name: &str, run: F) -> Result<Task<Value, Value>, String>
where
    F: Fn(Value, RunIds) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Value>> + Send + 'static,
{
    hatchet
        .task(name, move |input: Value, ctx: Context| {
            let ids = RunIds::of(&ctx);
            run(input, ids)
        })
        .retries(RETRIES)
        .execution_timeout(EXECUTION_TIMEOUT)
        .build()
        .map_err(|e| e.to_string())
}

/// The SDK task that hands each run of `name` to `handler` as a run of `kind`.
fn close_task(
    hatchet: &Hatchet,
    name: &str,
    kind: RunKind,
    handler: CloseTask,
) -> Result<Task<Value, Value>, String> {
    sdk_task(hatchet, name, move |input, ids| {
        let handler = handler.clone();
        async move { handler.run(kind, input, ids).await }
    })
}

/// The SDK task that hands each run of `warn-teaching-session` to `handler`.
fn warn_task(hatchet: &Hatchet, handler: WarnTask) -> Result<Task<Value, Value>, String> {
    sdk_task(hatchet, WARN_TASK, move |input, ids| {
        let handler = handler.clone();
        async move { handler.run(input, ids).await }
    })
}

/// Stopping a generation without cutting a run in two: the SDK's `start` keeps running (it
/// may be between telling the engine a run started and calling our handler, and it sends
/// the completion events) until no run has been in progress for [`DRAIN_QUIET`], or
/// [`DRAIN_TIMEOUT`] has passed.
struct Drain {
    deadline: Instant,
    quiet_since: Option<Instant>,
}

impl Drain {
    fn new() -> Self {
        Drain {
            deadline: Instant::now() + DRAIN_TIMEOUT,
            quiet_since: None,
        }
    }

    /// `Some(drained)` once the generation may go.
    fn done(&mut self, in_flight: usize) -> Option<bool> {
        let now = Instant::now();
        if in_flight > 0 {
            self.quiet_since = None;
        } else if self.quiet_since.get_or_insert(now).elapsed() >= DRAIN_QUIET {
            return Some(true);
        }
        (now >= self.deadline).then_some(false)
    }
}

/// The SDK's error text, with the token masked should any message ever carry it.
fn describe_sdk_error(e: &HatchetError, token: &str) -> String {
    let text = e.to_string();
    if token.len() >= 8 && text.contains(token) {
        text.replace(token, "<token>")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drain_waits_for_a_quiet_moment_or_its_deadline() {
        let mut d = Drain::new();
        assert_eq!(d.done(0), None, "quiet only just began");
        std::thread::sleep(DRAIN_QUIET);
        assert_eq!(d.done(0), Some(true));
        let mut d = Drain::new();
        d.done(0);
        std::thread::sleep(DRAIN_QUIET);
        // A run arrived: quiet starts over.
        assert_eq!(d.done(1), None);
        assert_eq!(d.done(0), None);
        d.deadline = Instant::now();
        assert_eq!(d.done(1), Some(false));
    }

    #[test]
    fn sdk_errors_never_show_the_token() {
        let token = "eyJhbGciOi.secret-payload.sig";
        let e = HatchetError::GrpcErrorStatus(format!("bad auth {token}"));
        let text = describe_sdk_error(&e, token);
        assert!(!text.contains(token), "{text}");
        assert!(text.contains("<token>"));
    }
}
