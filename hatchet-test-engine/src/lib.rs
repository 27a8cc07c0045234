//! A Hatchet engine stand-in for tests: it speaks Hatchet's real wire protocol so the
//! unmodified `hatchet-sdk` 0.2.8 worker and plain REST clients work against it.
//!
//! * gRPC (services generated at build time from the SDK's own `.proto` files):
//!   `Dispatcher/Register`, `ListenV2`, `Heartbeat`, `SendStepActionEvent`, `Unsubscribe`,
//!   `v1.AdminService/PutWorkflow`, `EventsService/PutLog` and `PutStreamEvent`.
//! * REST: create/get/delete/list scheduled runs, `PATCH` one, `bulk-delete` and
//!   `bulk-update`, list workflows and workers, `GET /api/ready`, `GET /api/live`.
//! * Scheduling as the real engine: 5 s schedule polling with look-ahead, schedules deleted
//!   when they fire, schedule timeout (`SCHEDULING_TIMED_OUT`), execution timeout (retried),
//!   application retries, reassignment of tasks from workers silent for 30 s (10 times),
//!   heartbeats rejected once a worker's stream is seen to end, missed schedules replayed
//!   after downtime, at-least-once delivery.
//! * Faults: clean stop or crash (rows stay active, heartbeats accepted), injected 400s
//!   and 429s, a per-tenant rate limit, deaf workers.
//!
//! Everything listens on 127.0.0.1 only. See [`TestEngine`].

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use uuid::Uuid;

mod grpc;
pub mod proto;
mod rest;
mod server;
mod state;
mod token;
mod types;

pub use types::{
    AttemptInfo, AttemptOutcome, EngineConfig, RestFault, RunInfo, RunStatus, ScheduleInfo,
    TaskInfo, WorkerInfo, WorkflowInfo,
};

use state::State;
use token::TokenAuthority;

/// Keys of [`TestEngine::request_counts`].
pub mod routes {
    pub const CREATE_SCHEDULED: &str =
        "POST /api/v1/tenants/{tenant}/workflows/{workflow}/scheduled";
    pub const LIST_SCHEDULED: &str = "GET /api/v1/tenants/{tenant}/workflows/scheduled";
    pub const GET_SCHEDULED: &str =
        "GET /api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
    pub const DELETE_SCHEDULED: &str =
        "DELETE /api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
    pub const LIST_WORKFLOWS: &str = "GET /api/v1/tenants/{tenant}/workflows";
    pub const LIST_WORKERS: &str = "GET /api/v1/tenants/{tenant}/worker";
    pub const RESOURCE_POLICY: &str = "GET /api/v1/tenants/{tenant}/resource-policy";
    pub const BULK_DELETE_SCHEDULED: &str =
        "POST /api/v1/tenants/{tenant}/workflows/scheduled/bulk-delete";
    pub const BULK_UPDATE_SCHEDULED: &str =
        "POST /api/v1/tenants/{tenant}/workflows/scheduled/bulk-update";
    pub const UPDATE_SCHEDULED: &str =
        "PATCH /api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
    pub const READY: &str = "GET /api/ready";
    pub const LIVE: &str = "GET /api/live";
    pub const GRPC_REGISTER: &str = "grpc /Dispatcher/Register";
    pub const GRPC_LISTEN_V2: &str = "grpc /Dispatcher/ListenV2";
    pub const GRPC_HEARTBEAT: &str = "grpc /Dispatcher/Heartbeat";
    pub const GRPC_STEP_ACTION_EVENT: &str = "grpc /Dispatcher/SendStepActionEvent";
    pub const GRPC_PUT_WORKFLOW: &str = "grpc /v1.AdminService/PutWorkflow";
}

