//! Sessions by the hundred: `session generate`, `session import` and bulk delete/close by a
//! filter. One plan first (what is created, what is skipped and why), then chunked writes:
//! one insert request (or SQLite transaction) per [`crate::store::INSERT_CHUNK`] sessions,
//! Hatchet runs created [`BULK_SCHEDULE_CONCURRENCY`] at a time and their ids stored in
//! one write per chunk. A scheduling failure is a warning: the sweep plans those later.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use futures::StreamExt;
use serde::Serialize;

use super::SessionService;
use crate::clock;
use crate::error::{Error, Result};
use crate::events::SessionEvent;
use crate::session::{
    CLAIM_PREFIX, ClassId, ClassRef, ClosedBy, NewSession, SessionId, TaskRef, TeachingSession,
};
use crate::store::{INSERT_CHUNK, SessionFilter, pages};
use futures::TryStreamExt as _;

/// Runs created at once by a bulk create: the user waits for them (the sweep does not), so
/// more than the sweep's [`super::SCHEDULE_CONCURRENCY`], still bounded.
pub(crate) const BULK_SCHEDULE_CONCURRENCY: usize = 64;

/// Bad rows named in one import error; the count is always exact.
pub(crate) const MAX_ROW_ERRORS: usize = 20;

/// Why an occurrence or a row was not created. Names are a contract (JSON `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    Holiday,
    Exists,
    Past,
    NonexistentTime,
    Overlap,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Holiday => "holiday",
            SkipReason::Exists => "exists",
            SkipReason::Past => "past",
            SkipReason::NonexistentTime => "nonexistent_time",
            SkipReason::Overlap => "overlap",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub class_id: ClassId,
    pub session_date: NaiveDate,
    #[serde(serialize_with = "wall")]
    pub start_time: NaiveTime,
    pub reason: SkipReason,
}

impl Skipped {
    /// Reads back a line written as `class_id\tdate\tHH:MM:SS\treason` (the spool of an
    /// import's answer).
    pub fn from_spool(line: &str) -> Option<Skipped> {
        let mut parts = line.split('\t');
        let class_id = parts.next()?.parse().ok()?;
        let session_date = parts.next()?.parse().ok()?;
        let start_time = NaiveTime::parse_from_str(parts.next()?, "%H:%M:%S").ok()?;
        let reason = parts.next()?;
        let reason = [
            SkipReason::Holiday,
            SkipReason::Exists,
            SkipReason::Past,
            SkipReason::NonexistentTime,
            SkipReason::Overlap,
        ]
        .into_iter()
        .find(|r| r.as_str() == reason)?;
        Some(Skipped {
            class_id,
            session_date,
            start_time,
            reason,
        })
    }
}

fn wall<S: serde::Serializer>(t: &NaiveTime, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&crate::session::format_wall_time(*t))
}

/// A created session, or (with `--dry-run`) one that would be.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Created {
    Session(TeachingSession),
    Planned(NewSession),
}

impl Created {
    pub fn class_id(&self) -> ClassId {
        match self {
            Created::Session(s) => s.class_id,
            Created::Planned(n) => n.class_id,
        }
    }
    pub(crate) fn date_and_times(&self) -> (NaiveDate, NaiveTime, NaiveTime) {
        match self {
            Created::Session(s) => (s.session_date, s.start_time, s.end_time),
            Created::Planned(n) => (n.session_date, n.start_time, n.end_time),
        }
    }
}

/// What `generate` and `import` answer: `{"created", "skipped", "warnings"}`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BulkOutcome {
    pub created: Vec<Created>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub dry_run: bool,
}

impl BulkOutcome {
    /// `28 created · 2 skipped (holiday)`.
    pub fn summary(&self) -> String {
        let mut counts = SkipCounts::default();
        for s in &self.skipped {
            counts.add(s.reason);
        }
        summary_line(self.created.len(), &counts, self.dry_run)
    }
}

