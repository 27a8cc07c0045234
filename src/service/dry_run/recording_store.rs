//! The recording store of `--dry-run`: reads go to the real store (and to what the dry run
//! itself "wrote" before), writes are described by the real store and recorded in the plan.

use super::*;

/// Reads from the real store (what the dry run itself "wrote" first), records writes.
pub(super) struct RecordingStore {
    pub(super) inner: Arc<dyn SessionStore>,
    pub(super) plan: Plan,
    /// Rows as the recorded writes left them (`None`: deleted).
    pub(super) written: Mutex<HashMap<SessionId, Option<TeachingSession>>>,
}

impl RecordingStore {
    fn remember(&self, id: SessionId, row: Option<TeachingSession>) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, row);
    }

    /// The row as the dry run has it so far.
    async fn current(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        let known = self
            .written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        match known {
            Some(row) => Ok(row),
            None => Ok(self.inner.get_sessions(&[id]).await?.into_iter().next()),
        }
    }

    fn record(&self, write: StoreWrite<'_>, note: String) {
        self.plan.record(self.inner.describe_write(&write), note);
    }
}

#[async_trait]
impl SessionStore for RecordingStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    fn describe_write(&self, write: &StoreWrite<'_>) -> PlannedWrite {
        self.inner.describe_write(write)
    }

    async fn store_identity(&self) -> Result<String> {
        self.inner.store_identity().await
    }
}

#[async_trait]
impl Directory for RecordingStore {
    async fn list_classes(&self) -> Result<Vec<Class>> {
        self.inner.list_classes().await
    }

    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>> {
        self.inner.find_class(class).await
    }

    async fn create_class(&self, name: &str) -> Result<Class> {
        // Not reached by any command that takes --dry-run; recorded all the same.
        self.plan.record(
            PlannedWrite {
                method: "INSERT".into(),
                target: "classes".into(),
                body: Some(serde_json::json!({ "name": name })),
            },
            format!("create class {name:?}"),
        );
        Ok(Class {
            id: NEW_ID,
            name: name.to_string(),
            created_at: Utc::now(),
            notify_emails: Vec::new(),
            code: None,
        })
    }

    async fn create_class_notifying(&self, name: &str, notify_emails: &[String]) -> Result<Class> {
        self.plan.record(
            PlannedWrite {
                method: "INSERT".into(),
                target: "classes".into(),
                body: Some(serde_json::json!({ "name": name, "notify_emails": notify_emails })),
            },
            format!("create class {name:?}"),
        );
        Ok(Class {
            id: NEW_ID,
            name: name.to_string(),
            created_at: Utc::now(),
            notify_emails: notify_emails.to_vec(),
            code: None,
        })
    }

    async fn set_class_notify_emails(
        &self,
        id: ClassId,
        notify_emails: &[String],
    ) -> Result<Option<Class>> {
        self.plan.record(
            PlannedWrite {
                method: "PATCH".into(),
                target: format!("classes {id}"),
                body: Some(serde_json::json!({ "notify_emails": notify_emails })),
            },
            format!("set the email recipients of class {id}"),
        );
        Ok(None)
    }

    async fn rename_class(&self, id: ClassId, name: &str) -> Result<Option<Class>> {
        // No command that takes --dry-run renames a class; recorded all the same.
        self.plan.record(
            PlannedWrite {
                method: "PATCH".into(),
                target: format!("classes {id}"),
                body: Some(serde_json::json!({ "name": name })),
            },
            format!("rename class {id}"),
        );
        Ok(None)
    }

    async fn delete_class(&self, id: ClassId) -> Result<Option<Class>> {
        self.plan.record(
            PlannedWrite {
                method: "DELETE".into(),
                target: format!("classes {id}"),
                body: None,
            },
            format!("delete class {id}"),
        );
        Ok(None)
    }

