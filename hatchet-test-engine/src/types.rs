//! Public configuration and introspection types.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Engine settings. `Default` matches the real engine (v1): schedules polled every 5 s,
/// workers whose last heartbeat is older than 30 s have their tasks reassigned, a worker
/// is offered new work only while its last heartbeat is at most 5 s old, tasks wait at
/// most 5 min in the queue and run at most 60 s unless the workflow says otherwise, and a
/// task is reassigned at most 10 times after worker loss.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// How often the scheduler looks for schedules due within the next `poll_interval`
    /// (the real ticker: every 5 s with a 5 s look-ahead, then a precise timer).
    pub poll_interval: Duration,
    /// A worker that has sent no heartbeat for this long is dead: its in-flight tasks fail
    /// (as an internal, not an application, failure) and are queued again (real: 30 s).
    pub heartbeat_timeout: Duration,
    /// A worker gets new assignments only if its last heartbeat is this recent (real: 5 s,
    /// against the SDKs' 4 s heartbeat interval).
    pub worker_active_window: Duration,
    /// Queue time limit for a task whose workflow gave no `schedule_timeout` (real: 5 min).
    /// After it the task is cancelled with reason `SCHEDULING_TIMED_OUT`, not retried.
    pub default_schedule_timeout: Duration,
    /// Execution time limit for a task whose workflow gave no `timeout` (real: 60 s).
    pub default_execution_timeout: Duration,
    /// How many times a task is re-queued after losing its worker (real: 10,
    /// `maxInternalRetryCount` in the v1 task controller).
    pub max_internal_retries: i32,
    /// Granularity of the engine's internal loop (dispatch, timeouts, reaping).
    pub tick: Duration,
    /// Fixed REST port (default: a free port picked at start).
    pub rest_port: Option<u16>,
    /// Fixed gRPC port (default: a free port picked at start).
    pub grpc_port: Option<u16>,
    /// Lifetime of the tokens minted by `token()` (real default: 90 days).
    pub token_ttl: Duration,
    /// `true` (default) follows the engine source: `PollScheduledWorkflows` has no lower
    /// bound and "if start is in the past, run now", so after downtime every schedule whose
    /// time passed fires at once. `false` follows Hatchet's documentation instead ("If a
    /// scheduled task is missed, e.g. due to system downtime, Hatchet will not
    /// automatically run the missed instances"): at `restart()` such schedules are marked
    /// missed and never fire.
    pub replay_missed_schedules: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            heartbeat_timeout: Duration::from_secs(30),
            worker_active_window: Duration::from_secs(5),
            default_schedule_timeout: Duration::from_secs(5 * 60),
            default_execution_timeout: Duration::from_secs(60),
            max_internal_retries: 10,
            tick: Duration::from_millis(50),
            rest_port: None,
            grpc_port: None,
            token_ttl: Duration::from_secs(90 * 24 * 3600),
            replay_missed_schedules: true,
        }
    }
}

impl EngineConfig {
    /// Short intervals for tests: poll every 200 ms, 20 ms ticks. Heartbeat-related
    /// timeouts keep their real values (the SDK heartbeats every 4 s, so shorter values
    /// would kill healthy workers); override them explicitly where a test needs it.
    pub fn fast() -> Self {
        Self {
            poll_interval: Duration::from_millis(200),
            tick: Duration::from_millis(20),
            ..Self::default()
        }
    }
}

/// Status of a workflow run (one task).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunStatus {
    /// Waiting for a worker (first attempt or a retry).
    Queued,
    /// Assigned to a worker.
    Running,
    /// Completed event received.
    Succeeded,
    /// Failed with no retries left (the real engine reports FAILED).
    Failed,
    /// Cancelled, e.g. `SCHEDULING_TIMED_OUT` (see `RunInfo::cancel_reason`).
    Cancelled,
    /// Last attempt exceeded the execution timeout with no retries left (the real engine
    /// reports this as FAILED with "Task exceeded timeout of ...").
    TimedOut,
}