pub(crate) struct Inner {
    pub(crate) config: EngineConfig,
    tenant_id: Uuid,
    token: String,
    authority: TokenAuthority,
    server_url: String,
    grpc_address: String,
    rest_port: u16,
    grpc_port: u16,
    state: Mutex<State>,
    pub(crate) changed: Notify,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    lifecycle: tokio::sync::Mutex<()>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.lock())
    }

    pub(crate) fn count(&self, key: &str) {
        *self
            .lock()
            .request_counts
            .entry(key.to_string())
            .or_default() += 1;
    }

    /// Tenant of a valid, unrevoked token for an existing tenant.
    pub(crate) fn verify_token(&self, token: &str, now: DateTime<Utc>) -> Option<Uuid> {
        let (tenant, token_id) = self.authority.verify(token, now).ok()?;
        let st = self.lock();
        (st.tenants.contains(&tenant) && !st.revoked_tokens.contains(&token_id)).then_some(tenant)
    }
}

/// A running (or stopped) test engine. Dropping it stops it.
pub struct TestEngine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for TestEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestEngine")
            .field("rest_url", &self.inner.server_url)
            .field("grpc_address", &self.inner.grpc_address)
            .field("tenant_id", &self.inner.tenant_id)
            .finish_non_exhaustive()
    }
}

impl TestEngine {
    /// Binds two free loopback ports (or the configured ones), mints the default tenant's
    /// token and starts serving gRPC, REST and the scheduler.
    pub async fn start(config: EngineConfig) -> anyhow::Result<TestEngine> {
        let rest = TcpListener::bind(("127.0.0.1", config.rest_port.unwrap_or(0)))
            .await
            .context("binding the REST port")?;
        let grpc = TcpListener::bind(("127.0.0.1", config.grpc_port.unwrap_or(0)))
            .await
            .context("binding the gRPC port")?;
        let rest_port = rest.local_addr()?.port();
        let grpc_port = grpc.local_addr()?.port();
        let server_url = format!("http://127.0.0.1:{rest_port}");
        let grpc_address = format!("127.0.0.1:{grpc_port}");

        let secret = attctl_testkit::jwt::random_bytes(32)
            .context("no system randomness for the token secret")?;
        let authority = TokenAuthority::new(&secret, server_url.clone(), grpc_address.clone());
        let tenant_id = Uuid::new_v4();
        let now = Utc::now();
        let token = authority.mint(tenant_id, now, now + state::to_chrono(config.token_ttl));

        let mut st = State::default();
        st.tenants.insert(tenant_id);
        st.set_max_internal_retries(config.max_internal_retries);

        let inner = Arc::new(Inner {
            config,
            tenant_id,
            token,
            authority,
            server_url,
            grpc_address,
            rest_port,
            grpc_port,
            state: Mutex::new(st),
            changed: Notify::new(),
            tasks: Mutex::new(Vec::new()),
            lifecycle: tokio::sync::Mutex::new(()),
        });
        spawn_all(&inner, rest, grpc);
        Ok(TestEngine { inner })
    }

    /// Stops serving: closes both listening sockets and every connection (every ListenV2
    /// stream ends, every worker becomes inactive), stops the scheduler and forgets armed
    /// schedule timers. Registered workflows, workers, schedules and runs persist, as in
    /// the real engine's database. Idempotent.
    pub async fn stop(&self) {
        let _guard = self.inner.lifecycle.lock().await;
        self.stop_locked().await;
    }

    /// Stops as a crash would (kill -9, OOM, node loss): every connection and stream is
    /// dropped and the scheduler stops, but no worker row is marked inactive. After
    /// `restart()` the old workers' heartbeats are accepted, they show ACTIVE in the worker
    /// list and runs are assigned to them, while their SDK listeners (which never
    /// reconnect) get nothing.
    pub async fn crash(&self) {
        let _guard = self.inner.lifecycle.lock().await;
        self.halt(true).await;
    }

    /// Crash, then serve again on the same ports.
    pub async fn crash_and_restart(&self) -> anyhow::Result<()> {
        self.crash().await;
        self.restart().await
    }

    /// The next create requests (one per fault, in order) answer the fault instead.
    pub fn inject_create_fault(&self, fault: RestFault) {
        self.inner
            .with_state(|st| st.create_faults.push_back(fault));
    }