/// Skipped rows counted by reason, in the order the reasons first came.
#[derive(Debug, Clone, Default)]
pub(crate) struct SkipCounts(Vec<(SkipReason, usize)>);

impl SkipCounts {
    pub(crate) fn add(&mut self, reason: SkipReason) {
        match self.0.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, n)) => *n += 1,
            None => self.0.push((reason, 1)),
        }
    }

    pub(crate) fn total(&self) -> usize {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// `28 created · 2 skipped (holiday)`, or `… (1 exists, 1 holiday)` for several reasons.
pub(crate) fn summary_line(created: usize, skipped: &SkipCounts, dry_run: bool) -> String {
    let verb = if dry_run { "to create" } else { "created" };
    let mut line = format!("{created} {verb}");
    if skipped.total() > 0 {
        let counts = &skipped.0;
        let reasons: Vec<String> = counts
            .iter()
            .map(|(r, n)| {
                if counts.len() == 1 {
                    r.as_str().to_string()
                } else {
                    format!("{n} {}", r.as_str())
                }
            })
            .collect();
        line.push_str(&format!(
            " · {} skipped ({})",
            skipped.total(),
            reasons.join(", ")
        ));
    }
    line
}

/// A class meeting on `dates` from `start` to `end` in `zone`.
#[derive(Debug, Clone)]
pub struct Timetable {
    pub class: ClassRef,
    pub dates: Vec<NaiveDate>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub zone: Tz,
    pub include_past: bool,
    /// `--type` of every session (see [`crate::service::CreateOptions`]).
    pub session_type: Option<String>,
}

/// What a bulk delete or close did.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BulkChange {
    pub id: SessionId,
    pub outcome: &'static str,
    pub session: TeachingSession,
}

fn wall_clock_exists(date: NaiveDate, time: NaiveTime, zone: Tz) -> LocalResult<DateTime<Tz>> {
    zone.from_local_datetime(&date.and_time(time))
}

