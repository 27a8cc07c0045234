//! The session-event outbox: listing, claiming, finishing, retrying and pruning events, and
//! the closing-soon warnings.

use super::*;

/// Column order read by [`event_from_row`].
pub(super) const EVENT_COLUMNS: &str = "id, type, session_id, occurred_at, payload, state, deliveries, \
     attempts, next_attempt_at, last_error, delivered_at";

pub(super) fn event_from_row(row: &Row<'_>) -> rusqlite::Result<EventRecord> {
    Ok(EventRecord {
        id: row.get(0)?,
        kind: row.get(1)?,
        session_id: row.get(2)?,
        occurred_at: text_col(row, 3, parse_instant)?,
        payload: text_col(row, 4, parse_json)?,
        state: row.get(5)?,
        deliveries: text_col(row, 6, parse_json)?,
        attempts: row.get(7)?,
        next_attempt_at: text_col(row, 8, parse_instant)?,
        last_error: row.get(9)?,
        delivered_at: opt_text_col(row, 10, parse_instant)?,
    })
}

/// Inserts a `session.closing_soon` for one session and offset if the session is still Open,
/// still closes at `closes` and that is after `now`; the unique key makes a repeat (another
/// worker, another pass) a no-op. The state is checked in the inserting statement, so a close
/// or a move committed first wins.
pub(super) fn insert_warning(
    conn: &Connection,
    id: SessionId,
    offset_seconds: u32,
    closes: &str,
    now: &str,
    seconds_left: i64,
) -> rusqlite::Result<Option<String>> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let key = format!("{id}:{offset_seconds}:{closes}");
    conn.prepare_cached(
        "INSERT INTO session_events \
             (id, type, session_id, occurred_at, next_attempt_at, payload, dedupe_key) \
         SELECT ?1, 'session.closing_soon', s.id, ?2, ?2, \
             json_object('session', json_object('id', s.id, 'class_id', s.class_id, \
                 'session_date', s.session_date, 'start_time', s.start_time, \
                 'end_time', s.end_time, 'status', s.status, \
                 'scheduled_task_id', s.scheduled_task_id, 'timezone', s.timezone, \
                 'closes_at', s.closes_at, 'closed_at', s.closed_at, \
                 'closed_by', s.closed_by, 'created_at', s.created_at, \
                 'updated_at', s.updated_at, 'class_name', \
                 (SELECT c.name FROM classes c WHERE c.id = s.class_id)), \
                 'seconds_left', ?5, 'offset_seconds', ?6), ?4 \
         FROM teaching_sessions s \
         WHERE s.id = ?3 AND s.status = 'Open' AND s.closes_at = ?7 AND s.closes_at > ?2 \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )?
    .query_row(
        params![uuid, now, id, key, seconds_left, offset_seconds, closes],
        |r| r.get(0),
    )
    .optional()
}

/// Settles as expired the pending warnings that can no longer be of use: their session is
/// gone, closed, moved to another closing instant, or past its end. A warning held by a
/// live claim is left to its worker, which checks the end itself. A warning's key is
/// `<session>:<offset>:<closing instant>` ([`insert_warning`]): it names the instant the
/// warning was recorded for, without reading (or failing on) the payload.
const EXPIRE_WARNINGS: &str = "UPDATE session_events SET state = 'expired', \
     claimed_by = NULL, claimed_until = NULL \
     WHERE state = 'pending' AND type = 'session.closing_soon' \
       AND (claimed_until IS NULL OR claimed_until < ?1) \
       AND NOT EXISTS (SELECT 1 FROM teaching_sessions s \
           WHERE s.id = session_events.session_id AND s.status = 'Open' AND s.closes_at > ?1 \
             AND session_events.dedupe_key GLOB s.id || ':*:' || s.closes_at)";

