//! The ids of planned warning runs (`session_warning_runs`): kept in one RPC per chunk
//! (`attctl_add_warning_runs()`, which skips sessions that are gone and keys kept already),
//! taken back with one DELETE per chunk of sessions.

use super::*;
use crate::store::WarningRun;

const WARNING_RUNS: &str = "session_warning_runs";
const ADD_WARNING_RUNS_RPC: &str = "rpc/attctl_add_warning_runs";
const MISSING_WARNING_RUNS_RPC: &str = "rpc/attctl_missing_warning_runs";
/// Columns read into [`WarningRun`].
const WARNING_RUN_COLUMNS: &str = "session_id,offset_seconds,closes_at,run_id";

/// The request keeping `runs`, built once for the real write and for `--dry-run`.
pub(super) fn add_request(runs: &[WarningRun]) -> Request {
    let rows: Vec<serde_json::Value> = runs
        .iter()
        .map(|r| {
            json!({
                "session_id": r.session_id,
                "offset_seconds": r.offset_seconds,
                "closes_at": ts(r.closes_at),
                "run_id": r.run_id,
            })
        })
        .collect();
    // Idempotent: a repeat finds every key kept and keeps nothing.
    Request::new(Method::POST, ADD_WARNING_RUNS_RPC)
        .retry(Retry::Idempotent)
        .body(json!({ "runs": rows }))
}

/// The request taking back the warning runs of `ids`.
pub(super) fn take_request(ids: &[SessionId]) -> Request {
    Request::new(Method::DELETE, WARNING_RUNS)
        .query(
            "session_id",
            Filter::in_list(ids.iter().map(|i| i.to_string())),
        )
        .query("select", WARNING_RUN_COLUMNS)
        .prefer("return=representation")
}

pub(super) async fn add_warning_runs(
    store: &PostgrestStore,
    runs: &[WarningRun],
) -> Result<Vec<WarningRun>> {
    let mut kept = Vec::with_capacity(runs.len());
    for chunk in runs.chunks(RUN_IDS_PER_REQUEST) {
        kept.extend(store.rows::<WarningRun>(add_request(chunk)).await?);
    }
    Ok(kept)
}

pub(super) async fn take_warning_runs(
    store: &PostgrestStore,
    ids: &[SessionId],
) -> Result<Vec<WarningRun>> {
    let mut taken = Vec::new();
    for chunk in ids.chunks(IDS_PER_REQUEST) {
        // A DELETE that lost its answer is not repeated: the runs it took would be lost
        // with it, and they only cost a run that finds nothing to warn of.
        taken.extend(store.rows::<WarningRun>(take_request(chunk)).await?);
    }
    Ok(taken)
}

/// Forgets warning runs of closing instants before `before`.
pub(super) async fn prune(store: &PostgrestStore, before: DateTime<Utc>) -> Result<u64> {
    let req = Request::new(Method::DELETE, WARNING_RUNS)
        .query("closes_at", format!("lt.{}", ts(before)))
        .query("select", "session_id")
        .prefer("return=representation")
        .retry(Retry::Idempotent);
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        session_id: SessionId,
    }
    let n = store.rows::<Row>(req).await?.len();
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

pub(super) async fn missing(
    store: &PostgrestStore,
    offsets_seconds: &[u32],
    after: DateTime<Utc>,
    settled_before: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<(SessionId, u32)>> {
    if offsets_seconds.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct Pair {
        session_id: SessionId,
        offset_seconds: u32,
    }
    let req = Request::new(Method::POST, MISSING_WARNING_RUNS_RPC)
        .retry(Retry::Idempotent)
        .body(json!({
            "offsets": offsets_seconds,
            "after": ts(after),
            "settled_before": ts(settled_before),
            "max_rows": limit.clamp(1, PAGE_SIZE),
        }));
    Ok(store
        .rows::<Pair>(req)
        .await?
        .into_iter()
        .map(|p| (p.session_id, p.offset_seconds))
        .collect())
}

pub(super) async fn of(store: &PostgrestStore, ids: &[SessionId]) -> Result<Vec<WarningRun>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(IDS_PER_REQUEST) {
        let req = Request::new(Method::GET, WARNING_RUNS)
            .query(
                "session_id",
                Filter::in_list(chunk.iter().map(|i| i.to_string())),
            )
            .query("select", WARNING_RUN_COLUMNS)
            .retry(Retry::Idempotent);
        found.extend(store.rows::<WarningRun>(req).await?);
    }
    Ok(found)
}
