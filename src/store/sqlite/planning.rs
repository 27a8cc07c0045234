//! What the schedulers and the sweep ask: claims for planning, run ids, unscheduled and
//! overdue sessions, the next closing instant and run health.

use super::*;

pub(super) async fn swap_scheduled_task(
    store: &SqliteStore,
    id: SessionId,
    expected: Option<&str>,
    new: Option<&str>,
) -> Result<Option<TeachingSession>> {
    store.trace_write(StoreWrite::SwapScheduledTask { id, expected, new });
    let expected = expected.map(str::to_string);
    let new = new.map(str::to_string);
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // `IS` compares NULL with NULL as equal: expected None means "still unset".
            let sql = format!(
                "UPDATE teaching_sessions SET scheduled_task_id = ?3, updated_at = ?4 \
             WHERE id = ?1 AND scheduled_task_id IS ?2 RETURNING {SESSION_COLUMNS}"
            );
            let swapped = tx
                .prepare_cached(&sql)?
                .query_row(params![id, expected, new, db_now()], session_from_row)
                .optional()?;
            tx.commit()?;
            Ok(swapped)
        })
        .await
}

pub(super) async fn claim_for_planning(
    store: &SqliteStore,
    candidates: &[TeachingSession],
    claim: &str,
    after: DateTime<Utc>,
) -> Result<Vec<TeachingSession>> {
    let wanted: Vec<(SessionId, Option<String>)> = candidates
        .iter()
        .map(|s| (s.id, s.scheduled_task_id.clone()))
        .collect();
    let claim = claim.to_string();
    let after = enc_instant(after, "time")?;
    store
        .call(move |conn| {
            // One transaction for the chunk: one write lock, one fsync.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut claimed = Vec::with_capacity(wanted.len());
            {
                let sql = format!(
                    "UPDATE teaching_sessions SET scheduled_task_id = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND status = 'Open' AND closes_at > ?5 \
                   AND (scheduled_task_id IS ?2 OR scheduled_task_id = ?3) \
                 RETURNING {SESSION_COLUMNS}"
                );
                let mut stmt = tx.prepare_cached(&sql)?;
                let now = db_now();
                for (id, held) in &wanted {
                    if let Some(row) = stmt
                        .query_row(params![id, held, claim, now, after], session_from_row)
                        .optional()?
                    {
                        claimed.push(row);
                    }
                }
            }
            tx.commit()?;
            Ok(claimed)
        })
        .await
}

pub(super) async fn store_run_ids(
    store: &SqliteStore,
    claim: &str,
    runs: &[(SessionId, String)],
) -> Result<Vec<SessionId>> {
    let runs = runs.to_vec();
    let claim = claim.to_string();
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut stored = Vec::with_capacity(runs.len());
            {
                let mut stmt = tx.prepare_cached(
                    "UPDATE teaching_sessions SET scheduled_task_id = ?2, updated_at = ?4 \
                 WHERE id = ?1 AND (scheduled_task_id = ?3 OR scheduled_task_id = ?2)",
                )?;
                let now = db_now();
                for (id, run) in &runs {
                    if stmt.execute(params![id, run, claim, now])? > 0 {
                        stored.push(*id);
                    }
                }
            }
            tx.commit()?;
            Ok(stored)
        })
        .await
}

pub(super) async fn release_claim(
    store: &SqliteStore,
    claim: &str,
    ids: &[SessionId],
) -> Result<()> {
    let ids = ids.to_vec();
    let claim = claim.to_string();
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut stmt = tx.prepare_cached(
                    "UPDATE teaching_sessions SET scheduled_task_id = NULL, updated_at = ?3 \
                 WHERE id = ?1 AND scheduled_task_id = ?2",
                )?;
                let now = db_now();
                for id in &ids {
                    stmt.execute(params![id, claim, now])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
}

pub(super) async fn unscheduled_open(
    store: &SqliteStore,
    after: DateTime<Utc>,
    stale_claims_before: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<TeachingSession>> {
    let after = enc_instant(after, "instant")?;
    let stale = enc_instant(stale_claims_before, "instant")?;
    let limit = sql_limit(limit.clamp(1, PAGE_SIZE));
    // GLOB, not LIKE: LIKE ignores ASCII case in SQLite, PostgreSQL's LIKE does not.
    let claim = format!("{CLAIM_PREFIX}*");
    let run = uuid_glob();
    let local_run = format!("{LOCAL_RUN_PREFIX}*");
    store
        .call(move |conn| {
            // The third branch is `TaskRef::Legacy`: set, and neither a claim nor a run id.
            let sql = format!(
                "SELECT {SESSION_COLUMNS} FROM teaching_sessions \
             WHERE status = 'Open' AND closes_at > ?1 \
               AND (scheduled_task_id IS NULL \
                    OR (scheduled_task_id GLOB ?3 AND updated_at < ?2) \
                    OR (scheduled_task_id NOT GLOB ?3 AND scheduled_task_id NOT GLOB ?5 \
                        AND scheduled_task_id NOT GLOB ?6)) \
             ORDER BY closes_at, id LIMIT ?4"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![after, stale, claim, limit, run, local_run],
                session_from_row,
            )?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
}

pub(super) async fn next_closing(
    store: &SqliteStore,
    after: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let path = store.inner.path.clone();
    let after = enc_instant(after, "time")?;
    store
        .call(move |conn| {
            let next: Option<String> = conn
                .prepare_cached(
                    "SELECT min(closes_at) FROM teaching_sessions \
                 WHERE status = 'Open' AND closes_at > ?1",
                )?
                .query_row([&after], |r| r.get(0))?;
            next.map(|raw| {
                parse_instant(&raw).ok_or_else(|| {
                Fail::App(Error::Backend(format!(
                    "the local data file {} holds a value attctl cannot read: closes_at {raw:?}",
                    path.display()
                )))
            })
            })
            .transpose()
        })
        .await
}

pub(super) async fn run_health(
    store: &SqliteStore,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<crate::store::RunHealth> {
    let since = enc_instant(since, "time")?;
    let until = enc_instant(until, "time")?;
    store
        .call(move |conn| {
            let (taken, missed): (i64, i64) = conn
                .prepare_cached(
                    "SELECT \
                   coalesce(sum(closed_by = 'auto'), 0), \
                   coalesce(sum(scheduled_task_id GLOB \
                     '????????-????-????-????-????????????' \
                     AND (status = 'Open' OR closed_by = 'sweep')), 0) \
                 FROM teaching_sessions WHERE closes_at >= ?1 AND closes_at <= ?2",
                )?
                .query_row([&since, &until], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(crate::store::RunHealth {
                taken: taken.max(0) as u64,
                missed: missed.max(0) as u64,
            })
        })
        .await
}

pub(super) async fn open_past_end(
    store: &SqliteStore,
    before: DateTime<Utc>,
    class_id: Option<crate::session::ClassId>,
    after_id: Option<SessionId>,
    limit: usize,
) -> Result<Vec<TeachingSession>> {
    let before = enc_instant(before, "time")?;
    let limit = sql_limit(limit.clamp(1, PAGE_SIZE));
    store
        .call(move |conn| {
            let sql = format!(
                "SELECT {SESSION_COLUMNS} FROM teaching_sessions \
             WHERE status = 'Open' AND closes_at <= ?1 AND id > ?2 \
               AND (?4 IS NULL OR class_id = ?4) ORDER BY id LIMIT ?3"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![before, after_id.unwrap_or(i64::MIN), limit, class_id],
                session_from_row,
            )?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
}
