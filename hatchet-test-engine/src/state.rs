//! The engine's "database" and its state machine. Everything here is synchronous and
//! takes `now` explicitly; the async layers (gRPC, REST, scheduler loop) call into it
//! under one mutex.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::proto::v0 as pb;
use crate::types::{
    AttemptInfo, AttemptOutcome, EngineConfig, RunInfo, RunStatus, ScheduleInfo, TaskInfo,
    WorkerInfo, WorkflowInfo,
};

pub(crate) type ActionSender = mpsc::UnboundedSender<Result<pb::AssignedAction, tonic::Status>>;

pub(crate) struct TaskDef {
    pub step_id: Uuid,
    pub readable_id: String,
    pub action: String,
    pub timeout_expr: String,
    pub timeout: Duration,
    pub schedule_timeout: Duration,
    pub retries: i32,
}

pub(crate) struct Workflow {
    pub id: Uuid,
    pub version_id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub versions: u32,
    pub task: TaskDef,
}

pub(crate) struct Schedule {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub workflow_id: Uuid,
    pub trigger_at: DateTime<Utc>,
    pub input: Option<Value>,
    pub additional_metadata: Option<Value>,
    pub priority: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub missed: bool,
}

/// A timer armed by the poller: fires from its own copy of the schedule, like the real
/// ticker's goroutine, so a delete between pick-up and firing does not stop the run.
struct ArmedTimer {
    fire_at: DateTime<Utc>,
    schedule_id: Uuid,
    tenant_id: Uuid,
    workflow_id: Uuid,
    input: Option<Value>,
    additional_metadata: Option<Value>,
    priority: i32,
}

struct Listener {
    session: Uuid,
    tx: ActionSender,
}

pub(crate) struct Worker {
    pub id: Uuid,
    pub seq: u64,
    pub tenant_id: Uuid,
    pub name: String,
    /// Lowercased, like the engine's `Action` table.
    pub actions: Vec<String>,
    pub slots: i32,
    pub labels: HashMap<String, String>,
    pub registered_at: DateTime<Utc>,
    pub last_heartbeat: Option<DateTime<Utc>>,
    pub heartbeats: u64,
    listener: Option<Listener>,
    /// `isActive` in the engine: true while a ListenV2 stream is open.
    pub is_active: bool,
    pub last_listener_established: Option<DateTime<Utc>>,
    pub in_flight: HashSet<Uuid>,
}

struct Attempt {
    retry_count: i32,
    worker_id: Uuid,
    assigned_at: DateTime<Utc>,
    timeout_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    outcome: AttemptOutcome,
}

pub(crate) struct Run {
    pub id: Uuid,
    seq: u64,
    pub tenant_id: Uuid,
    workflow_id: Uuid,
    workflow_version_id: Uuid,
    workflow_name: String,
    step_id: Uuid,
    readable_id: String,
    action: String,
    timeout_expr: String,
    timeout: Duration,
    schedule_timeout: Duration,
    retries: i32,
    input: Value,
    additional_metadata: Option<Value>,
    priority: i32,
    status: RunStatus,
    retry_count: i32,
    app_retry_count: i32,
    internal_retry_count: i32,
    queued_at: DateTime<Utc>,
    schedule_deadline: DateTime<Utc>,
    attempts: Vec<Attempt>,
    output: Option<Value>,
    error: Option<String>,
    cancel_reason: Option<String>,
    scheduled_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    logs: Vec<String>,
}

#[derive(Default)]
pub(crate) struct State {
    pub tenants: HashSet<Uuid>,
    pub revoked_tokens: HashSet<Uuid>,
    workflows: HashMap<Uuid, Workflow>,
    schedules: HashMap<Uuid, Schedule>,
    timers: HashMap<Uuid, ArmedTimer>,
    runs: HashMap<Uuid, Run>,
    /// Runs that are Queued or Running (the loops only look at these).
    active: HashSet<Uuid>,
    workers: HashMap<Uuid, Worker>,
    seq: u64,
    rr: u64,
    max_internal_retries: i32,
    pub request_counts: BTreeMap<String, u64>,
    /// Every schedule ever created (id and input), deleted and fired ones too: what a
    /// test counts when it asks "was this session scheduled twice?".
    pub created_schedules: Vec<(Uuid, Option<Value>)>,
    /// Answers the next create requests give instead of their own (fault injection).
    pub create_faults: std::collections::VecDeque<crate::types::RestFault>,
    /// Requests per second allowed per tenant on the REST API (`None`: unlimited, as the
    /// open-source engine by default).
    pub rate_limit: Option<u32>,
    /// Workers whose heartbeat the engine itself keeps fresh: deaf workers
    /// ([`crate::TestEngine::deaf_worker`]).
    pub heartbeat_forever: HashSet<Uuid>,
    /// Per tenant: start of the current one-second window and requests in it.
    pub rate_windows: HashMap<Uuid, (DateTime<Utc>, u32)>,
    /// Task runs a tenant may create per [`TASK_RUN_WINDOW`], as the engine with
    /// `SERVER_ENFORCE_LIMITS=true` and `SERVER_LIMITS_DEFAULT_TASK_RUN_LIMIT` (`None`: limits
    /// not enforced, the open-source default).
    pub task_run_limit: Option<u64>,
    /// Per tenant: the task-run meter, as the engine's `TenantResourceLimit` row (the start
    /// of the current window, `lastRefill`, and runs created in it, `value`).
    pub task_run_meters: HashMap<Uuid, (DateTime<Utc>, u64)>,
    /// Runs the limit refused (a schedule that fired past it: no run, the schedule gone).
    pub refused_runs: u64,
}