    async fn add_holiday(
        &self,
        name: &str,
        first_date: NaiveDate,
        last_date: NaiveDate,
    ) -> Result<Holiday> {
        self.plan.record(
            PlannedWrite {
                method: "POST".into(),
                target: "holidays".into(),
                body: Some(serde_json::json!({
                    "name": name, "first_date": first_date, "last_date": last_date,
                })),
            },
            format!("add the holiday {name:?}"),
        );
        Ok(Holiday {
            id: 0,
            name: name.to_string(),
            first_date,
            last_date,
            created_at: Utc::now(),
        })
    }

    async fn list_holidays(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Holiday>> {
        self.inner.list_holidays(from, to).await
    }

    async fn school(&self) -> Result<SchoolSettings> {
        self.inner.school().await
    }

    async fn set_school(&self, update: &SchoolUpdate) -> Result<SchoolSettings> {
        self.plan.record(
            PlannedWrite {
                method: "UPSERT".into(),
                target: "school_settings".into(),
                body: Some(serde_json::json!({
                    "timezone": update.timezone, "session_type": update.session_type,
                })),
            },
            "change the school's settings".to_string(),
        );
        let mut now = self.inner.school().await?;
        now.timezone = update.timezone.clone().or(now.timezone);
        now.session_type = update.session_type.clone().or(now.session_type);
        Ok(now)
    }

    async fn delete_holiday(&self, id: i64) -> Result<Option<Holiday>> {
        self.plan.record(
            PlannedWrite {
                method: "DELETE".into(),
                target: format!("holidays {id}"),
                body: None,
            },
            format!("delete holiday {id}"),
        );
        Ok(None)
    }
}

#[async_trait]
impl Sessions for RecordingStore {
    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession> {
        self.record(
            StoreWrite::Insert(new),
            if new.scheduled_task_id.is_some() {
                "insert the session with its run id (one write)".into()
            } else {
                "insert the session".into()
            },
        );
        let now = Utc::now();
        let row = TeachingSession {
            id: NEW_ID,
            class_id: new.class_id,
            session_date: new.session_date,
            start_time: new.start_time,
            end_time: new.end_time,
            status: Status::Open,
            scheduled_task_id: new.scheduled_task_id.clone(),
            timezone: new.timezone.clone(),
            closes_at: new.closes_at,
            closed_at: None,
            closed_by: None,
            created_at: now,
            updated_at: now,
            session_type: new.session_type.clone(),
        };
        self.remember(NEW_ID, Some(row.clone()));
        Ok(row)
    }

    async fn insert_sessions(&self, new: &[NewSession]) -> Result<Vec<TeachingSession>> {
        let mut rows = Vec::with_capacity(new.len());
        for one in new {
            rows.push(self.insert_session(one).await?);
        }
        Ok(rows)
    }

    async fn import_sessions(
        &self,
        rows: &[NewSession],
        skip_holidays: bool,
        write: bool,
    ) -> Result<Option<Vec<crate::store::ImportAnswer>>> {
        use crate::store::ImportAnswer;
        // Checked by the real store, written nowhere: each row it would take is recorded
        // as its insert.
        let Some(answers) = self
            .inner
            .import_sessions(rows, skip_holidays, false)
            .await?
        else {
            return Ok(None);
        };
        if !write {
            return Ok(Some(answers));
        }
        let mut out = Vec::with_capacity(answers.len());
        for (new, answer) in rows.iter().zip(answers) {
            out.push(match answer {
                ImportAnswer::Free => ImportAnswer::Created(self.insert_session(new).await?),
                other => other,
            });
        }
        Ok(Some(out))
    }

