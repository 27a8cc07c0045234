//! The closure report (`attctl report closures`): what is asked of a store, the figures it
//! answers and the report as printed. A leaf that the stores may use: drawing it (table
//! cells, CSV, a terminal bar chart, an SVG chart) is [`crate::output`]'s.
//!
//! The numbers are computed where the data is ([`crate::store::SessionStore::closure_report`]:
//! one SQL function on Supabase, one SQL query in SQLite). A statistic with no data is
//! `None` (JSON `null`), never 0.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::session::ClassId;

/// How the sessions are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// By class name.
    Class,
    /// By the weekday of the session's own (local) date: Monday … Sunday.
    Weekday,
    /// By ISO week of the session's own date: `2025-W03`.
    Week,
    /// By month of the session's own date: `2025-01`.
    Month,
    /// By who closed it: `manual`, `auto`, `sweep`, `open` (not closed yet), `unrecorded`.
    ClosedBy,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Class => "class",
            GroupBy::Weekday => "weekday",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
            GroupBy::ClosedBy => "closed_by",
        }
    }
}

/// What the store is asked for. `now` decides open past end vs upcoming, so both backends
/// (and a test) agree on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub class_id: Option<ClassId>,
    pub by: GroupBy,
    pub now: DateTime<Utc>,
}

/// The figures of one group (or of all of them). Field order is the JSON order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClosureStats {
    pub sessions: u64,
    pub closed_manual: u64,
    pub closed_auto: u64,
    pub closed_sweep: u64,
    /// Still Open, and its end has passed.
    pub open_past_end: u64,
    /// Still Open, and its end is still to come.
    pub open_upcoming: u64,
    /// `closed_at - closes_at` over automatic closes, in seconds (linear interpolation,
    /// as PostgreSQL's `percentile_cont`).
    pub auto_lag_p50_s: Option<f64>,
    pub auto_lag_p95_s: Option<f64>,
    pub auto_lag_max_s: Option<f64>,
    /// Manual closes before the session's end.
    pub manual_early: u64,
    /// Their median, in minutes before the end.
    pub manual_early_median_min: Option<f64>,
    /// Closed, with no `closed_by` (closed by the original app, or by hand in the database).
    pub closed_unrecorded: u64,
    /// The automatic closes counted by lag, in the buckets of
    /// [`AUTO_LAG_HISTOGRAM_EDGES_S`]: below the first edge, then from each edge to the next,
    /// then from the last edge on (14 counts). Empty from a database whose report function
    /// predates it.
    #[serde(default)]
    pub auto_lag_histogram: Vec<u64>,
}

/// The edges of the automatic-close lag histogram, in seconds: fixed, roughly log-scale.
/// Bucket 0 holds lags below 0 (closed before the end: clock skew), bucket i the lags from
/// edge i-1 up to (not including) edge i, the last bucket lags of an hour or more. Every
/// edge is a multiple of 1/16 s (the Supabase function's fine lag bucket), so both stores
/// count exactly the same closes.
pub const AUTO_LAG_HISTOGRAM_EDGES_S: [f64; 13] = [
    0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

/// One group of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosureGroup {
    pub group: String,
    #[serde(flatten)]
    pub stats: ClosureStats,
}

/// What a store computes: the groups (in display order) and the figures over all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClosureFigures {
    pub groups: Vec<ClosureGroup>,
    pub total: ClosureStats,
}

/// The report as printed (`-o json`). Field names are a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ClosureReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub by: GroupBy,
    pub groups: Vec<ClosureGroup>,
    pub total: ClosureStats,
    /// [`AUTO_LAG_HISTOGRAM_EDGES_S`], so that the histograms read on their own.
    pub auto_lag_histogram_edges_s: [f64; 13],
}
