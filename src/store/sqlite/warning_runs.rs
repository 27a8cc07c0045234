//! The ids of planned warning runs (`session_warning_runs`), kept and taken back in one
//! IMMEDIATE transaction per call.

use super::*;
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

pub(super) async fn missing(
    store: &SqliteStore,
    offsets_seconds: &[u32],
    after: DateTime<Utc>,
    settled_before: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<(SessionId, u32)>> {
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