    async fn delete_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut rows = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = self.delete_session(id).await? {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    async fn close_sessions(
        &self,
        ids: &[SessionId],
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let mut rows = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = self.close_if_open(id, closed_by, now, None).await? {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    async fn reschedule_counts(&self, ids: &[SessionId]) -> Result<HashMap<SessionId, u32>> {
        self.inner.reschedule_counts(ids).await
    }

    async fn get_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut found = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = self.current(id).await? {
                found.push(row);
            }
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
        self.inner
            .list_sessions(filter, after, limit, with_total)
            .await
    }

    async fn close_if_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        let Some(mut row) = self.current(id).await? else {
            return Ok(None);
        };
        if !row.is_open() || due_by.is_some_and(|due| row.closes_at > due) {
            return Ok(None);
        }
        self.record(
            StoreWrite::CloseIfOpen {
                id,
                closed_by,
                now,
                due_by,
            },
            format!("close session {id} if it is still Open"),
        );
        row.status = Status::Closed;
        row.closed_at = Some(now);
        row.closed_by = Some(closed_by);
        self.remember(id, Some(row.clone()));
        Ok(Some(row))
    }

    async fn close_due_together(
        &self,
        _after: DateTime<Utc>,
        _until: DateTime<Utc>,
        _closed_by: ClosedBy,
        _now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        // Only a run calls this, and runs have no --dry-run: nothing is closed.
        Ok(Vec::new())
    }

    async fn close_if_planned(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: DateTime<Utc>,
        planned: DateTime<Utc>,
    ) -> Result<Option<TeachingSession>> {
        // Only a run calls this, and runs have no --dry-run; the same answer as the store's.
        match self.current(id).await? {
            Some(row) if row.closes_at == planned && planned <= due_by => {
                self.close_if_open(id, closed_by, now, Some(due_by)).await
            }
            _ => Ok(None),
        }
    }

    async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        _limit: usize,
    ) -> Result<OverdueClosed> {
        // Not reached by any command that takes --dry-run (the sweep has none).
        self.plan.record(
            PlannedWrite {
                method: "UPDATE".into(),
                target: format!(
                    "Open sessions closing by {} (with a run) or {} (without)",
                    cutoff.planned, cutoff.unplanned
                ),
                body: Some(serde_json::json!({
                    "status": Status::Closed, "closed_by": closed_by, "closed_at": now,
                })),
            },
            "close every overdue session".into(),
        );
        Ok(OverdueClosed::default())
    }

    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        let row = self.current(id).await?;
        self.record(StoreWrite::Delete(id), format!("delete session {id}"));
        self.remember(id, None);
        Ok(row)
    }

    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>> {
        let Some(mut row) = self.current(id).await? else {
            return Ok(None);
        };
        if row.status != update.expected_status {
            return Ok(None);
        }
        self.record(
            StoreWrite::UpdateTimes { id, update },
            if update.reopen {
                format!("move session {id} to its new times and reopen it")
            } else {
                format!("move session {id} to its new times")
            },
        );
        let t = &update.times;
        row.session_date = t.session_date;
        row.start_time = t.start_time;
        row.end_time = t.end_time;
        row.timezone = t.timezone.clone();
        row.closes_at = t.closes_at;
        if update.reopen {
            row.status = Status::Open;
            row.closed_at = None;
            row.closed_by = None;
        }
        self.remember(id, Some(row.clone()));
        Ok(Some(row))
    }
}

#[async_trait]
impl Planning for RecordingStore {
    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Result<Option<TeachingSession>> {
        let Some(mut row) = self.current(id).await? else {
            return Ok(None);
        };
        if row.scheduled_task_id.as_deref() != expected {
            return Ok(None);
        }
        self.record(
            StoreWrite::SwapScheduledTask { id, expected, new },
            match new {
                Some(_) => format!("record session {id}'s run id"),
                None => format!("clear session {id}'s run id"),
            },
        );
        row.scheduled_task_id = new.map(str::to_string);
        self.remember(id, Some(row.clone()));
        Ok(Some(row))
    }

    async fn unscheduled_open(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        self.inner
            .unscheduled_open(after, stale_claims_before, limit)
            .await
    }

    async fn claim_for_planning(
        &self,
        _candidates: &[TeachingSession],
        _claim: &str,
        _after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        // The sweep has no --dry-run: nothing to claim in a plan.
        Ok(Vec::new())
    }

    async fn store_run_ids(
        &self,
        _claim: &str,
        _runs: &[(SessionId, String)],
    ) -> Result<Vec<SessionId>> {
        Ok(Vec::new())
    }

    async fn release_claim(&self, _claim: &str, _ids: &[SessionId]) -> Result<()> {
        Ok(())
    }

    async fn clear_run_ids(&self, _runs: &[(SessionId, String)]) -> Result<Vec<SessionId>> {
        // Only attctl-worker's follower clears run ids in bulk; it has no --dry-run.
        Ok(Vec::new())
    }

