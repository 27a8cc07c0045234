//! Server-side code generated at build time from the SDK's own `.proto` files.
#![allow(clippy::all, clippy::pedantic, missing_docs, unreachable_pub)]

/// Directory of the `.proto` files this code was generated from (inside the pinned
/// `hatchet-sdk` crate's source).
pub const PROTO_DIR: &str = env!("HATCHET_SDK_PROTO_DIR");

/// How build.rs found that directory (`cargo metadata`, `cargo registry` or
/// `HATCHET_SDK_SRC_DIR`).
pub const PROTO_SOURCE: &str = env!("HATCHET_SDK_PROTO_SOURCE");

/// Package-less protos: `Dispatcher`, `EventsService`, `WorkflowService` (v0).
pub mod v0 {
    tonic::include_proto!("_");
}

/// `package v1`: `AdminService`, `V1Dispatcher`.
pub mod v1 {
    tonic::include_proto!("v1");
}