    /// Limits every tenant to `per_second` REST requests per second (429 with
    /// `Retry-After` beyond it), as Hatchet Cloud does; `None` lifts the limit.
    pub fn set_rate_limit(&self, per_second: Option<u32>) {
        self.inner.with_state(|st| {
            st.rate_limit = per_second;
            st.rate_windows.clear();
        });
    }

    /// Enforces a tenant limit of `per_day` task runs per 24 hours, as the engine does with
    /// `SERVER_ENFORCE_LIMITS=true` and `SERVER_LIMITS_DEFAULT_TASK_RUN_LIMIT=per_day`: each
    /// run created counts, a schedule that fires past the limit creates no run, and
    /// `GET …/resource-policy` reports the limit and what is used. `None` lifts it (and the
    /// policy lists no limit). The count so far is kept.
    pub fn set_task_run_limit(&self, per_day: Option<u64>) {
        self.inner.with_state(|st| st.task_run_limit = per_day);
    }

    /// Runs the task-run limit refused so far.
    pub fn refused_runs(&self) -> u64 {
        self.inner.with_state(|st| st.refused_runs)
    }

    /// Registers `workflow` (one task, `workflow:task`) and a worker for it in the state an
    /// engine crash leaves an SDK 0.2.8 worker in: its row is active and its heartbeats
    /// keep coming (the engine refreshes them), but it has no stream, so it takes no run.
    pub fn deaf_worker(&self, name: &str, workflow: &str, task: &str) -> anyhow::Result<Uuid> {
        let now = Utc::now();
        let cfg = self.inner.config.clone();
        let tenant = self.inner.tenant_id;
        let action = format!("{workflow}:{task}");
        self.inner
            .with_state(|st| {
                st.put_workflow(
                    &cfg,
                    tenant,
                    workflow,
                    vec![state::NewTask {
                        readable_id: task.to_string(),
                        action: action.clone(),
                        timeout: String::new(),
                        schedule_timeout: None,
                        retries: 0,
                        has_parents: false,
                    }],
                )?;
                st.deaf_worker(tenant, name, &[action], now)
            })
            .map_err(|e| anyhow::anyhow!("{e:?}"))
    }

    /// REST requests answered 429 so far.
    pub fn rate_limited_count(&self) -> u64 {
        self.request_count("429")
    }

    async fn stop_locked(&self) {
        self.halt(false).await;
    }