#[async_trait]
impl Outbox for SqliteStore {
    async fn poll_changes(&self, watch: &mut ChangeWatch) -> Result<bool> {
        // Changes when another connection commits (this store's own writes leave it
        // alone): read from the WAL index in shared memory, no page of the file is read.
        let version: i64 = self
            .call(|conn| Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?))
            .await?;
        let changed = watch.data_version != Some(version);
        watch.data_version = Some(version);
        Ok(changed)
    }

    async fn look(
        &self,
        watch: &mut ChangeWatch,
        overdue_before: DateTime<Utc>,
        closing_after: DateTime<Utc>,
    ) -> Result<Look> {
        let path = self.inner.path.clone();
        let before = enc_instant(overdue_before, "time")?;
        let after = enc_instant(closing_after, "time")?;
        let page = sql_limit(StoreState::OVERDUE_PAGE);
        let (version, state) = self
            .call(move |conn| {
                // As poll_changes: from the WAL index in shared memory. The reads below are
                // answered from this connection's page cache while nobody wrote.
                let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                let instant = |raw: String| {
                    parse_instant(&raw).ok_or_else(|| {
                        Fail::App(Error::Backend(format!(
                            "the local data file {} holds a value attctl cannot read: {raw:?}",
                            path.display()
                        )))
                    })
                };
                let overdue = {
                    let mut stmt = conn.prepare_cached(
                        "SELECT id FROM teaching_sessions \
                         WHERE status = 'Open' AND closes_at <= ?1 \
                         ORDER BY closes_at DESC, id DESC LIMIT ?2",
                    )?;
                    let rows = stmt.query_map(params![before, page], |r| r.get(0))?;
                    rows.collect::<rusqlite::Result<Vec<SessionId>>>()?
                };
                let next_closing: Option<String> = conn
                    .prepare_cached(
                        "SELECT min(closes_at) FROM teaching_sessions \
                         WHERE status = 'Open' AND closes_at > ?1",
                    )?
                    .query_row([&after], |r| r.get(0))?;
                // What claim_events would take first (the same conditions), due or not.
                let now = db_now();
                let next_delivery: Option<String> = conn
                    .prepare_cached(
                        "SELECT min(p.next_attempt_at) FROM session_events p \
                         WHERE p.state = 'pending' \
                           AND (p.claimed_until IS NULL OR p.claimed_until < ?1) \
                           AND NOT EXISTS (SELECT 1 FROM session_events q \
                               WHERE q.state = 'pending' AND q.session_id = p.session_id \
                                 AND (q.occurred_at < p.occurred_at \
                                      OR (q.occurred_at = p.occurred_at AND q.rowid < p.rowid)))",
                    )?
                    .query_row([&now], |r| r.get(0))?;
                let deliver_now = next_delivery.as_deref().is_some_and(|n| *n <= *now);
                let state = StoreState {
                    overdue,
                    next_closing: next_closing.map(instant).transpose()?,
                    deliver_now,
                    next_delivery: next_delivery.map(instant).transpose()?,
                };
                Ok((version, state))
            })
            .await?;
        let changed = watch.data_version != Some(version);
        watch.data_version = Some(version);
        Ok(Look {
            changed,
            state: Some(state),
        })
    }

    async fn list_events(&self, filter: &EventFilter, limit: usize) -> Result<Vec<EventRecord>> {
        let store = self;
        let since = filter
            .since
            .map(|t| enc_instant(t, "--since"))
            .transpose()?;
        let kind = filter.kind.clone();
        let state = filter.state.clone();
        let limit = sql_limit(limit);
        let order = if filter.newest_first {
            "occurred_at DESC, id DESC"
        } else {
            "occurred_at, id"
        };
        store
            .call(move |conn| {
                let sql = format!(
                    "SELECT {EVENT_COLUMNS} FROM session_events \
                 WHERE (?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR type = ?2) \
                   AND (?3 IS NULL OR state = ?3) \
                 ORDER BY {order} LIMIT ?4"
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows = stmt.query_map(params![since, kind, state, limit], event_from_row)?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }

    async fn claim_events(
        &self,
        worker: &str,
        lease_seconds: u32,
        max: usize,
        types: &[String],
    ) -> Result<Vec<EventRecord>> {
        let store = self;
        let worker = worker.to_string();
        let types = serde_json::to_string(types)
            .map_err(|e| Error::Backend(format!("cannot encode event types: {e}")))?;
        let limit = sql_limit(max);
        let lease = i64::from(lease_seconds);
        store
            .call(move |conn| {
                let now = Utc::now();
                let now_s = now.format(INSTANT_FORMAT).to_string();
                let until = (now + chrono::Duration::seconds(lease))
                    .format(INSTANT_FORMAT)
                    .to_string();
                // One write transaction: the file lock makes two workers' claims disjoint.
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                // Nothing to send them to: settled as skipped, so that they neither wait
                // forever nor read as delivered.
                tx.execute(
                    "UPDATE session_events SET state = 'skipped', \
                     claimed_by = NULL, claimed_until = NULL \
                 WHERE state = 'pending' AND type NOT IN (SELECT value FROM json_each(?1))",
                    params![types],
                )?;
                tx.execute(EXPIRE_WARNINGS, params![now_s])?;
                // One session's events go out in order: an event waits while an earlier one of
                // its session is pending (rowid breaks ties of one statement's triggers).
                let sql = format!(
                    "UPDATE session_events SET claimed_by = ?1, claimed_until = ?2 \
                 WHERE id IN (SELECT p.id FROM session_events p \
                              WHERE p.state = 'pending' AND p.next_attempt_at <= ?3 \
                                AND (p.claimed_until IS NULL OR p.claimed_until < ?3) \
                                AND NOT EXISTS (SELECT 1 FROM session_events q \
                                    WHERE q.state = 'pending' AND q.session_id = p.session_id \
                                      AND (q.occurred_at < p.occurred_at \
                                           OR (q.occurred_at = p.occurred_at AND q.rowid < p.rowid))) \
                              ORDER BY p.next_attempt_at, p.occurred_at LIMIT ?4) \
                 RETURNING {EVENT_COLUMNS}"
                );
                let claimed = {
                    let mut stmt = tx.prepare_cached(&sql)?;
                    let rows = stmt.query_map(params![worker, until, now_s, limit], event_from_row)?;
                    rows.collect::<rusqlite::Result<Vec<_>>>()?
                };
                tx.commit()?;
                Ok(claimed)
            })
            .await
    }

    async fn finish_event(&self, id: &str, worker: &str, outcome: &EventOutcome) -> Result<bool> {
        let store = self;
        let id = id.to_string();
        let worker = worker.to_string();
        let state = outcome.state.clone();
        let deliveries = outcome.deliveries.to_string();
        let attempts = outcome.attempts;
        let next = enc_instant(outcome.next_attempt_at, "next attempt")?;
        let error = outcome.last_error.clone();
        let delivered = outcome
            .delivered_at
            .map(|t| enc_instant(t, "delivered_at"))
            .transpose()?;
        store
            .call(move |conn| {
                let n = conn
                    .prepare_cached(
                        "UPDATE session_events SET state = ?3, deliveries = ?4, attempts = ?5, \
                         next_attempt_at = ?6, last_error = ?7, delivered_at = ?8, \
                         claimed_by = NULL, claimed_until = NULL \
                     WHERE id = ?1 AND claimed_by = ?2",
                    )?
                    .execute(params![
                        id, worker, state, deliveries, attempts, next, error, delivered
                    ])?;
                Ok(n == 1)
            })
            .await
    }

    async fn retry_events(&self, which: &RetrySelection) -> Result<Vec<String>> {
        let store = self;
        let which = which.clone();
        store
            .call(move |conn| {
                let now = db_now();
                let (cond, arg) = match &which {
                    RetrySelection::One(id) => ("id = ?2", Some(id.clone())),
                    RetrySelection::AllFailed => ("state = 'failed' AND ?2 IS NULL", None),
                };
                let sql = format!(
                    "UPDATE session_events SET state = 'pending', next_attempt_at = ?1, \
                     attempts = 0, claimed_by = NULL, claimed_until = NULL, delivered_at = NULL \
                 WHERE {cond} RETURNING id"
                );
                let mut stmt = conn.prepare(&sql)?;
                let rows = stmt.query_map(params![now, arg], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })
            .await
    }

    async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let store = self;
        let before = enc_instant(before, "retention cutoff")?;
        store
            .call(move |conn| {
                let n = conn
                    .prepare_cached(
                        "DELETE FROM session_events \
                         WHERE state IN ('delivered', 'skipped', 'expired') AND occurred_at < ?1",
                    )?
                    .execute([&before])?;
                // Warning runs of instants this old fired long ago.
                conn.prepare_cached("DELETE FROM session_warning_runs WHERE closes_at < ?1")?
                    .execute([&before])?;
                Ok(u64::try_from(n).unwrap_or(u64::MAX))
            })
            .await
    }

    async fn record_warning(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let store = self;
        let closes = enc_instant(closes_at, "closing instant")?;
        store
            .call(move |conn| {
                let now = Utc::now();
                let now_s = now.format(INSTANT_FORMAT).to_string();
                let left = (closes_at - now).num_seconds().max(0);
                let recorded = insert_warning(conn, id, offset_seconds, &closes, &now_s, left)?;
                Ok(recorded)
            })
            .await
    }

    async fn record_due_warnings(&self, offsets_seconds: &[u32]) -> Result<Vec<String>> {
        let store = self;
        let offsets = offsets_seconds.to_vec();
        if offsets.is_empty() {
            return Ok(Vec::new());
        }
        store
            .call(move |conn| {
                let now = Utc::now();
                let now_s = now.format(INSTANT_FORMAT).to_string();
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let mut ids = Vec::new();
                for offset in &offsets {
                    let until = (now + chrono::Duration::seconds(i64::from(*offset)))
                        .format(INSTANT_FORMAT)
                        .to_string();
                    let due: Vec<(SessionId, String)> = {
                        let mut stmt = tx.prepare_cached(
                            "SELECT id, closes_at FROM teaching_sessions \
                         WHERE status = 'Open' AND closes_at > ?1 AND closes_at <= ?2",
                        )?;
                        let rows =
                            stmt.query_map(params![now_s, until], |r| Ok((r.get(0)?, r.get(1)?)))?;
                        rows.collect::<rusqlite::Result<Vec<_>>>()?
                    };
                    for (id, closes) in due {
                        let left = parse_instant(&closes)
                            .map(|c| (c - now).num_seconds().max(0))
                            .unwrap_or(0);
                        if let Some(new_id) =
                            insert_warning(&tx, id, *offset, &closes, &now_s, left)?
                        {
                            ids.push(new_id);
                        }
                    }
                }
                tx.commit()?;
                Ok(ids)
            })
            .await
    }
}
