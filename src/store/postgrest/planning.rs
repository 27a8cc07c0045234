//! What the schedulers and the sweep ask: claims for planning, run ids, unscheduled and
//! overdue sessions, the next closing instant and run health.

use super::*;

pub(super) async fn swap_scheduled_task(
    store: &PostgrestStore,
    id: SessionId,
    expected: Option<&str>,
    new: Option<&str>,
) -> Result<Option<TeachingSession>> {
    store
        .first(writes::swap_scheduled_task(id, expected, new))
        .await
}

pub(super) async fn unscheduled_open(
    store: &PostgrestStore,
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
        .query("limit", limit.clamp(1, PAGE_SIZE).to_string());
    // A row that cannot be read is left to the sweep's close and to `attctl doctor`;
    // it never stops the others from being planned.
    let resp = store.client.send(&req).await.map_err(Error::from)?;
    Ok(decode_sessions(&resp.body.0)?.rows)
}

pub(super) async fn claim_for_planning(
    store: &PostgrestStore,
    candidates: &[TeachingSession],
    claim: &str,
    after: DateTime<Utc>,
) -> Result<Vec<TeachingSession>> {
    let mut claimed = Vec::with_capacity(candidates.len());
    for chunk in candidates.chunks(IDS_PER_REQUEST) {
        match store.claim_chunk(chunk, claim, after).await {
            Ok(rows) => claimed.extend(rows),
            // Some row of the chunk breaks a rule on write (an old row): claim the others
            // one by one, so it never blocks their planning.
            Err(Error::Invalid(_) | Error::Conflict(_) | Error::NotFound { .. })
                if chunk.len() > 1 =>
            {
                for session in chunk {
                    match store
                        .claim_chunk(std::slice::from_ref(session), claim, after)
                        .await
                    {
                        Ok(rows) => claimed.extend(rows),
                        Err(Error::Invalid(_) | Error::Conflict(_) | Error::NotFound { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(claimed)
}

pub(super) async fn store_run_ids(
    store: &PostgrestStore,
    claim: &str,
    runs: &[(SessionId, String)],
) -> Result<Vec<SessionId>> {
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

pub(super) async fn release_claim(
    store: &PostgrestStore,
    claim: &str,
    ids: &[SessionId],
) -> Result<()> {
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

pub(super) async fn next_closing(
    store: &PostgrestStore,
    after: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
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