impl RunStatus {
    /// True for Succeeded, Failed, Cancelled and TimedOut.
    pub fn is_terminal(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

/// How one attempt (one assignment to a worker) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// Still assigned.
    InFlight,
    /// The worker reported completion.
    Succeeded,
    /// The worker reported a failure (payload = error message).
    Failed(String),
    /// No completed/failed event within the execution timeout; a CANCEL_STEP_RUN was sent.
    TimedOut,
    /// The worker stopped heartbeating; the task was reassigned.
    WorkerLost,
}

/// One assignment of a run to a worker.
#[derive(Debug, Clone)]
pub struct AttemptInfo {
    /// `AssignedAction.retry_count` sent with this attempt (0 for the first).
    pub retry_count: i32,
    pub worker_id: Uuid,
    pub assigned_at: DateTime<Utc>,
    /// When the worker's STARTED event arrived.
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: AttemptOutcome,
}

/// A workflow run as the engine sees it.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// Workflow run id (equal to the task's external id: single-task workflows).
    pub id: Uuid,
    pub task_external_id: Uuid,
    pub tenant_id: Uuid,
    pub workflow: String,
    pub task: String,
    pub action_id: String,
    pub input: serde_json::Value,
    pub additional_metadata: Option<serde_json::Value>,
    pub priority: i32,
    pub status: RunStatus,
    /// Every assignment, in order.
    pub attempts: Vec<AttemptInfo>,
    /// Worker of each attempt, in order.
    pub dispatched_to: Vec<Uuid>,
    /// Current retry count (number of re-queues so far).
    pub retry_count: i32,
    pub output: Option<serde_json::Value>,
    pub error: Option<String>,
    /// e.g. `SCHEDULING_TIMED_OUT`.
    pub cancel_reason: Option<String>,
    /// The schedule that created this run, if any.
    pub scheduled_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Lines sent with `Context::log` (PutLog).
    pub logs: Vec<String>,
}

/// A pending scheduled run (the engine deletes a schedule when it fires).
#[derive(Debug, Clone)]
pub struct ScheduleInfo {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub workflow: String,
    pub workflow_id: Uuid,
    pub trigger_at: DateTime<Utc>,
    pub input: Option<serde_json::Value>,
    pub additional_metadata: Option<serde_json::Value>,
    pub priority: i32,
    pub created_at: DateTime<Utc>,
    /// The poller has armed a timer for it: deleting it now may not stop the run.
    pub picked: bool,
    /// Its trigger time passed while the engine was stopped: it will never fire.
    pub missed: bool,
}

/// A registered worker.
#[derive(Debug, Clone)]
pub struct WorkerInfo {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub actions: Vec<String>,
    pub slots: i32,
    pub labels: HashMap<String, String>,
    pub registered_at: DateTime<Utc>,
    /// Its ListenV2 stream is open.
    pub connected: bool,
    /// `isActive` of its row: set when a stream opens, cleared only when the engine sees
    /// the stream end (not by a crash).
    pub is_active: bool,
    pub last_heartbeat: Option<DateTime<Utc>>,
    pub heartbeats: u64,
    /// Runs currently assigned to it.
    pub in_flight: Vec<Uuid>,
}

/// A registered workflow (latest version).
#[derive(Debug, Clone)]
pub struct WorkflowInfo {
    pub id: Uuid,
    pub version_id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub versions: u32,
    pub tasks: Vec<TaskInfo>,
}

/// A task of a registered workflow.
#[derive(Debug, Clone)]
pub struct TaskInfo {
    pub name: String,
    /// Normalized like the engine does (`types.ParseActionID`).
    pub action: String,
    pub retries: i32,
    pub timeout: Duration,
    pub schedule_timeout: Duration,
}

/// A fault the REST API answers instead of handling a request
/// ([`crate::TestEngine::inject_create_fault`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestFault {
    /// `400 {"errors":[{"description": ...}]}`: what the create handler answers for any
    /// error in its lookup or insert (a database timeout, for one), not only for an
    /// unknown workflow.
    BadRequest(String),
    /// `429` with `Retry-After: <seconds>`.
    TooManyRequests(u64),
}