/// The window of the task-run limit: Hatchet's default (`defaultTaskRunWindow`).
pub(crate) const TASK_RUN_WINDOW: chrono::Duration = chrono::Duration::hours(24);

/// Errors of the gRPC-facing operations, mapped to status codes by the caller.
#[derive(Debug)]
pub(crate) enum OpError {
    InvalidArgument(String),
    NotFound(String),
    FailedPrecondition(String),
    Unimplemented(String),
}

pub(crate) struct NewTask {
    pub readable_id: String,
    pub action: String,
    pub timeout: String,
    pub schedule_timeout: Option<String>,
    pub retries: i32,
    pub has_parents: bool,
}

pub(crate) enum EventKind {
    Started,
    Completed,
    Failed,
    Acknowledged,
}

pub(crate) struct StepEvent {
    pub task_external_id: Uuid,
    pub kind: EventKind,
    pub payload: String,
    pub retry_count: Option<i32>,
    pub should_not_retry: bool,
}

enum Failure {
    App(String),
    Timeout(String),
    Internal(String),
}

impl State {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    // ------------------------------------------------------------------ workflows

    pub(crate) fn put_workflow(
        &mut self,
        cfg: &EngineConfig,
        tenant_id: Uuid,
        name: &str,
        tasks: Vec<NewTask>,
    ) -> Result<(Uuid, Uuid), OpError> {
        if !is_hatchet_name(name) {
            return Err(OpError::InvalidArgument(format!(
                "Key: 'CreateWorkflowVersionOpts.Name' Error:Field validation for 'Name' failed on the 'hatchetName' tag (name {name:?})"
            )));
        }
        if tasks.is_empty() {
            return Err(OpError::InvalidArgument(
                "tasks list cannot be empty".to_string(),
            ));
        }
        if tasks.len() > 1 || tasks.iter().any(|t| t.has_parents) {
            return Err(OpError::Unimplemented(
                "hatchet-test-engine supports single-task workflows only (no DAGs)".to_string(),
            ));
        }
        let Some(task) = tasks.into_iter().next() else {
            return Err(OpError::InvalidArgument(
                "tasks list cannot be empty".to_string(),
            ));
        };
        if task.action.is_empty() {
            return Err(OpError::InvalidArgument(
                "task at index 0 is missing required field 'Action'".to_string(),
            ));
        }
        if task.readable_id.is_empty() || !is_hatchet_name(&task.readable_id) {
            return Err(OpError::InvalidArgument(format!(
                "Key: 'CreateStepOpts.ReadableId' Error:Field validation for 'ReadableId' failed on the 'hatchetName' tag (readable id {:?})",
                task.readable_id
            )));
        }
        let action = normalize_action(&task.action).ok_or_else(|| {
            OpError::InvalidArgument(format!(
                "invalid action id {}, must have at least 2 strings separated : (colon)",
                task.action
            ))
        })?;
        if task.retries < 0 {
            return Err(OpError::InvalidArgument(
                "Key: 'CreateStepOpts.Retries' Error:Field validation for 'Retries' failed on the 'min' tag".to_string(),
            ));
        }
        let (timeout_expr, timeout) = if task.timeout.is_empty() {
            ("60s".to_string(), cfg.default_execution_timeout)
        } else {
            let d = parse_duration(&task.timeout).ok_or_else(|| {
                OpError::InvalidArgument(
                    "Key: 'CreateStepOpts.Timeout' Error:Field validation for 'Timeout' failed on the 'duration' tag".to_string(),
                )
            })?;
            (task.timeout.clone(), d)
        };
        let schedule_timeout = match &task.schedule_timeout {
            None => cfg.default_schedule_timeout,
            Some(s) => parse_duration(s).ok_or_else(|| {
                OpError::InvalidArgument(
                    "Key: 'CreateStepOpts.ScheduleTimeout' Error:Field validation for 'ScheduleTimeout' failed on the 'duration' tag".to_string(),
                )
            })?,
        };
        let def = TaskDef {
            step_id: Uuid::new_v4(),
            readable_id: task.readable_id,
            action,
            timeout_expr,
            timeout,
            schedule_timeout,
            retries: task.retries,
        };
        let version_id = Uuid::new_v4();
        if let Some(wf) = self
            .workflows
            .values_mut()
            .find(|w| w.tenant_id == tenant_id && w.name == name)
        {
            wf.version_id = version_id;
            wf.versions += 1;
            wf.task = def;
            return Ok((wf.id, version_id));
        }
        let id = Uuid::new_v4();
        self.workflows.insert(
            id,
            Workflow {
                id,
                version_id,
                tenant_id,
                name: name.to_string(),
                versions: 1,
                task: def,
            },
        );
        Ok((id, version_id))
    }

    pub(crate) fn workflow_by_name(&self, tenant_id: Uuid, name: &str) -> Option<&Workflow> {
        self.workflows
            .values()
            .find(|w| w.tenant_id == tenant_id && w.name == name)
    }

    pub(crate) fn workflow(&self, id: Uuid) -> Option<&Workflow> {
        self.workflows.get(&id)
    }

