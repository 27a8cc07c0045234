//! Creating, listing, moving, closing and deleting teaching sessions.

use super::*;

/// Times a bulk insert refused by the exclusion constraint is sent again (a concurrent
/// writer of the same rows; see `insert_sessions`).
const OVERLAP_RACE_RETRIES: usize = 2;

pub(super) async fn reschedule_counts(
    store: &PostgrestStore,
    ids: &[SessionId],
) -> Result<std::collections::HashMap<SessionId, u32>> {
    #[derive(Deserialize)]
    struct Count {
        id: SessionId,
        reschedule_count: u32,
    }
    let mut counts = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_REQUEST) {
        let req = Request::new(Method::GET, SESSIONS)
            .query("select", "id,reschedule_count")
            .query("id", Filter::in_list(chunk.iter().map(|i| i.to_string())));
        let rows: Vec<Count> = store.rows(req).await?;
        counts.extend(rows.into_iter().map(|c| (c.id, c.reschedule_count)));
    }
    Ok(counts)
}

/// PostgREST's answer to a write naming a column the table lacks (PGRST204, or 42703 from
/// PostgreSQL): here `session_type`, which only the original app's database has.
fn lacks_session_type(api: &super::client::ApiError) -> bool {
    matches!(api.code(), "PGRST204" | "42703")
        && api
            .message
            .as_deref()
            .is_some_and(|m| m.contains("session_type"))
}

fn no_session_types() -> Error {
    Error::invalid(
        "--type: this database has no teaching_sessions.session_type column (only the \
         original app's database has session types); leave --type out",
    )
}

#[async_trait]
impl Sessions for PostgrestStore {
    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession> {
        let store = self;
        let req = writes::insert(new)?;
        match store.client.send(&req).await {
            Ok(resp) => resp.json(),
            Err(ClientError::Unanswered(e)) => store.read_back_insert(new, e).await,
            Err(ClientError::Api(api)) if api.code() == "23505" => Err(duplicate_session(
                new.class_id,
                new.session_date,
                new.start_time.format("%H:%M:%S"),
            )),
            Err(ClientError::Api(api)) if api.code() == "23503" => Err(Error::NotFound {
                what: "class",
                id: new.class_id.to_string(),
            }),
            Err(ClientError::Api(api)) if lacks_session_type(&api) => Err(no_session_types()),
            Err(ClientError::Api(api)) if api.code() == "23P01" => Err(store
                .overlap_error(
                    new.class_id,
                    new.session_date,
                    new.start_time,
                    new.end_time,
                    None,
                )
                .await),
            Err(e) => Err(e.into()),
        }
    }

