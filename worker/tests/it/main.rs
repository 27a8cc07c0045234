//! The integration tests of `attctl-worker`, one binary: each module was once its own test
//! file; `common` is the shared harness.

mod common;

mod backlog;
mod bulk_requests;
mod default_log;
mod delivery_faults;
mod email;
mod hatchet_e2e;
mod idle;
mod legacy_rows;
mod local_mode;
mod notifications;
mod original_app;
mod registers;
mod terminal_log;
mod warning_runs;
