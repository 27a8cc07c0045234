//! What one reconciliation pass did ([`SweepOutcome`]), and the JSON line
//! `attctl-worker sweep --once` prints of it: a contract for scripts.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::session::SessionId;
use crate::store::RowFailure;

/// What one reconciliation pass did: what `attctl-worker sweep --once` prints (one JSON
/// line, its fields a contract: see the `Serialize` impl) and what the daemon remembers of
/// its last sweep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepOutcome {
    pub closed: Vec<SessionId>,
    /// Overdue sessions left Open because their row cannot be written (an old row that
    /// breaks a rule); every other session was still closed. `attctl doctor` names the fix.
    pub failed: Vec<RowFailure>,
    pub scheduled: usize,
    pub schedule_failures: usize,
    pub lost_claims: usize,
    /// Warning runs planned with the runs scheduled (Hatchet, `ATTCTL_WARN_BEFORE`).
    pub warning_runs: usize,
    pub errors: Vec<String>,
    /// When a session left to its run (inside [`SWEEP_GRACE`](super::SWEEP_GRACE)) becomes the sweep's to
    /// close: call `sweep` again then rather than a whole interval later.
    pub recheck_at: Option<DateTime<Utc>>,
    /// How long the pass took.
    pub duration: std::time::Duration,
}

/// The JSON line scripts read: the count of closed sessions as `closed`, their ids as
/// `closed_ids`, the duration in milliseconds, in this order (pinned by a worker test).
impl Serialize for SweepOutcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("SweepOutcome", 10)?;
        out.serialize_field("closed", &self.closed.len())?;
        out.serialize_field("scheduled", &self.scheduled)?;
        out.serialize_field("schedule_failures", &self.schedule_failures)?;
        out.serialize_field("lost_claims", &self.lost_claims)?;
        out.serialize_field("errors", &self.errors)?;
        out.serialize_field("closed_ids", &self.closed)?;
        out.serialize_field("failed", &self.failed)?;
        out.serialize_field("recheck_at", &self.recheck_at)?;
        let duration_ms = u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX);
        out.serialize_field("duration_ms", &duration_ms)?;
        out.serialize_field("warning_runs", &self.warning_runs)?;
        out.end()
    }
}