    // ------------------------------------------------------------------ schedules

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_schedule(
        &mut self,
        tenant_id: Uuid,
        workflow_id: Uuid,
        trigger_at: DateTime<Utc>,
        input: Option<Value>,
        additional_metadata: Option<Value>,
        priority: i32,
        now: DateTime<Utc>,
    ) -> Uuid {
        let id = Uuid::new_v4();
        let now = round_to_millis(now);
        self.created_schedules.push((id, input.clone()));
        self.schedules.insert(
            id,
            Schedule {
                id,
                tenant_id,
                workflow_id,
                trigger_at: round_to_millis(trigger_at),
                input,
                additional_metadata,
                priority,
                created_at: now,
                updated_at: now,
                missed: false,
            },
        );
        id
    }

    pub(crate) fn schedule(&self, tenant_id: Uuid, id: Uuid) -> Option<&Schedule> {
        self.schedules.get(&id).filter(|s| s.tenant_id == tenant_id)
    }

    /// Moves a schedule. A timer the poller already armed keeps its own copy (the real
    /// ticker's goroutine), so a move inside the look-ahead does not stop the old firing.
    pub(crate) fn update_schedule(
        &mut self,
        id: Uuid,
        trigger_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        if let Some(s) = self.schedules.get_mut(&id) {
            s.trigger_at = round_to_millis(trigger_at);
            s.updated_at = round_to_millis(now);
            s.missed = false;
        }
    }

    pub(crate) fn delete_schedule(&mut self, id: Uuid) -> bool {
        self.schedules.remove(&id).is_some()
    }

    pub(crate) fn tenant_schedules(&self, tenant_id: Uuid) -> Vec<&Schedule> {
        self.schedules
            .values()
            .filter(|s| s.tenant_id == tenant_id)
            .filter(|s| {
                self.workflows
                    .get(&s.workflow_id)
                    .is_some_and(|w| w.tenant_id == tenant_id)
            })
            .collect()
    }

    /// The poll of the real ticker: arm a timer for every schedule due within the look-ahead
    /// and disarm timers whose schedule is gone.
    pub(crate) fn poll_schedules(&mut self, now: DateTime<Utc>, look_ahead: Duration) {
        let horizon = now + to_chrono(look_ahead);
        self.timers.retain(|id, _| self.schedules.contains_key(id));
        let due: Vec<Uuid> = self
            .schedules
            .values()
            .filter(|s| !s.missed && s.trigger_at <= horizon && !self.timers.contains_key(&s.id))
            .map(|s| s.id)
            .collect();
        for id in due {
            if let Some(s) = self.schedules.get(&id) {
                self.timers.insert(
                    id,
                    ArmedTimer {
                        fire_at: s.trigger_at.max(now),
                        schedule_id: s.id,
                        tenant_id: s.tenant_id,
                        workflow_id: s.workflow_id,
                        input: s.input.clone(),
                        additional_metadata: s.additional_metadata.clone(),
                        priority: s.priority,
                    },
                );
            }
        }
    }

    /// Fire armed timers that are due: create the run, then delete the schedule.
    pub(crate) fn fire_timers(&mut self, now: DateTime<Utc>) -> usize {
        let mut due: Vec<(DateTime<Utc>, Uuid)> = self
            .timers
            .values()
            .filter(|t| t.fire_at <= now)
            .map(|t| (t.fire_at, t.schedule_id))
            .collect();
        due.sort();
        let mut fired = 0;
        for (_, id) in due {
            let Some(timer) = self.timers.remove(&id) else {
                continue;
            };
            let Some(wf) = self.workflows.get(&timer.workflow_id) else {
                continue;
            };
            let input = timer.input.clone().unwrap_or_else(|| json!({}));
            let run_id = self.create_run_for(
                wf.id,
                timer.tenant_id,
                input,
                timer.additional_metadata.clone(),
                timer.priority,
                Some(timer.schedule_id),
                now,
            );
            if run_id.is_some() {
                fired += 1;
            }
            self.schedules.remove(&timer.schedule_id);
        }
        fired
    }

    /// Engine (re)start: timers were in memory and are gone. Schedules whose time has
    /// passed are missed (documented behaviour) unless `replay` is set.
    pub(crate) fn on_start(&mut self, now: DateTime<Utc>, replay: bool) {
        self.timers.clear();
        if !replay {
            for s in self.schedules.values_mut() {
                if s.trigger_at <= now {
                    s.missed = true;
                }
            }
        }
    }

