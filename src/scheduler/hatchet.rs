//! Closing runs as one-time Hatchet scheduled runs, through `hatchet-sdk`'s REST client.
//!
//! What the SDK (0.2.8) lacks is wrapped here: REST errors come back as strings, so the
//! status code is recovered from them; its HTTP client has no timeout, so every call gets
//! one; and `Hatchet::from_token` opens the gRPC channel eagerly even though scheduling is
//! REST-only. attctl never speaks gRPC, so the SDK is handed a loopback endpoint of ours
//! that accepts the connection and serves nothing: scheduling keeps working while the
//! engine's gRPC port is unreachable. The client is built on first use, not at start-up.

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use hatchet_sdk::{CreateScheduleOpts, Hatchet, HatchetError};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::OnceCell;
use tokio::task::JoinHandle;

use super::{CLOSE_TASK, Cancelled, ClosureScheduler, SchedulerOp};
use crate::config::HatchetSettings;
use crate::error::{Error, Result};
use crate::session::{TeachingSession, is_uuid};
use crate::store::PlannedWrite;

pub struct HatchetScheduler {
    settings: HatchetSettings,
    client: OnceCell<Connected>,
}

struct Connected {
    sdk: Hatchet,
    placeholder: JoinHandle<()>,
}

impl Drop for Connected {
    fn drop(&mut self) {
        self.placeholder.abort();
    }
}

impl std::fmt::Debug for HatchetScheduler {
    // The SDK client derives Debug with the token inside: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HatchetScheduler")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl HatchetScheduler {
    pub fn new(settings: HatchetSettings) -> Self {
        HatchetScheduler {
            settings,
            client: OnceCell::new(),
        }
    }

    pub fn settings(&self) -> &HatchetSettings {
        &self.settings
    }

    async fn sdk(&self) -> Result<&Hatchet> {
        let connected = self
            .client
            .get_or_try_init(|| async {
                let (addr, placeholder) = grpc_placeholder().await?;
                let addr = addr.to_string();
                let built = Hatchet::from_token(
                    &self.settings.server_url,
                    &addr,
                    self.settings.token.expose(),
                    "none",
                );
                match tokio::time::timeout(self.settings.timeout, built).await {
                    Ok(Ok(sdk)) => Ok(Connected { sdk, placeholder }),
                    Ok(Err(e)) => {
                        placeholder.abort();
                        Err(classify(e, "connect"))
                    }
                    Err(_) => {
                        placeholder.abort();
                        Err(Error::Unavailable("Hatchet client set-up timed out".into()))
                    }
                }
            })
            .await?;
        Ok(&connected.sdk)
    }

    async fn timed<T>(
        &self,
        what: &str,
        call: impl Future<Output = std::result::Result<T, HatchetError>>,
    ) -> Result<T> {
        match tokio::time::timeout(self.settings.timeout, call).await {
            Ok(result) => result.map_err(|e| classify(e, what)),
            Err(_) => Err(Error::Unavailable(format!(
                "Hatchet API did not answer within {:?} ({what})",
                self.settings.timeout
            ))),
        }
    }
}

#[async_trait]
impl ClosureScheduler for HatchetScheduler {
    fn name(&self) -> &'static str {
        "hatchet"
    }

    async fn schedule(&self, session: &TeachingSession) -> Result<String> {
        let sdk = self.sdk().await?;
        let opts = schedule_opts(session);
        let run = self
            .timed("schedule", sdk.schedules.create(CLOSE_TASK, opts))
            .await?;
        if run.metadata_id.trim().is_empty() {
            return Err(Error::Backend(
                "Hatchet answered a schedule without an id".into(),
            ));
        }
        Ok(run.metadata_id)
    }

    fn describe(&self, op: &SchedulerOp<'_>) -> Option<PlannedWrite> {
        // The routes hatchet-sdk's REST client calls (see the field notes).
        let base = format!(
            "{}/api/v1/tenants/{}/workflows",
            crate::config::redact_url(self.settings.server_url.trim_end_matches('/')),
            self.settings.tenant_id
        );
        match *op {
            SchedulerOp::Schedule(session) => {
                let opts = schedule_opts(session);
                Some(PlannedWrite {
                    method: "POST".into(),
                    target: format!("{base}/{CLOSE_TASK}/scheduled"),
                    body: Some(json!({
                        "input": opts.input,
                        "additionalMetadata": opts.additional_metadata,
                        "triggerAt": opts.trigger_at,
                    })),
                })
            }
            // No request for what is not a Hatchet run id (see `cancel`).
            SchedulerOp::Cancel(run_id) if !is_uuid(run_id) => None,
            SchedulerOp::Cancel(run_id) => Some(PlannedWrite {
                method: "DELETE".into(),
                target: format!("{base}/scheduled/{run_id}"),
                body: None,
            }),
        }
    }

    async fn cancel(&self, run_id: &str) -> Result<Cancelled> {
        if !is_uuid(run_id) {
            // Not a Hatchet run id (the original app's `mock-task-…`, for one): there is no
            // such schedule, and the engine would answer 400 rather than 404.
            return Ok(Cancelled::AlreadyGone);
        }
        let sdk = self.sdk().await?;
        match self.timed("cancel", sdk.schedules.delete(run_id)).await {
            Ok(()) => Ok(Cancelled::Removed),
            Err(Error::NotFound { .. }) => Ok(Cancelled::AlreadyGone),
            Err(e) => Err(e),
        }
    }
}

