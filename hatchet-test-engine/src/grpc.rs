//! gRPC services (generated from the SDK's protos): Dispatcher, v1.AdminService and
//! EventsService. RPCs the SDK 0.2.8 worker never calls keep the generated
//! `Unimplemented` stubs.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};

use chrono::Utc;
use futures::Stream;
use tokio::sync::mpsc;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};
use uuid::Uuid;

use crate::Inner;
use crate::proto::{v0 as pb, v1 as pb1};
use crate::state::{EventKind, NewTask, OpError, StepEvent};

#[derive(Clone)]
pub(crate) struct GrpcApi {
    pub(crate) inner: Arc<Inner>,
}

impl GrpcApi {
    /// `authorization: Bearer <token>` (scheme case-insensitive, as go-grpc-middleware's
    /// `AuthFromMD`); any failure is `Unauthenticated: invalid auth token`, like the engine.
    fn authenticate<T>(&self, req: &Request<T>) -> Result<Uuid, Status> {
        let unauthenticated = || Status::unauthenticated("invalid auth token");
        let value = req
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(unauthenticated)?;
        let (scheme, token) = value.split_once(' ').ok_or_else(unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(unauthenticated());
        }
        self.inner
            .verify_token(token, Utc::now())
            .ok_or_else(unauthenticated)
    }
}

fn op_status(e: OpError) -> Status {
    match e {
        OpError::InvalidArgument(m) => Status::invalid_argument(m),
        OpError::NotFound(m) => Status::not_found(m),
        OpError::FailedPrecondition(m) => Status::failed_precondition(m),
        OpError::Unimplemented(m) => Status::unimplemented(m),
    }
}

/// The ListenV2 response stream. Dropping it (client gone, connection closed, engine
/// stopped) marks the worker inactive, like the engine does when the stream's context ends.
struct ListenStream {
    rx: mpsc::UnboundedReceiver<Result<pb::AssignedAction, Status>>,
    inner: Weak<Inner>,
    worker_id: Uuid,
    session: Uuid,
}

impl Stream for ListenStream {
    type Item = Result<pb::AssignedAction, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Drop for ListenStream {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.with_state(|st| st.stream_closed(self.worker_id, self.session));
            inner.changed.notify_waiters();
        }
    }
}