    async fn halt(&self, crash: bool) {
        let tasks: Vec<JoinHandle<()>> = std::mem::take(
            &mut *self
                .inner
                .tasks
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        if tasks.is_empty() {
            return;
        }
        self.inner.with_state(|st| {
            if crash {
                st.crash_streams()
            } else {
                st.drop_all_streams()
            }
        });
        for t in &tasks {
            t.abort();
        }
        for t in tasks {
            let _ = t.await;
        }
        self.inner.changed.notify_waiters();
    }

    /// Stops (if running) and serves again on the same ports. After a clean stop workers
    /// must register again: their old ids get `FailedPrecondition` on Heartbeat (after a
    /// [`crash`](Self::crash) they do not). Schedules whose trigger time passed meanwhile
    /// fire at once (see [`EngineConfig::replay_missed_schedules`]).
    pub async fn restart(&self) -> anyhow::Result<()> {
        let _guard = self.inner.lifecycle.lock().await;
        self.stop_locked().await;
        let rest = bind_retry(self.inner.rest_port)
            .await
            .context("rebinding the REST port")?;
        let grpc = bind_retry(self.inner.grpc_port)
            .await
            .context("rebinding the gRPC port")?;
        let replay = self.inner.config.replay_missed_schedules;
        self.inner.with_state(|st| st.on_start(Utc::now(), replay));
        spawn_all(&self.inner, rest, grpc);
        Ok(())
    }

    /// True between `start`/`restart` and `stop`.
    pub fn is_running(&self) -> bool {
        !self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_empty()
    }

    /// A valid token for the default tenant (claims `sub`, `server_url`,
    /// `grpc_broadcast_address`, `iss`, `aud`, `exp`, `iat`, `token_id`).
    pub fn token(&self) -> String {
        self.inner.token.clone()
    }

    /// The default tenant.
    pub fn tenant_id(&self) -> Uuid {
        self.inner.tenant_id
    }

    /// REST base URL, `http://127.0.0.1:<port>` (also the token's `server_url`).
    pub fn rest_url(&self) -> String {
        self.inner.server_url.clone()
    }

    /// gRPC `host:port` (also the token's `grpc_broadcast_address`).
    pub fn grpc_address(&self) -> String {
        self.inner.grpc_address.clone()
    }

    pub fn rest_port(&self) -> u16 {
        self.inner.rest_port
    }

    pub fn grpc_port(&self) -> u16 {
        self.inner.grpc_port
    }

    /// Signs a token for `tenant_id` expiring at `expires_at` (may be in the past). The
    /// tenant must exist (`create_tenant`) for the token to be accepted.
    pub fn mint_token(&self, tenant_id: Uuid, expires_at: DateTime<Utc>) -> String {
        let now = Utc::now();
        self.inner
            .authority
            .mint(tenant_id, now.min(expires_at), expires_at)
    }

    /// A correctly signed token for the default tenant that expired a minute ago.
    pub fn mint_expired_token(&self) -> String {
        let now = Utc::now();
        self.inner.authority.mint(
            self.inner.tenant_id,
            now - chrono::Duration::hours(1),
            now - chrono::Duration::minutes(1),
        )
    }

    /// A well-formed token for the default tenant signed with a key the engine does not know.
    pub fn mint_forged_token(&self) -> String {
        token::forge(
            self.inner.tenant_id,
            &self.inner.server_url,
            &self.inner.grpc_address,
        )
    }

    /// Creates another tenant and returns it with a valid token for it.
    pub fn create_tenant(&self) -> (Uuid, String) {
        let tenant = Uuid::new_v4();
        self.inner.with_state(|st| st.tenants.insert(tenant));
        let now = Utc::now();
        let token = self.inner.authority.mint(
            tenant,
            now,
            now + state::to_chrono(self.inner.config.token_ttl),
        );
        (tenant, token)
    }

    /// Revokes a token (its `token_id`): it is refused from now on.
    pub fn revoke_token(&self, token: &str) {
        if let Some(id) = token::token_id_of(token) {
            self.inner.with_state(|st| st.revoked_tokens.insert(id));
        }
    }

    /// All runs, oldest first.
    pub fn runs(&self) -> Vec<RunInfo> {
        self.inner.with_state(|st| st.run_infos())
    }

    /// One run by id.
    pub fn run(&self, id: Uuid) -> Option<RunInfo> {
        self.runs().into_iter().find(|r| r.id == id)
    }

    /// Runs created by the given schedule.
    pub fn runs_for_schedule(&self, schedule_id: Uuid) -> Vec<RunInfo> {
        self.runs()
            .into_iter()
            .filter(|r| r.scheduled_id == Some(schedule_id))
            .collect()
    }

    /// Pending schedules (fired ones are deleted), by trigger time.
    pub fn schedules(&self) -> Vec<ScheduleInfo> {
        self.inner.with_state(|st| st.schedule_infos())
    }

    /// Every schedule created since the engine started (deleted and fired ones too), in
    /// order: its id and input.
    pub fn created_schedules(&self) -> Vec<(Uuid, Option<serde_json::Value>)> {
        self.inner.with_state(|st| st.created_schedules.clone())
    }

    /// Registered workers, in registration order.
    pub fn workers(&self) -> Vec<WorkerInfo> {
        self.inner.with_state(|st| st.worker_infos())
    }

    /// Registered workflows.
    pub fn workflows(&self) -> Vec<WorkflowInfo> {
        self.inner.with_state(|st| st.workflow_infos())
    }

    /// Requests received, by route (see [`routes`]; gRPC as `grpc /<path>`).
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        self.inner.with_state(|st| st.request_counts.clone())
    }

