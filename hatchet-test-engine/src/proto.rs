//! Server-side code generated at build time from the SDK's own `.proto` files.
#![allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub)]

/// Package-less protos: `Dispatcher`, `EventsService`, `WorkflowService` (v0).
pub mod v0 {
    tonic::include_proto!("_");
}

/// `package v1`: `AdminService`, `V1Dispatcher`.
pub mod v1 {
    tonic::include_proto!("v1");
}
