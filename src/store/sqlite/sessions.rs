//! Creating, listing, moving, closing and deleting teaching sessions.

use super::drift::OverdueCandidate;
use super::*;

/// WHERE terms and their parameters for a listing filter (the cursor is added separately).
pub(super) fn filter_terms(f: &SessionFilter) -> Result<(Vec<&'static str>, Vec<Value>)> {
    let mut terms = Vec::new();
    let mut args = Vec::new();
    if let Some(class) = f.class_id {
        terms.push("class_id = ?");
        args.push(Value::Integer(class));
    }
    if let Some(date) = f.date {
        terms.push("session_date = ?");
        args.push(Value::Text(enc_date(date)?));
    }
    if let Some(from) = f.from {
        terms.push("session_date >= ?");
        args.push(Value::Text(enc_date(from)?));
    }
    if let Some(to) = f.to {
        terms.push("session_date <= ?");
        args.push(Value::Text(enc_date(to)?));
    }
    // Spelt as a constant: SQLite uses an index whose WHERE is `status = 'Open'` only for a
    // query that says so in its text (a bound parameter does not count).
    match f.status {
        Some(Status::Open) => terms.push("status = 'Open'"),
        Some(Status::Closed) => terms.push("status = 'Closed'"),
        None => {}
    }
    Ok((terms, args))
}

pub(super) fn where_clause(terms: &[&str]) -> String {
    if terms.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", terms.join(" AND "))
    }
}

impl SqliteStore {
    /// The conditional close: Open, due by `due_by` if given, and still closing at
    /// `planned` if given (instants are stored in one fixed format, so equality holds).
    pub(super) async fn close_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
        planned: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        if planned.is_none() {
            self.trace_write(StoreWrite::CloseIfOpen {
                id,
                closed_by,
                now,
                due_by,
            });
        }
        let closed_at = enc_instant(now, "closing time")?;
        let due_by = due_by.map(|d| enc_instant(d, "due time")).transpose()?;
        let planned = planned
            .map(|d| enc_instant(d, "planned closing time"))
            .transpose()?;
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let sql = format!(
                "UPDATE teaching_sessions \
                 SET status = 'Closed', closed_at = ?2, closed_by = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND status = 'Open' AND (?5 IS NULL OR closes_at <= ?5) \
                 AND (?6 IS NULL OR closes_at = ?6) \
                 RETURNING {SESSION_COLUMNS}"
            );
            let closed = tx
                .prepare_cached(&sql)?
                .query_row(
                    params![id, closed_at, closed_by.as_str(), db_now(), due_by, planned],
                    session_from_row,
                )
                .optional()?;
            tx.commit()?;
            Ok(closed)
        })
        .await
    }
}

pub(super) async fn reschedule_counts(
    store: &SqliteStore,
    ids: &[SessionId],
) -> Result<std::collections::HashMap<SessionId, u32>> {
    let ids = ids.to_vec();
    store
        .call(move |conn| {
            let tx = conn.transaction()?;
            let mut counts = std::collections::HashMap::with_capacity(ids.len());
            for chunk in ids.chunks(IDS_PER_QUERY) {
                let marks = vec!["?"; chunk.len()].join(", ");
                let sql = format!(
                    "SELECT id, reschedule_count FROM teaching_sessions WHERE id IN ({marks})"
                );
                let mut stmt = tx.prepare(&sql)?;
                let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
                    Ok((r.get::<_, SessionId>(0)?, r.get::<_, u32>(1)?))
                })?;
                for row in rows {
                    let (id, n) = row?;
                    counts.insert(id, n);
                }
            }
            Ok(counts)
        })
        .await
}

/// Session types are the original app's column; a local data file has none, and dropping
/// `--type` silently would store something else than asked.
fn refuse_session_type(new: &[NewSession]) -> Result<()> {
    if new.iter().any(|n| n.session_type.is_some()) {
        return Err(Error::invalid(
            "--type: the local store has no session types (they belong to the original \
             app's database on Supabase); leave --type out",
        ));
    }
    Ok(())
}

