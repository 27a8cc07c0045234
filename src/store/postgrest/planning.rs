//! What the schedulers and the sweep ask: claims for planning, run ids, unscheduled and
//! overdue sessions, the next closing instant and run health.

use super::*;

pub(super) async fn run_health(
    store: &PostgrestStore,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<crate::store::RunHealth> {
    // Two counts computed by PostgreSQL (`count=exact`), no rows fetched.
    let base = || {
        Request::new(Method::GET, SESSIONS)
            .query("select", "id")
            .query("closes_at", format!("gte.{}", ts(since)))
            .query("closes_at", format!("lte.{}", ts(until)))
            .query("limit", "1")
            .prefer("count=exact")
    };
    let taken = base().query("closed_by", "eq.auto");
    let missed = base()
        .query("scheduled_task_id", format!("match.{HATCHET_RUN_ID}"))
        .query("or", "(status.eq.Open,closed_by.eq.sweep)");
    let (taken, missed) = futures::join!(store.client.send(&taken), store.client.send(&missed));
    Ok(crate::store::RunHealth {
        taken: taken.map_err(Error::from)?.total().unwrap_or(0),
        missed: missed.map_err(Error::from)?.total().unwrap_or(0),
    })
}

pub(super) async fn open_past_end(
    store: &PostgrestStore,
    before: DateTime<Utc>,
    class_id: Option<crate::session::ClassId>,
    after_id: Option<SessionId>,
    limit: usize,
) -> Result<Vec<TeachingSession>> {
    let limit = limit.clamp(1, PAGE_SIZE);
    let mut req = Request::new(Method::GET, SESSIONS)
        .query("status", "eq.Open")
        .query("closes_at", format!("lte.{}", ts(before)))
        .query("order", "id.asc")
        .query("limit", limit.to_string());
    if let Some(id) = after_id {
        req = req.query("id", format!("gt.{id}"));
    }
    if let Some(class) = class_id {
        req = req.query("class_id", format!("eq.{class}"));
    }
    let resp = store.client.send(&req).await.map_err(Error::from)?;
    let page = decode_sessions(&resp.body.0)?;
    match page.skipped.first() {
        Some(row) => Err(unreadable(row)),
        None => Ok(page.rows),
    }
}

use crate::store::WarningRun;

const WARNING_RUNS: &str = "session_warning_runs";
const ADD_WARNING_RUNS_RPC: &str = "rpc/attctl_add_warning_runs";
const MISSING_WARNING_RUNS_RPC: &str = "rpc/attctl_missing_warning_runs";
const UNSCHEDULED_OPEN_RPC: &str = "rpc/attctl_unscheduled_open";
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

impl PostgrestStore {
    /// `unscheduled_open` by PostgREST filters, for a database without
    /// `attctl_unscheduled_open()`: the same rows, without the partial index's plan.
    async fn unscheduled_open_by_filter(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        let claim = Filter::quoted(&format!("{CLAIM_PREFIX}*"));
        let stale = Filter::quoted(&ts(stale_claims_before));
        let req = Request::new(Method::GET, SESSIONS)
            .query("status", "eq.Open")
            .query("closes_at", format!("gt.{}", ts(after)))
            .query(
                "or",
                format!(
                    "(scheduled_task_id.is.null,and(scheduled_task_id.like.{claim},updated_at.lt.{stale}),and({}))",
                    legacy_task_conditions()
                ),
            )
            .query("order", "closes_at.asc,id.asc")
            .query("limit", limit.clamp(1, PAGE_SIZE).to_string())
            .retry(Retry::Idempotent);
        let resp = self.client.send(&req).await.map_err(Error::from)?;
        Ok(decode_sessions(&resp.body.0)?.rows)
    }
}

#[async_trait]
impl Planning for PostgrestStore {
    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Result<Option<TeachingSession>> {
        let store = self;
        store
            .first(writes::swap_scheduled_task(id, expected, new))
            .await
    }

    async fn unscheduled_open(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        let store = self;
        // In the database, so that the partial index of the sessions that may need a run is
        // used: a sweep with nothing to plan reads nothing (`…_district_scale.sql`).
        let req = Request::new(Method::POST, UNSCHEDULED_OPEN_RPC)
            .retry(Retry::Idempotent)
            .body(json!({
                "after": ts(after),
                "stale_claims_before": ts(stale_claims_before),
                "max_rows": limit.clamp(1, PAGE_SIZE),
            }));
        // A row that cannot be read is left to the sweep's close and to `attctl doctor`;
        // it never stops the others from being planned.
        let resp = match store.client.send(&req).await {
            Ok(resp) => resp,
            // A database without the 20261205160000 migration (or a schema cache not yet
            // reloaded after it): the same rows by filters.
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                return store
                    .unscheduled_open_by_filter(after, stale_claims_before, limit)
                    .await;
            }
            Err(e) => return Err(e.into()),
        };
        Ok(decode_sessions(&resp.body.0)?.rows)
    }

    async fn claim_for_planning(
        &self,
        candidates: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let store = self;
        let mut claimed = Vec::with_capacity(candidates.len());
        for chunk in candidates.chunks(CLAIMS_PER_REQUEST) {
            match store.claim_in_one_request(chunk, claim, after).await {
                Ok(Some(rows)) => {
                    claimed.extend(rows);
                    continue;
                }
                // An old or slow database: conditional PATCHes, ids in the URL.
                Ok(None) => {}
                // Some row of the chunk breaks a rule on write (an old row): the PATCHes
                // below find it and claim the others.
                Err(Error::Invalid(_) | Error::Conflict(_) | Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            claimed.extend(store.claim_by_patches(chunk, claim, after).await?);
        }
        Ok(claimed)
    }

    async fn store_run_ids(
        &self,
        claim: &str,
        runs: &[(SessionId, String)],
    ) -> Result<Vec<SessionId>> {
        let store = self;
        let mut stored = Vec::with_capacity(runs.len());
        for chunk in runs.chunks(RUN_IDS_PER_REQUEST) {
            let body: Vec<serde_json::Value> = chunk
                .iter()
                .map(|(id, run)| json!({ "id": id, "run": run }))
                .collect();
            let req = Request::new(Method::POST, STORE_RUN_IDS_RPC)
                .retry(Retry::Idempotent)
                .body(json!({ "claim": claim, "runs": body }));
            match store.client.send(&req).await {
                Ok(resp) => stored.extend(resp.json::<Vec<SessionId>>()?),
                Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                    // A database without the 20261130110000 migration: one write per run.
                    for (id, run) in chunk {
                        if store
                            .swap_scheduled_task(*id, Some(claim), Some(run))
                            .await?
                            .is_some()
                        {
                            stored.push(*id);
                        }
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(stored)
    }

    async fn release_claim(&self, claim: &str, ids: &[SessionId]) -> Result<()> {
        let store = self;
        for chunk in ids.chunks(IDS_PER_REQUEST) {
            let req = Request::new(Method::PATCH, SESSIONS)
                .query("id", Filter::in_list(chunk.iter().map(|i| i.to_string())))
                .query("scheduled_task_id", format!("eq.{claim}"))
                .retry(Retry::Idempotent)
                .body(json!({ "scheduled_task_id": null }));
            store.client.send(&req).await.map_err(Error::from)?;
        }
        Ok(())
    }

    async fn clear_run_ids(&self, runs: &[(SessionId, String)]) -> Result<Vec<SessionId>> {
        let store = self;
        let mut cleared = Vec::with_capacity(runs.len());
        for chunk in runs.chunks(RUN_IDS_PER_REQUEST) {
            let body: Vec<serde_json::Value> = chunk
                .iter()
                .map(|(id, run)| json!({ "id": id, "run": run }))
                .collect();
            // Idempotent: a repeat finds the runs already gone and clears nothing.
            let req = Request::new(Method::POST, CLEAR_RUN_IDS_RPC)
                .retry(Retry::Idempotent)
                .body(json!({ "runs": body }));
            match store.client.send(&req).await {
                Ok(resp) => cleared.extend(resp.json::<Vec<SessionId>>()?),
                Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                    // A database without the 20261205140000 migration: one write per run.
                    for (id, run) in chunk {
                        if store
                            .swap_scheduled_task(*id, Some(run), None)
                            .await?
                            .is_some()
                        {
                            cleared.push(*id);
                        }
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(cleared)
    }

    async fn next_closing(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let store = self;
        #[derive(Deserialize)]
        struct Next {
            closes_at: DateTime<Utc>,
        }
        let req = Request::new(Method::GET, SESSIONS)
            .query("select", "closes_at")
            .query("status", "eq.Open")
            .query("closes_at", format!("gt.{}", ts(after)))
            .query("order", "closes_at.asc")
            .query("limit", "1");
        Ok(store.first::<Next>(req).await?.map(|n| n.closes_at))
    }

    async fn add_warning_runs(
        &self,
        runs: &[crate::store::WarningRun],
    ) -> Result<Vec<crate::store::WarningRun>> {
        add_warning_runs(self, runs).await
    }

    async fn take_warning_runs(&self, ids: &[SessionId]) -> Result<Vec<crate::store::WarningRun>> {
        take_warning_runs(self, ids).await
    }

    async fn warning_runs_of(&self, ids: &[SessionId]) -> Result<Vec<crate::store::WarningRun>> {
        of(self, ids).await
    }

    async fn missing_warning_runs(
        &self,
        offsets_seconds: &[u32],
        after: DateTime<Utc>,
        settled_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(SessionId, u32)>> {
        let store = self;
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
}