/// What scheduling `session`'s close sends: one definition for the request and for its
/// `--dry-run` description.
fn schedule_opts(session: &TeachingSession) -> CreateScheduleOpts {
    CreateScheduleOpts {
        trigger_at: session.closes_at,
        input: json!({ "session_id": session.id }),
        additional_metadata: Some(json!({
            "session_id": session.id.to_string(),
            "class_id": session.class_id.to_string(),
        })),
        priority: None,
    }
}

/// A loopback listener that accepts and holds connections: enough for the SDK's eager
/// gRPC connect, and never used for a call.
async fn grpc_placeholder() -> Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| Error::io("binding the Hatchet client's local placeholder", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("binding the Hatchet client's local placeholder", e))?;
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    Ok((addr, task))
}

/// Recovers the HTTP status from the SDK's stringly REST errors.
fn status_of(message: &str) -> Option<u16> {
    let rest = &message[message.find("status code ")? + "status code ".len()..];
    rest.get(..3)?.parse().ok()
}

fn classify(err: HatchetError, what: &str) -> Error {
    match err {
        HatchetError::RestApiError(message) => match status_of(&message) {
            // The engine answers 403 for a missing, invalid, expired or foreign token.
            Some(code @ (401 | 403)) => Error::Auth(format!(
                "Hatchet rejected the token ({code}) during {what}: check HATCHET_CLIENT_TOKEN"
            )),
            Some(404) => Error::NotFound {
                what: "scheduled run",
                id: what.to_string(),
            },
            Some(400) => Error::Backend(format!(
                "Hatchet refused to {what} (400): is attctl-worker running? It registers the task {CLOSE_TASK}"
            )),
            Some(code) if code >= 500 => {
                Error::Unavailable(format!("Hatchet API unavailable during {what} ({code})"))
            }
            Some(code) => Error::Backend(format!("Hatchet answered {code} during {what}")),
            None if message.contains("error in reqwest") => {
                Error::Unavailable(format!("Hatchet API unreachable during {what}"))
            }
            None => Error::Backend(format!("Hatchet API error during {what}")),
        },
        HatchetError::MissingTokenField(field) => {
            Error::Config(format!("HATCHET_CLIENT_TOKEN lacks the {field} claim"))
        }
        HatchetError::InvalidTokenFormat
        | HatchetError::Base64DecodeError(_)
        | HatchetError::JsonDecodeError(_) => {
            Error::Config("HATCHET_CLIENT_TOKEN is not a valid Hatchet token".into())
        }
        HatchetError::GrpcConnect(_) | HatchetError::InvalidUri(_) => {
            Error::Unavailable(format!("Hatchet client could not start ({what})"))
        }
        _ => Error::Backend(format!("Hatchet client error during {what}")),
    }
}

/// Builds the scheduler for settings that are known to be complete.
pub fn from_settings(settings: &HatchetSettings) -> Arc<dyn ClosureScheduler> {
    Arc::new(HatchetScheduler::new(settings.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_are_recovered_from_sdk_errors() {
        assert_eq!(
            status_of("error in response: status code 404 Not Found"),
            Some(404)
        );
        assert_eq!(status_of("error in response: status code 400"), Some(400));
        assert_eq!(status_of("error in reqwest: connection refused"), None);
        assert_eq!(status_of("status code 4"), None);
    }

    #[test]
    fn not_found_maps_to_already_gone_path() {
        let e = classify(
            HatchetError::RestApiError("error in response: status code 404 Not Found".into()),
            "cancel",
        );
        assert!(matches!(e, Error::NotFound { .. }));
        let e = classify(
            HatchetError::RestApiError("error in response: status code 503".into()),
            "schedule",
        );
        assert!(e.is_transient());
    }
}