#[async_trait]
impl Sessions for SqliteStore {
    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession> {
        let store = self;
        refuse_session_type(std::slice::from_ref(new))?;
        store.trace_write(StoreWrite::Insert(new));
        let class_id = new.class_id;
        let (date, start) = (new.session_date, new.start_time);
        let args = (
            class_id,
            enc_date(date)?,
            enc_time(start),
            enc_time(new.end_time),
            new.timezone.clone(),
            enc_instant(new.closes_at, "closing instant")?,
            new.scheduled_task_id.clone(),
        );
        let allow_overlap = new.allow_overlap;
        store
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let now = db_now();
                let (class, date_s, start_s, end_s, zone, closes, run) = &args;
                if !allow_overlap
                    && let Some(other) = overlapping(&tx, *class, date_s, start_s, end_s, None)?
                {
                    return Err(Fail::App(other));
                }
                let sql = format!(
                    "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, scheduled_task_id, created_at, updated_at, allow_overlap) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8, ?7, ?7, ?9) RETURNING {SESSION_COLUMNS}"
                );
                let session = tx
                    .prepare_cached(&sql)?
                    .query_row(
                        params![
                            class,
                            date_s,
                            start_s,
                            end_s,
                            zone,
                            closes,
                            now,
                            run,
                            allow_overlap
                        ],
                        session_from_row,
                    )
                    .map_err(|e| match constraint_code(&e) {
                        Some(ffi::SQLITE_CONSTRAINT_UNIQUE) => {
                            Fail::App(duplicate_session(class_id, date, start))
                        }
                        Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => Fail::App(Error::NotFound {
                            what: "class",
                            id: class_id.to_string(),
                        }),
                        _ => Fail::Db(e),
                    })?;
                tx.commit()?;
                Ok(session)
            })
            .await
    }

    async fn insert_sessions(&self, new: &[NewSession]) -> Result<Vec<TeachingSession>> {
        let store = self;
        refuse_session_type(new)?;
        type Args = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
        );
        let mut rows: Vec<Args> = Vec::with_capacity(new.len());
        for n in new {
            let (status, closed_at, closed_by) = match &n.closed {
                None => (Status::Open, None, None),
                Some(h) => (
                    h.status,
                    h.closed_at
                        .map(|t| enc_instant(t, "closed_at"))
                        .transpose()?,
                    h.closed_by.map(|b| b.as_str().to_string()),
                ),
            };
            rows.push((
                n.class_id,
                enc_date(n.session_date)?,
                enc_time(n.start_time),
                enc_time(n.end_time),
                n.timezone.clone(),
                enc_instant(n.closes_at, "closing instant")?,
                n.scheduled_task_id.clone(),
                status.as_str().to_string(),
                closed_at,
                closed_by,
            ));
        }
        let mut inserted = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(INSERT_CHUNK) {
            let chunk = chunk.to_vec();
            let mut part = store
                .call(move |conn| {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let now = db_now();
                    // A Closed row without a closing instant gets the import's time, as the
                    // Supabase trigger does.
                    let sql = format!(
                        "INSERT INTO teaching_sessions (class_id, session_date, start_time, \
                         end_time, timezone, closes_at, scheduled_task_id, status, closed_at, \
                         closed_by, created_at, updated_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                         CASE WHEN ?8 = 'Closed' THEN coalesce(?9, ?11) END, ?10, ?11, ?11) \
                         ON CONFLICT (class_id, session_date, start_time) DO NOTHING \
                         RETURNING {SESSION_COLUMNS}"
                    );
                    let mut out = Vec::with_capacity(chunk.len());
                    {
                        let mut stmt = tx.prepare_cached(&sql)?;
                        for (class, date, start, end, zone, closes, run, status, cat, cby) in &chunk
                        {
                            let row = stmt
                                .query_row(
                                    params![
                                        class, date, start, end, zone, closes, run, status, cat,
                                        cby, now
                                    ],
                                    session_from_row,
                                )
                                .optional()
                                .map_err(|e| match constraint_code(&e) {
                                    Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => {
                                        Fail::App(Error::NotFound {
                                            what: "class",
                                            id: class.to_string(),
                                        })
                                    }
                                    _ => Fail::Db(e),
                                })?;
                            out.extend(row);
                        }
                    }
                    tx.commit()?;
                    Ok(out)
                })
                .await?;
            inserted.append(&mut part);
        }
        Ok(inserted)
    }

    async fn import_sessions(
        &self,
        rows: &[NewSession],
        skip_holidays: bool,
        write: bool,
    ) -> Result<Option<Vec<crate::store::ImportAnswer>>> {
        super::import::import_chunk(self, rows, skip_holidays, write).await
    }

    async fn delete_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let store = self;
        let mut done = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let chunk = chunk.to_vec();
            let mut part = store
                .call(move |conn| {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let marks = vec!["?"; chunk.len()].join(",");
                    let sql = format!(
                        "DELETE FROM teaching_sessions WHERE id IN ({marks}) \
                         RETURNING {SESSION_COLUMNS}"
                    );
                    let rows = {
                        let mut stmt = tx.prepare(&sql)?;
                        stmt.query_map(rusqlite::params_from_iter(chunk.iter()), session_from_row)?
                            .collect::<rusqlite::Result<Vec<_>>>()?
                    };
                    tx.commit()?;
                    Ok(rows)
                })
                .await?;
            done.append(&mut part);
        }
        done.sort_by_key(|s| s.id);
        Ok(done)
    }

    async fn close_sessions(
        &self,
        ids: &[SessionId],
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let store = self;
        let closed_at = enc_instant(now, "closing time")?;
        let mut done = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let chunk = chunk.to_vec();
            let closed_at = closed_at.clone();
            let mut part = store
                .call(move |conn| {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let marks = vec!["?"; chunk.len()].join(",");
                    let sql = format!(
                        "UPDATE teaching_sessions \
                         SET status = 'Closed', closed_at = ?, closed_by = ?, updated_at = ? \
                         WHERE status = 'Open' AND id IN ({marks}) RETURNING {SESSION_COLUMNS}"
                    );
                    let mut args: Vec<Value> = vec![
                        Value::Text(closed_at.clone()),
                        Value::Text(closed_by.as_str().to_string()),
                        Value::Text(db_now()),
                    ];
                    args.extend(chunk.iter().map(|id| Value::Integer(*id)));
                    let rows = {
                        let mut stmt = tx.prepare(&sql)?;
                        stmt.query_map(rusqlite::params_from_iter(args.iter()), session_from_row)?
                            .collect::<rusqlite::Result<Vec<_>>>()?
                    };
                    tx.commit()?;
                    Ok(rows)
                })
                .await?;
            done.append(&mut part);
        }
        done.sort_by_key(|s| s.id);
        Ok(done)
    }

    async fn reschedule_counts(
        &self,
        ids: &[SessionId],
    ) -> Result<std::collections::HashMap<SessionId, u32>> {
        reschedule_counts(self, ids).await
    }

    async fn get_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let store = self;
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        store
            .call(move |conn| {
                // One read transaction: every chunk sees the same snapshot.
                let tx = conn.transaction()?;
                let mut found = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(IDS_PER_QUERY) {
                    let marks = vec!["?"; chunk.len()].join(", ");
                    let sql = format!(
                        "SELECT {SESSION_COLUMNS} FROM teaching_sessions WHERE id IN ({marks}) \
                     ORDER BY id"
                    );
                    let mut stmt = tx.prepare(&sql)?;
                    let rows = stmt.query_map(params_from_iter(chunk.iter()), session_from_row)?;
                    for row in rows {
                        found.push(row?);
                    }
                }
                drop(tx);
                Ok(found)
            })
            .await
    }

    async fn list_sessions(
        &self,
        filter: &SessionFilter,
        after: Option<&Cursor>,
        limit: usize,
        with_total: bool,
    ) -> Result<SessionPage> {
        let store = self;
        let limit = limit.clamp(1, PAGE_SIZE);
        let (terms, args) = filter_terms(filter)?;
        let count_sql = format!(
            "SELECT count(*) FROM teaching_sessions{}",
            where_clause(&terms)
        );
        let mut page_terms = terms;
        let mut page_args = args.clone();
        if let Some(c) = after {
            // Row-value comparison: strictly after the cursor in list order, and SQLite
            // seeks the (session_date, start_time, id) index to it.
            page_terms.push("(session_date, start_time, id) > (?, ?, ?)");
            page_args.push(Value::Text(enc_date(c.session_date)?));
            page_args.push(Value::Text(enc_time(c.start_time)));
            page_args.push(Value::Integer(c.id));
        }
        page_args.push(Value::Integer(sql_limit(limit)));
        let page_sql = format!(
            "SELECT {SESSION_COLUMNS} FROM teaching_sessions{} \
             ORDER BY session_date, start_time, id LIMIT ?",
            where_clause(&page_terms)
        );
        store
            .call(move |conn| {
                // The page and its total come from the same snapshot.
                let tx = conn.transaction()?;
                let rows = {
                    let mut stmt = tx.prepare_cached(&page_sql)?;
                    let rows =
                        stmt.query_map(params_from_iter(page_args.iter()), session_from_row)?;
                    rows.collect::<rusqlite::Result<Vec<_>>>()?
                };
                let total = if with_total {
                    let n: i64 = tx
                        .prepare_cached(&count_sql)?
                        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
                    Some(u64::try_from(n).unwrap_or(0))
                } else {
                    None
                };
                drop(tx);
                let next = rows.last().map(Cursor::after);
                Ok(SessionPage {
                    rows,
                    total,
                    skipped: Vec::new(),
                    next,
                })
            })
            .await
    }

    async fn close_if_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        let store = self;
        store.close_open(id, closed_by, now, due_by, None).await
    }

    async fn close_if_planned(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: DateTime<Utc>,
        planned: DateTime<Utc>,
    ) -> Result<Option<TeachingSession>> {
        let store = self;
        store
            .close_open(id, closed_by, now, Some(due_by), Some(planned))
            .await
    }

    async fn close_due_together(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let store = self;
        if until <= after {
            return Ok(Vec::new());
        }
        let after = enc_instant(after, "due time")?;
        let until = enc_instant(until, "due time")?;
        let closed_at = enc_instant(now, "closing time")?;
        store
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let closed = {
                    let mut stmt = tx.prepare_cached(&format!(
                        "UPDATE teaching_sessions \
                         SET status = 'Closed', closed_at = ?3, closed_by = ?4, updated_at = ?5 \
                         WHERE status = 'Open' AND closes_at > ?1 AND closes_at <= ?2 \
                         RETURNING {SESSION_COLUMNS}"
                    ))?;
                    let rows = stmt.query_map(
                        params![after, until, closed_at, closed_by.as_str(), db_now()],
                        session_from_row,
                    )?;
                    rows.collect::<rusqlite::Result<Vec<_>>>()?
                };
                tx.commit()?;
                Ok(closed)
            })
            .await
    }

    async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<OverdueClosed> {
        let store = self;
        if limit == 0 {
            return Ok(OverdueClosed::default());
        }
        // SQLite enforces every constraint on every row (nothing is NOT VALID here), so a
        // close cannot fail for one row: `failed` stays empty.
        let latest = enc_instant(cutoff.planned.max(cutoff.unplanned), "due time")?;
        let planned = enc_instant(cutoff.planned, "due time")?;
        let unplanned = enc_instant(cutoff.unplanned, "due time")?;
        let closed_at = enc_instant(now, "closing time")?;
        store
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                // The oldest `limit` overdue sessions, chosen and closed under the write lock: a
                // concurrent closer either sees them Closed or is not there yet.
                let candidates: Vec<OverdueCandidate> = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT id, session_date, start_time, end_time, timezone, closes_at, \
                                scheduled_task_id IS NULL OR scheduled_task_id LIKE 'claim:%' \
                         FROM teaching_sessions \
                         WHERE status = 'Open' AND closes_at <= ?1 \
                           AND (closes_at <= ?2 OR (closes_at <= ?3 AND \
                                (scheduled_task_id IS NULL OR scheduled_task_id LIKE 'claim:%'))) \
                         ORDER BY closes_at, id LIMIT ?4",
                    )?;
                    let rows = stmt.query_map(
                        params![latest, planned, unplanned, sql_limit(limit)],
                        |r| {
                            Ok(OverdueCandidate {
                                id: r.get(0)?,
                                date: r.get(1)?,
                                start: r.get(2)?,
                                end: r.get(3)?,
                                zone: r.get(4)?,
                                closes_at: r.get(5)?,
                                unplanned: r.get(6)?,
                            })
                        },
                    )?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                // The file is a documented place for hand edits (the sqlite3 shell): a closing
                // instant edited out of step with the session's own date, end time and zone
                // must not close a lesson early. Each candidate is checked against the instant
                // its wall-clock fields give; one that is not due by them is left Open and
                // named (`attctl doctor --repair` puts its closing instant back in step).
                let mut due = Vec::with_capacity(candidates.len());
                let mut failed = Vec::new();
                for c in candidates {
                    match c.true_closing_instant() {
                        Some(real) if real == c.stored() => due.push(c.id),
                        Some(real) => {
                            let bound = if c.unplanned {
                                cutoff.planned.max(cutoff.unplanned)
                            } else {
                                cutoff.planned
                            };
                            if real <= bound {
                                due.push(c.id);
                            } else {
                                failed.push(crate::store::RowFailure {
                                    id: c.id,
                                    reason: format!(
                                        "closes_at {} is out of step with its date, end time and \
                                         zone ({}); left Open until then: `attctl doctor \
                                         --repair` fixes the stored instant",
                                        c.closes_at,
                                        real.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                                    ),
                                });
                            }
                        }
                        // Wall-clock fields attctl cannot read (a hand edit again): the stored
                        // instant is all there is.
                        None => due.push(c.id),
                    }
                }
                let mut closed: Vec<(String, SessionId)> = Vec::with_capacity(due.len());
                {
                    let mut stmt = tx.prepare_cached(
                        "UPDATE teaching_sessions \
                         SET status = 'Closed', closed_at = ?2, closed_by = ?3, updated_at = ?4 \
                         WHERE status = 'Open' AND id = ?1 RETURNING closes_at, id",
                    )?;
                    let stamp = db_now();
                    for id in due {
                        if let Some(row) = stmt
                            .query_row(params![id, closed_at, closed_by.as_str(), stamp], |r| {
                                Ok((r.get(0)?, r.get(1)?))
                            })
                            .optional()?
                        {
                            closed.push(row);
                        }
                    }
                }
                tx.commit()?;
                // Reported oldest first.
                closed.sort();
                Ok(OverdueClosed {
                    closed: closed.into_iter().map(|(_, id)| id).collect(),
                    failed,
                })
            })
            .await
    }

    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        let store = self;
        store.trace_write(StoreWrite::Delete(id));
        store
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let sql = format!(
                    "DELETE FROM teaching_sessions WHERE id = ?1 RETURNING {SESSION_COLUMNS}"
                );
                let deleted = tx
                    .prepare_cached(&sql)?
                    .query_row([id], session_from_row)
                    .optional()?;
                tx.commit()?;
                Ok(deleted)
            })
            .await
    }

    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>> {
        let store = self;
        store.trace_write(StoreWrite::UpdateTimes { id, update });
        let t = &update.times;
        let (date, start) = (t.session_date, t.start_time);
        let args = (
            update.expected_status.as_str(),
            enc_date(date)?,
            enc_time(start),
            enc_time(t.end_time),
            t.timezone.clone(),
            enc_instant(t.closes_at, "closing instant")?,
            update.reopen,
        );
        store
            .call(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                {
                    let (_, date_s, start_s, end_s, _, _, _) = &args;
                    let own: Option<(i64, bool)> = tx
                        .query_row(
                            "SELECT class_id, allow_overlap FROM teaching_sessions WHERE id = ?1",
                            params![id],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .optional()?;
                    if let Some((class, false)) = own
                        && let Some(other) = overlapping(&tx, class, date_s, start_s, end_s, Some(id))?
                    {
                        return Err(Fail::App(other));
                    }
                }
                let sql = format!(
                    "UPDATE teaching_sessions \
                 SET session_date = ?3, start_time = ?4, end_time = ?5, timezone = ?6, \
                     closes_at = ?7, updated_at = ?8, \
                     status = CASE WHEN ?9 THEN 'Open' ELSE status END, \
                     closed_at = CASE WHEN ?9 THEN NULL ELSE closed_at END, \
                     closed_by = CASE WHEN ?9 THEN NULL ELSE closed_by END \
                 WHERE id = ?1 AND status = ?2 RETURNING {SESSION_COLUMNS}"
                );
                let (expected, date_s, start_s, end_s, zone, closes, reopen) = &args;
                let updated = tx
                    .prepare_cached(&sql)?
                    .query_row(
                        params![
                            id,
                            expected,
                            date_s,
                            start_s,
                            end_s,
                            zone,
                            closes,
                            db_now(),
                            reopen
                        ],
                        session_from_row,
                    )
                    .optional()
                    .map_err(|e| {
                        if is_unique_violation(&e) {
                            // Word for word what the PostgREST store says in this case.
                            Fail::App(Error::Conflict(format!(
                                "session {id}'s class already has a session on {date} starting at {}",
                                start.format(TIME_FORMAT)
                            )))
                        } else {
                            Fail::Db(e)
                        }
                    })?;
                tx.commit()?;
                Ok(updated)
            })
            .await
    }
}