#[tonic::async_trait]
impl pb::dispatcher_server::Dispatcher for GrpcApi {
    async fn register(
        &self,
        request: Request<pb::WorkerRegisterRequest>,
    ) -> Result<Response<pb::WorkerRegisterResponse>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        let labels: HashMap<String, String> = req
            .labels
            .iter()
            .map(|(k, v)| {
                let value = match (&v.str_value, v.int_value) {
                    (Some(s), _) => s.clone(),
                    (None, Some(i)) => i.to_string(),
                    (None, None) => String::new(),
                };
                (k.clone(), value)
            })
            .collect();
        let worker_id = self
            .inner
            .with_state(|st| {
                st.register_worker(
                    tenant,
                    &req.worker_name,
                    &req.actions,
                    &req.services,
                    req.slots,
                    labels,
                    Utc::now(),
                )
            })
            .map_err(op_status)?;
        self.inner.changed.notify_waiters();
        Ok(Response::new(pb::WorkerRegisterResponse {
            tenant_id: tenant.to_string(),
            worker_id: worker_id.to_string(),
            worker_name: req.worker_name,
        }))
    }

    async fn listen_v2(
        &self,
        request: Request<pb::WorkerListenRequest>,
    ) -> Result<Response<BoxStream<pb::AssignedAction>>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        let (tx, rx) = mpsc::unbounded_channel();
        let (worker_id, session) = self
            .inner
            .with_state(|st| st.listen(tenant, &req.worker_id, tx, Utc::now()))
            .map_err(|e| match e {
                // GetWorkerForEngine -> pgx.ErrNoRows -> the error interceptor's NotFound.
                OpError::NotFound(_) => Status::not_found("not found"),
                other => op_status(other),
            })?;
        self.inner.changed.notify_waiters();
        let stream = ListenStream {
            rx,
            inner: Arc::downgrade(&self.inner),
            worker_id,
            session,
        };
        Ok(Response::new(Box::pin(stream)))
    }

    async fn heartbeat(
        &self,
        request: Request<pb::HeartbeatRequest>,
    ) -> Result<Response<pb::HeartbeatResponse>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        self.inner
            .with_state(|st| st.heartbeat(tenant, &req.worker_id, Utc::now()))
            .map_err(op_status)?;
        self.inner.changed.notify_waiters();
        Ok(Response::new(pb::HeartbeatResponse {}))
    }

    async fn send_step_action_event(
        &self,
        request: Request<pb::StepActionEvent>,
    ) -> Result<Response<pb::ActionEventResponse>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        let task_id = Uuid::parse_str(&req.task_run_external_id).map_err(|e| {
            Status::invalid_argument(format!(
                "invalid task external run id {}: {e}",
                req.task_run_external_id
            ))
        })?;
        let kind = match pb::StepActionEventType::try_from(req.event_type) {
            Ok(pb::StepActionEventType::StepEventTypeStarted) => Some(EventKind::Started),
            Ok(pb::StepActionEventType::StepEventTypeCompleted) => Some(EventKind::Completed),
            Ok(pb::StepActionEventType::StepEventTypeFailed) => Some(EventKind::Failed),
            Ok(pb::StepActionEventType::StepEventTypeAcknowledged) => Some(EventKind::Acknowledged),
            _ => None,
        };
        let Some(kind) = kind else {
            // The engine first looks the task up, then rejects the unknown type.
            let known = self.inner.with_state(|st| st.has_run(tenant, task_id));
            return Err(Status::invalid_argument(if known {
                format!("invalid task external run id {}", req.task_run_external_id)
            } else {
                format!(
                    "invalid task external run id {}: no rows in result set",
                    req.task_run_external_id
                )
            }));
        };
        let event = StepEvent {
            task_external_id: task_id,
            kind,
            payload: req.event_payload,
            retry_count: req.retry_count,
            should_not_retry: req.should_not_retry.unwrap_or(false),
        };
        self.inner
            .with_state(|st| st.step_event(tenant, event, Utc::now()))
            .map_err(op_status)?;
        self.inner.changed.notify_waiters();
        Ok(Response::new(pb::ActionEventResponse {
            tenant_id: tenant.to_string(),
            worker_id: req.worker_id,
        }))
    }

    async fn unsubscribe(
        &self,
        request: Request<pb::WorkerUnsubscribeRequest>,
    ) -> Result<Response<pb::WorkerUnsubscribeResponse>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        self.inner
            .with_state(|st| st.unsubscribe(tenant, &req.worker_id))
            .map_err(op_status)?;
        self.inner.changed.notify_waiters();
        Ok(Response::new(pb::WorkerUnsubscribeResponse {
            tenant_id: tenant.to_string(),
            worker_id: req.worker_id,
        }))
    }
}

#[tonic::async_trait]
impl pb1::admin_service_server::AdminService for GrpcApi {
    async fn put_workflow(
        &self,
        request: Request<pb1::CreateWorkflowVersionRequest>,
    ) -> Result<Response<pb1::CreateWorkflowVersionResponse>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        let tasks: Vec<NewTask> = req
            .tasks
            .into_iter()
            .map(|t| NewTask {
                has_parents: !t.parents.is_empty(),
                readable_id: t.readable_id,
                action: t.action,
                timeout: t.timeout,
                schedule_timeout: t.schedule_timeout,
                retries: t.retries,
            })
            .collect();
        let cfg = &self.inner.config;
        let (workflow_id, version_id) = self
            .inner
            .with_state(|st| st.put_workflow(cfg, tenant, &req.name, tasks))
            .map_err(op_status)?;
        self.inner.changed.notify_waiters();
        Ok(Response::new(pb1::CreateWorkflowVersionResponse {
            id: version_id.to_string(),
            workflow_id: workflow_id.to_string(),
        }))
    }
}

#[tonic::async_trait]
impl pb::events_service_server::EventsService for GrpcApi {
    async fn put_log(
        &self,
        request: Request<pb::PutLogRequest>,
    ) -> Result<Response<pb::PutLogResponse>, Status> {
        let tenant = self.authenticate(&request)?;
        let req = request.into_inner();
        let task_id = Uuid::parse_str(&req.task_run_external_id).map_err(|e| {
            Status::invalid_argument(format!(
                "invalid task external run id {}: {e}",
                req.task_run_external_id
            ))
        })?;
        self.inner
            .with_state(|st| st.put_log(tenant, task_id, req.message));
        self.inner.changed.notify_waiters();
        Ok(Response::new(pb::PutLogResponse {}))
    }

    async fn put_stream_event(
        &self,
        request: Request<pb::PutStreamEventRequest>,
    ) -> Result<Response<pb::PutStreamEventResponse>, Status> {
        self.authenticate(&request)?;
        Ok(Response::new(pb::PutStreamEventResponse {}))
    }
}
