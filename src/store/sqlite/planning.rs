//! What the schedulers and the sweep ask: claims for planning, run ids, unscheduled and
//! overdue sessions, the next closing instant and run health.

use super::*;

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

use crate::store::WarningRun;

pub(super) async fn add_warning_runs(
    store: &SqliteStore,
    runs: &[WarningRun],
) -> Result<Vec<WarningRun>> {
    store.trace_write(StoreWrite::AddWarningRuns(runs));
    let rows = runs
        .iter()
        .map(|r| Ok((r.clone(), enc_instant(r.closes_at, "closing instant")?)))
        .collect::<Result<Vec<_>>>()?;
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut kept = Vec::with_capacity(rows.len());
            {
                // A session deleted meanwhile keeps nothing (no foreign-key failure for
                // the whole call), and a key kept already keeps the first run.
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO session_warning_runs (session_id, offset_seconds, closes_at, run_id) \
                     SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM teaching_sessions WHERE id = ?1) \
                     ON CONFLICT DO NOTHING",
                )?;
                for (run, closes) in &rows {
                    if stmt.execute(params![run.session_id, run.offset_seconds, closes, run.run_id])? == 1 {
                        kept.push(run.clone());
                    }
                }
            }
            tx.commit()?;
            Ok(kept)
        })
        .await
}

pub(super) async fn take_warning_runs(
    store: &SqliteStore,
    ids: &[SessionId],
) -> Result<Vec<WarningRun>> {
    store.trace_write(StoreWrite::TakeWarningRuns(ids));
    let ids = ids.to_vec();
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut taken = Vec::new();
            {
                let mut stmt = tx.prepare_cached(
                    "DELETE FROM session_warning_runs WHERE session_id = ?1 \
                     RETURNING session_id, offset_seconds, closes_at, run_id",
                )?;
                for id in &ids {
                    let rows = stmt.query_map([id], warning_run_from_row)?;
                    for row in rows {
                        taken.push(row?);
                    }
                }
            }
            tx.commit()?;
            Ok(taken)
        })
        .await
}

pub(super) async fn of(store: &SqliteStore, ids: &[SessionId]) -> Result<Vec<WarningRun>> {
    let ids = ids.to_vec();
    store
        .call(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT session_id, offset_seconds, closes_at, run_id \
                 FROM session_warning_runs WHERE session_id = ?1",
            )?;
            let mut found = Vec::new();
            for id in &ids {
                let rows = stmt.query_map([id], warning_run_from_row)?;
                for row in rows {
                    found.push(row?);
                }
            }
            Ok(found)
        })
        .await
}

fn warning_run_from_row(r: &Row<'_>) -> rusqlite::Result<WarningRun> {
    Ok(WarningRun {
        session_id: r.get(0)?,
        offset_seconds: r.get(1)?,
        closes_at: text_col(r, 2, parse_instant)?,
        run_id: r.get(3)?,
    })
}

#[async_trait]
impl Planning for SqliteStore {
    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Result<Option<TeachingSession>> {
        let store = self;
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

    async fn claim_for_planning(
        &self,
        candidates: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let store = self;
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

    async fn store_run_ids(
        &self,
        claim: &str,
        runs: &[(SessionId, String)],
    ) -> Result<Vec<SessionId>> {
        let store = self;
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

    async fn release_claim(&self, claim: &str, ids: &[SessionId]) -> Result<()> {
        let store = self;
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

    async fn clear_run_ids(&self, runs: &[(SessionId, String)]) -> Result<Vec<SessionId>> {
        let store = self;
        let runs = runs.to_vec();
        store
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let mut cleared = Vec::with_capacity(runs.len());
                {
                    let mut stmt = tx.prepare_cached(
                        "UPDATE teaching_sessions SET scheduled_task_id = NULL, updated_at = ?3 \
                     WHERE id = ?1 AND scheduled_task_id = ?2",
                    )?;
                    let now = db_now();
                    for (id, run) in &runs {
                        if stmt.execute(params![id, run, now])? > 0 {
                            cleared.push(*id);
                        }
                    }
                }
                tx.commit()?;
                Ok(cleared)
            })
            .await
    }

    async fn unscheduled_open(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        let store = self;
        let after = enc_instant(after, "instant")?;
        let stale = enc_instant(stale_claims_before, "instant")?;
        let limit = sql_limit(limit.clamp(1, PAGE_SIZE));
        // GLOB, not LIKE: LIKE ignores ASCII case in SQLite, PostgreSQL's LIKE does not.
        let claim = format!("{CLAIM_PREFIX}*");
        store
            .call(move |conn| {
                // The partial index's term first, then the claims: a fresh one is another
                // worker's, a stale one (its worker died) is planned again.
                let sql = format!(
                    "SELECT {SESSION_COLUMNS} FROM teaching_sessions \
                 WHERE status = 'Open' AND {} AND closes_at > ?1 \
                   AND (scheduled_task_id IS NULL OR scheduled_task_id NOT GLOB ?3 \
                        OR updated_at < ?2) \
                 ORDER BY closes_at, id LIMIT ?4",
                    schema::runless_sessions()
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows = stmt.query_map(params![after, stale, claim, limit], session_from_row)?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }

    async fn next_closing(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let store = self;
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
        let offsets = serde_json::to_string(offsets_seconds)
            .map_err(|e| Error::Backend(format!("cannot encode the offsets: {e}")))?;
        let after = enc_instant(after, "instant")?;
        let settled = enc_instant(settled_before, "instant")?;
        let limit = sql_limit(limit.clamp(1, PAGE_SIZE));
        let run = uuid_glob();
        store
            .call(move |conn| {
                let mut stmt = conn.prepare_cached(
                    "SELECT s.id, o.value FROM teaching_sessions s, json_each(?1) o \
                     WHERE s.status = 'Open' AND s.closes_at > ?2 AND s.updated_at < ?3 \
                       AND s.scheduled_task_id GLOB ?4 \
                       AND NOT EXISTS (SELECT 1 FROM session_warning_runs w \
                           WHERE w.session_id = s.id AND w.offset_seconds = o.value \
                             AND w.closes_at = s.closes_at) \
                     ORDER BY s.closes_at, s.id, o.value LIMIT ?5",
                )?;
                let rows = stmt.query_map(params![offsets, after, settled, run, limit], |r| {
                    Ok((r.get::<_, SessionId>(0)?, r.get::<_, u32>(1)?))
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }
}