    /// Requests received on one route.
    pub fn request_count(&self, route: &str) -> u64 {
        self.inner
            .with_state(|st| st.request_counts.get(route).copied().unwrap_or(0))
    }

    /// Waits until `predicate(self)` holds, re-checking on every state change and at least
    /// every 25 ms. Errors after `timeout`.
    pub async fn wait_for<F>(&self, mut predicate: F, timeout: Duration) -> anyhow::Result<()>
    where
        F: FnMut(&TestEngine) -> bool,
    {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            if predicate(self) {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                anyhow::bail!("condition not met within {timeout:?}");
            }
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep(Duration::from_millis(25)) => {}
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
}

impl Drop for TestEngine {
    fn drop(&mut self) {
        let tasks = std::mem::take(
            &mut *self
                .inner
                .tasks
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        self.inner.with_state(|st| st.drop_all_streams());
        for t in tasks {
            t.abort();
        }
    }
}

async fn bind_retry(port: u16) -> std::io::Result<TcpListener> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => return Ok(l),
            Err(e) if tokio::time::Instant::now() < deadline => {
                tracing::debug!(%e, port, "port busy, retrying");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn spawn_all(inner: &Arc<Inner>, rest: TcpListener, grpc: TcpListener) {
    let rest_task = tokio::spawn(server::serve(rest, rest::router(inner.clone()), false));
    let grpc_task = tokio::spawn(server::serve(grpc, grpc_service(inner.clone()), true));
    let sched_task = tokio::spawn(scheduler_loop(inner.clone()));
    inner
        .tasks
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .extend([rest_task, grpc_task, sched_task]);
}

/// tonic's router for the three services, wrapped to count requests by path.
fn grpc_service(inner: Arc<Inner>) -> CountingRoutes {
    let api = grpc::GrpcApi {
        inner: inner.clone(),
    };
    let routes = tonic::service::Routes::new(proto::v0::dispatcher_server::DispatcherServer::new(
        api.clone(),
    ))
    .add_service(proto::v1::admin_service_server::AdminServiceServer::new(
        api.clone(),
    ))
    .add_service(proto::v0::events_service_server::EventsServiceServer::new(
        api,
    ))
    .prepare();
    CountingRoutes { routes, inner }
}

#[derive(Clone)]
struct CountingRoutes {
    routes: tonic::service::Routes,
    inner: Arc<Inner>,
}

impl<B> tower_service::Service<http::Request<B>> for CountingRoutes
where
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = std::convert::Infallible;
    type Future = <tonic::service::Routes as tower_service::Service<http::Request<B>>>::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        tower_service::Service::<http::Request<B>>::poll_ready(&mut self.routes, cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        self.inner.count(&format!("grpc {}", req.uri().path()));
        tower_service::Service::call(&mut self.routes, req)
    }
}

/// The ticker + scheduler + controllers: poll schedules every `poll_interval` (look-ahead
/// of one interval, precise timers), fire due timers, reassign tasks of dead workers, fail
/// timed-out attempts, cancel tasks past their schedule timeout, then assign queued tasks.
async fn scheduler_loop(inner: Arc<Inner>) {
    let cfg = inner.config.clone();
    let mut next_poll = Utc::now();
    loop {
        let now = Utc::now();
        inner.with_state(|st| {
            if now >= next_poll {
                st.poll_schedules(now, cfg.poll_interval);
                next_poll = now + state::to_chrono(cfg.poll_interval);
            }
            st.keep_heartbeats(now);
            st.fire_timers(now);
            st.reassign_from_dead_workers(now, cfg.heartbeat_timeout);
            st.expire_running(now);
            st.expire_queued(now);
            st.dispatch(now, cfg.worker_active_window);
        });
        inner.changed.notify_waiters();
        tokio::time::sleep(cfg.tick).await;
    }
}