    // ------------------------------------------------------------------ runs

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_run_for(
        &mut self,
        workflow_id: Uuid,
        tenant_id: Uuid,
        input: Value,
        additional_metadata: Option<Value>,
        priority: i32,
        scheduled_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Option<Uuid> {
        let wf = self.workflows.get(&workflow_id)?;
        // The meter counts each run created; past the limit the engine creates none
        // (its scheduler logs the exhausted resource and the schedule is spent).
        let meter = self.task_run_meters.entry(tenant_id).or_insert((now, 0));
        if now - meter.0 >= TASK_RUN_WINDOW {
            *meter = (now, 0);
        }
        if self.task_run_limit.is_some_and(|limit| meter.1 >= limit) {
            self.refused_runs += 1;
            return None;
        }
        meter.1 += 1;
        let id = Uuid::new_v4();
        let run = Run {
            id,
            seq: 0,
            tenant_id,
            workflow_id: wf.id,
            workflow_version_id: wf.version_id,
            workflow_name: wf.name.clone(),
            step_id: wf.task.step_id,
            readable_id: wf.task.readable_id.clone(),
            action: wf.task.action.clone(),
            timeout_expr: wf.task.timeout_expr.clone(),
            timeout: wf.task.timeout,
            schedule_timeout: wf.task.schedule_timeout,
            retries: wf.task.retries,
            input,
            additional_metadata,
            priority,
            status: RunStatus::Queued,
            retry_count: 0,
            app_retry_count: 0,
            internal_retry_count: 0,
            queued_at: now,
            schedule_deadline: now + to_chrono(wf.task.schedule_timeout),
            attempts: Vec::new(),
            output: None,
            error: None,
            cancel_reason: None,
            scheduled_id,
            created_at: now,
            finished_at: None,
            logs: Vec::new(),
        };
        let seq = self.next_seq();
        self.runs.insert(id, Run { seq, ..run });
        self.active.insert(id);
        Some(id)
    }

    /// Queued tasks that waited longer than their schedule timeout are cancelled.
    pub(crate) fn expire_queued(&mut self, now: DateTime<Utc>) {
        let mut finished = Vec::new();
        for id in &self.active {
            let Some(run) = self.runs.get_mut(id) else {
                continue;
            };
            if run.status == RunStatus::Queued && run.schedule_deadline <= now {
                finished.push(run.id);
                run.status = RunStatus::Cancelled;
                run.cancel_reason = Some("SCHEDULING_TIMED_OUT".to_string());
                run.error = Some(format!(
                    "Task was not scheduled within its schedule timeout of {}",
                    duration_expr(run.schedule_timeout)
                ));
                run.finished_at = Some(now);
            }
        }
        for id in finished {
            self.active.remove(&id);
        }
    }

    /// Running attempts past their execution timeout fail (an application error: it
    /// consumes a retry) and the worker is told to cancel the task.
    pub(crate) fn expire_running(&mut self, now: DateTime<Utc>) {
        let expired: Vec<Uuid> = self
            .active
            .iter()
            .filter_map(|id| self.runs.get(id))
            .filter(|r| r.status == RunStatus::Running)
            .filter(|r| {
                r.attempts
                    .last()
                    .is_some_and(|a| a.outcome == AttemptOutcome::InFlight && a.timeout_at <= now)
            })
            .map(|r| r.id)
            .collect();
        for id in expired {
            let Some(run) = self.runs.get(&id) else {
                continue;
            };
            let msg = format!("Task exceeded timeout of {}", run.timeout_expr);
            if let Some(attempt) = run.attempts.last() {
                let action = assigned_action(run, pb::ActionType::CancelStepRun);
                let listener = self
                    .workers
                    .get(&attempt.worker_id)
                    .and_then(|w| w.listener.as_ref());
                if let Some(l) = listener {
                    let _ = l.tx.send(Ok(action));
                }
            }
            self.fail_current(id, Failure::Timeout(msg), false, now);
        }
    }

    /// Workers silent for longer than `heartbeat_timeout` lose their in-flight tasks,
    /// which are queued again (internal retry, like `ListTasksToReassign`).
    pub(crate) fn reassign_from_dead_workers(&mut self, now: DateTime<Utc>, timeout: Duration) {
        let limit = now - to_chrono(timeout);
        let lost: Vec<(Uuid, Uuid)> = self
            .workers
            .values()
            .filter(|w| w.last_heartbeat.is_some_and(|h| h < limit))
            .flat_map(|w| w.in_flight.iter().map(move |r| (w.id, *r)))
            .collect();
        for (worker_id, run_id) in lost {
            let msg = format!("worker {worker_id} stopped sending heartbeats: task reassigned");
            self.fail_current(run_id, Failure::Internal(msg), false, now);
        }
    }

    fn fail_current(&mut self, run_id: Uuid, failure: Failure, no_retry: bool, now: DateTime<Utc>) {
        let max_internal = self.max_internal_retries;
        let Some(run) = self.runs.get_mut(&run_id) else {
            return;
        };
        let Some(attempt) = run.attempts.last_mut() else {
            return;
        };
        let worker_id = attempt.worker_id;
        attempt.finished_at = Some(now);
        attempt.outcome = match &failure {
            Failure::App(m) => AttemptOutcome::Failed(m.clone()),
            Failure::Timeout(_) => AttemptOutcome::TimedOut,
            Failure::Internal(_) => AttemptOutcome::WorkerLost,
        };
        let (retry, final_status, msg) = match failure {
            Failure::App(m) => (
                !no_retry && run.app_retry_count < run.retries,
                RunStatus::Failed,
                m,
            ),
            Failure::Timeout(m) => (
                !no_retry && run.app_retry_count < run.retries,
                RunStatus::TimedOut,
                m,
            ),
            Failure::Internal(m) => (
                run.internal_retry_count < max_internal,
                RunStatus::Failed,
                m,
            ),
        };
        let internal = matches!(attempt.outcome, AttemptOutcome::WorkerLost);
        run.error = Some(msg);
        if retry {
            run.retry_count += 1;
            if internal {
                run.internal_retry_count += 1;
            } else {
                run.app_retry_count += 1;
            }
            run.status = RunStatus::Queued;
            run.queued_at = now;
            run.schedule_deadline = now + to_chrono(run.schedule_timeout);
        } else {
            run.status = final_status;
            run.finished_at = Some(now);
            self.active.remove(&run_id);
        }
        if let Some(w) = self.workers.get_mut(&worker_id) {
            w.in_flight.remove(&run_id);
        }
    }

    /// Assign queued runs to eligible workers: same tenant, `isActive` (a stream was opened
    /// and not seen to close), a heartbeat within `active_window`, the action registered, a free slot. Workers are
    /// taken round-robin; runs by priority (higher first) then age.
    pub(crate) fn dispatch(&mut self, now: DateTime<Utc>, active_window: Duration) -> usize {
        let active_since = now - to_chrono(active_window);
        let mut queued: Vec<(i32, u64, Uuid)> = self
            .active
            .iter()
            .filter_map(|id| self.runs.get(id))
            .filter(|r| r.status == RunStatus::Queued)
            .map(|r| (r.priority, r.seq, r.id))
            .collect();
        queued.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut assigned = 0;
        for (_, _, run_id) in queued {
            let Some(run) = self.runs.get(&run_id) else {
                continue;
            };
            let action = run.action.clone();
            let tenant = run.tenant_id;
            let last_worker = run.attempts.last().map(|a| a.worker_id);
            let mut candidates: Vec<(u64, Uuid)> = self
                .workers
                .values()
                .filter(|w| {
                    // A streamless row that just failed this run is not tried again for it.
                    let failed_here = w.listener.is_none() && last_worker == Some(w.id);
                    w.tenant_id == tenant
                        && !failed_here
                        && w.is_active
                        && w.last_heartbeat.is_some_and(|h| h >= active_since)
                        && w.actions.contains(&action)
                        && (w.in_flight.len() as i64) < i64::from(w.slots)
                })
                .map(|w| (w.seq, w.id))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            candidates.sort();
            let n = candidates.len();
            let start = (self.rr % n as u64) as usize;
            self.rr = self.rr.wrapping_add(1);
            for k in 0..n {
                let worker_id = candidates[(start + k) % n].1;
                if self.try_assign(run_id, worker_id, now) {
                    assigned += 1;
                    break;
                }
            }
        }
        assigned
    }

    fn try_assign(&mut self, run_id: Uuid, worker_id: Uuid, now: DateTime<Utc>) -> bool {
        let Some(run) = self.runs.get_mut(&run_id) else {
            return false;
        };
        let Some(worker) = self.workers.get_mut(&worker_id) else {
            return false;
        };
        run.attempts.push(Attempt {
            retry_count: run.retry_count,
            worker_id,
            assigned_at: now,
            timeout_at: now + to_chrono(run.timeout),
            started_at: None,
            finished_at: None,
            outcome: AttemptOutcome::InFlight,
        });
        let action = assigned_action(run, pb::ActionType::StartStepRun);
        // A row still active with no stream behind it (after a crash): the scheduler
        // assigns from the database, the dispatcher has nowhere to send it, and the task
        // goes back to the queue as an internal failure (one of its 10 internal retries).
        let Some(listener) = &worker.listener else {
            run.status = RunStatus::Running;
            worker.in_flight.insert(run_id);
            let msg = format!("could not send the task to worker {worker_id}: no open stream");
            self.fail_current(run_id, Failure::Internal(msg), false, now);
            return false;
        };
        if listener.tx.send(Ok(action)).is_err() {
            // The stream is gone: the worker is no longer active.
            run.attempts.pop();
            worker.listener = None;
            worker.is_active = false;
            return false;
        }
        run.status = RunStatus::Running;
        worker.in_flight.insert(run_id);
        true
    }

    pub(crate) fn step_event(
        &mut self,
        tenant_id: Uuid,
        ev: StepEvent,
        now: DateTime<Utc>,
    ) -> Result<(), OpError> {
        let Some(run) = self
            .runs
            .get_mut(&ev.task_external_id)
            .filter(|r| r.tenant_id == tenant_id)
        else {
            return Err(OpError::InvalidArgument(format!(
                "invalid task external run id {}: no rows in result set",
                ev.task_external_id
            )));
        };
        let retry_count = ev.retry_count.unwrap_or(run.retry_count);
        let current = run.status == RunStatus::Running
            && run.retry_count == retry_count
            && run.attempts.last().is_some_and(|a| {
                a.retry_count == retry_count && a.outcome == AttemptOutcome::InFlight
            });
        match ev.kind {
            EventKind::Acknowledged => {}
            EventKind::Started => {
                if let Some(a) = run
                    .attempts
                    .iter_mut()
                    .rev()
                    .find(|a| a.retry_count == retry_count)
                {
                    a.started_at.get_or_insert(now);
                }
            }
            EventKind::Completed => {
                if !current {
                    return Ok(());
                }
                // The engine validates the output as JSON; invalid output fails the task.
                match serde_json::from_str::<Value>(&ev.payload) {
                    Ok(output) => {
                        run.status = RunStatus::Succeeded;
                        run.output = Some(output);
                        run.error = None;
                        run.finished_at = Some(now);
                        self.active.remove(&ev.task_external_id);
                        if let Some(a) = run.attempts.last_mut() {
                            a.outcome = AttemptOutcome::Succeeded;
                            a.finished_at = Some(now);
                            let w = a.worker_id;
                            if let Some(w) = self.workers.get_mut(&w) {
                                w.in_flight.remove(&ev.task_external_id);
                            }
                        }
                    }
                    Err(e) => {
                        let msg = format!("taskOutput is not valid JSON: {e}");
                        self.fail_current(ev.task_external_id, Failure::App(msg), false, now);
                    }
                }
            }
            EventKind::Failed => {
                if !current {
                    return Ok(());
                }
                self.fail_current(
                    ev.task_external_id,
                    Failure::App(ev.payload),
                    ev.should_not_retry,
                    now,
                );
            }
        }
        Ok(())
    }

    pub(crate) fn has_run(&self, tenant_id: Uuid, id: Uuid) -> bool {
        self.runs.get(&id).is_some_and(|r| r.tenant_id == tenant_id)
    }

    pub(crate) fn put_log(&mut self, tenant_id: Uuid, task_external_id: Uuid, message: String) {
        if let Some(run) = self
            .runs
            .get_mut(&task_external_id)
            .filter(|r| r.tenant_id == tenant_id)
        {
            run.logs.push(message);
        }
    }

    // ------------------------------------------------------------------ workers

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn register_worker(
        &mut self,
        tenant_id: Uuid,
        name: &str,
        actions: &[String],
        services: &[String],
        slots: Option<i32>,
        labels: HashMap<String, String>,
        now: DateTime<Utc>,
    ) -> Result<Uuid, OpError> {
        if !is_hatchet_name(name) {
            return Err(OpError::InvalidArgument(format!(
                "Invalid request: Key: 'CreateWorkerOpts.Name' Error:Field validation for 'Name' failed on the 'hatchetName' tag (name {name:?})"
            )));
        }
        if let Some(bad) = services.iter().find(|s| !is_hatchet_name(s)) {
            return Err(OpError::InvalidArgument(format!(
                "Invalid request: Key: 'CreateWorkerOpts.Services' Error:Field validation for 'Services' failed on the 'hatchetName' tag ({bad:?})"
            )));
        }
        if let Some(bad) = actions.iter().find(|a| normalize_action(a).is_none()) {
            return Err(OpError::InvalidArgument(format!(
                "Invalid request: Key: 'CreateWorkerOpts.Actions' Error:Field validation for 'Actions' failed on the 'actionId' tag ({bad:?})"
            )));
        }
        let id = Uuid::new_v4();
        let seq = self.next_seq();
        self.workers.insert(
            id,
            Worker {
                id,
                seq,
                tenant_id,
                name: name.to_string(),
                actions: actions.iter().map(|a| a.to_lowercase()).collect(),
                slots: slots.unwrap_or(100),
                labels,
                registered_at: now,
                last_heartbeat: None,
                heartbeats: 0,
                listener: None,
                is_active: false,
                last_listener_established: None,
                in_flight: HashSet::new(),
            },
        );
        Ok(id)
    }

    fn tenant_worker(&mut self, tenant_id: Uuid, id: &str) -> Result<&mut Worker, OpError> {
        let wid = Uuid::parse_str(id)
            .map_err(|_| OpError::InvalidArgument(format!("invalid worker ID format: {id}")))?;
        self.workers
            .get_mut(&wid)
            .filter(|w| w.tenant_id == tenant_id)
            .ok_or_else(|| OpError::NotFound(format!("worker not found: {id}")))
    }

    /// Opens a ListenV2 session; returns the session id.
    pub(crate) fn listen(
        &mut self,
        tenant_id: Uuid,
        worker_id: &str,
        tx: ActionSender,
        now: DateTime<Utc>,
    ) -> Result<(Uuid, Uuid), OpError> {
        let w = self.tenant_worker(tenant_id, worker_id)?;
        let session = Uuid::new_v4();
        w.listener = Some(Listener { session, tx });
        w.is_active = true;
        w.last_listener_established = Some(now);
        Ok((w.id, session))
    }

    /// The ListenV2 stream of `session` ended (client went away or engine stopped).
    pub(crate) fn stream_closed(&mut self, worker_id: Uuid, session: Uuid) {
        let worker = self
            .workers
            .get_mut(&worker_id)
            .filter(|w| w.listener.as_ref().is_some_and(|l| l.session == session));
        if let Some(w) = worker {
            w.listener = None;
            w.is_active = false;
        }
    }

    /// Heartbeat, as the engine's `Dispatcher.Heartbeat`: unknown worker -> NotFound; a
    /// worker whose stream was established and is now gone -> FailedPrecondition.
    pub(crate) fn heartbeat(
        &mut self,
        tenant_id: Uuid,
        worker_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), OpError> {
        let w = self.tenant_worker(tenant_id, worker_id)?;
        if w.last_listener_established.is_some() && !w.is_active {
            return Err(OpError::FailedPrecondition(format!(
                "Heartbeat rejected: worker stream is not active: {worker_id}"
            )));
        }
        w.last_heartbeat = Some(now);
        w.heartbeats += 1;
        Ok(())
    }

    pub(crate) fn unsubscribe(
        &mut self,
        tenant_id: Uuid,
        worker_id: &str,
    ) -> Result<Uuid, OpError> {
        let w = self.tenant_worker(tenant_id, worker_id)?;
        w.listener = None;
        w.is_active = false;
        Ok(w.id)
    }

    /// Engine stop: every stream is dropped, like the engine marking each worker inactive
    /// when its stream context ends.
    pub(crate) fn drop_all_streams(&mut self) {
        for w in self.workers.values_mut() {
            w.listener = None;
            w.is_active = false;
        }
        self.timers.clear();
    }

    /// A worker as an engine crash leaves it: row active, heartbeats going on, no stream.
    pub(crate) fn deaf_worker(
        &mut self,
        tenant_id: Uuid,
        name: &str,
        actions: &[String],
        now: DateTime<Utc>,
    ) -> Result<Uuid, OpError> {
        let id = self.register_worker(tenant_id, name, actions, &[], None, HashMap::new(), now)?;
        if let Some(w) = self.workers.get_mut(&id) {
            w.is_active = true;
            w.last_listener_established = Some(now);
            w.last_heartbeat = Some(now);
        }
        self.heartbeat_forever.insert(id);
        Ok(id)
    }

    pub(crate) fn keep_heartbeats(&mut self, now: DateTime<Utc>) {
        for id in &self.heartbeat_forever {
            if let Some(w) = self.workers.get_mut(id) {
                w.last_heartbeat = Some(now);
            }
        }
    }

    /// Engine crash (kill -9, OOM, node loss): every stream is gone, but nothing ran to
    /// mark the workers inactive, so their rows keep `isActive = true`, heartbeats after a
    /// restart are accepted and the worker list shows them ACTIVE. Armed timers were in
    /// memory and are lost.
    pub(crate) fn crash_streams(&mut self) {
        for w in self.workers.values_mut() {
            w.listener = None;
        }
        self.timers.clear();
    }

    // ------------------------------------------------------------------ introspection

    pub(crate) fn run_infos(&self) -> Vec<RunInfo> {
        let mut runs: Vec<&Run> = self.runs.values().collect();
        runs.sort_by_key(|r| r.seq);
        runs.into_iter().map(run_info).collect()
    }

    pub(crate) fn schedule_infos(&self) -> Vec<ScheduleInfo> {
        let mut v: Vec<ScheduleInfo> = self
            .schedules
            .values()
            .map(|s| ScheduleInfo {
                id: s.id,
                tenant_id: s.tenant_id,
                workflow: self
                    .workflows
                    .get(&s.workflow_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                workflow_id: s.workflow_id,
                trigger_at: s.trigger_at,
                input: s.input.clone(),
                additional_metadata: s.additional_metadata.clone(),
                priority: s.priority,
                created_at: s.created_at,
                picked: self.timers.contains_key(&s.id),
                missed: s.missed,
            })
            .collect();
        v.sort_by_key(|s| (s.trigger_at, s.id));
        v
    }

    pub(crate) fn worker_infos(&self) -> Vec<WorkerInfo> {
        let mut v: Vec<&Worker> = self.workers.values().collect();
        v.sort_by_key(|w| w.seq);
        v.into_iter()
            .map(|w| WorkerInfo {
                id: w.id,
                tenant_id: w.tenant_id,
                name: w.name.clone(),
                actions: w.actions.clone(),
                slots: w.slots,
                labels: w.labels.clone(),
                registered_at: w.registered_at,
                connected: w.listener.is_some(),
                is_active: w.is_active,
                last_heartbeat: w.last_heartbeat,
                heartbeats: w.heartbeats,
                in_flight: w.in_flight.iter().copied().collect(),
            })
            .collect()
    }

    pub(crate) fn workflow_infos(&self) -> Vec<WorkflowInfo> {
        let mut v: Vec<WorkflowInfo> = self
            .workflows
            .values()
            .map(|w| WorkflowInfo {
                id: w.id,
                version_id: w.version_id,
                tenant_id: w.tenant_id,
                name: w.name.clone(),
                versions: w.versions,
                tasks: vec![TaskInfo {
                    name: w.task.readable_id.clone(),
                    action: w.task.action.clone(),
                    retries: w.task.retries,
                    timeout: w.task.timeout,
                    schedule_timeout: w.task.schedule_timeout,
                }],
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }
}

impl State {
    /// Counts one REST request of `tenant` against the rate limit; `Some(retry_after)`
    /// when it is over the limit (the request must be answered 429).
    pub(crate) fn rate_limited(&mut self, tenant: Uuid, now: DateTime<Utc>) -> Option<u64> {
        let limit = self.rate_limit?;
        let window = self.rate_windows.entry(tenant).or_insert((now, 0));
        if now - window.0 >= chrono::Duration::seconds(1) {
            *window = (now, 0);
        }
        window.1 += 1;
        (window.1 > limit).then_some(1)
    }

    /// The tenant's resource policy as `GET …/resource-policy` answers it: the task-run
    /// limit when one is enforced, nothing otherwise.
    pub(crate) fn resource_policy(&mut self, tenant: Uuid, now: DateTime<Utc>) -> Value {
        let Some(limit) = self.task_run_limit else {
            return json!({"limits": []});
        };
        let meter = self.task_run_meters.entry(tenant).or_insert((now, 0));
        if now - meter.0 >= TASK_RUN_WINDOW {
            *meter = (now, 0);
        }
        let (last_refill, value) = *meter;
        json!({"limits": [{
            "metadata": {
                "id": Uuid::from_u128(tenant.as_u128() ^ 1),
                "createdAt": last_refill.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "updatedAt": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            },
            "tenantId": tenant,
            "resource": "TASK_RUN",
            "limitValue": limit,
            // The engine's default alarm is three quarters of the default limit.
            "alarmValue": limit * 3 / 4,
            "value": value,
            "window": "24h0m0s",
            "lastRefill": last_refill.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        }]})
    }

    pub(crate) fn set_max_internal_retries(&mut self, n: i32) {
        self.max_internal_retries = n;
    }
}

fn run_info(r: &Run) -> RunInfo {
    RunInfo {
        id: r.id,
        task_external_id: r.id,
        tenant_id: r.tenant_id,
        workflow: r.workflow_name.clone(),
        task: r.readable_id.clone(),
        action_id: r.action.clone(),
        input: r.input.clone(),
        additional_metadata: r.additional_metadata.clone(),
        priority: r.priority,
        status: r.status,
        attempts: r
            .attempts
            .iter()
            .map(|a| AttemptInfo {
                retry_count: a.retry_count,
                worker_id: a.worker_id,
                assigned_at: a.assigned_at,
                started_at: a.started_at,
                finished_at: a.finished_at,
                outcome: a.outcome.clone(),
            })
            .collect(),
        dispatched_to: r.attempts.iter().map(|a| a.worker_id).collect(),
        retry_count: r.retry_count,
        output: r.output.clone(),
        error: r.error.clone(),
        cancel_reason: r.cancel_reason.clone(),
        scheduled_id: r.scheduled_id,
        created_at: r.created_at,
        finished_at: r.finished_at,
        logs: r.logs.clone(),
    }
}

/// The AssignedAction the engine sends (`populateAssignedAction` in
/// internal/services/dispatcher/subscribed_worker_v1.go), with the payload built like
/// `V1StepRunData` (pkg/repository/input.go).
fn assigned_action(run: &Run, kind: pb::ActionType) -> pb::AssignedAction {
    let payload = json!({
        "input": run.input,
        "triggered_by": "manual",
        "parents": {},
        "triggers": { "filter_payload": null },
        "user_data": null,
        "overrides": null,
    });
    pb::AssignedAction {
        tenant_id: run.tenant_id.to_string(),
        workflow_run_id: run.id.to_string(),
        get_group_key_run_id: String::new(),
        job_id: run.step_id.to_string(),
        job_name: run.readable_id.clone(),
        job_run_id: run.id.to_string(),
        task_id: run.step_id.to_string(),
        task_run_external_id: run.id.to_string(),
        action_id: run.action.clone(),
        action_type: kind as i32,
        action_payload: if matches!(kind, pb::ActionType::StartStepRun) {
            payload.to_string()
        } else {
            String::new()
        },
        task_name: run.readable_id.clone(),
        retry_count: run.retry_count,
        additional_metadata: run.additional_metadata.as_ref().map(|m| m.to_string()),
        child_workflow_index: None,
        child_workflow_key: None,
        parent_workflow_run_id: None,
        priority: run.priority,
        workflow_id: Some(run.workflow_id.to_string()),
        workflow_version_id: Some(run.workflow_version_id.to_string()),
    }
}

/// `^[a-zA-Z0-9\.\-_]+$` (pkg/validator NameRegex).
pub(crate) fn is_hatchet_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
}

/// `types.ParseActionID`: 2 or 3 colon-separated parts; the first (and third) get their
/// first letter lowercased, the verb is lowercased entirely.
pub(crate) fn normalize_action(action: &str) -> Option<String> {
    let parts: Vec<&str> = action.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 || parts[0].is_empty() || parts[1].is_empty() {
        return None;
    }
    let mut out = format!("{}:{}", first_to_lower(parts[0]), parts[1].to_lowercase());
    if let Some(sub) = parts.get(2).filter(|s| !s.is_empty()) {
        out.push(':');
        out.push_str(&first_to_lower(sub));
    }
    Some(out)
}

fn first_to_lower(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Durations as the engine accepts them: `^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ms|s|m|h))+$`.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    if s.is_empty() {
        return None;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total = 0f64;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let num = &s[start..i];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let factor = match &s[unit_start..i] {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += value * factor;
    }
    if !total.is_finite() || total > 1e12 {
        return None;
    }
    Some(Duration::from_secs_f64(total))
}

/// Go-like short form of a duration for messages ("5m", "60s", "1500ms").
pub(crate) fn duration_expr(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(3_600_000) && ms > 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{}ms", ms)
    }
}

pub(crate) fn to_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Timestamps are stored in TIMESTAMP(3) columns: the driver sends microseconds
/// (truncating nanoseconds), PostgreSQL rounds them to milliseconds (half to even).
pub(crate) fn round_to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    let micros = t.timestamp_micros();
    let (q, r) = (micros.div_euclid(1000), micros.rem_euclid(1000));
    let millis = match r.cmp(&500) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    };
    DateTime::from_timestamp_millis(millis).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_durations() {
        assert_eq!(
            normalize_action("close-teaching-session:close-teaching-session").as_deref(),
            Some("close-teaching-session:close-teaching-session")
        );
        assert_eq!(
            normalize_action("Close-Session:Close-Session").as_deref(),
            Some("close-Session:close-session")
        );
        assert!(normalize_action("nocolon").is_none());
        assert!(normalize_action("a:b:c:d").is_none());
        assert_eq!(parse_duration("60s"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert_eq!(parse_duration("1d"), None);
        assert!(is_hatchet_name("close-teaching-session"));
        assert!(!is_hatchet_name("close teaching"));
        assert_eq!(duration_expr(Duration::from_secs(300)), "5m");
        let t = DateTime::parse_from_rfc3339("2026-01-01T10:00:00.123600Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(round_to_millis(t).timestamp_subsec_millis(), 124);
        let t = DateTime::parse_from_rfc3339("2026-01-01T10:00:00.122500Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(round_to_millis(t).timestamp_subsec_millis(), 122);
    }
}
