//! attctl: the core of the teaching-session admin tool and its worker daemon.
//!
//! Both binaries (`attctl` and `attctl-worker`) are thin shells over this library:
//!
//! - [`session`]: domain types and input validation; [`clock`]: wall-clock times and zones.
//! - [`store`]: where sessions live ([`store::postgrest`] for Supabase, [`store::sqlite`]
//!   for the embedded default), behind [`store::SessionStore`].
//! - [`scheduler`]: who closes a session at its end ([`scheduler::hatchet`] or
//!   [`scheduler::local`]), behind [`scheduler::ClosureScheduler`].
//! - [`service`]: create / close / delete / reschedule / sweep, the only place that
//!   combines a store and a scheduler.
//! - [`config`]: settings from flags, env, `.env` and profiles; [`error`]: typed errors
//!   and exit codes.

pub mod clock;
pub mod config;
pub mod error;
pub mod hatchet_token;
pub mod scheduler;
pub mod session;
pub mod store;

pub use error::{Error, Result};