    async fn insert_sessions(&self, new: &[NewSession]) -> Result<Vec<TeachingSession>> {
        let store = self;
        let mut inserted = Vec::with_capacity(new.len());
        for chunk in new.chunks(INSERT_CHUNK) {
            let body = serde_json::to_value(chunk)
                .map_err(|e| Error::Backend(format!("cannot encode the sessions: {e}")))?;
            // One statement per chunk: all or nothing. Rows whose (class, date, start)
            // exists are skipped by the unique key and not returned.
            // `--type` adds its column; without it the database's default applies (and a
            // database without the column still takes the import).
            let columns = if chunk.iter().any(|n| n.session_type.is_some()) {
                format!("{INSERT_COLUMNS},session_type")
            } else {
                INSERT_COLUMNS.to_string()
            };
            let req = Request::new(Method::POST, SESSIONS)
                .query("columns", columns)
                .query("on_conflict", "class_id,session_date,start_time")
                .prefer("return=representation")
                .prefer("missing=default")
                .prefer("resolution=ignore-duplicates")
                .body(body);
            // Two writers of the same rows at once: the unique key skips what the other has
            // committed, but the exclusion constraint (checked beside it) may refuse the
            // chunk while the other's rows are still uncommitted. The statement wrote
            // nothing, so once the other has committed the same chunk goes through (its
            // rows are skipped); a real overlap is refused again.
            let mut answer = store.client.send(&req).await;
            for _ in 0..OVERLAP_RACE_RETRIES {
                match &answer {
                    Err(ClientError::Api(api)) if api.code() == "23P01" => {
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        answer = store.client.send(&req).await;
                    }
                    _ => break,
                }
            }
            match answer {
                Ok(resp) => {
                    let page = decode_sessions(&resp.body.0)?;
                    if let Some(bad) = page.skipped.first() {
                        return Err(unreadable(bad));
                    }
                    inserted.extend(page.rows);
                }
                Err(ClientError::Unanswered(e)) => {
                    return Err(Error::Unavailable(format!(
                        "Supabase did not answer a bulk insert of {} sessions ({e}); it may or \
                         may not have been written: run the same command again (sessions that \
                         exist are skipped)",
                        chunk.len()
                    )));
                }
                Err(ClientError::Api(api)) if api.code() == "23503" => {
                    return Err(Error::NotFound {
                        what: "class",
                        id: chunk
                            .first()
                            .map_or_else(String::new, |n| n.class_id.to_string()),
                    });
                }
                Err(ClientError::Api(api)) if lacks_session_type(&api) => {
                    return Err(no_session_types());
                }
                Err(ClientError::Api(api)) if api.code() == "42P10" => {
                    return Err(Error::Schema(
                        "teaching_sessions has no unique key on (class_id, session_date, \
                         start_time): run `attctl doctor` to see why"
                            .into(),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(inserted)
    }

    async fn import_sessions(
        &self,
        rows: &[NewSession],
        skip_holidays: bool,
        write: bool,
    ) -> Result<Option<Vec<ImportAnswer>>> {
        import_chunk(self, rows, skip_holidays, write).await
    }

    async fn delete_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let store = self;
        let mut done = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_REQUEST) {
            let req = Request::new(Method::DELETE, SESSIONS)
                .query("id", Filter::in_list(chunk.iter().map(|i| i.to_string())))
                .prefer("return=representation");
            let resp = store.client.send(&req).await.map_err(Error::from)?;
            done.extend(decode_sessions(&resp.body.0)?.rows);
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
        let mut done = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_REQUEST) {
            let req = Request::new(Method::PATCH, SESSIONS)
                .query("id", Filter::in_list(chunk.iter().map(|i| i.to_string())))
                .query("status", "eq.Open")
                .prefer("return=representation")
                .body(close_body(closed_by, now));
            let resp = store.client.send(&req).await.map_err(Error::from)?;
            done.extend(decode_sessions(&resp.body.0)?.rows);
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
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_REQUEST) {
            let req = Request::new(Method::GET, SESSIONS)
                .query("id", Filter::in_list(chunk.iter().map(|i| i.to_string())))
                .query("order", "id.asc");
            let resp = store.client.send(&req).await.map_err(Error::from)?;
            let page = decode_sessions(&resp.body.0)?;
            if let Some(bad) = page.skipped.first() {
                return Err(unreadable(bad));
            }
            found.extend(page.rows);
        }
        found.sort_by_key(|s| s.id);
        Ok(found)
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
        let mut req = apply_filter(Request::new(Method::GET, SESSIONS), filter)
            .query("order", LIST_ORDER)
            .query("limit", limit.to_string());
        if let Some(cursor) = after {
            // The `or` alone cannot bound an index scan: PostgREST's prepared statement gets
            // a generic plan that walks the (date, start, id) index from the first row and
            // filters, so page n read n pages of rows (O(n^2) over a listing; 8 ms of 10 per
            // page at 25,000 rows in). This redundant bound becomes the index condition.
            req = req
                .query("session_date", format!("gte.{}", cursor.session_date))
                .query("or", after_cursor(cursor));
        }
        if with_total {
            req = req.prefer("count=exact");
        }
        let resp = store.client.send(&req).await.map_err(Error::from)?;
        let page = decode_sessions(&resp.body.0)?;
        if page.next.is_none() && !page.skipped.is_empty() {
            // Nothing on this page could be placed in the list order: going on would fetch
            // the same rows again.
            return Err(unreadable(&page.skipped[0]));
        }
        Ok(SessionPage {
            rows: page.rows,
            total: if with_total { resp.total() } else { None },
            skipped: page.skipped,
            next: page.next,
        })
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
        let req = Request::new(Method::PATCH, SESSIONS)
            .query("status", "eq.Open")
            .query("closes_at", format!("gt.{}", ts(after)))
            .query("closes_at", format!("lte.{}", ts(until)))
            .prefer("return=representation")
            .retry(Retry::Never)
            .body(close_body(closed_by, now));
        let resp = store.client.send(&req).await.map_err(Error::from)?;
        Ok(decode_sessions(&resp.body.0)?.rows)
    }

    async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        _limit: usize,
    ) -> Result<OverdueClosed> {
        let store = self;
        // One request closes every overdue session (`limit` does not apply):
        // attctl_close_overdue() runs one conditional UPDATE and, if some old row cannot be
        // written, closes the rest one by one and names the ones that failed. Repeating it
        // is harmless: the `status = 'Open'` re-check under the row lock closes each once.
        #[derive(Deserialize)]
        struct Answer {
            closed: Vec<SessionId>,
            #[serde(default)]
            failed: Vec<Failed>,
        }
        #[derive(Deserialize)]
        struct Failed {
            id: SessionId,
            #[serde(default)]
            code: Option<String>,
            #[serde(default)]
            message: Option<String>,
        }
        let req = Request::new(Method::POST, CLOSE_OVERDUE_RPC)
            .retry(Retry::Idempotent)
            .body(json!({
                "due_by": ts(cutoff.planned),
                "unplanned_due_by": ts(cutoff.unplanned),
                "closed_by": closed_by,
                "closed_at": ts(now),
            }));
        match store.client.send(&req).await {
            Ok(resp) => {
                let answer: Answer = resp.json()?;
                Ok(OverdueClosed {
                    closed: answer.closed,
                    failed: answer
                        .failed
                        .into_iter()
                        .map(|f| RowFailure {
                            id: f.id,
                            reason: match (f.message, f.code) {
                                (Some(m), Some(c)) => format!("{m} ({c})"),
                                (Some(m), None) => m,
                                (None, Some(c)) => c,
                                (None, None) => "rejected by the database".to_string(),
                            },
                        })
                        .collect(),
                })
            }
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                // A database without the 20261130110000 migration: the plain bulk PATCH
                // (one bad row fails it; `attctl doctor` asks for the migration).
                store
                    .close_overdue_by_patch(cutoff.planned.min(cutoff.unplanned), closed_by, now)
                    .await
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        let store = self;
        let req = writes::delete(id);
        match store.client.send(&req).await {
            Ok(resp) => Ok(resp.json::<Vec<TeachingSession>>()?.into_iter().next()),
            // The answer was lost: gone means deleted (by us, most likely; the deleted row
            // cannot be read back, so it is reported like an earlier delete); still there
            // means not deleted, and deleting by id again is safe.
            Err(ClientError::Unanswered(e)) => match store.read_back(id, "delete", e).await? {
                None => Ok(None),
                Some(_) => store.first(req).await,
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>> {
        let store = self;
        let t = &update.times;
        let req = writes::update_times(id, update);
        match store.client.send(&req).await {
            Ok(resp) => Ok(resp.json::<Vec<TeachingSession>>()?.into_iter().next()),
            Err(ClientError::Unanswered(e)) => {
                let now = store.read_back(id, "reschedule", e).await?;
                let expected_status = if update.reopen {
                    Status::Open
                } else {
                    update.expected_status
                };
                match now {
                    Some(s)
                        if s.session_date == t.session_date
                            && s.start_time == t.start_time
                            && s.end_time == t.end_time
                            && s.timezone == t.timezone
                            && s.closes_at == t.closes_at
                            && s.status == expected_status =>
                    {
                        Ok(Some(s))
                    }
                    Some(s) if s.status == update.expected_status => {
                        Err(Error::Unavailable(format!(
                            "session {id} was not rescheduled: the request got no answer and \
                             the session still has its old times; run the command again"
                        )))
                    }
                    _ => Ok(None),
                }
            }
            Err(ClientError::Api(api)) if api.code() == "23P01" => {
                let class_id = store
                    .get_sessions(&[id])
                    .await
                    .ok()
                    .and_then(|v| v.into_iter().next())
                    .map_or(0, |s| s.class_id);
                Err(store
                    .overlap_error(class_id, t.session_date, t.start_time, t.end_time, Some(id))
                    .await)
            }
            Err(ClientError::Api(api)) if api.code() == "23505" => Err(Error::Conflict(format!(
                "session {id}'s class already has a session on {} starting at {}",
                t.session_date,
                t.start_time.format("%H:%M:%S")
            ))),
            Err(e) => Err(e.into()),
        }
    }
}

/// [`Sessions::import_sessions`]: one call of `attctl_import_sessions()` (migration
/// 20261205130000), which checks and writes the chunk in one transaction.
async fn import_chunk(
    store: &PostgrestStore,
    rows: &[NewSession],
    skip_holidays: bool,
    write: bool,
) -> Result<Option<Vec<ImportAnswer>>> {
    #[derive(Deserialize)]
    struct Answer {
        answers: Vec<String>,
        created: serde_json::Value,
    }
    if rows.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let req = Request::new(Method::POST, IMPORT_SESSIONS_RPC).body(json!({
        "sessions": rows,
        "skip_holidays": skip_holidays,
        "write": write,
    }));
    let answer: Answer = match store.client.send(&req).await {
        Ok(resp) => resp.json()?,
        // A database without the migration (or a role it does not grant): the caller reads
        // and checks itself, as before.
        Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
            return Ok(None);
        }
        Err(ClientError::Unanswered(e)) if write => {
            return Err(Error::Unavailable(format!(
                "Supabase did not answer a bulk insert of {} sessions ({e}); it may or may not \
                 have been written: run the same command again (sessions that exist are \
                 skipped)",
                rows.len()
            )));
        }
        Err(ClientError::Api(api)) if api.code() == "23503" => {
            return Err(Error::NotFound {
                what: "class",
                id: rows
                    .first()
                    .map_or_else(String::new, |n| n.class_id.to_string()),
            });
        }
        Err(ClientError::Api(api)) if lacks_session_type(&api) => return Err(no_session_types()),
        Err(e) => return Err(e.into()),
    };
    if answer.answers.len() != rows.len() {
        return Err(Error::Backend(format!(
            "Supabase answered {} rows of an import chunk of {}",
            answer.answers.len(),
            rows.len()
        )));
    }
    let body = serde_json::to_vec(&answer.created)
        .map_err(|e| Error::Backend(format!("cannot read the imported sessions: {e}")))?;
    let page = decode_sessions(&body)?;
    if let Some(bad) = page.skipped.first() {
        return Err(unreadable(bad));
    }
    let mut created: std::collections::HashMap<_, TeachingSession> = page
        .rows
        .into_iter()
        .map(|s| ((s.class_id, s.session_date, s.start_time), s))
        .collect();
    let answers = rows
        .iter()
        .zip(answer.answers)
        .map(|(n, word)| match word.as_str() {
            "holiday" => Ok(ImportAnswer::Holiday),
            "exists" => Ok(ImportAnswer::Exists),
            "overlap" => Ok(ImportAnswer::Overlap),
            "new" if !write => Ok(ImportAnswer::Free),
            // Written, or (absent from `created`) committed by another writer meanwhile.
            "new" => Ok(created
                .remove(&(n.class_id, n.session_date, n.start_time))
                .map_or(ImportAnswer::Exists, ImportAnswer::Created)),
            other => Err(Error::Backend(format!(
                "Supabase answered {other:?} for an imported row"
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(answers))
}