    async fn next_closing(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        self.inner.next_closing(after).await
    }

    async fn add_warning_runs(&self, runs: &[WarningRun]) -> Result<Vec<WarningRun>> {
        self.record(
            StoreWrite::AddWarningRuns(runs),
            format!("keep the ids of {} warning run(s)", runs.len()),
        );
        Ok(runs.to_vec())
    }

    async fn take_warning_runs(&self, ids: &[SessionId]) -> Result<Vec<WarningRun>> {
        self.record(
            StoreWrite::TakeWarningRuns(ids),
            "take back the session's pending warning runs, to cancel them".into(),
        );
        // What the take would answer: the runs kept now.
        self.inner.warning_runs_of(ids).await
    }

    async fn warning_runs_of(&self, ids: &[SessionId]) -> Result<Vec<WarningRun>> {
        self.inner.warning_runs_of(ids).await
    }

    async fn missing_warning_runs(
        &self,
        offsets_seconds: &[u32],
        after: DateTime<Utc>,
        settled_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(SessionId, u32)>> {
        self.inner
            .missing_warning_runs(offsets_seconds, after, settled_before, limit)
            .await
    }
}

#[async_trait]
impl Outbox for RecordingStore {
    async fn list_events(&self, filter: &EventFilter, limit: usize) -> Result<Vec<EventRecord>> {
        self.inner.list_events(filter, limit).await
    }

    async fn poll_changes(&self, watch: &mut crate::store::events::ChangeWatch) -> Result<bool> {
        self.inner.poll_changes(watch).await
    }

    async fn look(
        &self,
        watch: &mut crate::store::events::ChangeWatch,
        overdue_before: DateTime<Utc>,
        closing_after: DateTime<Utc>,
    ) -> Result<crate::store::Look> {
        self.inner.look(watch, overdue_before, closing_after).await
    }

    // The outbox is the worker's; no command that takes --dry-run reaches these writes.
    async fn claim_events(
        &self,
        worker: &str,
        lease_seconds: u32,
        max: usize,
        types: &[String],
    ) -> Result<Vec<EventRecord>> {
        self.inner
            .claim_events(worker, lease_seconds, max, types)
            .await
    }

    async fn finish_event(&self, id: &str, worker: &str, outcome: &EventOutcome) -> Result<bool> {
        self.inner.finish_event(id, worker, outcome).await
    }

    async fn retry_events(&self, which: &RetrySelection) -> Result<Vec<String>> {
        self.inner.retry_events(which).await
    }

    async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        self.inner.prune_events(before).await
    }

    async fn record_warning(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        self.inner
            .record_warning(id, offset_seconds, closes_at)
            .await
    }

    async fn record_due_warnings(&self, offsets_seconds: &[u32]) -> Result<Vec<String>> {
        self.inner.record_due_warnings(offsets_seconds).await
    }
}

#[async_trait]
impl Reports for RecordingStore {
    async fn run_health(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<RunHealth> {
        self.inner.run_health(since, until).await
    }

    async fn open_closing_between(&self, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<u64> {
        self.inner.open_closing_between(from, until).await
    }

    async fn closure_report(&self, query: &ClosureQuery) -> Result<ClosureFigures> {
        self.inner.closure_report(query).await
    }

    async fn open_past_end(
        &self,
        before: DateTime<Utc>,
        class_id: Option<ClassId>,
        after_id: Option<SessionId>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        self.inner
            .open_past_end(before, class_id, after_id, limit)
            .await
    }
    async fn registers_info(&self) -> Result<crate::registers::RegistersInfo> {
        self.inner.registers_info().await
    }

    async fn register_report(
        &self,
        query: &crate::registers::RegisterQuery,
    ) -> Result<Option<crate::registers::RegisterReport>> {
        self.inner.register_report(query).await
    }

    async fn automark_preview(
        &self,
        ids: &[SessionId],
    ) -> Result<Vec<crate::registers::AutomarkPreview>> {
        self.inner.automark_preview(ids).await
    }
}