impl SessionService {
    /// Plans and creates the sessions of a timetable, skipping holidays, past occurrences,
    /// times the clocks skip, and sessions that exist or overlap.
    pub async fn generate(
        &self,
        t: &Timetable,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> Result<BulkOutcome> {
        let class_id = self.class_id(&t.class).await?;
        let mut skipped = Vec::new();
        let mut warnings = Vec::new();
        let mut planned = Vec::with_capacity(t.dates.len());
        let (Some(first), Some(last)) = (t.dates.first(), t.dates.last()) else {
            return Ok(BulkOutcome {
                dry_run,
                warnings: vec!["the timetable has no dates between --from and --to".into()],
                ..Default::default()
            });
        };
        let holidays = self.store.list_holidays(Some(*first), Some(*last)).await?;
        for &date in &t.dates {
            let skip = |reason| Skipped {
                class_id,
                session_date: date,
                start_time: t.start,
                reason,
            };
            if holidays.iter().any(|h| h.covers(date)) {
                skipped.push(skip(SkipReason::Holiday));
                continue;
            }
            let start = wall_clock_exists(date, t.start, t.zone);
            let end = wall_clock_exists(date, t.end, t.zone);
            if matches!(start, LocalResult::None) || matches!(end, LocalResult::None) {
                skipped.push(skip(SkipReason::NonexistentTime));
                continue;
            }
            if matches!(start, LocalResult::Ambiguous(..))
                || matches!(end, LocalResult::Ambiguous(..))
            {
                // Twice that night: which one is meant cannot be told, so it is not guessed.
                warnings.push(format!(
                    "{date}: {}–{} happens twice in {} (the clocks go back); skipped",
                    t.start.format("%H:%M"),
                    t.end.format("%H:%M"),
                    t.zone.name()
                ));
                skipped.push(skip(SkipReason::NonexistentTime));
                continue;
            }
            let times = clock::session_times(date, t.start, t.end, t.zone)?;
            if times.closes_at <= now && !t.include_past {
                skipped.push(skip(SkipReason::Past));
                continue;
            }
            let mut new = times.into_new_session(class_id);
            new.session_type = t.session_type.clone();
            planned.push(new);
        }
        self.create_many(planned, skipped, warnings, dry_run, now)
            .await
    }

    /// Creates validated sessions: sessions that exist (same class, date and start) or
    /// overlap another of the class that day are skipped; the rest are written in chunks and
    /// their runs planned in bulk.
    pub(crate) async fn create_many(
        &self,
        planned: Vec<NewSession>,
        mut skipped: Vec<Skipped>,
        mut warnings: Vec<String>,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> Result<BulkOutcome> {
        // What each class already has on the dates concerned: one paged read per class.
        let mut ranges: HashMap<ClassId, (NaiveDate, NaiveDate)> = HashMap::new();
        for n in &planned {
            let r = ranges
                .entry(n.class_id)
                .or_insert((n.session_date, n.session_date));
            r.0 = r.0.min(n.session_date);
            r.1 = r.1.max(n.session_date);
        }
        let mut taken: HashMap<(ClassId, NaiveDate), Vec<(NaiveTime, NaiveTime)>> = HashMap::new();
        for (class_id, (from, to)) in ranges {
            if class_id == 0 {
                continue; // a class created by this import (dry run): nothing exists yet
            }
            let filter = SessionFilter {
                class_id: Some(class_id),
                from: Some(from),
                to: Some(to),
                ..Default::default()
            };
            let mut pages = std::pin::pin!(pages(self.store.as_ref(), &filter));
            while let Some(page) = pages.try_next().await? {
                for s in &page.rows {
                    taken
                        .entry((s.class_id, s.session_date))
                        .or_default()
                        .push((s.start_time, s.end_time));
                }
            }
        }
        let mut accepted = Vec::with_capacity(planned.len());
        for n in planned {
            let day = taken.entry((n.class_id, n.session_date)).or_default();
            let reason = if day.iter().any(|(s, _)| *s == n.start_time) {
                Some(SkipReason::Exists)
            } else if day
                .iter()
                .any(|(s, e)| n.start_time < *e && *s < n.end_time)
            {
                Some(SkipReason::Overlap)
            } else {
                None
            };
            match reason {
                Some(reason) => skipped.push(Skipped {
                    class_id: n.class_id,
                    session_date: n.session_date,
                    start_time: n.start_time,
                    reason,
                }),
                None => {
                    day.push((n.start_time, n.end_time));
                    accepted.push(n);
                }
            }
        }
        drop(taken);
        if dry_run {
            return Ok(BulkOutcome {
                created: accepted.into_iter().map(Created::Planned).collect(),
                skipped,
                warnings,
                dry_run,
            });
        }
        let mut created = Vec::with_capacity(accepted.len());
        let mut ended_open = 0usize;
        for chunk in accepted.chunks_mut(INSERT_CHUNK) {
            for n in chunk.iter_mut() {
                if n.closed.is_none() && n.closes_at > now {
                    n.scheduled_task_id = self.scheduler.inline_run_id();
                }
            }
            let rows = self.store.insert_sessions(chunk).await?;
            if rows.len() < chunk.len() {
                // Written by someone else between our read and our insert.
                let written: HashSet<(ClassId, NaiveDate, NaiveTime)> = rows
                    .iter()
                    .map(|s| (s.class_id, s.session_date, s.start_time))
                    .collect();
                for n in chunk.iter() {
                    if !written.contains(&(n.class_id, n.session_date, n.start_time)) {
                        skipped.push(Skipped {
                            class_id: n.class_id,
                            session_date: n.session_date,
                            start_time: n.start_time,
                            reason: SkipReason::Exists,
                        });
                    }
                }
            }
            ended_open += rows
                .iter()
                .filter(|s| s.is_open() && s.closes_at <= now)
                .count();
            let rows = self.plan_runs(rows, now, &mut warnings).await?;
            created.extend(rows.into_iter().map(Created::Session));
        }
        if ended_open > 0 {
            warnings.push(format!(
                "{} already ended; attctl-worker closes {} at its next sweep",
                crate::output::plural(ended_open, "Open session")
                    + if ended_open == 1 { " has" } else { " have" },
                if ended_open == 1 { "it" } else { "them" }
            ));
        }
        Ok(BulkOutcome {
            created,
            skipped,
            warnings,
            dry_run,
        })
    }

    /// Plans runs for the future Open sessions of `rows` that have none, as the sweep does:
    /// one conditional write claims them, runs are created [`BULK_SCHEDULE_CONCURRENCY`] at a
    /// time, one write stores their ids. Failures are warnings; the sweep plans those later.
    pub(super) async fn plan_runs(
        &self,
        rows: Vec<TeachingSession>,
        now: DateTime<Utc>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<TeachingSession>> {
        if self.scheduler.planned_by_worker() {
            // A staff machine: attctl-worker plans what it writes (and a signed-in user may
            // not claim rows: the database refuses any scheduled_task_id from them).
            return Ok(rows);
        }
        let (todo, mut done): (Vec<TeachingSession>, Vec<TeachingSession>) = rows
            .into_iter()
            .partition(|s| s.is_open() && s.closes_at > now && s.scheduled_task_id.is_none());
        if todo.is_empty() {
            return Ok(done);
        }
        let claim = format!("{CLAIM_PREFIX}bulk:{}", uuid::Uuid::new_v4());
        let claimed = self.store.claim_for_planning(&todo, &claim, now).await?;
        let claimed_ids: HashSet<SessionId> = claimed.iter().map(|s| s.id).collect();
        // Not claimed: a sweep took them first and plans them.
        done.extend(todo.into_iter().filter(|s| !claimed_ids.contains(&s.id)));
        let creations = claimed.into_iter().map(|session| {
            let scheduler = Arc::clone(&self.scheduler);
            async move {
                let run = scheduler.schedule(&session).await;
                (session, run)
            }
        });
        let outcomes: Vec<(TeachingSession, Result<String>)> = futures::stream::iter(creations)
            .buffer_unordered(BULK_SCHEDULE_CONCURRENCY)
            .collect()
            .await;
        let mut runs = Vec::new();
        let mut failed = Vec::new();
        let mut first_error = None;
        let mut sessions: HashMap<SessionId, TeachingSession> = HashMap::new();
        for (session, outcome) in outcomes {
            match outcome {
                Ok(run) => runs.push((session.id, run)),
                Err(e) => {
                    first_error.get_or_insert_with(|| e.to_string());
                    failed.push(session.id);
                }
            }
            sessions.insert(session.id, session);
        }
        if !failed.is_empty() {
            self.store.release_claim(&claim, &failed).await?;
            warnings.push(format!(
                "{} saved, but the automatic close could not be scheduled ({}); \
                 attctl-worker's sweep will schedule or close them",
                crate::output::plural(failed.len(), "session"),
                first_error.unwrap_or_default()
            ));
            for id in &failed {
                if let Some(s) = sessions.get_mut(id) {
                    s.scheduled_task_id = None;
                }
            }
        }
        if !runs.is_empty() {
            let stored = self.store.store_run_ids(&claim, &runs).await?;
            for (id, run) in &runs {
                if stored.contains(id) {
                    if let Some(s) = sessions.get_mut(id) {
                        s.scheduled_task_id = Some(run.clone());
                    }
                } else {
                    self.cancel_quietly(run, *id, warnings).await;
                }
            }
        }
        let planned: Vec<TeachingSession> = sessions
            .values()
            .filter(|s| s.scheduled_task_id.is_some())
            .cloned()
            .collect();
        self.plan_warnings(&planned, now, warnings).await;
        done.extend(sessions.into_values());
        done.sort_by_key(|s| (s.session_date, s.start_time, s.id));
        Ok(done)
    }

    /// Every session matching `filter`, page by page.
    pub async fn matching(&self, filter: &SessionFilter) -> Result<Vec<TeachingSession>> {
        let mut all = Vec::new();
        let mut pages = std::pin::pin!(pages(self.store.as_ref(), filter));
        while let Some(page) = pages.try_next().await? {
            if let Some(bad) = page.skipped.first() {
                return Err(Error::Partial(format!(
                    "session {} cannot be read ({}); run `attctl doctor` before a bulk change",
                    bad.id.map_or_else(|| "?".into(), |i| i.to_string()),
                    bad.reason
                )));
            }
            all.extend(page.rows);
        }
        Ok(all)
    }

    /// Cancels the pending runs of `sessions` in bulk (Hatchet: one `bulk-delete` per 500
    /// runs, never one request per session). A failure is a warning: a run left fires and
    /// finds its session deleted or closed.
    async fn cancel_runs(&self, sessions: &[TeachingSession], warnings: &mut Vec<String>) {
        let runs: Vec<String> = sessions
            .iter()
            .filter(|s| s.is_open())
            .filter_map(|s| match s.task_ref() {
                TaskRef::Run(r) | TaskRef::LocalRun(r) => Some(r.to_string()),
                _ => None,
            })
            .collect();
        if runs.is_empty() {
            return;
        }
        if let Err(e) = self.scheduler.cancel_many(&runs).await {
            warnings.push(format!(
                "could not cancel the automatic close of {} ({e}); if they fire they find \
                 the sessions already handled",
                crate::output::plural(runs.len(), "session")
            ));
        }
    }

    /// Deletes `sessions` in bulk: runs cancelled, then one delete per chunk.
    pub(crate) async fn delete_many(
        &self,
        sessions: &[TeachingSession],
        warnings: &mut Vec<String>,
    ) -> Result<Vec<BulkChange>> {
        self.cancel_runs(sessions, warnings).await;
        let open: Vec<SessionId> = sessions
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.id)
            .collect();
        self.cancel_warnings(&open, warnings).await;
        let ids: Vec<SessionId> = sessions.iter().map(|s| s.id).collect();
        let deleted = self.store.delete_sessions(&ids).await?;
        for session in &deleted {
            self.emit(SessionEvent::Deleted {
                session: session.clone(),
            });
        }
        Ok(deleted
            .into_iter()
            .map(|s| BulkChange {
                id: s.id,
                outcome: "deleted",
                session: s,
            })
            .collect())
    }

    /// Closes `sessions` by hand in bulk: one conditional write per chunk, then their
    /// runs cancelled. Already closed ones are left as they are.
    pub(crate) async fn close_many(
        &self,
        sessions: &[TeachingSession],
        now: DateTime<Utc>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<BulkChange>> {
        let ids: Vec<SessionId> = sessions
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.id)
            .collect();
        let closed = self
            .store
            .close_sessions(&ids, ClosedBy::Manual, now)
            .await?;
        self.emit_closed_sessions(&closed, ClosedBy::Manual, now);
        let closed_ids: HashSet<SessionId> = closed.iter().map(|s| s.id).collect();
        let before: Vec<TeachingSession> = sessions
            .iter()
            .filter(|s| closed_ids.contains(&s.id))
            .cloned()
            .collect();
        self.cancel_runs(&before, warnings).await;
        let closed_ids: Vec<SessionId> = before.iter().map(|s| s.id).collect();
        self.cancel_warnings(&closed_ids, warnings).await;
        Ok(closed
            .into_iter()
            .map(|s| BulkChange {
                id: s.id,
                outcome: "closed",
                session: s,
            })
            .collect())
    }
}
